"""Filter sets of the students' results list (pages and API alike)."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import (
    ById,
    IdFilter,
    YearFilter,
    municipality_choices,
    organization_choices,
)
from nms.common.text import search_tokens
from nms.outcomes.models import ResultKind, StudentResult
from nms.registry.models import Subject


class StudentResultFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (учитель, СНИЛС, класс)", method="filter_q")
    school_year = YearFilter(label="Учебный год (год начала)", field_name="school_year")
    kind = df.ChoiceFilter(
        choices=ResultKind.choices, empty_label="все", label="Оценочная процедура"
    )
    subject = ById(
        df.ModelChoiceFilter(
            queryset=Subject.objects.order_by("name"), empty_label="все", label="Предмет"
        )
    )
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            method="filter_municipality",
        )
    )
    organization = ById(
        df.ModelChoiceFilter(queryset=organization_choices, empty_label="все", label="Организация")
    )
    teacher = IdFilter(label="Учитель (id)", field_name="teacher_id")

    class Meta:
        model = StudentResult
        fields = ["q", "school_year", "kind", "subject", "municipality", "organization", "teacher"]

    def filter_q(self, queryset, name, value):
        for token in search_tokens(value):
            queryset = queryset.filter(
                Q(teacher__search_text__contains=token) | Q(group_label__icontains=token)
            )
        return queryset

    def filter_municipality(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(organization__municipality=value)
