"""Import of external diagnostic results (federal procedures and the like) from XLSX.

One row is one score of one person in one competency area of one procedure. Every row is checked
first and every error is collected with its row, column and value; a file with any error saves
nothing. A valid file is saved in one transaction through `services.result_record`, one result per
person and procedure. A result keeps the areas the file does not mention: the file's scores are
merged into the stored ones. Rows equal to what is stored are not written, so importing the same
file again changes nothing.

`user=None` means the system (the command line without --user): no scope restrictions.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from nms.accounts.scope import scope_of
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.importing import (
    Column,
    ErrorCollector,
    ImportReport,
    Row,
    check_repeats,
    chunks,
    parse_rows,
    read_rows,
)
from nms.common.xlsx import (
    CellError,
    TemplateColumn,
    build_template,
    normalize,
    parse_date,
    parse_decimal,
    parse_digits,
    parse_text,
)
from nms.diagnostics import selectors
from nms.diagnostics.models import (
    AreaScore,
    CompetencyArea,
    Level,
    Procedure,
    ProcedureKind,
    Result,
    ResultSource,
)
from nms.diagnostics.services import NO_RIGHTS, result_record
from nms.registry.models import Person

COLUMNS = (
    Column("СНИЛС", "snils", required=True, width=16),
    Column("Процедура", "procedure_name", required=True, width=50),
    Column("Дата", "taken_on", required=True, width=12),
    Column("Компетенция", "area", required=True, width=30),
    Column("Балл", "score", required=True, width=10),
    Column("Максимальный балл", "max_score", required=True, width=12),
)
HEADERS = {c.field: c.header for c in COLUMNS}
CENT = Decimal("0.01")
MAX_POINTS = Decimal("999999.99")  # what AreaScore.score can hold

PERSON_NOT_FOUND = "работник с таким СНИЛС не найден в вашей области доступа"
ONLINE_PROCEDURE = (
    "результаты этой процедуры собираются онлайн-тестированием и не загружаются из файла"
)
PROCEDURE_HIDDEN = "процедура с таким наименованием есть, но она вам недоступна"


@dataclass
class ResultsImportReport(ImportReport):
    """Counts are of file rows (one area score each)."""

    procedures_created: int = 0

    @property
    def summary(self) -> str:
        if self.errors:
            return super().summary
        if not self.created and not self.updated:
            return f"Изменений нет: все строки ({self.unchanged}) совпадают с сохранёнными."
        text = (
            f"Файл загружен. Добавлено баллов: {self.created}, изменено: {self.updated}, "
            f"без изменений: {self.unchanged}."
        )
        if self.procedures_created:
            text += f" Создано процедур: {self.procedures_created}."
        return text

    def as_dict(self) -> dict:
        return {**super().as_dict(), "procedures_created": self.procedures_created}


def can_import(user) -> bool:
    return user is None or scope_of(user).can_manage_diagnostics


# -- parsing -----------------------------------------------------------------------------------
def _snils(value) -> str:
    snils = parse_digits(value, 11)
    if error := snils_error(snils):
        raise CellError(error)
    return normalize_snils(snils)


def _date(today: date):
    def parse(value) -> date:
        parsed = parse_date(value)
        if parsed > today:
            raise CellError("дата не может быть позже сегодняшней")
        return parsed

    return parse


def _points(value) -> Decimal:
    number = parse_decimal(value).quantize(CENT, ROUND_HALF_UP)
    if number < 0:
        raise CellError("балл не может быть отрицательным")
    if number > MAX_POINTS:
        raise CellError("слишком большое число")
    return number


def _areas() -> dict[str, CompetencyArea]:
    """Areas by name and by code, case, ё and spaces ignored."""
    areas = {}
    for area in CompetencyArea.objects.all():
        areas[normalize(area.code)] = area
        areas[normalize(area.name)] = area
    return areas


def _area(areas: dict[str, CompetencyArea]):
    def parse(value) -> CompetencyArea:
        try:
            return areas[normalize(value)]
        except KeyError:
            raise CellError(
                "неизвестная компетенция; допустимые значения — на листе «Справочники» шаблона"
            ) from None

    return parse


def _parsers(today: date) -> dict:
    return {
        "snils": _snils,
        "procedure_name": lambda value: parse_text(value, 300),
        "taken_on": _date(today),
        "area": _area(_areas()),
        "score": _points,
        "max_score": _points,
    }


# -- checks across cells and rows --------------------------------------------------------------
def _check_scores(rows: list[Row], errors: ErrorCollector) -> None:
    for row in rows:
        score, top = row.values.get("score"), row.values.get("max_score")
        if top == 0:
            errors.add(row, HEADERS["max_score"], "максимальный балл должен быть больше нуля")
        elif score is not None and top is not None and score > top:
            errors.add(row, HEADERS["score"], "балл больше максимального")


def _people(rows: list[Row], user, errors: ErrorCollector) -> dict[str, Person]:
    """People by СНИЛС among those the user may see; anyone else is simply not found."""
    people = Person.objects.all() if user is None else scope_of(user).people()
    snilses = sorted({row.values["snils"] for row in rows if "snils" in row.values})
    found = {}
    for chunk in chunks(snilses):
        found.update(
            {p.snils: p for p in people.filter(snils__in=chunk).only("pk", "snils", "region")}
        )
    for row in rows:
        snils = row.values.get("snils")
        if snils is not None and snils not in found:
            errors.add(row, HEADERS["snils"], PERSON_NOT_FOUND)
    return found


def _procedure_key(row: Row, people: dict[str, Person]) -> tuple | None:
    """A procedure is named within the region of the person of the row."""
    person = people.get(row.values.get("snils"))
    name = row.values.get("procedure_name")
    return None if person is None or not name else (person.region_id, normalize(name))


def _procedures(rows: list[Row], people, user, errors: ErrorCollector) -> dict[tuple, Procedure]:
    """Stored procedures by (region, name) and unsaved new external ones for unknown names."""
    keys = {key for row in rows if (key := _procedure_key(row, people))}
    regions = {region for region, _ in keys}
    stored = {
        (p.region_id, normalize(p.name)): p for p in Procedure.objects.filter(region__in=regions)
    }
    visible = set(
        (Procedure.objects if user is None else selectors.procedures_visible(user))
        .filter(region__in=regions)
        .values_list("pk", flat=True)
    )
    procedures: dict[tuple, Procedure] = {}
    for row in rows:
        key = _procedure_key(row, people)
        if key is None:
            continue
        procedure = stored.get(key)
        header = HEADERS["procedure_name"]
        if procedure is not None and procedure.pk not in visible:
            errors.add(row, header, PROCEDURE_HIDDEN)
        elif procedure is not None and not procedure.is_external:
            errors.add(row, header, ONLINE_PROCEDURE)
        elif procedure is None and key not in procedures:
            procedures[key] = Procedure(
                region_id=key[0],
                name=row.values["procedure_name"],
                level=Level.FEDERAL,
                kind=ProcedureKind.ENTRY,
                is_external=True,
                created_by=user,
            )
        if procedure is not None:
            procedures[key] = procedure
    return procedures


def _check_same_date(rows: list[Row], people, errors: ErrorCollector) -> None:
    """A person has one result per procedure, taken on one day."""
    first: dict[tuple, Row] = {}
    for row in rows:
        key = _procedure_key(row, people)
        if key is None or "taken_on" not in row.values:
            continue
        other = first.setdefault((row.values["snils"], key), row)
        if other.values["taken_on"] != row.values["taken_on"]:
            errors.add(
                row,
                HEADERS["taken_on"],
                f"для этого работника и процедуры в строке {other.number} указана другая дата",
            )


# -- import ------------------------------------------------------------------------------------
def import_results(user, file) -> ResultsImportReport:
    """Check every row, then save all the results of the file or nothing."""
    if not can_import(user):
        raise PermissionDenied(NO_RIGHTS)
    errors = ErrorCollector()
    rows = read_rows(file, COLUMNS, errors)
    parse_rows(rows, COLUMNS, _parsers(date.today()), errors)
    _check_scores(rows, errors)
    for row in rows:
        if "area" in row.values:
            row.values["area_id"] = row.values["area"].pk
        if "procedure_name" in row.values:
            row.values["procedure_key"] = normalize(row.values["procedure_name"])
    check_repeats(
        rows,
        ("snils", "procedure_key", "area_id"),
        HEADERS["area"],
        "сочетание СНИЛС, процедуры и компетенции",
        errors,
    )
    people = _people(rows, user, errors)
    procedures = _procedures(rows, people, user, errors)
    _check_same_date(rows, people, errors)
    if errors.errors:
        return ResultsImportReport(errors=errors.sorted())

    report = ResultsImportReport()
    try:
        with transaction.atomic():
            _save(rows, people, procedures, report)
    except IntegrityError:
        # Someone saved a conflicting record between our checks and our writes.
        return ResultsImportReport.rejected(
            "Во время загрузки данные изменились. Загрузите файл ещё раз."
        )
    return report


def _save(rows: list[Row], people, procedures: dict[tuple, Procedure], report) -> None:
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.values["snils"], _procedure_key(row, people))].append(row)
    for key, procedure in procedures.items():
        if procedure.pk is None:
            dates = [r.values["taken_on"] for (_, k), rs in groups.items() if k == key for r in rs]
            procedure.starts_on, procedure.ends_on = min(dates), max(dates)
            procedure.save()
            report.procedures_created += 1
    stored = _stored_results([(people[s], procedures[k]) for s, k in groups])
    areas = {area.pk: area for area in CompetencyArea.objects.all()}
    for (snils, key), group in groups.items():
        person, procedure = people[snils], procedures[key]
        taken_on, scores = stored.get((person.pk, procedure.pk), (None, {}))
        new_date = group[0].values["taken_on"]
        changed = taken_on is None or taken_on != new_date
        for row in group:
            new = (row.values["score"], row.values["max_score"])
            old = scores.get(row.values["area_id"])
            if old is None:
                report.created += 1
            elif old != new or changed:
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            changed = True
        if changed:
            merged = {
                **scores,
                **{r.values["area_id"]: (r.values["score"], r.values["max_score"]) for r in group},
            }
            result_record(
                person.pk,
                procedure,
                new_date,
                {areas[pk]: value for pk, value in merged.items()},
                ResultSource.IMPORT,
            )


def _stored_results(pairs: list[tuple[Person, Procedure]]) -> dict[tuple, tuple[date, dict]]:
    """Dates and {area id: (score, max)} of the stored results, by (person id, procedure id)."""
    stored: dict[tuple, tuple[date, dict]] = {}
    by_procedure = defaultdict(set)
    for person, procedure in pairs:
        if procedure.pk is not None:
            by_procedure[procedure.pk].add(person.pk)
    for procedure_id, person_ids in by_procedure.items():
        for chunk in chunks(sorted(person_ids)):
            results = Result.objects.filter(procedure_id=procedure_id, person_id__in=chunk)
            for person_id, taken_on in results.values_list("person_id", "taken_on"):
                stored[(person_id, procedure_id)] = (taken_on, {})
            scores = AreaScore.objects.filter(result__in=results).values_list(
                "result__person_id", "area_id", "score", "max_score"
            )
            for person_id, area_id, score, max_score in scores:
                stored[(person_id, procedure_id)][1][area_id] = (score, max_score)
    return stored


# -- the template ------------------------------------------------------------------------------
def import_template(user) -> bytes:
    """An empty XLSX to fill in, listing the areas and the external procedures the user sees."""
    procedures = selectors.procedures_visible(user)
    areas = list(CompetencyArea.objects.values_list("name", "code"))
    reference = {
        "Компетенция": [name for name, _ in areas],
        "Код компетенции": [code for _, code in areas],
        "Процедура (загружаемая извне)": list(
            procedures.filter(is_external=True).order_by("name").values_list("name", flat=True)
        ),
    }
    columns = [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS]
    return build_template(columns, reference, "Результаты")
