"""Filter pieces shared by every app's filter sets (list pages and API lists alike)."""

from collections.abc import Callable

import django_filters as df
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django_filters.fields import ChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from nms.accounts.scope import Scope, scope_of

YES_NO = [("true", "да"), ("false", "нет")]


class YesNoField(ChoiceField):
    def clean(self, value):
        value = super().clean(value)
        return None if value in (None, "") else value == "true"


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(df.ChoiceFilter):
    """A да/нет/все select whose value reaches the query (or the method) as a bool.

    The field cleans the value, so a `method` gets the bool too (django-filter replaces
    `filter` by the method, so overriding `filter` would not be enough).
    """

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("empty_label", "все")
        super().__init__(*args, **kwargs)


# -- ids in the query string ------------------------------------------------------------------
# The largest id any table may hold (a bigint): a greater number cannot name a row, and the
# databases refuse to compare with it (SQLite: OverflowError, PostgreSQL: DataError).
ID_MAX = 2**63 - 1
NOT_AN_ID = "Номер записи — целое положительное число (не больше 9223372036854775807)."


class IdField(forms.IntegerField):
    """An id typed in a query string: a whole number from 1 to ID_MAX, anything else — "abc",
    "1e20", "1.5", "-1", 99999999999999999999 — is a form error (400 in the API, the filter
    form's message on a page), never a query the database chokes on."""

    default_error_messages = {
        "invalid": NOT_AN_ID,
        "min_value": NOT_AN_ID,
        "max_value": NOT_AN_ID,
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = str(value).strip()
        if value not in self.empty_values and not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(NOT_AN_ID, code="invalid")
        return super().to_python(value)


def parse_id(value) -> int | None:
    """`value` as an id, or None when it is not one (not digits, 0, beyond ID_MAX)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(df.NumberFilter):
    """`?person=<id>`: a NumberFilter for an id — integers in the database's range only (a plain
    NumberFilter takes "1e20" as a decimal and the query overflows: a 500)."""

    field_class = IdField


class YearField(IdField):
    """A year typed in a query string (`?year=2025`): a whole number from 1900 to 2100, with the
    id's strictness (no "1e20", "1.5" or "-1") and a message of its own."""

    NOT_A_YEAR = "Год — целое число от 1900 до 2100."
    default_error_messages = {
        "invalid": NOT_A_YEAR,
        "min_value": NOT_A_YEAR,
        "max_value": NOT_A_YEAR,
    }

    def __init__(self, *args, **kwargs):
        kwargs["min_value"], kwargs["max_value"] = 1900, 2100
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(self.NOT_A_YEAR, code="invalid") from None


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(df.NumberFilter):
    """`?year=2025`: a year (1900–2100), never a query the database chokes on."""

    field_class = YearField


# A filter that goes through a method has no model field to tell the API schema the id's type:
# `ById(df.ModelChoiceFilter(..., method=...))` says it is an integer.
ById = extend_schema_field(OpenApiTypes.INT)


def scoped_choices(pick: Callable[[Scope], QuerySet], *only: str) -> Callable[[object], QuerySet]:
    """A `queryset=` callable for a ModelChoiceFilter: the choices are what the request's user
    may see, `pick(scope)`; none without a request (e.g. when the API schema is built)."""

    def choices(request) -> QuerySet:
        if request is None:
            return pick(scope_of(AnonymousUser())).none()
        queryset = pick(scope_of(request.user))
        return queryset.only(*only) if only else queryset

    return choices


municipality_choices = scoped_choices(lambda scope: scope.municipalities())
organization_choices = scoped_choices(lambda scope: scope.organizations(), "id", "short_name")
