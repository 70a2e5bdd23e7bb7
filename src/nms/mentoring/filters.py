"""Filter sets of the mentoring lists (pages and API alike)."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import ById, YesNoFilter, municipality_choices
from nms.common.text import search_tokens
from nms.mentoring.models import (
    Curator,
    CuratorLevel,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairStatus,
    RequestStatus,
)
from nms.registry.models import Employment


def _words(queryset, paths, text):
    for token in search_tokens(text):
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__search_text__contains": token})
        queryset = queryset.filter(condition)
    return queryset


class _PeopleSearch(df.FilterSet):
    people_paths: tuple = ()
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_q")

    def filter_q(self, queryset, name, value):
        return _words(queryset, self.people_paths, value)


class PairFilterSet(_PeopleSearch):
    people_paths = ("mentor", "mentee")
    status = df.ChoiceFilter(choices=PairStatus.choices, empty_label="все", label="Состояние")
    form = df.ChoiceFilter(choices=MentoringForm.choices, empty_label="все", label="Форма")
    completed_early = YesNoFilter(label="Досрочно")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            method="filter_municipality",
        )
    )

    class Meta:
        model = Pair
        fields = ["q", "status", "form", "completed_early", "municipality"]

    def filter_municipality(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(organization__municipality=value)


class RequestFilterSet(_PeopleSearch):
    people_paths = ("mentor", "mentee")
    status = df.ChoiceFilter(choices=RequestStatus.choices, empty_label="все", label="Состояние")
    form = df.ChoiceFilter(choices=MentoringForm.choices, empty_label="все", label="Форма")

    class Meta:
        model = MentorshipRequest
        fields = ["q", "status", "form"]


class ProfileFilterSet(_PeopleSearch):
    people_paths = ("person",)
    public = YesNoFilter(label="В открытом реестре")
    active = YesNoFilter(label="Принимает")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            method="filter_municipality",
        )
    )

    class Meta:
        model = MentorProfile
        fields = ["q", "public", "active", "municipality"]

    def filter_municipality(self, queryset, name, value):
        if not value:
            return queryset
        employed = Employment.objects.filter(organization__municipality=value)
        return queryset.filter(person__in=employed.values("person_id"))


class ProgramFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск", method="filter_q")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            field_name="organization__municipality",
        )
    )

    class Meta:
        model = MentoringProgram
        fields = ["q", "municipality"]

    def filter_q(self, queryset, name, value):
        for token in search_tokens(value):
            queryset = queryset.filter(
                Q(title__icontains=token) | Q(organization__search_text__contains=token)
            )
        return queryset


class CuratorFilterSet(_PeopleSearch):
    people_paths = ("person",)
    level = df.ChoiceFilter(choices=CuratorLevel.choices, empty_label="все", label="Уровень")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )

    class Meta:
        model = Curator
        fields = ["q", "level", "municipality"]


class SchoolFilterSet(df.FilterSet):
    q = df.CharFilter(label="Наименование", field_name="name", lookup_expr="icontains")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )

    class Meta:
        model = MentoringSchool
        fields = ["q", "municipality"]
