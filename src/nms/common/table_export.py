"""An XLSX export made from a list's table: the columns the page shows, as plain values.

    class RequestListView(ScopedListView):
        table = RequestTable
        export = staticmethod(table_xlsx(RequestTable, "Запросы"))

For a list whose spreadsheet needs nothing beyond its page's columns; a list whose export
carries more (every field of a person, totals) keeps its own function in the app's exports.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from openpyxl import Workbook

from nms.common.tables import Table, display, resolve
from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row

WIDTH = 30


def plain(value):
    """A cell's value for the sheet: HTML a column made becomes its text, yes/no «да»/«нет»;
    numbers and dates stay what they are (a moment in local time), anything else its text."""
    if value is None or isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    if isinstance(value, SafeString):
        return strip_tags(value).strip()
    if hasattr(value, "all"):  # a related manager: its objects, comma-separated
        return ", ".join(str(item) for item in value.all())
    return str(display(value))


def table_xlsx(
    table: type[Table], sheet_title: str, prepare: Callable[[list], list] | None = None
) -> Callable:
    """`export(queryset, progress=None) -> bytes` writing `table`'s columns for every row.

    `prepare(rows) -> rows` is given each chunk of rows when the list's page gives its rows
    more than the queryset holds (as the view's `make_table` does for a page)."""

    def table_workbook(queryset, progress=None) -> bytes:
        columns = [c for c in table.columns.values() if c.label]
        workbook = Workbook(write_only=True)
        sheet = add_sheet(workbook, sheet_title, [(c.label, WIDTH) for c in columns])
        total = queryset.count() if progress else 0
        done = 0
        for chunk in _chunks(queryset):
            for row in prepare(chunk) if prepare else chunk:
                write_row(sheet, [plain(_raw(column, row)) for column in columns])
            done += len(chunk)
            if progress:
                progress(done, total)
        return workbook_bytes(workbook)

    return table_workbook


def _chunks(queryset):
    chunk = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _raw(column, row):
    """The column's value before the page's formatting (a date stays a date)."""
    if callable(column.accessor):
        value = column.accessor(row)
    else:
        value = resolve(row, column.accessor or column.name)
    if value is None or value == "":
        return column.empty or None
    return value
