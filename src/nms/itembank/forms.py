"""Forms of the item bank pages. They check field formats; options and keys are read by the
services. Also the item as a test shows it (`Question`), shared with the diagnostics' answer
sheet."""

from dataclasses import dataclass
from datetime import datetime

from django import forms

from nms.itembank import services
from nms.itembank.models import CompetencyArea, Difficulty, Item, ItemKind, SubCompetency
from nms.registry.models import Subject

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SubCompetencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.area.name}: {obj.name}"


class ItemForm(forms.Form):
    """An item with options one per line and the key in the human notation (see services.py)."""

    code = forms.CharField(label="Шифр", max_length=services.CODE_LENGTH)
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
        + "; ".join(f"{kind.label} — {hint}" for kind, hint in services.KEY_HINTS.items())
        + ".",
    )
    points = forms.IntegerField(
        label="Баллы", min_value=1, max_value=services.MAX_POINTS, initial=1
    )

    # Which fields each kind uses (the page hides the others).
    KIND_FIELDS = {
        "options": [k for k in ItemKind.values if k != ItemKind.SHORT],
        "options_right": [ItemKind.MATCHING],
    }

    @classmethod
    def initial_for(cls, item: Item) -> dict:
        options, right = services.format_options(item.kind, item.options)
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
            "key": services.format_key(item.kind, item.key),
            "points": item.points,
        }

    def rows(self):
        """(bound field, kinds it applies to or None for all) for the template."""
        return [(field, self.KIND_FIELDS.get(field.name)) for field in self.visible_fields()]


class AreaForm(forms.ModelForm):
    class Meta:
        model = CompetencyArea
        fields = ["name", "code", "order", "is_subject", "for_managers"]


class SubCompetencyForm(forms.ModelForm):
    class Meta:
        model = SubCompetency
        fields = ["name"]


# -- the item as a test shows it ---------------------------------------------------------------
# An unanswered row of a matching or ordering item is kept as -1, which never matches a key.
UNANSWERED = -1


@dataclass
class Question:
    """An item of the variant as the answer sheet shows it, filled from the saved response."""

    position: int
    item: Item
    response: object
    saved_at: datetime | None

    def choices(self) -> list[tuple[int, str, bool]]:
        """single and multiple: (index, text, checked)."""
        chosen = self.response if isinstance(self.response, list) else [self.response]
        return [(i, text, i in chosen) for i, text in enumerate(self.item.options)]

    def select_options(self) -> list[tuple[int, str]]:
        """matching: the right column; ordering: the steps."""
        options = self.item.options
        return list(enumerate(options["right"] if self.item.kind == ItemKind.MATCHING else options))

    def rows(self) -> list[tuple[int, str, int]]:
        """matching and ordering: (row index, label, chosen option or -1)."""
        saved = self.response if isinstance(self.response, list) else []
        if self.item.kind == ItemKind.MATCHING:
            labels = self.item.options["left"]
        else:
            labels = [f"{n}-й шаг" for n in range(1, len(self.item.options) + 1)]
        return [
            (i, label, saved[i] if i < len(saved) else UNANSWERED) for i, label in enumerate(labels)
        ]

    @property
    def text(self) -> str:
        return self.response if isinstance(self.response, str) else ""


def key_text(item: Item) -> str:
    """The right answer in words, for the bank's users checking a variant."""
    options, key = item.options, item.key
    try:
        if item.kind == ItemKind.SINGLE:
            return options[key]
        if item.kind == ItemKind.MULTIPLE:
            return "; ".join(options[k] for k in key)
        if item.kind == ItemKind.SHORT:
            return " или ".join(key)
        if item.kind == ItemKind.MATCHING:
            return "; ".join(
                f"{left} — {options['right'][k]}"
                for left, k in zip(options["left"], key, strict=True)
            )
        return " → ".join(options[k] for k in key)
    except (IndexError, KeyError, TypeError, ValueError):
        return "ключ задан неверно"
