"""XLSX exports of the diagnostics. They take an already scoped and filtered queryset."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from nms.common.xlsx import add_sheet, workbook_bytes, write_row
from nms.diagnostics.selectors import result_row

CHUNK = 2000  # results fetched (with their prefetched scores and jobs) per round trip
DEFICIT_FILL = PatternFill("solid", fgColor="F8D7DA")

RESULT_COLUMNS = [("ФИО", 36), ("Организация", 40), ("Дата", 12), ("Общий результат, %", 14)]


def procedure_results_xlsx(results, areas, progress=None) -> bytes:
    """A procedure's results (`selectors.procedure_results`), one row each, as on the page.

    Per area the share in %, a deficit cell shaded; the last column names the deficit areas,
    so the sheet can be filtered by them. `progress(done, total)` is called every CHUNK rows
    (a big export runs as a background job).
    """
    areas = list(areas)
    workbook = Workbook(write_only=True)
    columns = [
        *RESULT_COLUMNS,
        *((f"{area.name}, %", 16) for area in areas),
        ("Дефициты", 50),
    ]
    sheet = add_sheet(workbook, "Результаты", columns)

    def day(value):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD.MM.YYYY"
        return cell

    def share(score):
        if score is None:
            return None
        cell = WriteOnlyCell(sheet, float(score.share))
        if score.is_deficit:
            cell.fill = DEFICIT_FILL
        return cell

    total = results.count() if progress is not None else 0
    for number, result in enumerate(results.iterator(chunk_size=CHUNK)):
        if progress is not None and number % CHUNK == 0:
            progress(number, total)
        row = result_row(result, areas)
        write_row(
            sheet,
            [
                result.person.full_name,
                row.organization.short_name if row.organization else "",
                day(result.taken_on),
                float(result.share),
                *(share(score) for score in row.scores),
                ", ".join(area.name for area in row.deficit_areas),
            ],
        )
    return workbook_bytes(workbook)
