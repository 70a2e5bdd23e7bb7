"""Filters of the monitoring lists (pages and API alike); every choice within the user's scope."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import municipality_choices, organization_choices
from nms.common.widgets import FastSelect
from nms.monitoring.models import Addressee, Decision, Recommendation


class RecommendationFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (текст, код показателя)", method="filter_query")
    status = df.ChoiceFilter(
        empty_label="все", label="Состояние", choices=Recommendation.Status.choices
    )
    addressee = df.ChoiceFilter(empty_label="все", label="Кому", choices=Addressee.choices)
    period = df.CharFilter(label="Период")
    municipality = df.ModelChoiceFilter(
        empty_label="все", label="Муниципалитет", queryset=municipality_choices
    )
    organization = df.ModelChoiceFilter(
        empty_label="все", label="Организация", queryset=organization_choices, widget=FastSelect
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_query(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(text__icontains=value) | Q(indicator__code__iexact=value))


class DecisionFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (решение, документ, ответственный)", method="filter_query")
    status = df.ChoiceFilter(empty_label="все", label="Состояние", choices=Decision.Status.choices)
    base_period = df.CharFilter(label="Базовый период")

    class Meta:
        model = Decision
        fields = []

    def filter_query(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(document__icontains=value)
            | Q(responsible__icontains=value)
        )
