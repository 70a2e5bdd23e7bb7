"""Import of participation from XLSX: СНИЛС, event number, role, contest stage, nomination.

Every row is checked first; a file with any bad row saves nothing and the report names each bad
row with its column and value (nms.common.importing). The people must be ones the importer may
record (their staff, municipality, region); the event one the importer sees.
"""

from io import BytesIO

from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.identifiers import normalize_snils, snils_error
from nms.common.importing import (
    CHECKING,
    READING,
    Column,
    ErrorCollector,
    ImportReport,
    check_repeats,
    choice_parser,
    chunks,
    in_steps,
    parse_rows,
    read_rows,
    silent,
)
from nms.common.xlsx import CellError, TemplateColumn, build_template, parse_digits, parse_text
from nms.events.access import RECORD
from nms.events.models import (
    RESULT_ROLES,
    Event,
    Participation,
    ParticipationRole,
    Stage,
)
from nms.events.services import evidence_of
from nms.registry.models import Employment, Person
from nms.routes.services import complete_items_from_record

KIND = "participation"
COLUMNS = (
    Column("СНИЛС", "snils", required=True, width=16),
    Column("Номер мероприятия", "event", required=True, width=12),
    Column("Роль", "role", required=True, width=22),
    Column("Этап", "stage", width=14),
    Column("Номинация", "nomination", width=30),
)
HEADERS = {c.field: c.header for c in COLUMNS}


def _snils(value) -> str:
    text = parse_digits(value, 11)
    if error := snils_error(text):
        raise CellError(error)
    return normalize_snils(text)


def _event(value) -> int:
    text = parse_digits(value, 0).strip()
    if not text.isdigit() or not 1 <= int(text) <= 2**62:
        raise CellError("номер мероприятия — целое число (см. страницу мероприятия)")
    return int(text)


PARSERS = {
    "snils": _snils,
    "event": _event,
    "role": choice_parser(ParticipationRole, "роль"),
    "stage": choice_parser(Stage, "этап"),
    "nomination": lambda value: parse_text(value, 300),
}


def participation_import(user, file, *, progress=None) -> ImportReport:
    """Create the participation rows of the file; any error saves nothing."""
    progress = progress or silent
    scope = scope_of(user)
    errors = ErrorCollector()
    if not scope.can(RECORD):
        errors.add(None, "", "У вас нет прав отмечать участие в мероприятиях.")
        return ImportReport(errors=errors.sorted())
    rows = read_rows(file, COLUMNS, errors)
    for part in in_steps(rows, READING, progress):
        parse_rows(part, COLUMNS, PARSERS, errors)
    keys = ("snils", "event", "stage", "nomination")
    for row in rows:
        row.values.setdefault("stage", "")
        row.values.setdefault("nomination", "")
    check_repeats(rows, keys, HEADERS["snils"], "участие работника в этом мероприятии", errors)

    snils = sorted({r.values["snils"] for r in rows if "snils" in r.values})
    event_ids = sorted({r.values["event"] for r in rows if "event" in r.values})
    editable = scope.restricted_to(_record_roles()).people()
    people, known = {}, set()
    for part in chunks(snils):
        known |= set(Person.objects.filter(snils__in=part).values_list("snils", flat=True))
        people |= {p.snils: p for p in editable.filter(snils__in=part).only("id", "snils")}
    events = {}
    for part in chunks(event_ids):
        events |= {e.pk: e for e in scope.visible(Event).filter(pk__in=part)}
    existing = set()
    for part in chunks(event_ids):
        existing |= set(
            Participation.objects.filter(event_id__in=part).values_list(
                "event_id", "person__snils", "stage", "nomination"
            )
        )

    plans = []
    for part in in_steps(rows, CHECKING, progress):
        for row in part:
            plan = _plan(row, people, known, events, existing, errors)
            if plan is not None:
                plans.append(plan)
    if errors.errors:
        return ImportReport(errors=errors.sorted())

    organizations = _main_organizations([p.person_id for p in plans])
    for p in plans:
        p.organization_id = organizations.get(p.person_id)
    with transaction.atomic():
        for batch in chunks(plans):
            Participation.objects.bulk_create(batch)
        for p in plans:
            complete_items_from_record(user, p.person_id, [f"event:{p.event_id}"], evidence_of(p))
    return ImportReport(created=len(plans))


def _record_roles():
    from nms.accounts.access import action

    return action(RECORD).roles


def _plan(row, people, known, events, existing, errors) -> Participation | None:
    values = row.values
    if not {"snils", "event", "role"} <= set(values):
        return None
    ok = True
    person = people.get(values["snils"])
    if person is None:
        message = (
            "работник не найден среди ваших работников"
            if values["snils"] in known
            else "работника с таким СНИЛС нет в реестре"
        )
        errors.add(row, HEADERS["snils"], message)
        ok = False
    event = events.get(values["event"])
    if event is None:
        errors.add(row, HEADERS["event"], "мероприятие с таким номером не найдено")
        return None
    stage, nomination, role = values["stage"], values["nomination"], values["role"]
    if event.is_contest:
        if not stage:
            errors.add(row, HEADERS["stage"], "укажите этап конкурса")
            ok = False
        if nomination and event.nomination_list and nomination not in event.nomination_list:
            errors.add(row, HEADERS["nomination"], "такой номинации в конкурсе нет")
            ok = False
    else:
        if stage:
            errors.add(row, HEADERS["stage"], "этапы бывают только у конкурсов")
            ok = False
        if nomination:
            errors.add(row, HEADERS["nomination"], "номинации бывают только у конкурсов")
            ok = False
        if role in RESULT_ROLES:
            errors.add(row, HEADERS["role"], "победители и призёры бывают только у конкурсов")
            ok = False
    if ok and (event.pk, values["snils"], stage, nomination) in existing:
        errors.add(row, HEADERS["snils"], "участие уже отмечено")
        ok = False
    if not ok:
        return None
    return Participation(
        event=event, person_id=person.pk, role=role, stage=stage, nomination=nomination
    )


def _main_organizations(person_ids) -> dict[int, int]:
    found = {}
    for part in chunks(sorted(set(person_ids))):
        rows = (
            Employment.objects.filter(person_id__in=part)
            .order_by("person_id", "-is_part_time", "-id")
            .values_list("person_id", "organization_id")
        )
        found |= dict(rows)  # the last one per person wins: main job, the oldest record
    return found


def template_xlsx() -> bytes:
    columns = [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS]
    reference = {
        "Роль": [label for _, label in ParticipationRole.choices],
        "Этап": [label for _, label in Stage.choices],
    }
    return build_template(columns, reference, "Участие")


@jobs.job_work(phase=READING)
def import_job(job, progress) -> jobs.JobOutcome:
    report = participation_import(job.user, BytesIO(bytes(job.upload)), progress=progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


def import_kinds(user) -> list[tuple[str, str]]:
    return [(KIND, "участие в мероприятиях")]
