"""Forms of the support pages. They check formats; who may do what is decided by services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.common.widgets import FastSelect
from nms.registry.models import Subject
from nms.registry.selectors import search_people
from nms.support.models import (
    ActFormat,
    ActiveLevel,
    ActiveRole,
    ActKind,
    Basis,
    ExpertKind,
    ExpertLevel,
    ExpertRank,
    RequesterKind,
    Urgency,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PersonLookupField(forms.CharField):
    """A worker named by СНИЛС or ФИО, found among those the user sees (exactly one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Работник (СНИЛС или ФИО)")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", "Должен найтись ровно один работник из вашей области доступа."
        )
        super().__init__(**kwargs)


def _find_person(user, text):
    found = list(search_people(scope_of(user).people(), text)[:2])
    if not found:
        raise forms.ValidationError("Работник не найден в вашей области доступа.")
    if len(found) > 1:
        raise forms.ValidationError("Найдено несколько работников: уточните ФИО или СНИЛС.")
    return found[0]


class UserForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self):
        text = self.cleaned_data.get("person")
        return _find_person(self.user, text) if text else None


class MembershipForm(UserForm):
    person = PersonLookupField()
    role = forms.ChoiceField(label="Роль", choices=ActiveRole.choices)
    level = forms.ChoiceField(label="Актив", choices=ActiveLevel.choices)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=None, required=False, empty_label="—"
    )
    starts_on = DateField(label="Начало")
    ends_on = DateField(label="Окончание", required=False)
    subjects = forms.ModelMultipleChoiceField(
        label="Предметы", queryset=Subject.objects.all(), required=False
    )
    specialisations = forms.CharField(label="Специализации", max_length=500, required=False)
    basis = forms.ChoiceField(label="Основание работы", choices=Basis.choices)
    order_number = forms.CharField(label="Номер приказа", max_length=50, required=False)
    order_date = DateField(label="Дата приказа", required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "role": instance.role, "level": instance.level,
                "municipality": instance.municipality_id, "starts_on": instance.starts_on,
                "ends_on": instance.ends_on, "subjects": list(instance.subjects.all()),
                "specialisations": instance.specialisations, "basis": instance.basis,
                "order_number": instance.order_number, "order_date": instance.order_date,
            }  # fmt: skip
        super().__init__(*args, user=user, **kwargs)
        self.fields["municipality"].queryset = scope_of(user).municipalities()
        if instance is not None:
            del self.fields["person"]


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    order_number = forms.CharField(label="Номер приказа", max_length=50, required=False)
    order_date = DateField(label="Дата приказа", required=False)


class EndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = DateField(label="Дата выбытия")


class CaseloadForm(UserForm):
    methodist = forms.ModelChoiceField(label="Региональный методист", queryset=None)
    person = PersonLookupField(label="Педагог (СНИЛС или ФИО)")

    def __init__(self, *args, user, methodists, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["methodist"].queryset = methodists


class RequestForm(forms.Form):
    requester_kind = forms.ChoiceField(label="От кого", choices=RequesterKind.choices)
    organization = forms.ModelChoiceField(
        label="Организация", queryset=None, required=False, empty_label="—", widget=FastSelect
    )
    subject = forms.ModelChoiceField(
        label="Предмет", queryset=Subject.objects.all(), required=False, empty_label="—"
    )
    topic = forms.CharField(label="Тема", max_length=300)
    question = forms.CharField(label="Вопрос", widget=TEXTAREA)
    urgency = forms.ChoiceField(label="Срочность", choices=Urgency.choices)
    attachment = forms.FileField(label="Вложение", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        if scope.can("support.manage_actives") or scope.has("school", "municipal"):
            self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        else:
            del self.fields["organization"]
            self.fields["requester_kind"].choices = [
                (RequesterKind.TEACHER.value, RequesterKind.TEACHER.label)
            ]


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label="Ответ", widget=TEXTAREA)


class ActForm(UserForm):
    kind = forms.ChoiceField(label="Вид", choices=ActKind.choices)
    held_on = DateField(label="Дата")
    format = forms.ChoiceField(label="Формат", choices=ActFormat.choices)
    person = PersonLookupField(label="Кому: работник (СНИЛС или ФИО)", required=False)
    organization = forms.ModelChoiceField(
        label="Кому: организация", queryset=None, required=False, empty_label="—", widget=FastSelect
    )
    for_team = forms.BooleanField(label="Управленческой команде организации", required=False)
    topic = forms.CharField(label="Тема", max_length=300)
    notes = forms.CharField(label="Содержание, итог", widget=TEXTAREA, required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": instance.kind, "held_on": instance.held_on, "format": instance.format,
                "person": instance.person.snils if instance.person else "",
                "organization": instance.organization_id, "for_team": instance.for_team,
                "topic": instance.topic, "notes": instance.notes,
            }  # fmt: skip
        super().__init__(*args, user=user, **kwargs)
        self.fields["organization"].queryset = (
            scope_of(user).organizations().only("id", "short_name")
        )


class ExpertForm(UserForm):
    person = PersonLookupField()
    kind = forms.ChoiceField(label="Вид экспертизы", choices=ExpertKind.choices)
    level = forms.ChoiceField(label="Уровень", choices=ExpertLevel.choices)
    subject = forms.ModelChoiceField(
        label="Предмет", queryset=Subject.objects.all(), required=False, empty_label="—"
    )
    rank = forms.ChoiceField(label="Статус в комиссии", choices=ExpertRank.choices, required=False)
    starts_on = DateField(label="Начало")
    ends_on = DateField(label="Окончание", required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": instance.kind, "level": instance.level, "subject": instance.subject_id,
                "rank": instance.rank, "starts_on": instance.starts_on,
                "ends_on": instance.ends_on,
            }  # fmt: skip
        super().__init__(*args, user=user, **kwargs)
        if instance is not None:
            del self.fields["person"]
