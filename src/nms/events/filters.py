"""Filters of the events lists (pages and API alike); every choice limited to the user's scope."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import (
    ById,
    IdFilter,
    YesNoFilter,
    municipality_choices,
    organization_choices,
)
from nms.common.forms import DateField
from nms.common.text import search_tokens
from nms.common.widgets import FastSelect
from nms.events.models import (
    Event,
    EventKind,
    EventLevel,
    Internship,
    InternshipSite,
    Participation,
    ParticipationRole,
    Stage,
    Topic,
)
from nms.itembank.models import CompetencyArea


class DateFilter(df.DateFilter):
    field_class = DateField


def _tokens(queryset, fields, value):
    for token in search_tokens(value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__contains": token})
        queryset = queryset.filter(condition)
    return queryset


def _topic(queryset, field, value):
    """Rows whose JSON list of topics holds `value` (both databases: the code's quoted text)."""
    if not value:
        return queryset
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


class EventFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование, организатор)", method="filter_query")
    kind = df.ChoiceFilter(empty_label="все", label="Вид", choices=EventKind.choices)
    level = df.ChoiceFilter(empty_label="все", label="Уровень", choices=EventLevel.choices)
    topic = df.ChoiceFilter(
        empty_label="все", label="Тема", choices=Topic.choices, method="filter_topic"
    )
    area = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Компетенция",
            queryset=CompetencyArea.objects.order_by("order", "id"),
            field_name="areas",
        )
    )
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            method="filter_municipality",
        )
    )
    organizer = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Организатор",
            queryset=organization_choices,
            widget=FastSelect,
        )
    )
    starts_from = DateFilter(label="Начало с", field_name="starts_on", lookup_expr="gte")
    starts_to = DateFilter(label="Начало по", field_name="starts_on", lookup_expr="lte")
    horizontal_learning = YesNoFilter(label="Горизонтальное обучение")
    burnout_prevention = YesNoFilter(label="Профилактика выгорания")
    for_low_results = YesNoFilter(label="Для ОО с низкими результатами")

    class Meta:
        model = Event
        fields = []

    def filter_query(self, queryset, name, value):
        return _tokens(queryset, ["search_text"], value)

    def filter_topic(self, queryset, name, value):
        return _topic(queryset, "topics", value)

    def filter_municipality(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(municipality=value) | Q(organizer__municipality=value))


class ParticipationFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС, мероприятие)", method="filter_query")
    event = IdFilter(label="Мероприятие (номер)", field_name="event_id")
    role = df.ChoiceFilter(empty_label="все", label="Роль", choices=ParticipationRole.choices)
    stage = df.ChoiceFilter(empty_label="все", label="Этап конкурса", choices=Stage.choices)
    kind = df.ChoiceFilter(
        empty_label="все", label="Вид мероприятия", choices=EventKind.choices,
        field_name="event__kind",
    )  # fmt: skip
    level = df.ChoiceFilter(
        empty_label="все", label="Уровень", choices=EventLevel.choices, field_name="event__level"
    )
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            field_name="organization__municipality",
        )
    )
    organization = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Организация",
            queryset=organization_choices,
            widget=FastSelect,
        )
    )
    starts_from = DateFilter(
        label="Мероприятие с", field_name="event__starts_on", lookup_expr="gte"
    )
    starts_to = DateFilter(label="Мероприятие по", field_name="event__starts_on", lookup_expr="lte")

    class Meta:
        model = Participation
        fields = []

    def filter_query(self, queryset, name, value):
        return _tokens(queryset, ["person__search_text", "event__search_text"], value)


class SiteFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (организация)", method="filter_query")
    topic = df.ChoiceFilter(
        empty_label="все", label="Тема", choices=Topic.choices, method="filter_topic"
    )
    area = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Компетенция",
            queryset=CompetencyArea.objects.order_by("order", "id"),
            field_name="areas",
        )
    )
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            field_name="organization__municipality",
        )
    )
    active_on = DateFilter(label="Действует на дату", method="filter_active")

    class Meta:
        model = InternshipSite
        fields = []

    def filter_query(self, queryset, name, value):
        return _tokens(queryset, ["organization__search_text"], value)

    def filter_topic(self, queryset, name, value):
        return _topic(queryset, "topics", value)

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class InternshipFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС, площадка)", method="filter_query")
    site = IdFilter(label="Площадка (номер)", field_name="site_id")
    completed = YesNoFilter(label="Завершена")
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            field_name="organization__municipality",
        )
    )
    starts_from = DateFilter(label="Начало с", field_name="starts_on", lookup_expr="gte")
    starts_to = DateFilter(label="Начало по", field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Internship
        fields = []

    def filter_query(self, queryset, name, value):
        return _tokens(queryset, ["person__search_text", "site__organization__search_text"], value)
