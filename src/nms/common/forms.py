"""Form pieces shared by every app's pages."""

import re

from django import forms

# Dates are typed and shown as ДД.ММ.ГГГГ, the day and the month with two digits each.
DATE_WIDGET = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "ДД.ММ.ГГГГ"})
STRICT_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
DATE_FORMAT_MESSAGE = (
    "Введите правильную дату. Формат — ДД.ММ.ГГГГ (день и месяц двумя цифрами), "
    "например 04.03.1985."
)


class DateField(forms.DateField):
    """A date typed as ДД.ММ.ГГГГ only: `4.3.1985` is refused (strptime alone would take it).

    Use it for a model's date field with `Meta.field_classes = {"name": DateField}`.
    """

    widget = DATE_WIDGET
    default_error_messages = {"invalid": DATE_FORMAT_MESSAGE}

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not STRICT_DATE.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
