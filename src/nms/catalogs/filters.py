"""Filter sets of the catalogs lists (pages and API alike)."""

import django_filters as df

from nms.catalogs import selectors
from nms.catalogs.models import Item, ItemLevel, ItemStatus, MaterialKind, Tag
from nms.common.filters import ById, municipality_choices
from nms.itembank.models import CompetencyArea
from nms.registry.models import Subject


class ItemFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (название, описание)", method="filter_q")
    status = df.ChoiceFilter(choices=ItemStatus.choices, empty_label="все", label="Состояние")
    level = df.ChoiceFilter(choices=ItemLevel.choices, empty_label="все", label="Уровень")
    area = ById(
        df.ModelChoiceFilter(
            queryset=CompetencyArea.objects.all(),
            field_name="areas",
            empty_label="все",
            label="Область компетенций",
        )
    )
    subject = ById(
        df.ModelChoiceFilter(
            queryset=Subject.objects.all(),
            field_name="subjects",
            empty_label="все",
            label="Предмет",
        )
    )
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices,
            field_name="organization__municipality",
            empty_label="все",
            label="Муниципалитет",
        )
    )
    tag = ById(
        df.ModelChoiceFilter(
            queryset=Tag.objects.all(), field_name="tags", empty_label="все", label="Тег"
        )
    )

    class Meta:
        model = Item
        fields = ["q", "status", "level", "area", "subject", "municipality", "tag"]

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)


class PracticeFilterSet(ItemFilterSet):
    pass


class MaterialFilterSet(ItemFilterSet):
    material_kind = df.ChoiceFilter(
        choices=MaterialKind.choices, empty_label="все", label="Вид материала"
    )

    class Meta(ItemFilterSet.Meta):
        fields = [*ItemFilterSet.Meta.fields, "material_kind"]
