"""XLSX for imports: read a sheet by its headers, parse cells, write a template workbook.

Headers are matched ignoring case, ё/е and extra spaces. Cell parsers take what openpyxl gives
(str, int, float, bool, datetime or None) and raise `CellError` with a Russian message.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from nms.common.text import search_key

UNREADABLE = "Не удалось прочитать файл: это не книга Excel (XLSX) или файл повреждён."
REFERENCE_SHEET = "Справочники"
CHUNK = 2000  # rows an export fetches (with their prefetched relations) per round trip


class CellError(ValueError):
    """A cell value that cannot be used; the message is shown to the user."""


class FileError(Exception):
    """The file is not a readable XLSX workbook."""


def normalize(value) -> str:
    """Lowercase, ё as е, whitespace collapsed: the key headers and dictionary values match by."""
    return search_key(cell_text(value))


def cell_text(value) -> str:
    """A cell as the user sees it: dates as ДД.ММ.ГГГГ, whole numbers without «.0»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# -- reading -----------------------------------------------------------------------------------
@dataclass
class Sheet:
    """The rows of the first worksheet, each a dict keyed by the expected column headers.

    Only the expected columns that were found are keys; empty cells are None, text is stripped.
    `rows` holds (row number as Excel shows it, values); fully empty rows are skipped.
    """

    found: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    has_content: bool = False

    def missing(self, required: Iterable[str]) -> list[str]:
        return [header for header in required if header not in self.found]


def read_sheet(file, headers: Sequence[str]) -> Sheet:
    """Read the first worksheet; the header row is the first row naming an expected column.

    Rows above the header (a title, notes) are ignored. Raises FileError for a non-XLSX file.
    """
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(UNREADABLE) from exc
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # some writers record a wrong sheet size
        return _read_rows(worksheet.iter_rows(values_only=True), headers)
    finally:
        workbook.close()


def _read_rows(rows, headers: Sequence[str]) -> Sheet:
    expected = {normalize(header): header for header in headers}
    sheet = Sheet()
    positions: dict[str, int] = {}
    for number, values in enumerate(rows, start=1):
        cleaned = [_clean(v) for v in values]
        if not any(v is not None for v in cleaned):
            continue
        sheet.has_content = True
        if not positions:
            positions = _header_positions(cleaned, expected, sheet)
            continue
        row = {h: cleaned[i] if i < len(cleaned) else None for h, i in positions.items()}
        if any(v is not None for v in row.values()):
            sheet.rows.append((number, row))
    sheet.found = list(positions)
    return sheet


def _header_positions(cells: list, expected: dict[str, str], sheet: Sheet) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        header = expected.get(normalize(cell))
        if header is None:
            continue
        if header in positions:
            sheet.duplicates.append(header)
        else:
            positions[header] = index
    return positions


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# -- cell parsers ------------------------------------------------------------------------------
TRUE_WORDS = {"да", "1", "true", "истина", "+"}
FALSE_WORDS = {"нет", "0", "false", "ложь", "-"}
DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_text(value, max_length: int | None = None) -> str:
    text = cell_text(value)
    if max_length is not None and len(text) > max_length:
        raise CellError(f"значение длиннее {max_length} символов")
    return text


def parse_digits(value, width: int) -> str:
    """A code such as СНИЛС or ИНН; typed as a number, it lost its leading zeros: restore them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError("код должен состоять только из цифр")
        return str(int(value)).zfill(width)
    return cell_text(value)


def parse_bool(value, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    key = normalize(value)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError("ожидается «да» или «нет»")


def parse_date(value) -> date | None:
    """An Excel date cell or text ДД.ММ.ГГГГ; an impossible date (31.02.2020) is an error."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_RE.match(cell_text(value))
    if not match:
        raise CellError("дата должна быть в формате ДД.ММ.ГГГГ")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellError("несуществующая дата") from exc


def parse_decimal(value) -> Decimal | None:
    """A number typed as a number or as text with a comma or a point: 18,5 and 18.5."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("ожидается число")
    if isinstance(value, int | float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(cell_text(value).replace(" ", "").replace(",", "."))
        except InvalidOperation as exc:
            raise CellError("ожидается число") from exc
    if not number.is_finite():
        raise CellError("ожидается число")
    return number


# -- templates ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TemplateColumn:
    header: str
    width: int = 18
    required: bool = False


REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def build_template(
    columns: Sequence[TemplateColumn],
    reference: dict[str, Sequence[str]],
    title: str = "Данные",
) -> bytes:
    """An empty workbook to fill in: bold headers (required ones shaded, with a note), column
    widths, and the sheet «Справочники» listing the allowed values, one list per column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
            cell.comment = Comment("Обязательный столбец", "НМС")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(REFERENCE_SHEET)
    for index, (header, values) in enumerate(reference.items(), start=1):
        lists.cell(row=1, column=index, value=header).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        longest = max([len(header), *(len(str(v)) for v in values)])
        lists.column_dimensions[get_column_letter(index)].width = min(longest + 2, 60)
    lists.freeze_panes = "A2"

    return workbook_bytes(workbook)


# -- writing -------------------------------------------------------------------------------------
def workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_sheet(workbook, title: str, columns: list[tuple[str, int]]):
    """A sheet with a header row of (header, width) columns."""
    sheet = workbook.create_sheet(title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([header for header, _ in columns])
    return sheet


def yes_no(value) -> str:
    return "да" if value else "нет"
