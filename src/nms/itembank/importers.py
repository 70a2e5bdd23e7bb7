"""The item bank in XLSX: export (the same columns the import takes), the empty template, and the
import, which creates or updates items by Шифр and saves nothing when any row has an error.

Rows go through the same notation and rules as the bank's page (nms.itembank.services).

`progress`, when given, is called as `progress(done, total)` while the rows are checked (every
PROGRESS_ROWS rows) and once per saved batch of items (a job's Progress also shows each step's
name); it adds no query. The page runs the import as a background job (`import_job`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nms.common import jobs
from nms.common.importing import (
    PROGRESS_ROWS,
    Column,
    ErrorCollector,
    ImportReport,
    Row,
    check_repeats,
    chunks,
    in_steps,
    parse_rows,
    read_rows,
    silent,
    step,
)
from nms.common.xlsx import (
    CellError,
    TemplateColumn,
    build_template,
    normalize,
    parse_text,
    workbook_bytes,
    write_cell,
    write_row,
)
from nms.itembank.models import (
    CompetencyArea,
    Difficulty,
    Item,
    ItemKind,
    ReviewStatus,
    SubCompetency,
)
from nms.itembank.services import (
    CODE_LENGTH,
    CONTENT_FIELDS,
    IN_USE,
    KEY_HINTS,
    MAX_POINTS,
    SCORED_FIELDS,
    NotationError,
    check_edit,
    clean_text,
    format_key,
    format_options,
    item_changes,
    options_error,
    parse_key,
    parse_options,
    rule_errors,
)
from nms.registry.models import Subject

# -- XLSX --------------------------------------------------------------------------------------
COLUMNS = (
    Column("Шифр", "code", required=True, width=14),
    Column("Область", "area", required=True, width=24),
    Column("Компетенция", "subcompetency", width=40),
    Column("Предмет", "subject", width=20),
    Column("Тип", "kind", required=True, width=28),
    Column("Сложность", "difficulty", width=13),
    Column("Формулировка", "text", required=True, width=60),
    Column("Варианты", "options", width=45),
    Column("Варианты (правый столбец)", "options_right", width=40),
    Column("Ключ", "key", required=True, width=18),
    Column("Баллы", "points", width=8),
    Column("Статус", "status", width=14),
)
HEADERS = {c.field: c.header for c in COLUMNS}
KIND = "items"  # the job's kind is import_items
BATCH = 500  # items per INSERT or UPDATE
READING = "Проверка строк файла…"
CHECKING = "Проверка заданий по правилам банка…"
SAVING = "Сохранение заданий…"
WRAPPED = {"text", "options", "options_right", "subcompetency"}
AS_TEXT = {"code", "key"}  # Excel must not turn «1-3» into a date or «1,3» into a number

RULES = [
    ("Шифр", "Уникальный код задания. Задание с уже существующим шифром будет обновлено."),
    ("Область", "Область компетенций — как на листе «Справочники»."),
    ("Компетенция", "Необязательно. Компетенция выбранной области — как на листе «Справочники»."),
    ("Предмет", "Обязателен для предметной области и не заполняется для остальных."),
    ("Тип", "Один из типов на листе «Справочники»."),
    ("Сложность", "базовый, повышенный или высокий (или 1, 2, 3); по умолчанию — повышенный."),
    ("Формулировка", "Текст задания; переносы строк сохраняются (Alt+Enter)."),
    (
        "Варианты",
        "По одному на строке (Alt+Enter). Для соответствия — левый столбец. "
        "Для краткого ответа не заполняется.",
    ),
    ("Варианты (правый столбец)", "Только для соответствия: правый столбец, по одному на строке."),
    (
        "Ключ",
        "Номера считаются от 1. " + "; ".join(f"{k.label}: {h}" for k, h in KEY_HINTS.items()),
    ),
    ("Баллы", f"Целое число от 1 до {MAX_POINTS}; по умолчанию 1."),
    ("Статус", "черновик, на экспертизе, утверждено или отклонено; по умолчанию — черновик."),
]


def _reference() -> dict[str, list[str]]:
    return {
        "Область": list(CompetencyArea.objects.values_list("name", flat=True)),
        "Компетенция": [
            f"{area}: {name}"
            for area, name in SubCompetency.objects.values_list("area__name", "name")
        ],
        "Предмет": list(Subject.objects.values_list("name", flat=True)),
        "Тип": ItemKind.labels,
        "Сложность": Difficulty.labels,
        "Статус": ReviewStatus.labels,
    }


def _row(item: Item) -> list:
    options, right = format_options(item.kind, item.options)
    return [
        item.code,
        item.area.name,
        item.subcompetency.name if item.subcompetency else None,
        item.subject.name if item.subject else None,
        item.get_kind_display(),
        item.get_difficulty_display(),
        item.text,
        options or None,
        right or None,
        format_key(item.kind, item.key),
        item.points,
        item.get_status_display(),
    ]


def bank_export_xlsx(queryset: QuerySet[Item], progress: Callable | None = None) -> bytes:
    """The items as a workbook to edit and import back: data, allowed values, filling rules.
    `progress(done, total)` is called every 500 items (a big list is exported as a job)."""
    template = build_template(
        [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS],
        _reference(),
        "Банк заданий",
    )
    workbook = load_workbook(BytesIO(template))
    sheet = workbook.worksheets[0]
    fields = [c.field for c in COLUMNS]
    for index, field in enumerate(fields, start=1):
        if field in AS_TEXT:
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    items = queryset.select_related("area", "subject", "subcompetency")
    total = items.count() if progress is not None else 0
    for number, item in enumerate(items.iterator(chunk_size=500), start=2):
        if progress is not None and (number - 2) % PROGRESS_ROWS == 0:
            progress(number - 2, total)
        for index, value in enumerate(_row(item), start=1):
            cell = write_cell(sheet, number, index, value)
            cell.alignment = wrap if fields[index - 1] in WRAPPED else top
            if fields[index - 1] in AS_TEXT:
                cell.number_format = "@"
    rules = workbook.create_sheet("Как заполнять")
    write_row(rules, ["Столбец", "Что указывать"])
    for cell in rules[1]:
        cell.font = Font(bold=True)
    for header, text in RULES:
        write_row(rules, [header, text])
    rules.column_dimensions["A"].width = 28
    rules.column_dimensions["B"].width = 120
    return workbook_bytes(workbook)


def bank_template_xlsx() -> bytes:
    return bank_export_xlsx(Item.objects.none())


class BankImportReport(ImportReport):
    """Counts are of file rows: an item created, changed or left as it was."""

    @property
    def summary(self) -> str:
        if self.errors:
            return super().summary
        if not self.created and not self.updated:
            return f"Изменений нет: все строки ({self.unchanged}) совпадают с банком заданий."
        return (
            f"Файл загружен. Добавлено заданий: {self.created}, изменено: {self.updated}, "
            f"без изменений: {self.unchanged}."
        )


def _choice(mapping: dict, message: str):
    keys = {normalize(name): value for name, value in mapping.items()}

    def parse(value):
        if value is None:
            return None
        try:
            return keys[normalize(value)]
        except KeyError:
            raise CellError(f"{message}; допустимые значения — на листе «Справочники»") from None

    return parse


def _labels(choices, *extra: dict) -> dict:
    mapping = {**{c.label: c.value for c in choices}, **{str(c.value): c.value for c in choices}}
    for more in extra:
        mapping.update(more)
    return mapping


def _points(value) -> int | None:
    if value is None:
        return None
    text = parse_text(value)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_POINTS:
        raise CellError(f"баллы — целое число от 1 до {MAX_POINTS}")
    return int(text)


def _parsers() -> dict:
    areas = {}
    for area in CompetencyArea.objects.all():
        areas[area.code] = area
        areas[area.name] = area
    subjects = {subject.name: subject for subject in Subject.objects.all()}
    return {
        "code": lambda value: parse_text(value, CODE_LENGTH),
        "area": _choice(areas, "неизвестная область компетенций"),
        "subcompetency": lambda value: None if value is None else parse_text(value),
        "subject": _choice(subjects, "предмет не найден в справочнике"),
        "kind": _choice(_labels(ItemKind), "неизвестный тип задания"),
        "difficulty": _choice(_labels(Difficulty), "сложность — базовый, повышенный или высокий"),
        "text": clean_text,
        "options": lambda value: value,
        "options_right": lambda value: value,
        "key": lambda value: None if value is None else parse_text(value),
        "points": _points,
        "status": _choice(_labels(ReviewStatus), "неизвестный статус"),
    }


@dataclass
class _Plan:
    """What a valid row does: create an item, change some of its fields, or nothing."""

    item: Item
    changed: set[str]
    created: bool = False


def _items_by_code(rows: list[Row]) -> dict[str, Item]:
    codes = sorted({row.values["code"] for row in rows if "code" in row.values})
    found = {}
    for chunk in chunks(codes):
        items = Item.objects.filter(code__in=chunk).select_related("subject", "subcompetency")
        found.update({item.code: item for item in items})
    return found


def _locked_ids(items: list[Item]) -> set[int]:
    locked = set()
    for chunk in chunks([item.pk for item in items]):
        locked.update(
            Item.objects.filter(pk__in=chunk, variants__attempts__isnull=False)
            .values_list("pk", flat=True)
            .distinct()
        )
    return locked


def _subcompetencies() -> dict[tuple[int, str], SubCompetency]:
    """By area and name: the name alone or «area: name», as the reference sheet lists it."""
    found = {}
    for sub in SubCompetency.objects.select_related("area"):
        found[(sub.area_id, normalize(sub.name))] = sub
        found[(sub.area_id, normalize(f"{sub.area.name}: {sub.name}"))] = sub
    return found


def _stored(existing: Item | None, field: str, default=None):
    """For an absent column or an empty optional cell: the stored value, or the default."""
    return getattr(existing, field) if existing is not None else default


def _row_values(row: Row, existing: Item | None, subcompetencies, errors: ErrorCollector):
    """Model values of a row, or None (with errors added) when they cannot be made."""
    raw, parsed = row.raw, row.values
    if not {"code", "area", "kind", "text", "key"} <= parsed.keys():
        return None  # a required cell had an error already
    area, kind = parsed["area"], parsed["kind"]
    values = {
        "code": parsed["code"],
        "area": area,
        "kind": kind,
        "text": parsed["text"],
        "subject": parsed["subject"] if "subject" in parsed else _stored(existing, "subject"),
        "difficulty": parsed.get("difficulty")
        or _stored(existing, "difficulty", Difficulty.MEDIUM),
        "points": parsed.get("points") or _stored(existing, "points", 1),
    }
    if HEADERS["subcompetency"] in raw:
        name = parsed.get("subcompetency")
        values["subcompetency"] = subcompetencies.get((area.pk, normalize(name))) if name else None
        if name and values["subcompetency"] is None:
            errors.add(
                row,
                HEADERS["subcompetency"],
                f"в области «{area.name}» нет такой компетенции; "
                "допустимые значения — на листе «Справочники»",
            )
            return None
    else:
        kept = existing.subcompetency if existing is not None else None
        values["subcompetency"] = kept if kept is not None and kept.area_id == area.pk else None
    if HEADERS["options"] in raw or HEADERS["options_right"] in raw or existing is None:
        values["options"] = parse_options(
            kind, raw.get(HEADERS["options"]), raw.get(HEADERS["options_right"])
        )
    else:
        values["options"] = existing.options
    failed = False
    for field, message in rule_errors(values).items():
        errors.add(row, HEADERS[field], message)
        failed = True
    if problem := options_error(kind, values["options"]):
        errors.add(row, HEADERS[problem[0]], problem[1])
        return None
    try:
        values["key"] = parse_key(kind, parsed["key"], values["options"])
    except NotationError as exc:
        errors.add(row, HEADERS["key"], str(exc))
        return None
    return None if failed else values


def _plan(row: Row, existing, locked: set[int], subcompetencies, errors) -> _Plan | None:
    values = _row_values(row, existing, subcompetencies, errors)
    if values is None:
        return None
    explicit_status = row.values.get("status")
    if existing is None:
        values["status"] = explicit_status or ReviewStatus.DRAFT
        return _Plan(Item(**values), set(), created=True)
    if explicit_status:
        values["status"] = explicit_status
    changed = item_changes(existing, values)
    if changed & SCORED_FIELDS and existing.pk in locked:
        field = next(f for f in ("key", "options", "kind", "points") if f in changed)
        errors.add(row, HEADERS[field], IN_USE)
        return None
    for field in changed:
        setattr(existing, field, values[field])
    if (
        changed & CONTENT_FIELDS
        and existing.status == ReviewStatus.APPROVED
        and not explicit_status
    ):
        existing.status = ReviewStatus.REVIEW
        changed.add("status")
    return _Plan(existing, changed)


def bank_import(
    user, file, *, only_new: bool = False, progress: Callable | None = None
) -> BankImportReport:
    """Create or update items by Шифр from XLSX; a file with any error saves nothing.

    `user=None` is the system (the command line): no rights check. `only_new`: rows whose Шифр
    is already in the bank are left out (counted as unchanged), the bank's items stay as they are.
    """
    check_edit(user)
    progress = progress or silent
    errors = ErrorCollector()
    rows = read_rows(file, COLUMNS, errors)
    parsers = _parsers()
    for part in in_steps(rows, READING, progress):
        parse_rows(part, COLUMNS, parsers, errors)
    check_repeats(rows, ("code",), HEADERS["code"], "шифр", errors)
    existing = _items_by_code(rows)
    skipped = 0
    if only_new and existing:
        kept = [row for row in rows if row.values.get("code") not in existing]
        skipped, rows, existing = len(rows) - len(kept), kept, {}
    locked = _locked_ids(list(existing.values()))
    subcompetencies = _subcompetencies()
    plans = []
    for part in in_steps(rows, CHECKING, progress):
        plans.extend(
            _plan(row, existing.get(row.values.get("code")), locked, subcompetencies, errors)
            for row in part
        )
    if errors.errors:
        return BankImportReport(errors=errors.sorted())
    report = BankImportReport(
        created=sum(1 for p in plans if p.created),
        updated=sum(1 for p in plans if not p.created and p.changed),
        unchanged=skipped + sum(1 for p in plans if not p.created and not p.changed),
    )
    changed_fields = sorted(set().union(*(p.changed for p in plans if not p.created)))
    created = [p.item for p in plans if p.created]
    changed = [p.item for p in plans if not p.created and p.changed]
    saved = 0
    try:
        with transaction.atomic():
            if created or changed:
                step(progress, SAVING)
                progress(0, len(created) + len(changed))
            # The batches bulk_create and bulk_update would make, each reported when written.
            for batch in chunks(created, BATCH):
                Item.objects.bulk_create(batch, batch_size=BATCH)
                saved += len(batch)
                progress(saved, len(created) + len(changed))
            for batch in chunks(changed, BATCH):
                Item.objects.bulk_update(batch, changed_fields, batch_size=BATCH)
                saved += len(batch)
                progress(saved, len(created) + len(changed))
    except IntegrityError:
        # Someone added an item with one of the file's codes between our checks and our writes.
        return BankImportReport.rejected(
            "Во время загрузки банк заданий изменился. Загрузите файл ещё раз."
        )
    return report


# -- the import as a background job --------------------------------------------------------------
@jobs.job_work(phase=READING)
def import_job(job, progress) -> jobs.JobOutcome:
    """The page's upload as a job: the importer reads the stored file as the user who uploaded
    it, in the job's one transaction, and reports progress. A file with errors saves nothing;
    the report keeps every error's row, column and value."""
    report = bank_import(job.user, BytesIO(bytes(job.upload)), progress=progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


def import_kinds(user) -> list[tuple[str, str]]:
    """What the import page offers (its ImportSpec): one kind, for those who edit the bank."""
    return [(KIND, "задания банка")]
