"""Forms of the events pages. They check formats; the rules live in the services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.widgets import FastSelect
from nms.events.models import Event, Internship, InternshipSite, Participation, Topic
from nms.itembank.models import CompetencyArea


class TopicsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Topic.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Темы")
        super().__init__(**kwargs)


def _areas_field():
    return forms.ModelMultipleChoiceField(
        CompetencyArea.objects.order_by("order", "id"),
        required=False,
        label="Компетенции (направления)",
        widget=forms.CheckboxSelectMultiple,
    )


class EventForm(forms.ModelForm):
    topics = TopicsField()
    areas = _areas_field()

    class Meta:
        model = Event
        fields = [
            "title", "kind", "level", "starts_on", "ends_on", "organizer", "organizer_name",
            "municipality", "place", "online", "description", "topics", "areas", "nominations",
            "horizontal_learning", "burnout_prevention", "for_low_results",
        ]  # fmt: skip
        field_classes = {"starts_on": DateField, "ends_on": DateField}
        widgets = {
            "organizer": FastSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "nominations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["organizer"].queryset = scope.organizations().only("id", "short_name")
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["nominations"].help_text = "только для конкурса; по одной в строке"


class PersonBySnilsField(forms.CharField):
    """A worker named by СНИЛС, among the people the user sees."""

    def __init__(self, *, people=None, **kwargs):
        kwargs.setdefault("label", "СНИЛС работника")
        kwargs.setdefault("help_text", "000-000-000 00")
        self.people = people
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if error := snils_error(value):
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        person = self.people.filter(snils=normalize_snils(value)).first()
        if person is None:
            raise forms.ValidationError("Работник с таким СНИЛС не найден среди ваших работников.")
        return person


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["role", "stage", "nomination"]

    def __init__(self, *args, user, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        event = event or self.instance.event
        if self.instance.pk is None:
            people = scope_of(user).people()
            self.fields = {"person": PersonBySnilsField(people=people), **self.fields}
        if event is not None and not event.is_contest:
            del self.fields["stage"]
            del self.fields["nomination"]
        elif event is not None and event.nomination_list:
            choices = [("", "—")] + [(n, n) for n in event.nomination_list]
            self.fields["nomination"] = forms.ChoiceField(
                choices=choices, required=False, label="Номинация"
            )


class InternshipSiteForm(forms.ModelForm):
    topics = TopicsField()
    areas = _areas_field()

    class Meta:
        model = InternshipSite
        fields = [
            "organization", "starts_on", "ends_on", "order_number", "order_date", "programmes",
            "programmes_updated_on", "topics", "areas",
        ]  # fmt: skip
        field_classes = {
            "starts_on": DateField,
            "ends_on": DateField,
            "order_date": DateField,
            "programmes_updated_on": DateField,
        }
        widgets = {"organization": FastSelect, "programmes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")


class InternshipForm(forms.ModelForm):
    class Meta:
        model = Internship
        fields = ["programme", "starts_on", "ends_on", "completed"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}

    def __init__(self, *args, user, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        site = site or getattr(self.instance, "site", None)
        if self.instance.pk is None:
            people = scope_of(user).people()
            self.fields = {"person": PersonBySnilsField(people=people), **self.fields}
        if site is not None and site.programme_list:
            choices = [("", "—")] + [(p, p) for p in site.programme_list]
            self.fields["programme"] = forms.ChoiceField(
                choices=choices, required=False, label="Программа стажировки"
            )
