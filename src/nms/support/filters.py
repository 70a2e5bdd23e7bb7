"""The filters of the support lists; every choice is limited to the user's scope."""

import django_filters as df
from django.db.models import Q

from nms.common.filters import YesNoFilter, municipality_choices
from nms.common.text import search_tokens
from nms.registry.models import Employment, Person, Subject
from nms.support import selectors
from nms.support.models import (
    ActFormat,
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    ActKind,
    Caseload,
    ExpertKind,
    ExpertLevel,
    ExpertRole,
    HelpRequest,
    MembershipStatus,
    RequestStatus,
    SupportAct,
    Urgency,
)


def _by_name(queryset, value, path="person__"):
    for token in search_tokens(value):
        queryset = queryset.filter(**{f"{path}search_text__contains": token})
    return queryset


class CandidateFilterSet(df.FilterSet):
    """The candidate bank: members of the municipal actives (no level or status to choose)."""

    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_q")
    role = df.ChoiceFilter(label="Роль", choices=ActiveRole.choices, empty_label="все")
    municipality = df.ModelChoiceFilter(
        label="Муниципалитет", queryset=municipality_choices, empty_label="все"
    )
    subject = df.ModelChoiceFilter(
        label="Предмет", queryset=Subject.objects.all(), field_name="subjects", empty_label="все"
    )

    class Meta:
        model = ActiveMembership
        fields = []

    def filter_q(self, queryset, name, value):
        return _by_name(queryset, value)


class MembershipFilterSet(CandidateFilterSet):
    """The actives' members: the candidate bank's filters, with the level and the status."""

    level = df.ChoiceFilter(label="Актив", choices=ActiveLevel.choices, empty_label="все")
    status = df.ChoiceFilter(label="Состояние", choices=MembershipStatus.choices, empty_label="все")


class YoungFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_q")
    municipality = df.ModelChoiceFilter(
        label="Муниципалитет", queryset=municipality_choices, method="filter_municipality",
        empty_label="все",
    )  # fmt: skip

    class Meta:
        model = Person
        fields = []

    def filter_q(self, queryset, name, value):
        return _by_name(queryset, value, path="")

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(
            pk__in=Employment.objects.filter(organization__municipality=value).values("person_id")
        )


class RequestFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (тема, ФИО)", method="filter_q")
    status = df.ChoiceFilter(label="Состояние", choices=RequestStatus.choices, empty_label="все")
    urgency = df.ChoiceFilter(label="Срочность", choices=Urgency.choices, empty_label="все")
    overdue = YesNoFilter(label="Просрочен", method="filter_overdue")
    subject = df.ModelChoiceFilter(
        label="Предмет", queryset=Subject.objects.all(), empty_label="все"
    )
    municipality = df.ModelChoiceFilter(
        label="Муниципалитет", queryset=municipality_choices, empty_label="все"
    )

    class Meta:
        model = HelpRequest
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        people = _by_name(queryset, value)
        return queryset.filter(Q(topic__icontains=value) | Q(pk__in=people.values("pk")))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.overdue_q()
        return queryset.filter(late) if value else queryset.exclude(late)


class ActFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (тема, ФИО)", method="filter_q")
    kind = df.ChoiceFilter(label="Вид", choices=ActKind.choices, empty_label="все")
    format = df.ChoiceFilter(label="Формат", choices=ActFormat.choices, empty_label="все")
    held_after = df.DateFilter(label="С (ГГГГ-ММ-ДД)", field_name="held_on", lookup_expr="gte")
    held_before = df.DateFilter(label="По (ГГГГ-ММ-ДД)", field_name="held_on", lookup_expr="lte")

    class Meta:
        model = SupportAct
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        people = _by_name(queryset, value)
        return queryset.filter(Q(topic__icontains=value) | Q(pk__in=people.values("pk")))


class ExpertFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_q")
    kind = df.ChoiceFilter(label="Вид экспертизы", choices=ExpertKind.choices, empty_label="все")
    level = df.ChoiceFilter(label="Уровень", choices=ExpertLevel.choices, empty_label="все")
    subject = df.ModelChoiceFilter(
        label="Предмет", queryset=Subject.objects.all(), empty_label="все"
    )

    class Meta:
        model = ExpertRole
        fields = []

    def filter_q(self, queryset, name, value):
        return _by_name(queryset, value)


class CaseloadFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск педагога (ФИО, СНИЛС)", method="filter_q")
    automatic = YesNoFilter(label="Автоматически")

    class Meta:
        model = Caseload
        fields = []

    def filter_q(self, queryset, name, value):
        return _by_name(queryset, value, "teacher__")
