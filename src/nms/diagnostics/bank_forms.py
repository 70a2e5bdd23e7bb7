"""Forms of the item bank pages. They check field formats; options and keys are read by bank.py."""

from django import forms

from nms.diagnostics import bank
from nms.diagnostics.models import CompetencyArea, Difficulty, Item, ItemKind, SubCompetency
from nms.registry.models import Subject

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SubCompetencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.area.name}: {obj.name}"


class ItemForm(forms.Form):
    """An item with options one per line and the key in the human notation (see bank.py)."""

    code = forms.CharField(label="Шифр", max_length=bank.CODE_LENGTH)
    area = forms.ModelChoiceField(CompetencyArea.objects.all(), label="Область")
    subcompetency = SubCompetencyChoice(
        SubCompetency.objects.select_related("area").order_by("area__order", "name"),
        label="Компетенция",
        required=False,
    )
    subject = forms.ModelChoiceField(
        Subject.objects.all(),
        label="Предмет",
        required=False,
        help_text="Только для заданий предметной области.",
    )
    kind = forms.ChoiceField(label="Тип", choices=ItemKind.choices)
    difficulty = forms.TypedChoiceField(
        label="Сложность", choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    text = forms.CharField(label="Формулировка", widget=forms.Textarea(attrs={"rows": 5}))
    options = forms.CharField(
        label="Варианты",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="По одному на строке. Для соответствия — левый столбец. "
        "Для краткого ответа не заполняется.",
    )
    options_right = forms.CharField(
        label="Варианты (правый столбец)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Только для соответствия: правый столбец, по одному на строке.",
    )
    key = forms.CharField(
        label="Ключ",
        max_length=2000,
        help_text="Номера считаются от 1. "
        + "; ".join(f"{kind.label} — {hint}" for kind, hint in bank.KEY_HINTS.items())
        + ".",
    )
    points = forms.IntegerField(label="Баллы", min_value=1, max_value=bank.MAX_POINTS, initial=1)

    # Which fields each kind uses (the page hides the others).
    KIND_FIELDS = {
        "options": [k for k in ItemKind.values if k != ItemKind.SHORT],
        "options_right": [ItemKind.MATCHING],
    }

    @classmethod
    def initial_for(cls, item: Item) -> dict:
        options, right = bank.format_options(item.kind, item.options)
        return {
            "code": item.code,
            "area": item.area_id,
            "subcompetency": item.subcompetency_id,
            "subject": item.subject_id,
            "kind": item.kind,
            "difficulty": item.difficulty,
            "text": item.text,
            "options": options,
            "options_right": right,
            "key": bank.format_key(item.kind, item.key),
            "points": item.points,
        }

    def rows(self):
        """(bound field, kinds it applies to or None for all) for the template."""
        return [(field, self.KIND_FIELDS.get(field.name)) for field in self]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Файл XLSX", widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
    )
