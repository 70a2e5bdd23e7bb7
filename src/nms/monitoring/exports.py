"""XLSX of the monitoring pages written by hand: the records behind an indicator's value and
the board of information cards, each as its page shows it (filters and search applied)."""

from django.utils import timezone
from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row
from nms.monitoring.models import ScopeType


def indicator_members_xlsx(rows, title: str) -> bytes:
    """The records behind an indicator's value, one a row, under the title of the page."""
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Записи", [("№", 8), (title, 80)])
    for number, obj in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        write_row(sheet, [number, str(obj)])
    return workbook_bytes(workbook)


def card_board_xlsx(rows, scope_type) -> bytes:
    """The board as the page shows it (its filters applied), one unit a row."""
    by_organization = scope_type == ScopeType.ORGANIZATION
    columns = [("Организация" if by_organization else "Муниципалитет", 50)]
    if by_organization:
        columns.append(("Муниципалитет", 30))
    columns += [("Состояние", 16), ("Отправлена", 18), ("Последнее напоминание", 18)]
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Информационные карты", columns)
    for row in rows:
        unit = [str(row.unit)]
        if by_organization:
            unit.append(row.unit.municipality.name)
        submitted = row.card.submitted_at if row.card else None
        reminded = row.reminded.sent_at if row.reminded else None
        write_row(sheet, [*unit, row.status_label, _local(submitted), _local(reminded)])
    return workbook_bytes(workbook)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
