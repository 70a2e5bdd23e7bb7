"""Filter sets of the roadmap lists (pages and API alike); search folds ё to е."""

import django_filters as df

from nms.common.filters import ById, YearFilter, municipality_choices, scoped_choices
from nms.common.text import search_tokens
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    AgreementKind,
    Direction,
    Document,
    DocumentKind,
    DocumentLevel,
    Measure,
    ResponsibleKind,
    Roadmap,
    State,
)

roadmap_choices = scoped_choices(lambda scope: scope.visible(Roadmap))
direction_choices = scoped_choices(lambda scope: scope.visible(Direction))


def _words(queryset, text, path="search_text"):
    """Every word of the text in the record's search text (lowercased, ё as е)."""
    for token in search_tokens(text):
        queryset = queryset.filter(**{f"{path}__contains": token})
    return queryset


class RoadmapFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск", method="filter_q")

    class Meta:
        model = Roadmap
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)


class DirectionFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование)", method="filter_q")
    roadmap = ById(
        df.ModelChoiceFilter(queryset=roadmap_choices, empty_label="все", label="Дорожная карта")
    )

    class Meta:
        model = Direction
        fields = ["q", "roadmap"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)


class MeasureFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (№, наименование)", method="filter_q")
    roadmap = ById(
        df.ModelChoiceFilter(
            queryset=roadmap_choices, empty_label="все", label="Дорожная карта",
            field_name="direction__roadmap",
        )
    )  # fmt: skip
    direction = ById(
        df.ModelChoiceFilter(queryset=direction_choices, empty_label="все", label="Направление")
    )

    class Meta:
        model = Measure
        fields = ["q", "roadmap", "direction"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)


class ActivityFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (№, мероприятие, ответственный)", method="filter_q")
    roadmap = ById(
        df.ModelChoiceFilter(queryset=roadmap_choices, empty_label="все", label="Дорожная карта")
    )
    responsible_kind = df.ChoiceFilter(
        choices=ResponsibleKind.choices, empty_label="все", label="Ответственный"
    )
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет",
            field_name="responsible_municipality",
        )
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = ["q", "roadmap", "responsible_kind", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)


class PeriodFilterSet(df.FilterSet):
    """Statuses of activities by reporting period; «просрочено» is the computed state."""

    q = df.CharFilter(label="Поиск (№, мероприятие, ответственный)", method="filter_q")
    roadmap = ById(
        df.ModelChoiceFilter(
            queryset=roadmap_choices, empty_label="все", label="Дорожная карта",
            field_name="activity__roadmap",
        )
    )  # fmt: skip
    year = YearFilter(label="Год")
    state = df.ChoiceFilter(choices=State.choices, empty_label="все", label="Состояние")
    responsible_kind = df.ChoiceFilter(
        choices=ResponsibleKind.choices, empty_label="все", label="Ответственный",
        field_name="activity__responsible_kind",
    )  # fmt: skip
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет",
            field_name="activity__responsible_municipality",
        )
    )  # fmt: skip

    class Meta:
        model = ActivityPeriod
        fields = ["q", "roadmap", "year", "state", "responsible_kind", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value, "activity__search_text")


class AgreementFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (номер, предмет, сторона)", method="filter_q")
    kind = df.ChoiceFilter(choices=AgreementKind.choices, empty_label="все", label="Вид")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)


class DocumentFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование, номер)", method="filter_q")
    kind = df.ChoiceFilter(choices=DocumentKind.choices, empty_label="все", label="Вид")
    level = df.ChoiceFilter(choices=DocumentLevel.choices, empty_label="все", label="Уровень")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )

    class Meta:
        model = Document
        fields = ["q", "kind", "level", "municipality"]

    def filter_q(self, queryset, name, value):
        return _words(queryset, value)
