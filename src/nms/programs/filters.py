"""Filter sets of the programmes lists (pages and API alike)."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import (
    ById,
    IdFilter,
    YesNoFilter,
    municipality_choices,
    organization_choices,
)
from nms.common.text import search_key
from nms.common.widgets import FastSelect
from nms.itembank.models import CompetencyArea
from nms.programs import selectors
from nms.programs.models import (
    Audience,
    Enrollment,
    EnrollmentStatus,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    Run,
    Topic,
)
from nms.registry.models import Subject


class ProgrammeFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование, номер в ФР ДПП)", method="filter_query")
    kind = df.ChoiceFilter(empty_label="все", label="Вид", choices=ProgrammeKind.choices)
    format = df.ChoiceFilter(
        empty_label="все", label="Форма реализации", choices=ProgrammeFormat.choices
    )
    in_federal_registry = YesNoFilter(label="В ФР ДПП")
    topic = df.ChoiceFilter(
        empty_label="все", label="Тема", choices=Topic.choices, method="filter_topic"
    )
    area = df.ModelChoiceFilter(
        empty_label="все",
        label="Область компетенций",
        field_name="areas",
        queryset=CompetencyArea.objects.all(),
    )
    subject = df.ModelChoiceFilter(
        empty_label="все", label="Предмет", field_name="subjects", queryset=Subject.objects.all()
    )
    provider = df.ModelChoiceFilter(
        empty_label="все",
        label="Организация-разработчик",
        queryset=organization_choices,
        widget=FastSelect,
    )
    audience = df.ChoiceFilter(empty_label="все", label="Слушатели", choices=Audience.choices)
    status = df.ChoiceFilter(empty_label="все", label="Состояние", choices=ProgrammeStatus.choices)

    class Meta:
        model = Programme
        fields = []

    def filter_query(self, queryset, name, value):
        return selectors.search_programmes(queryset, value) if value else queryset

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        # A JSON list of codes: the code in quotes is in its text (both databases alike).
        return queryset.filter(topics__icontains=f'"{value}"')


class RunFilterSet(df.FilterSet):
    programme = IdFilter(field_name="programme_id", label="Программа (id)")
    starts_after = df.DateFilter(field_name="starts_on", lookup_expr="gte", label="Начало с")
    starts_before = df.DateFilter(field_name="starts_on", lookup_expr="lte", label="Начало по")
    online = YesNoFilter(label="Дистанционно")

    class Meta:
        model = Run
        fields = []


class EnrollmentFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, программа, удостоверение)", method="filter_query")
    status = df.ChoiceFilter(empty_label="все", label="Состояние", choices=EnrollmentStatus.choices)
    programme = IdFilter(field_name="run__programme_id", label="Программа (id)")
    run = IdFilter(field_name="run_id", label="Поток (id)")
    person = IdFilter(field_name="person_id", label="Работник (id)")
    municipality = ById(
        df.ModelChoiceFilter(
            empty_label="все",
            label="Муниципалитет",
            queryset=municipality_choices,
            method="filter_municipality",
        )
    )
    in_federal_registry = YesNoFilter(
        label="Программа в ФР ДПП", field_name="run__programme__in_federal_registry"
    )
    chosen_from_diagnostics = YesNoFilter(label="Подобрана по диагностике")
    team = YesNoFilter(label="В составе команды", method="filter_team")
    completed_after = df.DateFilter(
        field_name="completed_on", lookup_expr="gte", label="Завершено с"
    )
    completed_before = df.DateFilter(
        field_name="completed_on", lookup_expr="lte", label="Завершено по"
    )

    class Meta:
        model = Enrollment
        fields = []

    def filter_query(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__search_text__contains=search_key(value))
            | Q(run__programme__title__icontains=value)
            | Q(certificate_number__iexact=value)
        )

    def filter_municipality(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(organization__municipality=value)

    def filter_team(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(team__isnull=not value)
