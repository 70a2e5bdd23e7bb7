"""Table declarations of the list pages: which columns a model's list shows, rendered by one
template (`common/table.html`).

    class OrganizationTable(Table):
        short_name = Column("Краткое наименование", link="organization-detail", sort="short_name")
        inn = Column("ИНН")
        kind = Column("Тип", "get_kind_display")
        municipality = Column("Муниципалитет", "municipality.name", sort="municipality__name")

A column shows `accessor` of each row: a dotted path of attributes (a callable on the way is
called, so `get_kind_display` works), or a function of the row; by default the attribute named
like the column. Its value is shown as the pages show values: dates as ДД.ММ.ГГГГ, yes/no as
«да»/«нет», nothing as `empty`; a function may return HTML made with `format_html`. `link` is
the URL name of the row's page (reversed with the row's pk) or a function of the row giving the
address. `sort` is the field (or fields) the list is ordered by when the header is clicked
(`?sort=name`, `?sort=-name` backwards).

The rows are whatever the view gives (a page of the list): a column must read only what the
list's queryset has already fetched (select_related/prefetch_related), so a page runs a fixed
number of queries.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from nms.common.text import typography

SORT_PARAM = "sort"


def display(value, empty: str = "") -> str:
    """A value as the pages show it."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, SafeString):  # HTML a column made: only spaces change
        return mark_safe(typography(value))
    if isinstance(value, str):
        return typography(value)  # «№ 6», «94,44 %» never break
    return value


def resolve(row, path: str):
    """`row.a.b.c`; callables on the way are called; a missing link in the chain gives None."""
    value = row
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value) and not hasattr(value, "all"):  # a manager is left to the caller
            value = value()
    return value


class Column:
    """One column of a `Table`; see the module's docstring."""

    def __init__(
        self,
        label: str,
        accessor: str | Callable | None = None,
        *,
        link: str | Callable | None = None,
        sort: str | Iterable[str] | None = None,
        css_class: str = "",
        empty: str = "",
    ):
        self.label = label
        self.accessor = accessor
        self.link = link
        self.sort = (sort,) if isinstance(sort, str) else tuple(sort or ())
        self.css_class = css_class
        self.empty = empty
        self.name = ""  # set by the table

    def value(self, row):
        if callable(self.accessor):
            value = self.accessor(row)
        else:
            value = resolve(row, self.accessor or self.name)
        return display(value, self.empty)

    def url(self, row) -> str:
        if self.link is None:
            return ""
        if callable(self.link):
            return self.link(row)
        return reverse(self.link, args=[row.pk])

    def cell(self, row):
        value = self.value(row)
        url = self.url(row)
        return format_html('<a href="{}">{}</a>', url, value) if url else value


class Header:
    def __init__(self, column: Column, sort_url: str = "", sorted_as: str = ""):
        self.label = column.label
        self.name = column.name
        self.sort_url = sort_url  # the query string that sorts by this column ("" if it can't)
        self.sorted_as = sorted_as  # "asc", "desc" or ""


class Cell:
    def __init__(self, column: Column, row):
        self.content = column.cell(row)
        self.css_class = column.css_class


class Table:
    """The columns of a list; subclasses declare them as `Column` class attributes."""

    columns: dict[str, Column] = {}
    empty_text = "Ничего не найдено."
    css_id = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        columns = {}
        for base in reversed(cls.__mro__[1:]):
            columns.update(getattr(base, "columns", {}))
        for name, value in list(vars(cls).items()):
            if isinstance(value, Column):
                value.name = name
                columns[name] = value
        cls.columns = columns

    def __init__(self, rows, request=None):
        self.rows = rows
        self.request = request

    # -- sorting -------------------------------------------------------------------------------
    @classmethod
    def sort_requested(cls, query) -> tuple[Column | None, bool]:
        """The column `?sort=` asks for and whether backwards; (None, False) if none or unknown."""
        value = (query.get(SORT_PARAM) or "").strip()
        descending = value.startswith("-")
        column = cls.columns.get(value.lstrip("-"))
        if column is None or not column.sort:
            return None, False
        return column, descending

    @classmethod
    def order(cls, queryset: QuerySet, query) -> QuerySet:
        """The queryset ordered as `?sort=` asks (the pk last, so pages never overlap)."""
        column, descending = cls.sort_requested(query)
        if column is None:
            return queryset
        fields = [f"-{f}" if descending else f for f in column.sort]
        return queryset.order_by(*fields, "-pk" if descending else "pk")

    # -- what the template shows ---------------------------------------------------------------
    def headers(self) -> list[Header]:
        query = self.request.GET if self.request is not None else {}
        current, descending = self.sort_requested(query)
        headers = []
        for column in self.columns.values():
            if not column.sort or self.request is None:
                headers.append(Header(column))
                continue
            params = self.request.GET.copy()
            params.pop("page", None)
            backwards = column is current and not descending
            params[SORT_PARAM] = f"-{column.name}" if backwards else column.name
            sorted_as = ("desc" if descending else "asc") if column is current else ""
            headers.append(Header(column, f"?{params.urlencode()}", sorted_as))
        return headers

    def body(self) -> list[list[Cell]]:
        return [[Cell(column, row) for column in self.columns.values()] for row in self.rows]

    @property
    def width(self) -> int:
        return len(self.columns)
