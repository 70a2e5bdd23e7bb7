"""Forms of the mentoring pages. They check formats; who may do what is decided by services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.itembank.models import CompetencyArea
from nms.mentoring.models import (
    Curator,
    DocumentKind,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    Pair,
)
from nms.registry.models import Subject
from nms.registry.selectors import search_people

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
    """Person fields look in the user's people; organization and municipality choices are the
    user's."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        for name, field in self.fields.items():
            if isinstance(field, PersonField):
                field.people = scope.people()
            elif name in ("organization", "base"):
                field.queryset = scope.organizations().only("id", "short_name")
            elif name == "municipality":
                field.queryset = scope.municipalities()


class ProfileForm(ScopedModelForm):
    person = PersonField(label="Наставник")
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.all(), required=False, label="Предметы"
    )
    areas = forms.ModelMultipleChoiceField(
        CompetencyArea.objects.all(), required=False, label="Сильные стороны"
    )

    class Meta:
        model = MentorProfile
        fields = [
            "person",
            "subjects",
            "areas",
            "mentoring_years",
            "experience",
            "capacity",
            "offers_teacher",
            "offers_manager",
            "offers_team",
            "across_organizations",
            "across_municipalities",
            "active",
            "public",
        ]
        widgets = {"experience": TEXTAREA}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        scope = scope_of(user)
        if self.instance.pk or not scope.can("mentoring.manage"):
            del self.fields["person"]  # one's own profile, or a profile kept for its person
        if not scope.can("mentoring.manage"):
            del self.fields["public"]


class RequestForm(forms.Form):
    form = forms.ChoiceField(label="Форма наставничества", choices=MentoringForm.choices)
    goals = forms.CharField(label="Цели и ожидания", widget=TEXTAREA, required=False)

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        if profile is not None:
            self.fields["form"].choices = [(f, MentoringForm(f).label) for f in profile.forms]


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label="Ответ (при отказе)", widget=TEXTAREA, required=False)


class PairForm(forms.ModelForm):
    class Meta:
        model = Pair
        fields = ["goals", "ends_on", "outcome"]
        field_classes = {"ends_on": DateField}
        widgets = {"goals": TEXTAREA, "outcome": TEXTAREA}


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = DateField(label="Дата завершения")
    outcome = forms.CharField(label="Результат", widget=TEXTAREA, required=False)
    reason = forms.CharField(label="Причина досрочного завершения", widget=TEXTAREA, required=False)


class MeetingForm(forms.Form):
    held_on = DateField(label="Дата встречи")
    topic = forms.CharField(label="Тема", max_length=300)
    notes = forms.CharField(label="Итоги", widget=TEXTAREA, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Документ", choices=DocumentKind.choices)
    file = forms.FileField(label="Файл")


class ProgramForm(ScopedModelForm):
    curator = PersonField(label="Куратор наставничества в ОО", required=False)

    class Meta:
        model = MentoringProgram
        fields = ["organization", "title", "curator", "starts_on", "ends_on", "order"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}


class CuratorForm(ScopedModelForm):
    person = PersonField(label="Куратор")

    class Meta:
        model = Curator
        fields = ["person", "level", "municipality", "organization", "starts_on", "ends_on"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}


class SchoolForm(ScopedModelForm):
    class Meta:
        model = MentoringSchool
        fields = ["municipality", "name", "base", "founded_on", "closed_on"]
        field_classes = {"founded_on": DateField, "closed_on": DateField}


class RegistryFilterForm(forms.Form):
    """The public registry's search: words of the name, subject, area, municipality."""

    q = forms.CharField(label="ФИО наставника", required=False, max_length=100)
    subject = forms.ModelChoiceField(
        Subject.objects.all(), required=False, label="Предмет", empty_label="все"
    )
    area = forms.ModelChoiceField(
        CompetencyArea.objects.all(), required=False, label="Сильная сторона", empty_label="все"
    )
    municipality = forms.ModelChoiceField(
        None, required=False, label="Муниципалитет", empty_label="все"
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
