"""The item bank's filter set, shared by the bank page and an API list."""

import django_filters as df

from nms.itembank.models import CompetencyArea, Difficulty, Item, ItemKind, ReviewStatus
from nms.itembank.selectors import search_items
from nms.registry.models import Subject


class ItemFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (шифр, формулировка)", method="filter_query")
    area = df.ModelChoiceFilter(label="Область", queryset=CompetencyArea.objects.all())
    subject = df.ModelChoiceFilter(label="Предмет", queryset=Subject.objects.all())
    kind = df.ChoiceFilter(label="Тип", choices=ItemKind.choices)
    difficulty = df.ChoiceFilter(label="Сложность", choices=Difficulty.choices)
    status = df.ChoiceFilter(label="Статус", choices=ReviewStatus.choices)

    class Meta:
        model = Item
        fields = []

    def filter_query(self, queryset, name, value):
        return search_items(queryset, value)
