"""Filter sets of the staffing lists (pages and API alike); search folds ё into е."""

from datetime import date

import django_filters as df
from django.db.models import Q

from nms.common.filters import (
    ById,
    YearFilter,
    YesNoFilter,
    municipality_choices,
    organization_choices,
)
from nms.common.text import search_tokens
from nms.registry.models import Position, Subject
from nms.staffing.models import (
    ClassProfile,
    ContractStatus,
    Diploma,
    DiplomaLevel,
    PedagogicalClass,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)


def _words(queryset, paths, text):
    for token in search_tokens(text):
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__contains": token})
        queryset = queryset.filter(condition)
    return queryset


def _municipality_filter():
    return ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            field_name="organization__municipality",
        )
    )


def _organization_filter():
    return ById(
        df.ModelChoiceFilter(queryset=organization_choices, empty_label="все", label="Организация")
    )


class ScheduleFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (организация, ИНН)", method="filter_q")
    year = YearFilter(label="Учебный год (год начала)")
    municipality = _municipality_filter()
    organization = _organization_filter()

    class Meta:
        model = StaffSchedule
        fields = ["q", "year", "municipality", "organization"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, ("organization__search_text",), value)


class VacancyFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (организация, должность, предмет)", method="filter_q")
    published = YesNoFilter(label="Опубликована")
    open = YesNoFilter(label="Открыта", method="filter_open")
    municipality = _municipality_filter()
    organization = _organization_filter()
    position = ById(
        df.ModelChoiceFilter(queryset=Position.objects.all(), empty_label="все", label="Должность")
    )
    subject = ById(
        df.ModelChoiceFilter(queryset=Subject.objects.all(), empty_label="все", label="Предмет")
    )

    class Meta:
        model = Vacancy
        fields = ["q", "published", "open", "municipality", "organization", "position", "subject"]

    def filter_q(self, queryset, name, value):
        for token in search_tokens(value):
            queryset = queryset.filter(
                Q(organization__search_text__contains=token)
                | Q(position__name__contains=token)
                | Q(subject__name__contains=token)
            )
        return queryset

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        today = date.today()
        is_open = Q(closed_on__isnull=True) | Q(closed_on__gte=today)
        return queryset.filter(is_open if value else ~is_open)


class DiplomaFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_q")
    level = df.ChoiceFilter(choices=DiplomaLevel.choices, empty_label="все", label="Уровень")
    specialty = ById(
        df.ModelChoiceFilter(
            queryset=Specialty.objects.all(), empty_label="все", label="Специальность"
        )
    )
    is_pedagogical = YesNoFilter(label="Педагогическое")
    year = YearFilter(label="Год окончания")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            method="filter_municipality",
        )
    )

    class Meta:
        model = Diploma
        fields = ["q", "level", "specialty", "is_pedagogical", "year", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, ("person__search_text",), value)

    def filter_municipality(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(person__employments__organization__municipality=value).distinct()


class SpecialtyFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (код, наименование)", method="filter_q")
    is_pedagogical = YesNoFilter(label="Педагогическая")
    subject = ById(
        df.ModelChoiceFilter(
            queryset=Subject.objects.all(),
            empty_label="все",
            label="Даёт право преподавать",
            field_name="subjects",
        )
    )

    class Meta:
        model = Specialty
        fields = ["q", "is_pedagogical", "subject"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, ("search_text",), value)


class ContractFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (обучающийся, номер, вуз)", method="filter_q")
    status = df.ChoiceFilter(choices=ContractStatus.choices, empty_label="все", label="Состояние")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )
    signed_year = YearFilter(
        label="Год заключения",
        field_name="signed_on",
        lookup_expr="year",
    )

    class Meta:
        model = TargetContract
        fields = ["q", "status", "municipality", "signed_year"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, ("search_text",), value)


class ClassFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (организация)", method="filter_q")
    year = YearFilter(label="Учебный год (год начала)")
    profile = df.ChoiceFilter(choices=ClassProfile.choices, empty_label="все", label="Профиль")
    municipality = _municipality_filter()

    class Meta:
        model = PedagogicalClass
        fields = ["q", "year", "profile", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, ("organization__search_text",), value)
