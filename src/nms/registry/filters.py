"""Filter sets shared by the list pages and the API lists."""

import re

import django_filters as df

from nms.common.filters import (
    ById,
    IdFilter,
    YesNoFilter,
    municipality_choices,
    organization_choices,
)
from nms.common.identifiers import snils_digits
from nms.common.widgets import FastSelect
from nms.registry import selectors
from nms.registry.models import (
    Category,
    Employment,
    ManagerKind,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Subject,
)

SNILS_LIKE = re.compile(r"[\d\s-]+")


def looks_like_snils(text: str) -> bool:
    """A search that is a СНИЛС: 11 digits, with or without separators (spaces, dashes)."""
    text = (text or "").strip()
    return bool(SNILS_LIKE.fullmatch(text)) and len(snils_digits(text)) == 11


# The people filters below go through a method, so the API schema is told the id's type (ById).
class PersonFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_query")
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            method="filter_employment",
        )
    )
    organization = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Организация",
            queryset=organization_choices,
            method="filter_employment",
            widget=FastSelect,  # a region's thousands of organizations
        )
    )
    kind = df.ChoiceFilter(
        empty_label="все",
        label="Тип организации",
        choices=OrganizationKind.choices,
        method="filter_employment",
    )
    position = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Должность",
            queryset=Position.objects.all(),
            method="filter_employment",
        )
    )
    subject = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Предмет",
            queryset=Subject.objects.all(),
            method="filter_employment",
        )
    )
    category = df.ChoiceFilter(
        empty_label="все", label="Категория", choices=Category.choices, method="filter_employment"
    )
    young = YesNoFilter(label="Молодой педагог", method="filter_employment")
    manager = YesNoFilter(label="Руководитель", method="filter_employment")
    has_results = YesNoFilter(label="Есть результаты диагностики", method="filter_related")
    has_route = YesNoFilter(label="Есть ИОМ", method="filter_related")

    class Meta:
        model = Person
        fields = []

    def filter_query(self, queryset, name, value):
        if looks_like_snils(value):  # the whole number, not its groups one by one
            value = snils_digits(value)
        return selectors.search_people(queryset, value)

    def filter_employment(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return selectors.filter_people(queryset, **{name: value})

    def filter_related(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return selectors.filter_people_having(queryset, **{name: value})


class OrganizationFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование, ИНН)", method="filter_query")
    municipality = df.ModelChoiceFilter(
        empty_label="все", label="Муниципалитет", queryset=municipality_choices
    )
    kind = df.ChoiceFilter(empty_label="все", label="Тип", choices=OrganizationKind.choices)
    is_low_results = YesNoFilter(label="ШНОР")
    is_unfavourable = YesNoFilter(label="Неблагоприятные условия")

    class Meta:
        model = Organization
        fields = []

    def filter_query(self, queryset, name, value):
        return selectors.search_organizations(queryset, value)


class EmploymentFilterSet(df.FilterSet):
    person = IdFilter(field_name="person_id", label="Работник (id)")
    organization = df.ModelChoiceFilter(
        empty_label="все", label="Организация", queryset=organization_choices, widget=FastSelect
    )
    municipality = df.ModelChoiceFilter(
        empty_label="все",
        label="Муниципалитет",
        field_name="organization__municipality",
        queryset=municipality_choices,
    )
    position = df.ModelChoiceFilter(
        empty_label="все", label="Должность", queryset=Position.objects.all()
    )
    subject = df.ModelChoiceFilter(
        empty_label="все", label="Предмет", field_name="subjects", queryset=Subject.objects.all()
    )
    category = df.ChoiceFilter(empty_label="все", label="Категория", choices=Category.choices)
    manager_kind = df.ChoiceFilter(
        empty_label="все", label="Руководящая должность", choices=ManagerKind.choices
    )
    is_part_time = YesNoFilter(label="Совместитель")

    class Meta:
        model = Employment
        fields = []
