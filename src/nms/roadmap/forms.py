"""Forms of the roadmap pages. They check formats; who may do what is decided by services."""

from django import forms
from django.db.models import Q

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.monitoring.models import Indicator
from nms.roadmap.models import (
    Activity,
    Agreement,
    Direction,
    Document,
    Measure,
    Roadmap,
    Status,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class RoadmapForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "starts_year", "ends_year", "approved_on", "approved_by"]
        field_classes = {"approved_on": DateField}


class ActivityForm(forms.ModelForm):
    deadline_text = forms.CharField(
        label="Срок",
        max_length=500,
        help_text="Как в документе: «31.05.2025», «май 2025 года», «ежегодно», «июнь, ежегодно», "
        "«постоянно», «с 01.02.2025 по 31.03.2025», «в течение 2025, 2026 годов».",
    )

    class Meta:
        model = Activity
        fields = [
            "measure", "number", "title", "responsible_kind", "responsible_municipality",
            "responsible_organization", "responsible_text", "executors", "deadline_text",
            "result", "indicator", "target_value",
        ]  # fmt: skip
        widgets = {"title": TEXTAREA, "executors": TEXTAREA, "result": TEXTAREA}

    def __init__(self, *args, user, roadmap=None, **kwargs):
        super().__init__(*args, **kwargs)
        roadmap = roadmap or self.instance.roadmap
        scope = scope_of(user)
        self.fields["measure"].queryset = Measure.objects.filter(
            direction__roadmap=roadmap
        ).select_related("direction")
        self.fields["responsible_municipality"].queryset = scope.municipalities().filter(
            region=roadmap.region_id
        )
        self.fields["responsible_organization"].queryset = (
            scope.organizations().filter(region=roadmap.region_id).only("id", "short_name")
        )
        self.fields["indicator"].queryset = Indicator.objects.filter(
            Q(region__isnull=True) | Q(region=roadmap.region_id)
        ).order_by("indicator_set", "code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name[:80]}"


class DirectionForm(forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["number", "title"]


class MeasureForm(forms.ModelForm):
    """A new measure of a roadmap, or a measure edited (it may move to another direction of its
    roadmap)."""

    class Meta:
        model = Measure
        fields = ["direction", "number", "title"]
        widgets = {"title": TEXTAREA}

    def __init__(self, *args, user, roadmap=None, **kwargs):
        super().__init__(*args, **kwargs)
        roadmap = roadmap or self.instance.direction.roadmap
        self.fields["direction"].queryset = roadmap.directions.order_by("number")


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Статус", choices=Status.choices)
    done_on = DateField(label="Дата выполнения", required=False)
    evidence = forms.CharField(label="Подтверждение", widget=TEXTAREA, required=False)
    links = forms.CharField(
        label="Ссылки", widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text="По одной на строке, http(s)://…",
    )  # fmt: skip
    file = forms.FileField(label="Файл подтверждения", required=False)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "kind", "number", "subject", "municipality", "organizations", "partner", "signed_on",
            "valid_from", "valid_to", "file",
        ]  # fmt: skip
        widgets = {"subject": TEXTAREA}
        field_classes = {"signed_on": DateField, "valid_from": DateField, "valid_to": DateField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organizations"].queryset = scope.organizations().only("id", "short_name")


class DocumentForm(forms.ModelForm):
    file = forms.FileField(label="Файл (первая редакция)", required=False)
    version_note = forms.CharField(label="Примечание к редакции", max_length=500, required=False)

    class Meta:
        model = Document
        fields = [
            "kind", "title", "number", "adopted_on", "repealed_on", "level", "municipality",
            "organization", "published",
        ]  # fmt: skip
        field_classes = {"adopted_on": DateField, "repealed_on": DateField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        if self.instance.pk:
            del self.fields["file"]
            del self.fields["version_note"]


class VersionForm(forms.Form):
    file = forms.FileField(label="Файл редакции")
    dated = DateField(label="Дата редакции")
    note = forms.CharField(label="Примечание", max_length=500, required=False)
