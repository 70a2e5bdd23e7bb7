"""Forms of the staffing pages. They check formats; who may do what and the rules are the
services'."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.common.widgets import FastSelect
from nms.registry.models import Subject
from nms.registry.selectors import search_people
from nms.staffing.access import EDITORS
from nms.staffing.models import (
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PersonField(forms.CharField):
    """A worker of the user's scope typed as СНИЛС or ФИО: exactly one must be found."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "СНИЛС или ФИО: должен найтись ровно один работник.")
        super().__init__(*args, **kwargs)
        self.people = None

    def prepare_value(self, value):
        if hasattr(value, "snils"):
            return value.snils
        if isinstance(value, int) and self.people is not None:
            person = self.people.filter(pk=value).first()
            return person.snils if person else ""
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = list(search_people(self.people, value)[:2])
        if not found:
            raise forms.ValidationError("Работник не найден в вашей области доступа.")
        if len(found) > 1:
            raise forms.ValidationError("Найдено несколько работников: уточните ФИО или СНИЛС.")
        return found[0]


class ScopedModelForm(forms.ModelForm):
    """Organization and municipality choices are those the user may edit; person fields look
    among the user's people."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editors = scope_of(user).restricted_to(EDITORS)
        for name, field in self.fields.items():
            if isinstance(field, PersonField):
                field.people = editors.people()
            elif name == "organization":
                field.queryset = editors.organizations().only("id", "short_name")
                field.widget = FastSelect(choices=field.widget.choices)
            elif name == "municipality":
                field.queryset = editors.municipalities()


class ScheduleForm(ScopedModelForm):
    class Meta:
        model = StaffSchedule
        fields = ["organization", "year", "approved_on", "note"]
        field_classes = {"approved_on": DateField}
        widgets = {"note": TEXTAREA}


class RowForm(forms.ModelForm):
    class Meta:
        model = ScheduleRow
        fields = ["position", "subject", "rates", "filled"]
        localized_fields = ["rates", "filled"]  # 1,5 as typed in Russian


class VacancyForm(ScopedModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "organization", "position", "subject", "rates", "load_hours", "requirements",
            "conditions", "published", "opened_on", "closed_on",
        ]  # fmt: skip
        field_classes = {"opened_on": DateField, "closed_on": DateField}
        widgets = {"requirements": TEXTAREA, "conditions": TEXTAREA}
        localized_fields = ["rates", "load_hours"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        opened_on = self.fields["opened_on"]
        opened_on.required = False
        opened_on.help_text = "Без даты — сегодня."


class DiplomaForm(ScopedModelForm):
    person = PersonField(label="Работник")

    class Meta:
        model = Diploma
        fields = [
            "person", "level", "institution", "year", "specialty", "qualification",
            "is_pedagogical",
        ]  # fmt: skip


class SpecialtyForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.all(),
        required=False,
        label="Даёт право преподавать предметы",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Specialty
        fields = ["code", "name", "is_pedagogical", "subjects"]


class ContractForm(ScopedModelForm):
    person = PersonField(
        label="Выпускник в реестре (после трудоустройства)",
        required=False,
        help_text="СНИЛС или ФИО принятого на работу выпускника: его место работы берётся из "
        "реестра (в организации-заказчике, если он работает там).",
    )

    class Meta:
        model = TargetContract
        fields = [
            "municipality", "organization", "number", "student_name", "institution",
            "specialty", "signed_on", "study_ends_on", "graduated_on", "status", "person",
            "employed_on",
        ]  # fmt: skip
        field_classes = {
            "signed_on": DateField,
            "study_ends_on": DateField,
            "graduated_on": DateField,
            "employed_on": DateField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organization"].required = False


class ClassForm(ScopedModelForm):
    class Meta:
        model = PedagogicalClass
        fields = ["organization", "year", "grade", "profile", "pupils", "partner"]


class PublicVacancyFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=200)
    municipality = forms.ModelChoiceField(None, required=False, label="Муниципалитет")
    subject = forms.ModelChoiceField(None, required=False, label="Предмет")

    def __init__(self, *args, municipalities, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["subject"].queryset = subjects
        self.fields["municipality"].empty_label = "все"
        self.fields["subject"].empty_label = "все"
