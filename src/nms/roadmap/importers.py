"""A roadmap from and to XLSX in the seeds' column layout.

Columns (the header row is found below any title rows; the seeds' own long headers are accepted
too): «№», «Системообразующее мероприятие», «Мероприятие», «Ответственный», «Исполнители»,
«Срок», «Результат», «Показатель» (an indicator's code), «Целевое значение». Directions and
measures are heading rows:

- a direction: a cell reading «Направление 1 «Управление системой…»» and no activity on the row;
- a measure: its number («1.2», optional) and its name in «Системообразующее мероприятие» with no
  activity on the row — or, as in the seeds, on the row of its first activity;
- an activity: «Мероприятие» filled; its number is «№» («1.2.3»), a number at the start of its
  name («1. Разработка…» → «<measure>.1») or the next one in its measure.

The import is all or nothing: every bad row is named with its column, and nothing is saved.
Rows are matched to what the roadmap has by number (directions, measures, activities): a
re-import updates, a new number is added, nothing is deleted. The export writes the same layout,
so an export imports back to the same roadmap (tests/roadmap/test_transfer.py).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nms.common import jobs
from nms.common.importing import ErrorCollector, ImportReport, Row
from nms.common.text import search_key
from nms.common.xlsx import (
    CellError,
    FileError,
    cell_text,
    parse_decimal,
    read_sheet,
    workbook_bytes,
    write_row,
)
from nms.roadmap import deadlines
from nms.roadmap.models import (
    Activity,
    Direction,
    Measure,
    ResponsibleKind,
    Roadmap,
)

DATA_DIR = Path(__file__).with_name("data")  # seed_000.json: the rows of seed 000's roadmap
NUMBER, MEASURE, TITLE = "№", "Системообразующее мероприятие", "Мероприятие"
RESPONSIBLE, EXECUTORS, DEADLINE = "Ответственный", "Исполнители", "Срок"
RESULT, INDICATOR, TARGET = "Результат", "Показатель", "Целевое значение"
COLUMNS = (NUMBER, MEASURE, TITLE, RESPONSIBLE, EXECUTORS, DEADLINE, RESULT, INDICATOR, TARGET)
WIDTHS = (10, 40, 50, 28, 28, 22, 45, 12, 12)
ALIASES = {
    NUMBER: ("№ п/п", "№ п.п.", "Номер"),
    MEASURE: (
        "Наименование системообразующего мероприятия регионального уровня",
        "Наименование системообразующего мероприятия",
        "Системообразующее мероприятие регионального уровня",
    ),
    TITLE: ("Наименование мероприятия",),
    RESPONSIBLE: ("Ответственный субъект РС НМС", "Ответственный субъект"),
    EXECUTORS: (
        "Ответственный исполнитель (соисполнители)",
        "Ответственный исполнитель (соисполнитель)",
        "Исполнитель",
    ),
    DEADLINE: ("Сроки", "Срок исполнения"),
    RESULT: ("Результат выполнения мероприятия", "Результат/показатель", "Результат / показатель"),
    INDICATOR: ("Код показателя",),
    TARGET: ("Цель", "Целевое значение показателя"),
}
REQUIRED = (TITLE, RESPONSIBLE, DEADLINE)
DIRECTION_RE = re.compile(r"^направление\s+(\d+)\.?\s*(.*)$", re.IGNORECASE | re.DOTALL)
LOCAL_NUMBER_RE = re.compile(r"^(\d+)[.)]\s+(.+)$", re.DOTALL)
NUMBER_RE = re.compile(r"^\d+(\.\d+)*\.?$")
QUOTES = '«»"“”„ '


@dataclass
class ParsedActivity:
    row: int
    number: str
    fields: dict


@dataclass
class ParsedMeasure:
    number: str
    title: str
    activities: list = field(default_factory=list)


@dataclass
class ParsedDirection:
    number: int
    title: str
    measures: list = field(default_factory=list)


# -- the responsible subject -------------------------------------------------------------------
class Responsibles:
    """The responsible subject of a document's text: a kind and, where it names one, the
    municipality or organization of the region (matched by name, ё as е)."""

    def __init__(self, region):
        from nms.registry.models import Municipality, Organization

        self.municipalities = [
            (search_key(name), pk)
            for pk, name in Municipality.objects.filter(region=region).values_list("pk", "name")
            if name and len(name) >= 4
        ]
        self.municipalities.sort(key=lambda pair: -len(pair[0]))  # «№ 12» before «№ 1»
        self.organizations = [
            (search_key(name), pk)
            for pk, name in Organization.objects.filter(region=region).values_list(
                "pk", "short_name"
            )
            if name and len(name) >= 5
        ]
        self.organizations.sort(key=lambda pair: -len(pair[0]))

    def of(self, text: str) -> dict:
        key = search_key(text)
        organization = next((pk for name, pk in self.organizations if name in key), None)
        municipality = next((pk for name, pk in self.municipalities if name in key), None)
        if "цнппм" in key or "центр непрерывного" in key:
            kind = ResponsibleKind.CNPPM
        elif "министерств" in key or key.startswith("минобр") or " минобр" in key:
            kind = ResponsibleKind.MINISTRY
        elif re.search(r"\bиро\b|институт|ипк|ироипк|\bдпо\b", key):
            kind = ResponsibleKind.INSTITUTE
        elif organization:
            kind = ResponsibleKind.ORGANIZATION
        elif municipality:
            kind = ResponsibleKind.MUNICIPALITY
        else:
            kind = ResponsibleKind.OTHER
        return {
            "responsible_kind": kind,
            "responsible_text": text,
            "responsible_organization_id": organization,
            "responsible_municipality_id": municipality
            if kind == ResponsibleKind.MUNICIPALITY
            else None,
        }


# -- reading -----------------------------------------------------------------------------------
def _headers() -> list[str]:
    return [alias for column in COLUMNS for alias in (column, *ALIASES.get(column, ()))]


def _logical(raw: dict) -> dict:
    values = {}
    for column in COLUMNS:
        for alias in (column, *ALIASES.get(column, ())):
            if raw.get(alias) is not None:
                values[column] = raw[alias]
                break
    return values


def read_rows(file, errors: ErrorCollector) -> list[Row]:
    try:
        sheet = read_sheet(file, _headers())
    except FileError as exc:
        errors.add(None, "", str(exc))
        return []
    if not sheet.has_content:
        errors.add(None, "", "Файл пуст.")
        return []
    found = {c for c in COLUMNS if any(a in sheet.found for a in (c, *ALIASES.get(c, ())))}
    for column in REQUIRED:
        if column not in found:
            errors.add(None, column, "в файле нет обязательного столбца")
    if errors.errors:
        return []
    rows = []
    for number, raw in sheet.rows:
        row = Row(number, _logical(raw))
        for header, message in (sheet.problems.get(number) or {}).items():
            errors.add(row, header, message)
        rows.append(row)
    if not rows:
        errors.add(None, "", "В файле нет строк с данными.")
    return rows


def _text(row: Row, column: str) -> str:
    return cell_text(row.raw.get(column)).strip()


def _direction_of(texts) -> tuple[int, str] | None:
    for text in texts:
        match = DIRECTION_RE.match(text)
        if match:
            return int(match.group(1)), match.group(2).strip().strip(QUOTES).strip()
    return None


def parse(rows: list[Row], region, errors: ErrorCollector, indicators=None) -> list:
    """Directions → measures → activities of the rows; each bad cell goes to `errors`."""
    responsibles = Responsibles(region)
    indicators = _indicators(region) if indicators is None else indicators
    directions: list[ParsedDirection] = []
    seen: dict[str, int] = {}
    for row in rows:
        number_text = _text(row, NUMBER).rstrip(".")
        measure_text, title = _text(row, MEASURE), _text(row, TITLE)
        activity_cells = [
            _text(row, c) for c in (RESPONSIBLE, EXECUTORS, DEADLINE, RESULT, INDICATOR, TARGET)
        ]
        heading = _direction_of([t for t in (number_text, measure_text, title) if t])
        if heading and not any(activity_cells):
            number, name = heading
            if any(d.number == number for d in directions):
                errors.add(row, NUMBER, f"направление {number} уже встречалось в файле")
            directions.append(ParsedDirection(number, name or f"Направление {number}"))
            continue
        if not directions:
            errors.add(row, TITLE, "строка до первого направления: начните с «Направление 1 «…»»")
            continue
        direction = directions[-1]
        if number_text and not NUMBER_RE.match(number_text):
            errors.add(row, NUMBER, "номер — числа через точку, например 1.2.3")
            number_text = ""
        parts = number_text.split(".") if number_text else []
        if measure_text:
            if len(parts) == 2:
                measure_number = number_text
            elif len(parts) >= 3:
                measure_number = ".".join(parts[:-1])
            else:
                measure_number = f"{direction.number}.{len(direction.measures) + 1}"
            direction.measures.append(ParsedMeasure(measure_number, measure_text))
            if not title:
                if any(activity_cells):
                    errors.add(
                        row, TITLE, "в строке есть срок или ответственный, но нет мероприятия"
                    )
                continue
        elif not title:
            errors.add(row, TITLE, "не заполнено ни мероприятие, ни системообразующее мероприятие")
            continue
        if not direction.measures:
            errors.add(row, MEASURE, "мероприятие до первого системообразующего мероприятия")
            continue
        measure = direction.measures[-1]
        local = LOCAL_NUMBER_RE.match(title)
        if len(parts) >= 3:
            number = ".".join(parts)
        elif local:
            number = f"{measure.number}.{local.group(1)}"
        else:
            number = f"{measure.number}.{len(measure.activities) + 1}"
        if local:
            title = local.group(2).strip()
        fields = _activity_fields(row, title, responsibles, indicators, errors)
        if number in seen:
            errors.add(row, NUMBER, f"мероприятие № {number} уже есть в строке {seen[number]}")
        seen[number] = row.number
        measure.activities.append(ParsedActivity(row.number, number, fields))
    return directions


def _indicators(region) -> dict:
    from django.apps import apps
    from django.db.models import Q

    Indicator = apps.get_model("monitoring", "Indicator")
    found = {}
    rows = Indicator.objects.filter(Q(region__isnull=True) | Q(region=region)).order_by("region_id")
    for pk, code in rows.values_list("pk", "code"):
        found[search_key(code)] = pk  # the region's own (after the built-in) wins
    return found


def _activity_fields(row, title, responsibles, indicators, errors) -> dict:
    fields = {"title": title}
    responsible = _text(row, RESPONSIBLE)
    if not responsible:
        errors.add(row, RESPONSIBLE, "обязательное поле не заполнено")
    else:
        fields.update(responsibles.of(responsible))
    deadline_text = " ".join(_text(row, DEADLINE).split())
    try:
        fields.update(deadlines.parse(deadline_text).as_fields(), deadline_text=deadline_text)
    except ValidationError as exc:
        errors.add(row, DEADLINE, " ".join(exc.messages))
    fields["executors"] = _text(row, EXECUTORS)
    fields["result"] = _text(row, RESULT)
    code = _text(row, INDICATOR)
    fields["indicator_id"] = None
    if code:
        pk = indicators.get(search_key(code))
        if pk is None:
            errors.add(row, INDICATOR, "нет показателя мониторинга с таким кодом")
        fields["indicator_id"] = pk
    fields["target_value"] = None
    if row.raw.get(TARGET) is not None:
        try:
            fields["target_value"] = parse_decimal(row.raw[TARGET])
        except CellError as exc:
            errors.add(row, TARGET, str(exc))
    for name, limit in (("title", None), ("responsible_text", 500), ("deadline_text", 500)):
        if limit and len(fields.get(name) or "") > limit:
            errors.add(row, RESPONSIBLE if name == "responsible_text" else DEADLINE,
                       f"значение длиннее {limit} символов")  # fmt: skip
    return fields


# -- saving ------------------------------------------------------------------------------------
ACTIVITY_FIELDS = (
    "title", "responsible_kind", "responsible_text", "responsible_organization_id",
    "responsible_municipality_id", "executors", "deadline_kind", "deadline_text",
    "deadline_dates", "deadline_annual", "deadline_from", "deadline_to", "result",
    "indicator_id", "target_value",
)  # fmt: skip


def save(roadmap: Roadmap, directions: list[ParsedDirection]) -> ImportReport:
    """Write parsed rows into the roadmap, matched by number; in bulk."""
    from nms.roadmap.services import sync_periods

    report = ImportReport()
    have_directions = {d.number: d for d in roadmap.directions.all()}
    new_directions = [
        Direction(roadmap=roadmap, number=d.number, title=d.title).fill_search()
        for d in directions
        if d.number not in have_directions
    ]
    Direction.objects.bulk_create(new_directions)
    changed_directions = []
    for parsed in directions:
        known = have_directions.get(parsed.number)
        if known is not None and known.title != parsed.title:
            known.title = parsed.title
            known.version += 1
            changed_directions.append(known.fill_search())
    Direction.objects.bulk_update(changed_directions, ["title", "version", "search_text"])
    by_number = {d.number: d for d in Direction.objects.filter(roadmap=roadmap)}

    have_measures = {
        (m.direction_id, m.number): m for m in Measure.objects.filter(direction__roadmap=roadmap)
    }
    position = max([m.position for m in have_measures.values()] or [0])
    new_measures, changed_measures = [], []
    for parsed in directions:
        direction = by_number[parsed.number]
        for measure in parsed.measures:
            known = have_measures.get((direction.pk, measure.number))
            if known is None:
                position += 1
                made = Measure(
                    direction=direction, number=measure.number, title=measure.title,
                    position=position,
                ).fill_search()  # fmt: skip
                new_measures.append(made)
                have_measures[(direction.pk, measure.number)] = made
            elif known.title != measure.title:
                known.title = measure.title
                known.version += 1
                changed_measures.append(known.fill_search())
    Measure.objects.bulk_create(new_measures)
    Measure.objects.bulk_update(changed_measures, ["title", "version", "search_text"])

    have_activities = {a.number: a for a in Activity.objects.filter(roadmap=roadmap)}
    position = max([a.position for a in have_activities.values()] or [0])
    new, changed = [], []
    for parsed in directions:
        direction = by_number[parsed.number]
        for measure in parsed.measures:
            saved_measure = have_measures[(direction.pk, measure.number)]
            for item in measure.activities:
                known = have_activities.get(item.number)
                if known is None:
                    position += 1
                    new.append(
                        Activity(
                            roadmap=roadmap, measure=saved_measure, number=item.number,
                            position=position, **item.fields,
                        ).fill_search()
                    )  # fmt: skip
                    report.created += 1
                    continue
                differs = known.measure_id != saved_measure.pk or any(
                    getattr(known, name) != value for name, value in item.fields.items()
                )
                if not differs:
                    report.unchanged += 1
                    continue
                known.measure = saved_measure
                for name, value in item.fields.items():
                    setattr(known, name, value)
                known.version += 1
                changed.append(known.fill_search())
                report.updated += 1
    Activity.objects.bulk_create(new)
    Activity.objects.bulk_update(changed, [*ACTIVITY_FIELDS, "measure", "version", "search_text"])
    sync_periods(Activity.objects.filter(roadmap=roadmap), roadmap)
    return report


def import_roadmap(user, roadmap: Roadmap, file) -> ImportReport:
    """All or nothing: the report names each bad row; with any error nothing is saved."""
    from nms.accounts.scope import scope_of

    if not scope_of(user).can("roadmap.edit", roadmap):
        return ImportReport.rejected("У вас нет прав на изменение этой дорожной карты.")
    errors = ErrorCollector()
    rows = read_rows(file, errors)
    directions = parse(rows, roadmap.region, errors) if rows else []
    if errors.errors:
        return ImportReport(errors=errors.sorted())
    with transaction.atomic():
        Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
        return save(roadmap, directions)


def rows_of(data: list[dict]) -> list[Row]:
    """Rows from a list of dicts keyed by the columns (the demo's data file, tests)."""
    return [Row(index, {k: v for k, v in item.items() if v not in (None, "")})
            for index, item in enumerate(data, start=2)]  # fmt: skip


@jobs.job_work(phase="Чтение файла…")
def import_job(job, progress) -> jobs.JobOutcome:
    kind = job.params.get("kind", "")
    roadmap = Roadmap.objects.filter(pk=int(kind.split("-")[-1] or 0)).first()
    if roadmap is None:
        raise jobs.JobFailed("Дорожная карта не найдена.")
    report = import_roadmap(job.user, roadmap, BytesIO(bytes(job.upload)))
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


# -- export ------------------------------------------------------------------------------------
def _target(value) -> object:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def export_roadmap(roadmap: Roadmap, activities=None) -> bytes:
    """The roadmap in the import's layout: headings for directions and measures, a row per
    activity (the deadline as the document had it, else as `deadlines.render` writes it).
    `activities` — those the user sees (a school's own only): the headings of the others go."""
    restricted = activities is not None
    if activities is None:
        activities = Activity.objects.all()
    activities = list(
        activities.filter(roadmap=roadmap)
        .select_related("indicator", "responsible_organization", "responsible_municipality")
        .order_by("position", "id")
    )
    measures = list(Measure.objects.filter(direction__roadmap=roadmap).order_by("position", "id"))
    directions = list(roadmap.directions.all())
    if restricted:
        used = {a.measure_id for a in activities}
        measures = [m for m in measures if m.pk in used]
        used = {m.direction_id for m in measures}
        directions = [d for d in directions if d.pk in used]
    by_measure: dict[int, list] = {}
    for activity in activities:
        by_measure.setdefault(activity.measure_id, []).append(activity)
    by_direction: dict[int, list] = {}
    for measure in measures:
        by_direction.setdefault(measure.direction_id, []).append(measure)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    write_row(sheet, [roadmap.title])
    sheet["A1"].font = Font(bold=True)
    write_row(sheet, COLUMNS)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=2, column=index).font = Font(bold=True)
    for direction in directions:
        write_row(sheet, ["", f"Направление {direction.number} «{direction.title}»"])
        sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
        for measure in by_direction.get(direction.pk, []):
            write_row(sheet, [measure.number, measure.title])
            for activity in by_measure.get(measure.pk, []):
                write_row(
                    sheet,
                    [
                        activity.number, "", activity.title, activity.responsible_display,
                        activity.executors, activity.deadline_text or deadlines.render(activity),
                        activity.result, activity.indicator.code if activity.indicator else "",
                        _target(activity.target_value),
                    ],
                )  # fmt: skip
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
