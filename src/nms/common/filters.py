"""Filter pieces shared by every app's filter sets (list pages and API lists alike)."""

from collections.abc import Callable

import django_filters as df
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
