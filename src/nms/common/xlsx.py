"""XLSX for imports and exports: read a sheet by its headers within limits, parse cells, write.

Headers are matched ignoring case, ё/е and extra spaces. Cell parsers take what openpyxl gives
(str, int, float, bool, datetime or None) and raise `CellError` with a Russian message.

Reading is bounded (settings NMS_IMPORT_MAX_*, see nms.settings): the file's size and its ZIP
directory (declared unpacked sizes, compression ratio) are checked before openpyxl opens it, the
sheet is streamed (read_only), only the expected columns are kept, a data row over the limit
stops the reading, a cell too long or holding a formula is reported for that cell.

Writing goes through `write_row` / `write_cell` (and `add_sheet`, `build_template`): a string
that a spreadsheet could take for a formula (=, +, -, @, tab, CR first) is written as text.
"""

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from zipfile import BadZipFile

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from nms.common.text import plural, search_key

UNREADABLE = "Не удалось прочитать файл: это не книга Excel (XLSX) или файл повреждён."
REFERENCE_SHEET = "Справочники"
CHUNK = 2000  # rows an export fetches (with their prefetched relations) per round trip
FORMULA = "в ячейке формула — введите значение"
HEADER_ROWS = 50  # the header row is looked for among the first rows only
SHOWN = 100  # characters of a too long or formula cell kept to show in the error
MB = 1024 * 1024
RATIO_FLOOR = MB  # parts smaller than this unpacked are not checked for their compression ratio
MAX_PARTS = 10_000
WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class CellError(ValueError):
    """A cell value that cannot be used; the message is shown to the user."""


class FileError(Exception):
    """The file is not a readable XLSX workbook, or it is over a limit of the import."""


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


# -- limits ------------------------------------------------------------------------------------
def limit(name: str) -> int:
    """An import limit from the settings (NMS_IMPORT_MAX_BYTES, …_ROWS, …_CELL, …)."""
    return int(getattr(settings, name))


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",").removesuffix(",0") + " МБ"


def _number(count: int) -> str:
    return f"{count:,}".replace(",", "\u00a0")


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, 2)
        file.seek(position)
    return size


def check_file(file) -> None:
    """Refuse, before openpyxl reads anything, a file over the byte limit or one whose parts
    would unpack to too much (the ZIP directory declares each part's size; zipfile never unpacks
    more than declared): FileError with a Russian message. The file is left at its start."""
    size = _file_size(file)
    if size > limit("NMS_IMPORT_MAX_BYTES"):
        raise FileError(
            f"Файл слишком большой: {_megabytes(size)}, допускается не больше "
            f"{_megabytes(limit('NMS_IMPORT_MAX_BYTES'))}. Разделите его на части."
        )
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileError(UNREADABLE) from exc
    finally:
        file.seek(0)
    too_big = (
        "Файл не загружен: в распакованном виде он занимает слишком много места "
        "(допускается не больше {}). Разделите его на части или сохраните заново в Excel."
    )
    if len(parts) > MAX_PARTS:
        raise FileError(UNREADABLE)
    if sum(part.file_size for part in parts) > limit("NMS_IMPORT_MAX_UNPACKED"):
        raise FileError(too_big.format(_megabytes(limit("NMS_IMPORT_MAX_UNPACKED"))))
    ratio = limit("NMS_IMPORT_MAX_RATIO")
    for part in parts:
        if not WORKSHEET_PART.match(part.filename) and part.file_size > limit(
            "NMS_IMPORT_MAX_SHARED"
        ):
            # Shared strings, styles…: openpyxl reads such a part whole, into memory.
            raise FileError(
                "Файл не загружен: слишком много текста в ячейках (общие строки книги больше "
                f"{_megabytes(limit('NMS_IMPORT_MAX_SHARED'))}). Разделите файл на части."
            )
        if part.file_size > RATIO_FLOOR and part.file_size > ratio * max(part.compress_size, 1):
            raise FileError(
                "Файл не загружен: он сжат неправдоподобно сильно (в распакованном виде больше "
                f"чем в {ratio} {plural(ratio, 'раз', 'раза', 'раз')}). Сохраните его заново в "
                "Excel без лишних строк и столбцов."
            )


# -- reading -----------------------------------------------------------------------------------
@dataclass
class Sheet:
    """The rows of the first worksheet, each a dict keyed by the expected column headers.

    Only the expected columns that were found are keys; empty cells are None, text is stripped.
    `rows` holds (row number as Excel shows it, values); fully empty rows are skipped.
    `problems` maps a row number to {header: message} for cells that cannot be read (a formula,
    text over NMS_IMPORT_MAX_CELL characters — kept shortened in the row).
    """

    found: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    has_content: bool = False
    problems: dict[int, dict[str, str]] = field(default_factory=dict)

    def missing(self, required: Iterable[str]) -> list[str]:
        return [header for header in required if header not in self.found]


def read_sheet(file, headers: Sequence[str]) -> Sheet:
    """Read the first worksheet; the header row is the first row naming an expected column.

    Rows above the header (a title, notes) are ignored. Raises FileError for a non-XLSX file or
    one over the limits (`check_file`, NMS_IMPORT_MAX_ROWS data rows).
    """
    with _worksheet_rows(file) as rows:
        return _read_rows(rows, headers)


class _worksheet_rows:
    """`with _worksheet_rows(file) as rows`: (row number, {column: (value, data type)}) of the
    first worksheet, streamed; columns past NMS_IMPORT_MAX_COLUMNS and empty cells left out.

    openpyxl's reader is used up to the sheets but not for them: a read-only worksheet parses
    its whole sheet once just to look for the sheet's dimensions when they are not declared."""

    def __init__(self, file):
        check_file(file)
        self.source = None
        try:
            self.reader = ExcelReader(file, read_only=True, data_only=False)
        except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
            raise FileError(UNREADABLE) from exc
        try:
            reader = self.reader
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.path = next(
                rel.target
                for _, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            )
        except (BadZipFile, KeyError, OSError, ValueError, TypeError, StopIteration) as exc:
            reader.archive.close()
            raise FileError(UNREADABLE) from exc

    def __enter__(self):
        reader = self.reader
        try:
            self.source = reader.archive.open(self.path)
        except (BadZipFile, KeyError, OSError) as exc:
            reader.archive.close()
            raise FileError(UNREADABLE) from exc
        parser = WorkSheetParser(
            self.source,
            reader.shared_strings,
            data_only=False,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
        return self._rows(parser)

    @staticmethod
    def _rows(parser):
        width = limit("NMS_IMPORT_MAX_COLUMNS")
        try:
            for number, cells in parser.parse():
                values = {}
                for cell in cells:
                    column, value = cell["column"], cell["value"]
                    if column > width or value is None:
                        continue
                    if isinstance(value, str):
                        value = value.strip()
                        if not value:
                            continue
                    values[column - 1] = (value, cell["data_type"])
                yield number, values
        except (BadZipFile, OSError, ValueError, KeyError, SyntaxError, EOFError) as exc:
            raise FileError(UNREADABLE) from exc

    def __exit__(self, *exc_info):
        if self.source is not None:
            self.source.close()
        self.reader.archive.close()


def _read_rows(rows, headers: Sequence[str]) -> Sheet:
    expected = {normalize(header): header for header in headers}
    sheet = Sheet()
    positions: dict[str, int] = {}
    longest, max_rows = limit("NMS_IMPORT_MAX_CELL"), limit("NMS_IMPORT_MAX_ROWS")
    too_long = f"значение длиннее {longest} символов"
    kept: list[tuple[int, tuple]] = []  # tuples until the limit is known to hold: less memory
    for index, (number, values) in enumerate(rows):
        if not values:
            continue
        sheet.has_content = True
        if not positions:
            if index >= HEADER_ROWS:
                break  # no header in the first rows: nothing more to look for
            positions = _header_positions(values, expected, sheet)
            continue
        row = []
        problems = None
        for header, position in positions.items():
            value, kind = values.get(position, (None, None))
            if kind == "f":
                problems = {**(problems or {}), header: FORMULA}
                value = cell_text(value)[:SHOWN]
            elif isinstance(value, str) and len(value) > longest:
                problems = {**(problems or {}), header: too_long}
                value = value[:SHOWN] + "…"
            row.append(value)
        if all(value is None for value in row):
            continue
        if len(kept) >= max_rows:
            raise FileError(
                f"В файле больше {_number(max_rows)} строк с данными: разделите его на части."
            )
        kept.append((number, tuple(row)))
        if problems:
            sheet.problems[number] = problems
    sheet.found = list(positions)
    sheet.rows = [(number, dict(zip(sheet.found, row, strict=True))) for number, row in kept]
    return sheet


def _header_positions(values: dict, expected: dict[str, str], sheet: Sheet) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index in sorted(values):
        header = expected.get(normalize(values[index][0]))
        if header is None:
            continue
        if header in positions:
            sheet.duplicates.append(header)
        else:
            positions[header] = index
    return positions


def count_rows(file, at_most: int) -> int:
    """Rows with any value below the first, counted up to `at_most` (streamed, bounded); 0 for
    a file that cannot be read or is over a limit. The file is left at its start."""
    try:
        with _worksheet_rows(file) as rows:
            count = 0
            for index, (_, values) in enumerate(rows):
                if index and values:
                    count += 1
                    if count >= at_most:
                        break
            return count
    except FileError:
        return 0
    finally:
        file.seek(0)


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
    """An Excel date cell or text ДД.ММ.ГГГГ; an impossible date (31.02.2020) is an error.

    Text must have the two-digit day and month; a real Excel date cell is taken as it is.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # Typed text: the day and the month with two digits each (4.3.1985 is refused).
    match = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", cell_text(value))
    if not match:
        raise CellError(
            "дата должна быть в формате ДД.ММ.ГГГГ (день и месяц двумя цифрами), "
            "например 04.03.1985"
        )
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


# -- writing -------------------------------------------------------------------------------------
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """A value to write: a string without the characters XLSX cannot hold; other values as is.
    Whether a string is written as text is `write_cell`'s part (see `is_risky`)."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_risky(value) -> bool:
    """A string a spreadsheet could take for a formula: written as text, with a quote prefix."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _as_text(cell: Cell) -> Cell:
    cell.data_type = "s"  # openpyxl made "=…" a formula; a string cell is never evaluated
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def text_cell(sheet, value):
    """What `sheet.append` is given for a value: the value itself, or (a risky string) a cell
    holding it as text. A cell (say, a date with a number format) is made safe in place."""
    if isinstance(value, Cell):
        value.value = safe_text(value.value)
        return _as_text(value) if is_risky(value.value) else value
    value = safe_text(value)
    if is_risky(value):
        return _as_text(WriteOnlyCell(sheet, value))
    return value


def write_row(sheet, values: Iterable) -> None:
    """Append a row (a normal or a write-only sheet); every string is written as text."""
    sheet.append([text_cell(sheet, value) for value in values])


def write_cell(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)` of a normal sheet, every string written as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_text(value)
    if is_risky(cell.value):
        _as_text(cell)
    return cell


def workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_sheet(workbook, title: str, columns: list[tuple[str, int]]):
    """A sheet with a header row of (header, width) columns."""
    sheet = workbook.create_sheet(title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    write_row(sheet, [header for header, _ in columns])
    return sheet


def yes_no(value) -> str:
    return "да" if value else "нет"


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
        cell = write_cell(sheet, 1, index, column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
            cell.comment = Comment("Обязательный столбец", "НМС")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(REFERENCE_SHEET)
    for index, (header, values) in enumerate(reference.items(), start=1):
        write_cell(lists, 1, index, header).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            write_cell(lists, row, index, value)
        longest = max([len(header), *(len(str(v)) for v in values)])
        lists.column_dimensions[get_column_letter(index)].width = min(longest + 2, 60)
    lists.freeze_panes = "A2"

    return workbook_bytes(workbook)
