"""The form of the passport page: the region (when the user sees several) and the period."""

from datetime import date

from django import forms

from nms.common.forms import DateField
from nms.exchange.services import check_period, regions_for
from nms.registry.models import Region


class PassportForm(forms.Form):
    region = forms.ModelChoiceField(label="Регион", queryset=Region.objects.none())
    starts_on = DateField(label="Начало периода")
    ends_on = DateField(label="Окончание периода")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_for(user).order_by("name")
        self.fields["region"].queryset = regions
        first = regions.first()
        if first is not None:
            self.fields["region"].initial = first.pk
        if regions.count() == 1:
            self.fields["region"].widget = forms.HiddenInput()
        year = date.today().year - 1
        self.fields["starts_on"].initial = date(year, 1, 1)
        self.fields["ends_on"].initial = date(year, 12, 31)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on"):
            try:
                check_period(data["starts_on"], data["ends_on"])
            except forms.ValidationError as error:
                self.add_error("ends_on", error)
        return data
