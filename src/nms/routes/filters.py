"""The register's filters: every choice is limited to the user's scope."""

import django_filters as df
from django import forms

from nms.accounts.models import Role, User
from nms.common.filters import YesNoFilter, municipality_choices, organization_choices
from nms.common.text import search_tokens
from nms.common.widgets import FastSelect
from nms.itembank.models import CompetencyArea
from nms.routes import selectors
from nms.routes.models import Route, RouteTemplate, RouteType, Status

# The roles a route waits on for its next step forward (routes.selectors.FORWARD_STEPS).
AWAITING_ROLES = [
    (Role.SCHOOL.value, "как администрации ОО"),
    (Role.METHODIST.value, "как регионального методиста"),
    (Role.CNPPM.value, "как методиста института"),
]


class MethodistField(forms.ModelChoiceField):
    label_fields = ("first_name", "last_name", "username")  # FastSelect reads just these

    def label_from_instance(self, obj):
        return obj.display_name

    def label_from_values(self, first_name, last_name, username):
        """`User.display_name` from the columns (Django's get_full_name, else the login)."""
        return f"{first_name} {last_name}".strip() or username


class MethodistFilter(df.ModelChoiceFilter):
    """The methodists by their names (the form is built only when it is read)."""

    field_class = MethodistField


def _methodists(request):
    if request is None:
        return User.objects.none()
    return selectors.methodists_visible(request.user)


class RouteFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (ФИО, СНИЛС)", method="filter_query")
    municipality = df.ModelChoiceFilter(
        empty_label="все",
        label="Муниципалитет",
        queryset=municipality_choices,
        method="filter_register",
    )
    organization = df.ModelChoiceFilter(
        empty_label="все",
        label="Организация",
        queryset=organization_choices,
        method="filter_register",
        widget=FastSelect,
    )
    methodist = MethodistFilter(
        empty_label="все",
        label="Региональный методист",
        queryset=_methodists,
        method="filter_register",
        widget=FastSelect,  # the region's hundreds of methodists
    )
    status = df.ChoiceFilter(
        empty_label="все", label="Состояние", choices=Status.choices, method="filter_register"
    )
    route_type = df.ChoiceFilter(
        empty_label="все", label="Тип", choices=RouteType.choices, method="filter_register"
    )
    overdue = YesNoFilter(label="Есть просрочка", method="filter_register")
    # What waits for the user: the home page's to-do figures open the register with these.
    awaiting = df.ChoiceFilter(
        empty_label="все",
        label="Ждут моего шага",
        choices=AWAITING_ROLES,
        method="filter_attention",
    )
    reports = YesNoFilter(label="Отчёты ждут моего решения", method="filter_attention")
    audit_due = YesNoFilter(label="Наступил срок аудита", method="filter_register")
    new_results = YesNoFilter(label="Есть новый результат диагностики", method="filter_attention")
    started = df.CharFilter(label="Начало (месяц, ММ.ГГГГ)", method="filter_started")

    class Meta:
        model = Route
        fields = []

    def filter_query(self, queryset, name, value):
        return selectors.search_register(queryset, value)

    def filter_register(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return selectors.filter_register(queryset, **{name: value})

    def filter_attention(self, queryset, name, value):
        """Routes waiting for the user who asks (`selectors.waiting_for`)."""
        if value in (None, ""):
            return queryset
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset.none()
        if name == "awaiting":
            # The conditions themselves, not `pk IN (…)`: one scan of the routes by state.
            return queryset & selectors.awaiting_step(user, value).order_by()
        waiting = selectors.waiting_for(user, name)
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)

    def filter_started(self, queryset, name, value):
        """Routes starting in the month «ММ.ГГГГ» (the home page's trend); anything else: none."""
        month = selectors.parse_month(value)
        if month is None:
            return queryset.none() if value.strip() else queryset
        return queryset.filter(starts_on__gte=month, starts_on__lt=selectors.month_after(month))


class TemplateFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование)", method="filter_q")
    area = df.ModelChoiceFilter(
        queryset=CompetencyArea.objects.all(),
        field_name="areas",
        empty_label="все",
        label="Дефицит",
    )

    class Meta:
        model = RouteTemplate
        fields = ["q", "area"]

    def filter_q(self, queryset, name, value):
        for token in search_tokens(value):
            queryset = queryset.filter(name__icontains=token)
        return queryset
