"""Imports of the app programs (nms.common.importing: every row checked first, each bad row
named, a file with any error saves nothing):

- `federal`: the federal registry's list (ФР ДПП) as it is published — number, title, hours,
  provider, annotation — creating or updating the region's programmes by their federal number;
- `catalogue`: the region's own catalogue, creating or updating programmes by their title;
- `completions`: completions (СНИЛС, programme by federal number or title, run dates,
  certificate number and date): the run is found by its dates or created, the person enrolled
  (or their enrollment completed), and their route items pointing at it closed.

The federal registry's list is published as XLSX or CSV: a CSV file (UTF-8 or Windows-1251,
separated by «;» or «,») is read as if it were the first sheet of a workbook.
"""

import csv
import io
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from nms.accounts.scope import scope_of
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.importing import (
    READING,
    Column,
    ErrorCollector,
    ImportReport,
    check_repeats,
    choice_parser,
    parse_with_progress,
    read_rows,
    silent,
    step,
)
from nms.common.xlsx import (
    CellError,
    TemplateColumn,
    build_template,
    normalize,
    parse_date,
    parse_decimal,
    parse_text,
    workbook_bytes,
    write_row,
)
from nms.itembank.models import CompetencyArea
from nms.programs import selectors, services
from nms.programs.access import EDIT_CATALOGUE, ENROLL, enrollable_people
from nms.programs.models import (
    Audience,
    Enrollment,
    EnrollmentStatus,
    Origin,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    Run,
    Topic,
)
from nms.registry.models import Person

FEDERAL = "federal"
CATALOGUE = "catalogue"
COMPLETIONS = "completions"
KIND_LABELS = {
    FEDERAL: "Перечень ФР ДПП",
    CATALOGUE: "Каталог программ региона",
    COMPLETIONS: "Завершения обучения",
}
NO_RIGHTS = "У вас нет прав на этот импорт."


def available_kinds(user) -> list[tuple[str, str]]:
    scope = scope_of(user)
    kinds = []
    if scope.can(EDIT_CATALOGUE):
        kinds += [(FEDERAL, KIND_LABELS[FEDERAL]), (CATALOGUE, KIND_LABELS[CATALOGUE])]
    if scope.can(ENROLL):
        kinds.append((COMPLETIONS, KIND_LABELS[COMPLETIONS]))
    return kinds


# -- CSV as a sheet ------------------------------------------------------------------------------
def as_workbook(file):
    """The file itself when it is XLSX (a ZIP); a CSV file converted into a one-sheet workbook."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head.startswith(b"PK") or not head:
        return file
    raw = file.read()
    file.seek(0)
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return file
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Данные")
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        write_row(sheet, [cell.strip() or None for cell in row])
    return io.BytesIO(workbook_bytes(workbook))


# -- parsers -------------------------------------------------------------------------------------
_KIND = choice_parser(ProgrammeKind, message="ожидается «ПК» или «ПП»", empty=ProgrammeKind.PK)
_TOPIC = choice_parser(
    Topic, message="неизвестная тема; допустимые — на листе «Справочники» шаблона"
)


def _kind(value):
    if value is not None and normalize(value) in ("пк", "pk"):
        return ProgrammeKind.PK
    if value is not None and normalize(value) in ("пп", "pp"):
        return ProgrammeKind.PP
    return _KIND(value)


def _hours(value) -> int:
    number = parse_decimal(value)
    if number is None or number != int(number) or number < 1 or number > 5000:
        raise CellError("объём — целое число часов от 1 до 5000")
    return int(number)


def _text(max_length: int):
    return lambda value: parse_text(value, max_length)


def _topics(value) -> list[str]:
    return [_TOPIC(part) for part in parse_text(value).split(";") if part.strip()]


def _areas(value) -> list[str]:
    return [part.strip() for part in parse_text(value).split(";") if part.strip()]


def _snils(value) -> str:
    text = parse_text(value)
    if error := snils_error(text):
        raise CellError(error)
    return normalize_snils(text)


def _required_date(value) -> date:
    parsed = parse_date(value)
    if parsed is None:
        raise CellError("обязательное поле не заполнено")
    return parsed


# -- the federal registry and the catalogue -----------------------------------------------------
FEDERAL_COLUMNS = (
    Column("Номер в ФР ДПП", "federal_number", required=True, width=16),
    Column("Наименование", "title", required=True, width=60),
    Column("Объём, ч", "hours", required=True, width=10),
    Column("Организация-разработчик", "provider_name", width=40),
    Column("Аннотация", "annotation", width=60),
    Column("Дата включения", "federal_since", width=14),
)
FEDERAL_PARSERS = {
    "federal_number": _text(50),
    "title": _text(500),
    "hours": _hours,
    "provider_name": _text(500),
    "annotation": _text(2000),
    "federal_since": parse_date,
}
CATALOGUE_COLUMNS = (
    Column("Наименование", "title", required=True, width=60),
    Column("Вид", "kind", width=10),
    Column("Объём, ч", "hours", required=True, width=10),
    Column("Форма реализации", "format", width=16),
    Column("Организация-разработчик", "provider_name", width=40),
    Column("Слушатели", "audience", width=18),
    Column("Темы", "topics", width=40),
    Column("Области компетенций", "areas", width=40),
    Column("Происхождение", "origin", width=24),
    Column("Номер в ФР ДПП", "federal_number", width=16),
    Column("Аннотация", "annotation", width=60),
)
CATALOGUE_PARSERS = {
    "title": _text(500),
    "kind": _kind,
    "hours": _hours,
    "format": choice_parser(
        ProgrammeFormat, message="неизвестная форма реализации", empty=ProgrammeFormat.IN_PERSON
    ),
    "provider_name": _text(500),
    "audience": choice_parser(
        Audience, message="неизвестная категория слушателей", empty=Audience.TEACHERS
    ),
    "topics": _topics,
    "areas": _areas,
    "origin": choice_parser(Origin, message="неизвестное происхождение", empty=Origin.OWN),
    "federal_number": _text(50),
    "annotation": _text(2000),
}


def _catalogue_import(user, kind: str, file, progress) -> ImportReport:
    scope = scope_of(user)
    if not scope.can(EDIT_CATALOGUE):
        raise PermissionDenied(NO_RIGHTS)
    region = scope.default_region()
    if region is None:
        return ImportReport.rejected("Не удалось определить регион каталога.")
    federal = kind == FEDERAL
    columns, parsers = (
        (FEDERAL_COLUMNS, FEDERAL_PARSERS) if federal else (CATALOGUE_COLUMNS, CATALOGUE_PARSERS)
    )
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(as_workbook(file), columns, errors)
    parse_with_progress(rows, columns, parsers, errors, progress)
    key, header = ("federal_number", "Номер в ФР ДПП") if federal else ("title", "Наименование")
    check_repeats(rows, (key,), header, "Эта программа", errors)
    areas = {normalize(a.name): a for a in CompetencyArea.objects.all()}
    areas |= {normalize(a.code): a for a in areas.values()}
    for row in rows:
        for name in row.values.get("areas", []):
            if normalize(name) not in areas:
                errors.add(row, "Области компетенций", f"неизвестная область «{name}»")
    if errors.errors:
        return ImportReport(errors=errors.sorted(), error_count=errors.total)
    existing = {}
    for programme in Programme.objects.filter(region=region).exclude(**{key: ""}):
        existing.setdefault(getattr(programme, key), programme)
    report = ImportReport()
    with transaction.atomic():
        for row in rows:
            values = dict(row.values)
            area_names = values.pop("areas", None)
            if federal or values.get("federal_number"):
                values["in_federal_registry"] = True
            programme = existing.get(values[key])
            if programme is None:
                programme = Programme(region=region, origin=Origin.OTHER if federal else Origin.OWN)
                changed = True
            else:
                programme = Programme.objects.select_for_update().get(pk=programme.pk)
                changed = any(getattr(programme, f) != v for f, v in values.items())
            for field, value in values.items():
                setattr(programme, field, value)
            if programme.pk and changed:
                programme.version += 1
            created = programme.pk is None
            programme.save()
            if area_names is not None:
                wanted = {areas[normalize(n)].pk for n in area_names}
                if set(programme.areas.values_list("pk", flat=True)) != wanted:
                    programme.areas.set(wanted)
                    changed = True
            existing[values[key]] = programme
            if created:
                report.created += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# -- completions ---------------------------------------------------------------------------------
COMPLETION_COLUMNS = (
    Column("СНИЛС", "snils", required=True, width=16),
    Column("Программа", "programme", required=True, width=60),
    Column("Начало", "starts_on", required=True, width=12),
    Column("Окончание", "ends_on", required=True, width=12),
    Column("Номер удостоверения", "certificate_number", required=True, width=20),
    Column("Дата удостоверения", "completed_on", width=14),
)
COMPLETION_PARSERS = {
    "snils": _snils,
    "programme": _text(500),
    "starts_on": _required_date,
    "ends_on": _required_date,
    "certificate_number": _text(100),
    "completed_on": parse_date,
}
UNKNOWN_SNILS = "работник с таким СНИЛС не найден"
OUT_OF_SCOPE = "работник не работает в организациях вашей области доступа"
UNKNOWN_PROGRAMME = "программа не найдена ни по номеру в ФР ДПП, ни по наименованию"
END_BEFORE_START = "окончание раньше начала"
CERTIFICATE_TAKEN = "удостоверение с таким номером уже записано"


def _completions_import(user, file, progress) -> ImportReport:
    scope = scope_of(user)
    if not scope.can(ENROLL):
        raise PermissionDenied(NO_RIGHTS)
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(as_workbook(file), COMPLETION_COLUMNS, errors)
    parse_with_progress(rows, COMPLETION_COLUMNS, COMPLETION_PARSERS, errors, progress)
    check_repeats(rows, ("certificate_number",), "Номер удостоверения", "Этот номер", errors)
    snils = {r.values["snils"] for r in rows if "snils" in r.values}
    people = {p.snils: p for p in Person.objects.filter(snils__in=snils)}
    allowed = set(enrollable_people(scope).filter(snils__in=snils).values_list("pk", flat=True))
    programmes = scope.visible(Programme)
    names = {r.values["programme"] for r in rows if "programme" in r.values}
    by_number = {p.federal_number: p for p in programmes.filter(federal_number__in=names)}
    by_title = {p.title: p for p in programmes.filter(title__in=names)}
    numbers = {r.values["certificate_number"] for r in rows if "certificate_number" in r.values}
    taken = dict(
        Enrollment.objects.filter(certificate_number__in=numbers).values_list(
            "certificate_number", "person_id"
        )
    )
    plan = []
    for row in rows:
        v = row.values
        person = people.get(v.get("snils"))
        if "snils" in v:
            if person is None:
                errors.add(row, "СНИЛС", UNKNOWN_SNILS)
            elif person.pk not in allowed:
                errors.add(row, "СНИЛС", OUT_OF_SCOPE)
        programme = by_number.get(v.get("programme")) or by_title.get(v.get("programme"))
        if "programme" in v and programme is None:
            errors.add(row, "Программа", UNKNOWN_PROGRAMME)
        if v.get("starts_on") and v.get("ends_on") and v["ends_on"] < v["starts_on"]:
            errors.add(row, "Окончание", END_BEFORE_START)
        number = v.get("certificate_number")
        if number and number in taken and (person is None or taken[number] != person.pk):
            errors.add(row, "Номер удостоверения", CERTIFICATE_TAKEN)
        plan.append((row, person, programme))
    if errors.errors:
        return ImportReport(errors=errors.sorted(), error_count=errors.total)
    report = ImportReport()
    try:
        with transaction.atomic():
            for row, person, programme in plan:
                report_row(user, report, row.values, person, programme)
    except IntegrityError:
        return ImportReport.rejected("Во время загрузки данные изменились. Загрузите файл ещё раз.")
    return report


def report_row(user, report: ImportReport, values: dict, person, programme) -> None:
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    completed_on = values.get("completed_on") or ends_on
    run = Run.objects.filter(programme=programme, starts_on=starts_on, ends_on=ends_on).first()
    if run is None:
        run = Run.objects.create(programme=programme, starts_on=starts_on, ends_on=ends_on)
    enrollment = Enrollment.objects.select_for_update().filter(run=run, person=person).first()
    number = values["certificate_number"]
    if enrollment is None:
        enrollment = Enrollment.objects.create(
            run=run,
            person=person,
            organization=services._workplace(person),
            enrolled_on=starts_on,
            chosen_from_diagnostics=selectors.chosen_from_diagnostics(person.pk, programme, run),
        )
        report.created += 1
    elif (
        enrollment.status == EnrollmentStatus.COMPLETED
        and enrollment.certificate_number == number
        and enrollment.completed_on == completed_on
    ):
        report.unchanged += 1
        return
    else:
        report.updated += 1
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED,
        completed_on=completed_on,
        certificate_number=number,
        version=enrollment.version + 1,
    )
    enrollment.refresh_from_db()
    services.close_route_items(user, enrollment)


# -- the entry points ----------------------------------------------------------------------------
def run_import(user, kind: str, file, progress=silent) -> ImportReport:
    if kind not in dict(available_kinds(user)):
        raise PermissionDenied(NO_RIGHTS)
    if kind == COMPLETIONS:
        return _completions_import(user, file, progress)
    return _catalogue_import(user, kind, file, progress)


TEMPLATES = {
    FEDERAL: FEDERAL_COLUMNS,
    CATALOGUE: CATALOGUE_COLUMNS,
    COMPLETIONS: COMPLETION_COLUMNS,
}


def import_template(user, kind: str) -> bytes:
    columns = [TemplateColumn(c.header, c.width, c.required) for c in TEMPLATES[kind]]
    reference = {}
    if kind == CATALOGUE:
        reference = {
            "Вид": ["ПК", "ПП"],
            "Форма реализации": ProgrammeFormat.labels,
            "Слушатели": Audience.labels,
            "Темы": Topic.labels,
            "Области компетенций": list(CompetencyArea.objects.values_list("name", flat=True)),
            "Происхождение": Origin.labels,
        }
    return build_template(columns, reference)
