"""What every XLSX import shares: columns, rows, the error collector and the report.

Every row is checked first and every error is kept with its row, column and value; an import
with any error saves nothing (DESIGN.md §3, "Nothing half-saved"). The report keeps the first
NMS_IMPORT_MAX_ERRORS errors and counts them all; the file is read within the limits of
`nms.common.xlsx` (size, unpacked size, rows, columns, cell length).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nms.common.xlsx import (
    CellError,
    FileError,
    cell_text,
    count_rows,
    limit,
    normalize,
    read_sheet,
)

CHUNK = 500  # ids per IN (...) query, within SQLite's limit of query parameters
EMPTY = "обязательное поле не заполнено"


# -- the report --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """What is wrong in one cell; row is None for a problem with the whole file."""

    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = [f"строка {self.row}"] if self.row else []
        if self.column:
            where.append(f"столбец «{self.column}»")
        if self.value:
            where.append(f"значение «{self.value}»")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


@dataclass
class ImportReport:
    """Counts are of file rows: a row created, changed or left as it was."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    municipalities_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # all errors found; `errors` holds the first NMS_IMPORT_MAX_ERRORS

    def __post_init__(self):
        self.error_count = max(self.error_count, getattr(self.errors, "total", 0), len(self.errors))

    @classmethod
    def rejected(cls, message: str, column: str = "") -> "ImportReport":
        return cls(errors=[RowError(None, column, "", message)])

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            count = max(self.error_count, len(self.errors))
            shown = f" (показаны первые {len(self.errors)})" if count > len(self.errors) else ""
            return (
                f"Файл не загружен, ничего не сохранено. Найдено ошибок: {count}{shown}. "
                "Исправьте их и загрузите файл снова."
            )
        if not self.created and not self.updated:
            return f"Изменений нет: все строки ({self.unchanged}) совпадают с данными реестра."
        text = (
            f"Файл загружен. Добавлено: {self.created}, изменено: {self.updated}, "
            f"без изменений: {self.unchanged}."
        )
        if self.municipalities_created:
            text += f" Создано муниципальных образований: {self.municipalities_created}."
        return text

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
            "error_count": max(self.error_count, len(self.errors)),
            "summary": self.summary,
        }


# -- columns and row parsing -------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    width: int = 18


@dataclass
class Row:
    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    unreadable: frozenset = frozenset()  # headers of cells already reported (formula, too long)


class ErrorList(list):
    """The errors kept, with `total`: how many were found."""

    total = 0


class ErrorCollector:
    """Keeps the first `limit` errors (NMS_IMPORT_MAX_ERRORS) and counts every one."""

    def __init__(self, limit_: int | None = None):
        self.errors: list[RowError] = []
        self.total = 0
        self.limit = limit("NMS_IMPORT_MAX_ERRORS") if limit_ is None else limit_

    def add(self, row: Row | None, column: str, message: str) -> None:
        self.total += 1
        if len(self.errors) >= self.limit:
            return
        number, value = (None, "") if row is None else (row.number, cell_text(row.raw.get(column)))
        self.errors.append(RowError(number, column, value, message))

    def sorted(self) -> list[RowError]:
        errors = ErrorList(sorted(self.errors, key=lambda e: e.row or 0))
        errors.total = self.total
        return errors


def read_rows(file, columns: tuple[Column, ...], errors: ErrorCollector) -> list[Row]:
    """The rows of the file, or [] with errors for an unreadable or empty file, bad headers."""
    try:
        sheet = read_sheet(file, [c.header for c in columns])
    except FileError as exc:
        errors.add(None, "", str(exc))
        return []
    if not sheet.has_content:
        errors.add(None, "", "Файл пуст.")
        return []
    for header in sheet.missing(c.header for c in columns if c.required):
        errors.add(None, header, "в файле нет обязательного столбца")
    for header in sheet.duplicates:
        errors.add(None, header, "столбец встречается в заголовке больше одного раза")
    if errors.errors:
        return []
    if not sheet.rows:
        errors.add(None, "", "В файле нет строк с данными.")
    rows = []
    for number, raw in sheet.rows:
        problems = sheet.problems.get(number)
        row = Row(number, raw, unreadable=frozenset(problems or ()))
        for header, message in (problems or {}).items():
            errors.add(row, header, message)
        rows.append(row)
    return rows


def parse_rows(
    rows: list[Row], columns, parsers: dict[str, Callable], errors: ErrorCollector
) -> None:
    """Fill row.values from the columns present in the file; an absent column is left as is."""
    for row in rows:
        for column in columns:
            if column.header not in row.raw or column.header in row.unreadable:
                continue
            value = row.raw[column.header]
            if value is None and column.required:
                errors.add(row, column.header, EMPTY)
                continue
            try:
                row.values[column.field] = parsers[column.field](value)
            except CellError as exc:
                errors.add(row, column.header, str(exc))


def choice_parser(choices, what: str = "", *, empty="", message: str = "") -> Callable:
    """A cell → the value of one of `choices` (a TextChoices class), named by its label or its
    value (case, ё and spaces ignored); an empty cell → `empty`. Anything else is an error:
    `message`, or «{what}: одно из значений «…»» listing the labels."""
    keys = {normalize(c.label): c.value for c in choices} | {
        normalize(c.value): c.value for c in choices
    }
    error = message or f"{what}: одно из значений «{'», «'.join(c.label for c in choices)}»"

    def parse(value):
        if value is None:
            return empty
        try:
            return keys[normalize(value)]
        except KeyError:
            raise CellError(error) from None

    return parse


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_repeats(
    rows: list[Row], key_fields: tuple[str, ...], header: str, what: str, errors: ErrorCollector
) -> None:
    """A key (ИНН; СНИЛС with ИНН организации) may occur in one row of the file only."""
    first: dict[tuple, int] = {}
    for row in rows:
        if not all(f in row.values for f in key_fields):
            continue
        key = tuple(row.values[f] for f in key_fields)
        if key in first:
            errors.add(row, header, f"{what} уже встречается в строке {first[key]}")
        else:
            first[key] = row.number


# -- progress of an import: `progress(done, total)`, with `progress.phase(text)` when a job shows it
PROGRESS_ROWS = 500  # rows checked between two calls of progress(done, total)
READING = "Чтение файла…"
CHECKING = "Проверка строк файла…"


def silent(done: int, total: int | None = None) -> None:
    """The progress callback when nobody watches."""


def step(progress, message: str) -> None:
    """Name the step that follows when the callback can show it (a job's Progress)."""
    phase = getattr(progress, "phase", None)
    if phase is not None:
        phase(message)


def in_steps(rows: list, message: str, progress) -> Iterable[list]:
    """The rows in slices of PROGRESS_ROWS, progress(done, total) reported after each."""
    total = len(rows)
    step(progress, message)
    progress(0, total)
    for start in range(0, total, PROGRESS_ROWS):
        yield rows[start : start + PROGRESS_ROWS]
        progress(min(start + PROGRESS_ROWS, total), total)


def parse_with_progress(rows: list[Row], columns, parsers: dict, errors, progress) -> None:
    """parse_rows, reporting progress(done, total) every PROGRESS_ROWS rows (no queries)."""
    for part in in_steps(rows, CHECKING, progress):
        parse_rows(part, columns, parsers, errors)


class Batches:
    """Records saved so far, reported as progress(done, total) once per saved batch."""

    def __init__(self, progress, message: str, total: int):
        self.progress, self.total, self.done = progress, total, 0
        if total:
            step(progress, message)
            progress(0, total)

    def saved(self, count: int) -> None:
        self.done += count
        self.progress(self.done, self.total)


def data_rows(file, at_most: int | None = None) -> int:
    """How many rows below the header the file's first sheet has, counted up to `at_most`
    (default: one more than NMS_EXPORT_SYNC_LIMIT), to choose between a synchronous import and a
    background job; 0 for an unreadable or over-limit file (the importer itself reports it, at
    once). Streamed and bounded; the file is left at its start."""
    if at_most is None:
        at_most = limit("NMS_EXPORT_SYNC_LIMIT") + 1
    return count_rows(file, at_most)
