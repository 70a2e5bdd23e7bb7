"""Filter sets of the diagnostics' list pages."""

import django_filters as df

from nms.common.filters import ById, YearFilter, municipality_choices
from nms.common.text import search_tokens
from nms.diagnostics.models import Level, Procedure, ProcedureKind


class ProcedureFilterSet(df.FilterSet):
    q = df.CharFilter(label="Поиск (наименование)", method="filter_q")
    level = df.ChoiceFilter(choices=Level.choices, empty_label="все", label="Уровень")
    kind = df.ChoiceFilter(choices=ProcedureKind.choices, empty_label="все", label="Вид")
    municipality = ById(
        df.ModelChoiceFilter(
            queryset=municipality_choices, empty_label="все", label="Муниципалитет"
        )
    )
    year = YearFilter(label="Год начала", field_name="starts_on", lookup_expr="year")

    class Meta:
        model = Procedure
        fields = ["q", "level", "kind", "municipality", "year"]

    def filter_q(self, queryset, name, value):
        """Every word in the name."""
        for token in search_tokens(value):
            queryset = queryset.filter(name__icontains=token)
        return queryset
