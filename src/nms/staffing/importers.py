"""Imports of the staffing app (nms.common.importing: every row checked first, each bad row named,
a file with any error saves nothing):

- `schedule`: staff schedules — ИНН организации, учебный год, должность, предмет, ставок по
  штату, занято ставок. The rows of one organization and school year in the file are that
  schedule: it is created, or its rows are replaced by the file's.
- `diplomas`: diplomas by СНИЛС — уровень, образовательная организация, год окончания,
  специальность (from the directory), квалификация, педагогическое. A diploma already recorded
  is left as it is.
"""

import re
from datetime import date
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.importing import (
    READING,
    Column,
    ErrorCollector,
    ImportReport,
    check_repeats,
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
    parse_bool,
    parse_decimal,
    parse_digits,
    parse_text,
)
from nms.registry.models import Person, Position, Subject
from nms.staffing import services
from nms.staffing.access import EDIT, EDITORS
from nms.staffing.models import (
    FIRST_YEAR,
    Diploma,
    DiplomaLevel,
    Specialty,
    StaffSchedule,
)

SCHEDULE = "schedule"
DIPLOMAS = "diplomas"
KIND_LABELS = {SCHEDULE: "Штатное расписание", DIPLOMAS: "Дипломы работников"}
NO_RIGHTS = "У вас нет прав на этот импорт."
UNKNOWN_KIND = (
    "Такого импорта нет: загружаются штатные расписания (schedule) и дипломы работников (diplomas)."
)

UNKNOWN_ORGANIZATION = "организация с таким ИНН не найдена в вашей области доступа"
UNKNOWN_POSITION = "должность не найдена в справочнике должностей"
UNKNOWN_SUBJECT = "предмет не найден в справочнике предметов"
FILLED_OVER = "занято ставок больше, чем по штату"
NEGATIVE = "число ставок не может быть отрицательным"
UNKNOWN_SNILS = "работник с таким СНИЛС не найден"
OUT_OF_SCOPE = "работник не работает в организациях вашей области доступа"
UNKNOWN_SPECIALTY = "специальность не найдена в справочнике специальностей"
UNKNOWN_LEVEL = "ожидается «высшее», «среднее профессиональное» или «высшее (подготовка кадров…)»"


def available_kinds(user) -> list[tuple[str, str]]:
    if not scope_of(user).can(EDIT):
        return []
    return [(SCHEDULE, KIND_LABELS[SCHEDULE]), (DIPLOMAS, KIND_LABELS[DIPLOMAS])]


def can_import(user, kind: str) -> bool:
    """Whether the user may import this kind (the page offers it, the API accepts it)."""
    return kind in dict(available_kinds(user))


# -- parsers -------------------------------------------------------------------------------------
YEAR_TEXT = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")


def parse_school_year(value) -> int:
    """«2025/26», «2025/2026», «2025-2026» or 2025 → 2025."""
    text = parse_text(value).replace(" ", "")
    match = YEAR_TEXT.match(text)
    if not match:
        raise CellError("учебный год — как 2025/26 или 2025")
    year = int(match.group(1))
    following = match.group(2)
    if following and int(following) % 100 != (year + 1) % 100:
        raise CellError("второй год должен следовать за первым: 2025/26")
    if not 2000 <= year <= date.today().year + 5:
        raise CellError(f"учебный год — от 2000 до {date.today().year + 5}")
    return year


def _rates(value):
    number = parse_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(NEGATIVE)
    if number > 10000 or number != number.quantize(number.__class__("0.01")):
        raise CellError("число ставок — не больше 10000, не больше двух знаков после запятой")
    return number


def _inn(value) -> str:
    return parse_digits(value, 10)


def _snils(value) -> str:
    text = parse_text(value)
    if error := snils_error(text):
        raise CellError(error)
    return normalize_snils(text)


def _text(max_length: int):
    return lambda value: parse_text(value, max_length)


def _year(value) -> int:
    number = parse_decimal(value)
    this_year = date.today().year
    if number is None or number != int(number) or not FIRST_YEAR <= number <= this_year:
        raise CellError(f"год окончания — целое число от {FIRST_YEAR} до {this_year}")
    return int(number)


LEVELS = {normalize(label): value for value, label in DiplomaLevel.choices} | {
    "впо": DiplomaLevel.HIGHER,
    "высшее профессиональное": DiplomaLevel.HIGHER,
    "спо": DiplomaLevel.VOCATIONAL,
}


def _level(value) -> str:
    try:
        return LEVELS[normalize(value)]
    except KeyError:
        raise CellError(UNKNOWN_LEVEL) from None


def _optional_bool(value):
    return None if value is None else parse_bool(value)


# -- staff schedules -------------------------------------------------------------------------------
SCHEDULE_COLUMNS = (
    Column("ИНН организации", "inn", required=True, width=14),
    Column("Учебный год", "year", required=True, width=12),
    Column("Должность", "position", required=True, width=36),
    Column("Предмет", "subject", width=28),
    Column("Ставок по штату", "rates", required=True, width=14),
    Column("Занято ставок", "filled", width=14),
)
SCHEDULE_PARSERS = {
    "inn": _inn,
    "year": parse_school_year,
    "position": _text(200),
    "subject": _text(200),
    "rates": _rates,
    "filled": _rates,
}


def _schedule_import(user, file, progress) -> ImportReport:
    scope = scope_of(user)
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(file, SCHEDULE_COLUMNS, errors)
    parse_with_progress(rows, SCHEDULE_COLUMNS, SCHEDULE_PARSERS, errors, progress)
    inns = {r.values["inn"] for r in rows if r.values.get("inn")}
    editable = scope.restricted_to(EDITORS).organizations()
    organizations = {
        o.inn: o for o in editable.filter(inn__in=inns).only("id", "inn", "short_name")
    }
    positions = {normalize(p.name): p for p in Position.objects.all()}
    subjects = {normalize(s.name): s for s in Subject.objects.all()}
    for row in rows:
        v = row.values
        organization = organizations.get(v.get("inn"))
        if v.get("inn") and organization is None:
            errors.add(row, "ИНН организации", UNKNOWN_ORGANIZATION)
        position = positions.get(normalize(v.get("position")))
        if v.get("position") and position is None:
            errors.add(row, "Должность", UNKNOWN_POSITION)
        subject = None
        if v.get("subject"):
            subject = subjects.get(normalize(v["subject"]))
            if subject is None:
                errors.add(row, "Предмет", UNKNOWN_SUBJECT)
        rates, filled = v.get("rates"), v.get("filled")
        if rates is not None and filled is not None and filled > rates:
            errors.add(row, "Занято ставок", FILLED_OVER)
        v["_organization"], v["_position"], v["_subject"] = organization, position, subject
        v["_key"] = (
            v.get("inn"),
            v.get("year"),
            position.pk if position else None,
            subject.pk if subject else None,
        )
    check_repeats(
        [r for r in rows if None not in r.values["_key"][:3]],
        ("_key",),
        "Должность",
        "Эта должность с этим предметом у этой организации на этот учебный год",
        errors,
    )
    if errors.errors:
        return ImportReport(errors=errors.sorted(), error_count=errors.total)
    plan: dict[tuple, list[dict]] = {}
    for row in rows:
        v = row.values
        plan.setdefault((v["_organization"], v["year"]), []).append(
            {
                "position": v["_position"],
                "subject": v["_subject"],
                "rates": v["rates"],
                "filled": v.get("filled") or 0,
            }
        )
    report = ImportReport()
    try:
        with transaction.atomic():
            for (organization, year), items in plan.items():
                schedule, created = StaffSchedule.objects.get_or_create(
                    organization=organization, year=year
                )
                services.replace_rows(schedule, items)
                if created:
                    report.created += len(items)
                else:
                    report.updated += len(items)
    except IntegrityError:
        return ImportReport.rejected("Во время загрузки данные изменились. Загрузите файл ещё раз.")
    return report


# -- diplomas ----------------------------------------------------------------------------------
DIPLOMA_COLUMNS = (
    Column("СНИЛС", "snils", required=True, width=16),
    Column("Уровень образования", "level", required=True, width=26),
    Column("Образовательная организация", "institution", required=True, width=44),
    Column("Год окончания", "year", required=True, width=12),
    Column("Специальность", "specialty", required=True, width=50),
    Column("Квалификация", "qualification", width=30),
    Column("Педагогическое", "is_pedagogical", width=14),
)
DIPLOMA_PARSERS = {
    "snils": _snils,
    "level": _level,
    "institution": _text(300),
    "year": _year,
    "specialty": _text(300),
    "qualification": _text(300),
    "is_pedagogical": _optional_bool,
}


def _specialty_keys() -> dict:
    """A specialty by its name, or by «code name» as the directory shows it."""
    keys = {}
    for specialty in Specialty.objects.all():
        keys[normalize(specialty.name)] = specialty
        keys[normalize(f"{specialty.code} {specialty.name}")] = specialty
    return keys


def _diploma_import(user, file, progress) -> ImportReport:
    scope = scope_of(user)
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(file, DIPLOMA_COLUMNS, errors)
    parse_with_progress(rows, DIPLOMA_COLUMNS, DIPLOMA_PARSERS, errors, progress)
    snils = {r.values["snils"] for r in rows if r.values.get("snils")}
    people = {p.snils: p for p in Person.objects.filter(snils__in=snils)}
    editable = scope.restricted_to(EDITORS).people()  # a viewing role beside widens nothing
    allowed = set(editable.filter(snils__in=snils).values_list("pk", flat=True))
    specialties = _specialty_keys()
    for row in rows:
        v = row.values
        person = people.get(v.get("snils"))
        if v.get("snils"):
            if person is None:
                errors.add(row, "СНИЛС", UNKNOWN_SNILS)
            elif person.pk not in allowed:
                errors.add(row, "СНИЛС", OUT_OF_SCOPE)
        if v.get("institution") == "" and "institution" in v:
            errors.add(row, "Образовательная организация", "обязательное поле не заполнено")
        specialty = specialties.get(normalize(v.get("specialty"))) if v.get("specialty") else None
        if v.get("specialty") and specialty is None:
            errors.add(row, "Специальность", UNKNOWN_SPECIALTY)
        if person is not None and v.get("year") and person.birth_date.year + 14 > v["year"]:
            errors.add(row, "Год окончания", "раньше, чем работнику исполнилось 14 лет")
        v["_person"], v["_specialty"] = person, specialty
        v["_key"] = (v.get("snils"), specialty.pk if specialty else None, v.get("year"))
    check_repeats(
        [r for r in rows if None not in r.values["_key"]],
        ("_key",),
        "СНИЛС",
        "Этот диплом (СНИЛС, специальность, год)",
        errors,
    )
    if errors.errors:
        return ImportReport(errors=errors.sorted(), error_count=errors.total)
    report = ImportReport()
    try:
        with transaction.atomic():
            for row in rows:
                _save_diploma(report, row.values)
    except IntegrityError:
        return ImportReport.rejected("Во время загрузки данные изменились. Загрузите файл ещё раз.")
    return report


def _save_diploma(report: ImportReport, v: dict) -> None:
    person, specialty = v["_person"], v["_specialty"]
    pedagogical = v.get("is_pedagogical")
    if pedagogical is None:
        pedagogical = specialty.is_pedagogical
    values = {
        "level": v["level"],
        "qualification": v.get("qualification") or "",
        "is_pedagogical": pedagogical,
    }
    diploma = (
        Diploma.objects.select_for_update()
        .filter(person=person, specialty=specialty, year=v["year"], institution=v["institution"])
        .first()
    )
    if diploma is None:
        Diploma.objects.create(
            person=person, specialty=specialty, year=v["year"], institution=v["institution"],
            **values,
        )  # fmt: skip
        report.created += 1
    elif all(getattr(diploma, k) == value for k, value in values.items()):
        report.unchanged += 1
    else:
        Diploma.objects.filter(pk=diploma.pk).update(**values, version=diploma.version + 1)
        report.updated += 1


# -- the entry points ----------------------------------------------------------------------------
def run_import(user, kind: str, file, progress=silent) -> ImportReport:
    if not can_import(user, kind):
        raise PermissionDenied(NO_RIGHTS)
    if kind == SCHEDULE:
        return _schedule_import(user, file, progress)
    return _diploma_import(user, file, progress)


# -- the import as a background job --------------------------------------------------------------
@jobs.job_work(phase="Проверка и сохранение строк файла…")
def import_job(job, progress) -> jobs.JobOutcome:
    """The import as a job (the page's upload, a big file over the API): the importer reads the
    stored file as the user who uploaded it, in the job's one transaction, and reports progress.
    A file with errors saves nothing; the report keeps every error's row, column and value."""
    report = run_import(job.user, job.params["kind"], BytesIO(bytes(job.upload)), progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


def job_title(kind: str, file_name: str) -> str:
    """The title of an import job, the same for the page and the API."""
    return f"Импорт: {KIND_LABELS[kind].lower()} из файла «{file_name}»"


TEMPLATES = {SCHEDULE: SCHEDULE_COLUMNS, DIPLOMAS: DIPLOMA_COLUMNS}


def import_template(user, kind: str) -> bytes:
    columns = [TemplateColumn(c.header, c.width, c.required) for c in TEMPLATES[kind]]
    if kind == SCHEDULE:
        reference = {
            "Должность": list(Position.objects.values_list("name", flat=True)),
            "Предмет": list(Subject.objects.values_list("name", flat=True)),
        }
    else:
        reference = {
            "Уровень образования": list(DiplomaLevel.labels),
            "Специальность": list(Specialty.objects.values_list("name", flat=True)),
            "Педагогическое": ["да", "нет"],
        }
    return build_template(columns, reference)
