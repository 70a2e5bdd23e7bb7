"""Form pieces shared by every app's pages."""

from django import forms

# Dates are typed and shown as ДД.ММ.ГГГГ.
DATE_WIDGET = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "ДД.ММ.ГГГГ"})
