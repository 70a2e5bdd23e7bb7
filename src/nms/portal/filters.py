"""Filter sets of the portal's working lists (pages and API alike); search by words, ё as е."""

import django_filters as df

from nms.common.filters import ById, YearFilter, YesNoFilter, municipality_choices
from nms.portal.models import (
    Audience,
    Community,
    CommunityKind,
    CommunityLevel,
    InnovationSite,
    News,
    Resource,
    ResourceKind,
    SiteStatus,
)
from nms.portal.selectors import search


class _Words(df.FilterSet):
    q = df.CharFilter(label="Поиск", method="filter_q")

    def filter_q(self, queryset, name, value):
        return search(queryset, value)


class SiteFilterSet(_Words):
    status = df.ChoiceFilter(choices=SiteStatus.choices, empty_label="все", label="Состояние")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            empty_label="все",
            label="Муниципалитет",
            field_name="organization__municipality",
        )
    )
    year = YearFilter(label="Действует в году", method="filter_year")

    class Meta:
        model = InnovationSite
        fields = ["q", "status", "municipality", "year"]

    def filter_year(self, queryset, name, value):
        if not value or not 2000 <= value <= 2100:
            return queryset
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)


class CommunityFilterSet(_Words):
    kind = df.ChoiceFilter(choices=CommunityKind.choices, empty_label="все", label="Вид")
    level = df.ChoiceFilter(choices=CommunityLevel.choices, empty_label="все", label="Уровень")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )
    published = YesNoFilter(label="На портале")

    class Meta:
        model = Community
        fields = ["q", "kind", "level", "municipality", "published"]


class ResourceFilterSet(_Words):
    kind = df.ChoiceFilter(choices=ResourceKind.choices, empty_label="все", label="Вид")
    audience = df.ChoiceFilter(choices=Audience.choices, empty_label="все", label="Для кого")
    published = YesNoFilter(label="На портале")

    class Meta:
        model = Resource
        fields = ["q", "kind", "audience", "published"]


class NewsFilterSet(_Words):
    published = YesNoFilter(label="Опубликована")

    class Meta:
        model = News
        fields = ["q", "published"]
