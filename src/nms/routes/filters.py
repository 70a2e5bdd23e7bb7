"""The register's filters: every choice is limited to the user's scope."""

import django_filters as df

from nms.accounts.models import User
from nms.common.filters import YesNoFilter, municipality_choices, organization_choices
from nms.routes import selectors
from nms.routes.models import Route, RouteType, Status


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
    )
    methodist = df.ModelChoiceFilter(
        empty_label="все",
        label="Региональный методист",
        queryset=_methodists,
        method="filter_register",
    )
    status = df.ChoiceFilter(
        empty_label="все", label="Состояние", choices=Status.choices, method="filter_register"
    )
    route_type = df.ChoiceFilter(
        empty_label="все", label="Тип", choices=RouteType.choices, method="filter_register"
    )
    overdue = YesNoFilter(label="Есть просрочка", method="filter_register")

    class Meta:
        model = Route
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["methodist"].label_from_instance = lambda user: user.display_name

    def filter_query(self, queryset, name, value):
        return selectors.search_register(queryset, value)

    def filter_register(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return selectors.filter_register(queryset, **{name: value})
