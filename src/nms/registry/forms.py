"""Forms of the registry pages. They check field formats; rules live in services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.common.identifiers import inn_error, snils_error
from nms.registry.models import Employment, Organization, Person, Subject


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
            "snils",
            "education_level",
            "has_pedagogical_education",
            "email",
        ]
        field_classes = {"birth_date": DateField}

    def clean_snils(self):
        value = self.cleaned_data["snils"]
        if error := snils_error(value):
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        return value

    def validate_unique(self):
        """The service answers a taken СНИЛС: the same words for one outside the user's scope,
        whatever else was typed, so the page tells no more than the API."""
        exclude = {*self._get_validation_exclusions(), "snils"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "full_name",
            "short_name",
            "inn",
            "kind",
            "municipality",
            "is_low_results",
            "is_unfavourable",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = scope_of(user).editable_municipalities()

    def clean_inn(self):
        value = self.cleaned_data["inn"].strip()
        if error := inn_error(value):
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        return value


class EmploymentForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.all(), required=False, label="Предметы"
    )

    class Meta:
        model = Employment
        fields = [
            "organization",
            "position",
            "manager_kind",
            "subjects",
            "teaching_load",
            "is_part_time",
            "category",
            "category_date",
            "experience_years",
            "experience_as_of",
            "hire_date",
        ]
        field_classes = {
            "category_date": DateField,
            "experience_as_of": DateField,
            "hire_date": DateField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope_of(user).editable_organizations()
        self.fields["subjects"].widget.attrs["size"] = 8
        self.fields["experience_as_of"].help_text = "Дата, на которую указан стаж"
