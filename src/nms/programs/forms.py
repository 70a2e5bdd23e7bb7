"""Forms of the programmes pages. They check field formats; rules live in the services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.concurrency import VersionField
from nms.common.forms import DATE_WIDGET, DateField
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.widgets import FastSelect
from nms.programs.models import Programme, Run, Topic


class ProgrammeForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label="Темы", choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Programme
        fields = [
            "title", "kind", "hours", "format", "provider", "provider_name", "annotation",
            "in_federal_registry", "federal_number", "federal_since", "review_submitted_on",
            "review_outcome", "areas", "subcompetencies", "subjects", "audience", "topics",
            "origin", "status",
        ]  # fmt: skip
        field_classes = {"federal_since": DateField, "review_submitted_on": DateField}
        widgets = {
            "provider": FastSelect,
            "areas": forms.CheckboxSelectMultiple,
            "annotation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = scope_of(user).organizations().only("id", "short_name")


class RunForm(forms.ModelForm):
    tutor_snils = forms.CharField(
        label="СНИЛС тьютора (куратора)", required=False, help_text="000-000-000 00"
    )

    class Meta:
        model = Run
        fields = ["starts_on", "ends_on", "place", "online", "group_name"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and self.instance.tutor_id:
            self.fields["tutor_snils"].initial = self.instance.tutor.snils

    def clean(self):
        data = super().clean()
        text = (data.pop("tutor_snils", "") or "").strip()
        data["tutor"] = None
        if text:
            tutor = person_by_snils(self.user, text)
            if tutor is None:
                self.add_error("tutor_snils", "Работник с таким СНИЛС не найден в вашей области.")
            data["tutor"] = tutor
        return data


def person_by_snils(user, text: str):
    if snils_error(text):
        return None
    return scope_of(user).people().filter(snils=normalize_snils(text)).first()


class EnrollForm(forms.Form):
    snils = forms.CharField(label="СНИЛС работника", help_text="000-000-000 00")

    def clean_snils(self):
        value = self.cleaned_data["snils"].strip()
        if error := snils_error(value):
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        return normalize_snils(value)


class TeamForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Организация", queryset=None, widget=FastSelect, empty_label="— выберите —"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope_of(user).organizations()


class CompleteForm(forms.Form):
    certificate_number = forms.CharField(label="Номер удостоверения", max_length=100)
    completed_on = DateField(label="Дата удостоверения", widget=DATE_WIDGET)
    version = VersionField()


class DropForm(forms.Form):
    reason = forms.CharField(label="Причина отчисления", max_length=300, required=False)
    version = VersionField()
