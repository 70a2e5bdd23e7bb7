"""Forms of the diagnostics pages. They check formats and shape answers; rules live in services."""

from django import forms

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.filters import YES_NO, YesNoField
from nms.common.forms import DateField
from nms.common.widgets import FastSelect
from nms.diagnostics.models import Level, Procedure
from nms.itembank.forms import UNANSWERED, Question
from nms.itembank.models import CompetencyArea, Difficulty, Item, ItemKind
from nms.registry.models import Position, Subject

BLUEPRINT_DIFFICULTIES = {
    "easy": Difficulty.EASY.label,
    "medium": Difficulty.MEDIUM.label,
    "hard": Difficulty.HARD.label,
}
MAX_ITEMS_PER_CELL = 100
MAX_SHORT_ANSWER = 500


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "name",
            "level",
            "municipality",
            "kind",
            "starts_on",
            "ends_on",
            "threshold",
            "time_limit_minutes",
            "seed",
            "is_external",
        ]
        field_classes = {"starts_on": DateField, "ends_on": DateField}  # ДД.ММ.ГГГГ only
        localized_fields = ["threshold"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["municipality"].queryset = scope.municipalities()
        if scope.has(Role.MUNICIPAL) and not scope.has(Role.CNPPM, Role.ADMIN):
            # The service makes a municipal service's procedure municipal and its own.
            self.fields["level"].choices = [(Level.MUNICIPAL, Level.MUNICIPAL.label)]
            del self.fields["municipality"]
        else:
            self.initial["level"] = Level.REGIONAL


class ProcedureEditForm(forms.ModelForm):
    """A procedure's details that may change after it is created (see services.procedure_update)."""

    class Meta:
        model = Procedure
        fields = [
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "threshold",
            "time_limit_minutes",
            "seed",
        ]
        field_classes = {"starts_on": DateField, "ends_on": DateField}  # ДД.ММ.ГГГГ only
        localized_fields = ["threshold"]
        help_texts = {
            "threshold": "Результат в области не выше порога означает дефицит. При изменении "
            "порога дефициты всех результатов процедуры пересчитываются.",
            "seed": "Нельзя изменить, когда варианты собраны и тестирование начато.",
        }


class ProcedureResultsFilterForm(forms.Form):
    """Filters of a procedure's results; the choices are limited to the user's scope and to the
    procedure's areas."""

    q = forms.CharField(label="Поиск (ФИО, СНИЛС)", required=False)
    has_deficit = YesNoField(
        label="Есть дефицит", choices=YES_NO, empty_label="все", required=False
    )
    deficit_area = forms.ModelChoiceField(
        None, label="Дефицит в области", empty_label="все", required=False
    )
    municipality = forms.ModelChoiceField(
        None, label="Муниципалитет", empty_label="все", required=False
    )
    organization = forms.ModelChoiceField(
        None, label="Организация", empty_label="все", required=False, widget=FastSelect
    )

    def __init__(self, *args, user, areas, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["deficit_area"].queryset = areas
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")

    def filters(self) -> dict:
        """The keyword arguments of selectors.procedure_results."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class BlueprintForm(forms.Form):
    """Per competency area, how many items of each difficulty a variant holds."""

    def __init__(self, *args, initial_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(CompetencyArea.objects.all())
        initial = {row.area_id: row for row in initial_rows or []}
        for area in self.areas:
            for difficulty, label in BLUEPRINT_DIFFICULTIES.items():
                row = initial.get(area.pk)
                name = f"{area.name}, {label} уровень"
                self.fields[f"{area.code}-{difficulty}"] = forms.IntegerField(
                    label=name,
                    min_value=0,
                    max_value=MAX_ITEMS_PER_CELL,
                    required=False,
                    initial=getattr(row, difficulty) if row else None,
                    widget=forms.NumberInput(attrs={"aria-label": name, "style": "width: 6em"}),
                )

    def rows(self) -> list[tuple]:
        """(area, [easy, medium, hard bound fields]) for the table on the page."""
        return [
            (area, [self[f"{area.code}-{d}"] for d in BLUEPRINT_DIFFICULTIES])
            for area in self.areas
        ]

    def blueprint(self) -> list[dict]:
        """The cleaned rows as procedure_create takes them."""
        return [
            {
                "area": area,
                **{
                    d: self.cleaned_data.get(f"{area.code}-{d}") or 0
                    for d in BLUEPRINT_DIFFICULTIES
                },
            }
            for area in self.areas
        ]


class GroupForm(forms.Form):
    """A target group by the registry filters; the choices are limited to the user's scope."""

    name = forms.CharField(label="Наименование группы", max_length=300, required=False)
    municipality = forms.ModelChoiceField(None, label="Муниципалитет", required=False)
    organization = forms.ModelChoiceField(
        None, label="Организация", required=False, widget=FastSelect
    )
    subject = forms.ModelChoiceField(
        Subject.objects.all(),
        label="Предмет",
        required=False,
        help_text="Задания предметной области подбираются по этому предмету.",
    )
    position = forms.ModelChoiceField(Position.objects.all(), label="Должность", required=False)
    young = YesNoField(label="Молодой педагог", choices=YES_NO, empty_label="все", required=False)
    manager = YesNoField(label="Руководитель", choices=YES_NO, empty_label="все", required=False)

    CRITERIA = ("municipality", "organization", "subject", "position", "young", "manager")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")

    def criteria(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.CRITERIA}


# -- answers ------------------------------------------------------------------------------------
# Posted values of one item: radios, checkboxes, a text input or selects, all named "value",
# in the order of the page. They become the response shapes of nms.itembank.scoring.
# An unanswered row of a matching or ordering item is kept as UNANSWERED (-1), which never matches
# a key, so the rows answered still earn their partial credit.


def _index(value: str, size: int, *, blank_allowed=False) -> int:
    if value == "" and blank_allowed:
        return UNANSWERED
    try:
        index = int(value)
    except ValueError:
        index = -2
    if not 0 <= index < size:
        raise forms.ValidationError("Выбран несуществующий вариант ответа.")
    return index


def _option_count(item: Item) -> int:
    return len(item.options["right"]) if item.kind == ItemKind.MATCHING else len(item.options)


def _row_count(item: Item) -> int:
    return len(item.options["left"]) if item.kind == ItemKind.MATCHING else len(item.options)


def response_from_values(item: Item, values: list[str]):
    """The response to store for an item; None when nothing is chosen or typed."""
    values = [v.strip() for v in values]
    if item.kind == ItemKind.SHORT:
        text = " ".join(values).strip()
        if len(text) > MAX_SHORT_ANSWER:
            raise forms.ValidationError(f"Ответ длиннее {MAX_SHORT_ANSWER} знаков.")
        return text or None
    size = _option_count(item)
    if item.kind == ItemKind.SINGLE:
        chosen = [v for v in values if v != ""]
        if len(chosen) > 1:
            raise forms.ValidationError("Выберите один вариант ответа.")
        return _index(chosen[0], size) if chosen else None
    if item.kind == ItemKind.MULTIPLE:
        chosen = sorted({_index(v, size) for v in values if v != ""})
        return chosen or None
    if len(values) != _row_count(item):
        raise forms.ValidationError("Ответ заполнен не полностью: обновите страницу.")
    chosen = [_index(v, size, blank_allowed=True) for v in values]
    return None if all(c == UNANSWERED for c in chosen) else chosen


class AnswerForm(forms.Form):
    """One item's answer, posted as soon as it changes."""

    item = forms.ModelChoiceField(
        None, error_messages={"invalid_choice": "Такого задания нет в вашем варианте."}
    )

    def __init__(self, *args, attempt, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = attempt.variant.items.all()

    def clean(self):
        item = self.cleaned_data.get("item")
        if item is not None:
            self.cleaned_data["response"] = response_from_values(item, self.data.getlist("value"))
        return self.cleaned_data


def questions(rows) -> list[Question]:
    """Questions from selectors.attempt_questions."""
    return [
        Question(
            row.position,
            row.item,
            answer.response if answer else None,
            answer.saved_at if answer else None,
        )
        for row, answer in rows
    ]
