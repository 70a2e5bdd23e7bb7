"""Import of external diagnostic results (federal procedures and the like) from XLSX.

One row is one score of one person in one competency area of one procedure. Every row is checked
first and every error is collected with its row, column and value; a file with any error saves
nothing. A valid file is saved in one transaction, one result per person and procedure, its
figures computed by `services.score_result`, the rule `services.result_record` uses too. A result
keeps the areas the file does not mention: the file's scores are merged into the stored ones. Rows
equal to what is stored are not written, so importing the same file again changes nothing.

The import runs a fixed number of queries whatever the number of rows: people, procedures and
stored results are read with IN (...) lists of up to READ_CHUNK values, results and area scores
are written with bulk INSERT (an upsert for results) of up to WRITE_BATCH rows. Up to those sizes
10 rows and 1 000 rows take the same queries; beyond them, one more query per chunk.

`user=None` means the system (the command line without --user): no scope restrictions.
`progress`, when given, is called as `progress(done, total)` while the rows are checked (every
PROGRESS_ROWS rows) and once per saved batch of records; a job's Progress also shows each step's
name (its `phase`). Reporting adds no query: the batches are the ones the import writes anyway.
A page or an API call with a big file runs the import as a background job (`import_job`).
"""

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.importing import (
    CHECKING,
    Batches,
    Column,
    ErrorCollector,
    ImportReport,
    Row,
    check_repeats,
    chunks,
    parse_with_progress,
    read_rows,
    silent,
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
    Level,
    Procedure,
    ProcedureKind,
    Result,
    ResultSource,
)
from nms.diagnostics.services import NO_RIGHTS, score_result
from nms.itembank.models import CompetencyArea
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
KIND = "diagnostic_results"  # the job's kind is import_diagnostic_results
CENT = Decimal("0.01")
MAX_POINTS = Decimal("999999.99")  # what AreaScore.score can hold
READ_CHUNK = 10_000  # values per IN (...) list (SQLite >= 3.32 takes 32 766, PostgreSQL 65 535)
WRITE_BATCH = 5_000  # rows per bulk INSERT, fewer where the parameters would not fit
RESULT_FIELDS = ["taken_on", "source", "share", "has_deficit"]

SAVING = "Сохранение результатов…"

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
    for chunk in chunks(snilses, _read_chunk(_param_limit())):
        found.update(
            {p.snils: p for p in people.filter(snils__in=chunk).only("pk", "snils", "region")}
        )
    for row in rows:
        snils = row.values.get("snils")
        if snils is not None and snils not in found:
            errors.add(row, HEADERS["snils"], PERSON_NOT_FOUND)
    return found


def _procedure_key(row: Row, people: dict[str, Person]) -> tuple | None:
    """A procedure is named within the region of the person of the row (the name normalized
    once per row by import_results)."""
    person = people.get(row.values.get("snils"))
    name = row.values.get("procedure_key")
    return None if person is None or not name else (person.region_id, name)


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


# -- progress ----------------------------------------------------------------------------------


# -- import ------------------------------------------------------------------------------------
def import_results(user, file, progress: Callable | None = None) -> ResultsImportReport:
    """Check every row, then save all the results of the file or nothing."""
    if not can_import(user):
        raise PermissionDenied(NO_RIGHTS)
    progress = progress or silent
    errors = ErrorCollector()
    rows = read_rows(file, COLUMNS, errors)
    parse_with_progress(rows, COLUMNS, _parsers(date.today()), errors, progress)
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
            _save(rows, people, procedures, report, progress)
    except IntegrityError:
        # Someone saved a conflicting record between our checks and our writes.
        return ResultsImportReport.rejected(
            "Во время загрузки данные изменились. Загрузите файл ещё раз."
        )
    return report


def _save(rows: list[Row], people, procedures: dict[tuple, Procedure], report, progress) -> None:
    """Bulk reads and bulk writes only: a fixed number of queries up to the batch sizes."""
    limit = _param_limit()
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.values["snils"], _procedure_key(row, people))].append(row)
    with _bulk_params(limit):
        _create_procedures(groups, procedures, report, limit)
        stored = _stored_results(
            {people[snils].pk for snils, _ in groups},
            {procedure.pk for procedure in procedures.values()},
            limit,
        )
        results: list[Result] = []
        replaced: list[int] = []  # stored results written anew
        area_scores: list[AreaScore] = []
        for (snils, key), group in groups.items():
            person, procedure = people[snils], procedures[key]
            old = stored.get((person.pk, procedure.pk))
            scores = {} if old is None else old.scores
            new_date = group[0].values["taken_on"]
            changed = old is None or old.taken_on != new_date
            for row in group:
                new = (row.values["score"], row.values["max_score"])
                before = scores.get(row.values["area_id"])
                if before is None:
                    report.created += 1
                elif before != new or changed:
                    report.updated += 1
                else:
                    report.unchanged += 1
                    continue
                changed = True
            if not changed:
                continue
            merged = {
                **scores,
                **{r.values["area_id"]: (r.values["score"], r.values["max_score"]) for r in group},
            }
            scored = score_result(procedure.threshold, merged)
            result = Result(
                person_id=person.pk,
                procedure=procedure,
                taken_on=new_date,
                source=ResultSource.IMPORT,
                share=scored.share,
                has_deficit=scored.has_deficit,
            )
            results.append(result)
            if old is not None:
                replaced.append(old.pk)
            area_scores.extend(
                AreaScore(result=result, area_id=area_id, **figures)
                for area_id, figures in scored.areas.items()
            )
        # As services.result_record does: a changed result gets all its area scores anew.
        for chunk in chunks(replaced, _read_chunk(limit)):
            AreaScore.objects.filter(result_id__in=chunk).delete()
        # New and changed results in one upsert (INSERT ... ON CONFLICT DO UPDATE): a stored
        # result keeps its id, and the cost stays linear, unlike bulk_update's CASE per row.
        # Written batch by batch as bulk_create would split them, to report each batch.
        batches = Batches(progress, SAVING, len(results) + len(area_scores))
        size = _batch(limit, 6)
        for batch in chunks(results, size):
            Result.objects.bulk_create(
                batch,
                batch_size=size,
                update_conflicts=True,
                unique_fields=["procedure", "person"],
                update_fields=RESULT_FIELDS,
            )
            batches.saved(len(batch))
        for batch in chunks(area_scores, size):
            AreaScore.objects.bulk_create(batch, batch_size=size)
            batches.saved(len(batch))


def _create_procedures(groups, procedures: dict[tuple, Procedure], report, limit: int) -> None:
    """The new procedures, spanning the dates of their rows, in one INSERT."""
    new = {key: p for key, p in procedures.items() if p.pk is None}
    if not new:
        return
    dates = defaultdict(list)
    for (_, key), group in groups.items():
        if key in new:
            dates[key].extend(row.values["taken_on"] for row in group)
    for key, procedure in new.items():
        procedure.starts_on, procedure.ends_on = min(dates[key]), max(dates[key])
    Procedure.objects.bulk_create(new.values(), batch_size=_batch(limit, 13))
    report.procedures_created += len(new)


@dataclass
class _Stored:
    pk: int
    taken_on: date
    scores: dict  # {area id: (score, max_score)}


def _stored_results(person_ids: set, procedure_ids: set, limit: int) -> dict[tuple, _Stored]:
    """The stored results of these people in these procedures, by (person id, procedure id):
    two queries per READ_CHUNK people."""
    procedure_ids = sorted(pk for pk in procedure_ids if pk is not None)
    stored: dict[tuple, _Stored] = {}
    if not procedure_ids:
        return stored
    for chunk in chunks(sorted(person_ids), max(1, _read_chunk(limit) - len(procedure_ids))):
        results = Result.objects.filter(procedure_id__in=procedure_ids, person_id__in=chunk)
        for pk, person_id, procedure_id, taken_on in results.order_by().values_list(
            "pk", "person_id", "procedure_id", "taken_on"
        ):
            stored[(person_id, procedure_id)] = _Stored(pk, taken_on, {})
        scores = AreaScore.objects.filter(
            result__procedure_id__in=procedure_ids, result__person_id__in=chunk
        ).order_by("pk")
        for person_id, procedure_id, area_id, score, max_score in scores.values_list(
            "result__person_id", "result__procedure_id", "area_id", "score", "max_score"
        ):
            stored[(person_id, procedure_id)].scores[area_id] = (score, max_score)
    return stored


# -- query sizes -------------------------------------------------------------------------------
def _param_limit() -> int:
    """How many parameters one query may carry: SQLite tells its own (32 766 since 3.32; Django
    assumes the old default of 999), PostgreSQL's protocol allows 65 535."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65_535


def _read_chunk(limit: int) -> int:
    """Values per IN (...) list: READ_CHUNK, less on a database that takes fewer parameters."""
    return max(1, min(READ_CHUNK, limit - 100))


def _batch(limit: int, params_per_row: int) -> int:
    """Rows per INSERT: WRITE_BATCH, less if the parameters would not fit."""
    return max(1, min(WRITE_BATCH, limit // params_per_row))


@contextmanager
def _bulk_params(limit: int):
    """Let bulk_create batch by the database's real parameter limit rather than Django's
    assumption for SQLite (999, i.e. 166 area scores per INSERT)."""
    features = connection.features
    if features.max_query_params is None or features.max_query_params >= limit:
        yield
        return
    own = vars(features).get("max_query_params")
    features.max_query_params = limit
    try:
        yield
    finally:
        if own is None:
            del features.max_query_params
        else:
            features.max_query_params = own


# -- the import as a background job --------------------------------------------------------------
@jobs.job_work(phase=CHECKING)
def import_job(job, progress) -> jobs.JobOutcome:
    """The import as a job (the page's upload, a big file over the API): the importer reads the
    stored file as the user who uploaded it, in the job's one transaction, and reports progress.
    A file with errors saves nothing; the report keeps every error's row, column and value."""
    report = import_results(job.user, BytesIO(bytes(job.upload)), progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


def import_kinds(user) -> list[tuple[str, str]]:
    """What the import page offers (its ImportSpec): one kind, for those who may import."""
    return [(KIND, "результаты диагностики")] if can_import(user) else []


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
