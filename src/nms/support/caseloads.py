"""Teachers in the care of regional methodists (seed 001: at most 250 per methodist).

`assign_automatically` gives every pedagogical worker of the region without a methodist one, in
passes over the whole region: the methodist of one of the teacher's subjects in the teacher's
municipality first, then of the subject anywhere, then of the municipality, then any methodist
with room left — always the least loaded of the fitting ones, never above the cap. Existing
assignments are kept (a re-run adds only the newcomers). Those left without a methodist are
listed with the reason. The work is set-based: a few reads of (id, subject, municipality) tuples,
the choice in memory, one bulk insert — seconds for 100 000 people.

A caseload is mirrored into the methodist's account (`User.assigned_people`): the access registry
shows a methodist the people in their care through it.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count

from nms.accounts.models import User
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.registry.models import Employment, Person
from nms.support import conf
from nms.support.models import (
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    Caseload,
    CaseloadBasis,
    MembershipStatus,
)

NO_METHODISTS = "в регионе нет утверждённых региональных методистов"
CAP_REACHED = "у всех региональных методистов достигнут предел: {cap} педагогов"
NO_RIGHTS = "Закреплять педагогов за методистами может ЦНППМ."
PASSES = (
    CaseloadBasis.SUBJECT_MUNICIPALITY,
    CaseloadBasis.SUBJECT,
    CaseloadBasis.MUNICIPALITY,
    CaseloadBasis.OTHER,
)


@dataclass
class Slot:
    """A methodist with room: their subjects, their municipality and their current load."""

    person_id: int
    subjects: set = field(default_factory=set)
    municipality_id: int | None = None
    load: int = 0


@dataclass
class AssignmentReport:
    cap: int
    methodists: int = 0
    kept: int = 0
    by_basis: dict = field(default_factory=lambda: defaultdict(int))
    unassigned: list = field(default_factory=list)  # (person_id, reason)
    adopted: int = 0  # links made in the accounts before, taken as caseloads

    @property
    def assigned(self) -> int:
        return sum(self.by_basis.values())

    def as_text(self) -> str:
        parts = [
            f"Закреплено педагогов: {self.assigned}",
            f"сохранено прежних закреплений: {self.kept}",
        ]
        parts += [f"{CaseloadBasis(b).label}: {n}" for b, n in self.by_basis.items() if n]
        parts.append(f"не закреплено: {len(self.unassigned)}")
        return "; ".join(parts) + "."


def active_methodists(region, on: date | None = None):
    """The region's approved regional methodists (memberships) in force on the day."""
    on = on or date.today()
    return (
        ActiveMembership.objects.filter(
            region=region,
            level=ActiveLevel.REGIONAL,
            role=ActiveRole.METHODIST,
            status=MembershipStatus.APPROVED,
            starts_on__lte=on,
        )
        .exclude(ends_on__lt=on)
        .order_by("person_id", "pk")
    )


def methodist_slots(region, on: date | None = None) -> dict[int, Slot]:
    memberships = active_methodists(region, on)
    slots = {}
    for person_id, municipality_id in memberships.values_list("person_id", "municipality_id"):
        slot = slots.setdefault(person_id, Slot(person_id))
        slot.municipality_id = slot.municipality_id or municipality_id
    through = ActiveMembership.subjects.through
    for person_id, subject_id in through.objects.filter(
        activemembership__in=memberships
    ).values_list("activemembership__person_id", "subject_id"):
        slots[person_id].subjects.add(subject_id)
    missing = [s.person_id for s in slots.values() if s.municipality_id is None]
    if missing:  # where they work (the main job first)
        for person_id, municipality_id in (
            Employment.objects.filter(person_id__in=missing)
            .order_by("person_id", "is_part_time", "pk")
            .values_list("person_id", "organization__municipality_id")
        ):
            if slots[person_id].municipality_id is None:
                slots[person_id].municipality_id = municipality_id
    loads = Caseload.objects.filter(methodist_id__in=list(slots)).values("methodist_id")
    for row in loads.annotate(n=Count("pk")).order_by():
        slots[row["methodist_id"]].load = row["n"]
    return slots


def workers_q(region):
    """The pedagogical workers of the region: whom the methodists accompany (A5's numerator)."""
    return Employment.objects.filter(
        organization__region=region, position__is_pedagogical=True
    ).order_by()


def _teachers(region, exclude: set[int]):
    """(municipalities, subjects) of each pedagogical worker not yet in anyone's care."""
    municipalities, subjects = defaultdict(set), defaultdict(set)
    assigned = Caseload.objects.filter(region=region).values("teacher_id")
    employments = workers_q(region).exclude(person_id__in=assigned)
    for person_id, municipality_id in employments.values_list(
        "person_id", "organization__municipality_id"
    ):
        if person_id not in exclude:
            municipalities[person_id].add(municipality_id)
    through = Employment.subjects.through
    for person_id, subject_id in through.objects.filter(
        employment__in=employments.values("pk")
    ).values_list("employment__person_id", "subject_id"):
        if person_id in municipalities:
            subjects[person_id].add(subject_id)
    return municipalities, subjects


class _Pool:
    """The methodists fitting one key (a subject and a municipality, a subject, …), least loaded
    first: a heap read lazily — loads only grow, so an entry whose load is stale is put back with
    the current one, and a methodist at the cap leaves the pool."""

    def __init__(self, slots):
        self.heap = [(slot.load, slot.person_id, slot) for slot in slots]
        heapq.heapify(self.heap)

    def top(self, cap: int):
        heap = self.heap
        while heap:
            load, person_id, slot = heap[0]
            if slot.load >= cap:
                heapq.heappop(heap)
            elif load != slot.load:
                heapq.heapreplace(heap, (slot.load, person_id, slot))
            else:
                return slot
        return None


def plan(region, *, on: date | None = None, progress=None):
    """What `assign_automatically` would do: [(teacher_id, methodist_id, basis)] and the report."""
    cap = conf.caseload_cap(region)
    slots = methodist_slots(region, on)
    report = AssignmentReport(cap=cap, methodists=len(slots))
    report.kept = Caseload.objects.filter(region=region).count()
    municipalities, subjects = _teachers(region, exclude=set(slots))
    teachers = sorted(municipalities)
    if not slots:
        report.unassigned = [(t, NO_METHODISTS) for t in teachers]
        return [], report
    by_subject_municipality, by_subject, by_municipality = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for slot in slots.values():
        by_municipality[slot.municipality_id].append(slot)
        for subject_id in slot.subjects:
            by_subject[subject_id].append(slot)
            by_subject_municipality[(subject_id, slot.municipality_id)].append(slot)
    pools = {
        CaseloadBasis.SUBJECT_MUNICIPALITY: {
            k: _Pool(v) for k, v in by_subject_municipality.items()
        },
        CaseloadBasis.SUBJECT: {k: _Pool(v) for k, v in by_subject.items()},
        CaseloadBasis.MUNICIPALITY: {k: _Pool(v) for k, v in by_municipality.items()},
        CaseloadBasis.OTHER: {None: _Pool(list(slots.values()))},
    }

    def keys(basis, teacher):
        if basis == CaseloadBasis.SUBJECT_MUNICIPALITY:
            return [(s, m) for s in subjects[teacher] for m in municipalities[teacher]]
        if basis == CaseloadBasis.SUBJECT:
            return subjects[teacher]
        if basis == CaseloadBasis.MUNICIPALITY:
            return municipalities[teacher]
        return [None]

    pairs, left = [], teachers
    total = len(teachers) * len(PASSES)
    done = 0
    for basis in PASSES:
        still, by_key = [], pools[basis]
        for teacher in left:
            best = None
            for key in keys(basis, teacher):
                pool = by_key.get(key)
                slot = pool.top(cap) if pool is not None else None
                if slot is not None and (
                    best is None or (slot.load, slot.person_id) < (best.load, best.person_id)
                ):
                    best = slot
            if best is None:
                still.append(teacher)
            else:
                best.load += 1
                pairs.append((teacher, best.person_id, basis))
                report.by_basis[basis] += 1
        done += len(teachers)
        if progress is not None:
            progress(done, total)
        left = still
        if not left:
            break
    report.unassigned = [(t, CAP_REACHED.format(cap=cap)) for t in left]
    return pairs, report


def write_rows(model, columns, rows) -> None:
    """Insert plain rows in bulk without building model instances: COPY on PostgreSQL,
    executemany elsewhere (a region's 100 000 caseloads in a second or two)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(c.removesuffix("_id")).column if c.endswith("_id")
                            else meta.get_field(c).column) for c in columns)  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _mirror(pairs) -> None:
    """Put the new (methodist person, teacher) pairs into the methodists' accounts."""
    users = dict(
        User.objects.filter(person_id__in={m for m, _ in pairs}).values_list("person_id", "pk")
    )
    if not users:
        return
    through = User.assigned_people.through
    existing = set(
        through.objects.filter(user_id__in=users.values()).values_list("user_id", "person_id")
    )
    rows = []
    for methodist_id, teacher_id in pairs:
        user_id = users.get(methodist_id)
        if user_id is not None and (user_id, teacher_id) not in existing:
            existing.add((user_id, teacher_id))
            rows.append((user_id, teacher_id))
    write_rows(through, ("user_id", "person_id"), rows)


def adopt_account_links(region, *, on: date | None = None) -> int:
    """Caseloads for the people already in a current methodist's account (`assigned_people`, set
    in the administration or before this app) who have none: those assignments are kept."""
    slots = methodist_slots(region, on)
    through = User.assigned_people.through
    links = (
        through.objects.filter(user__person_id__in=list(slots), person__region=region)
        .exclude(person_id__in=Caseload.objects.values("teacher_id"))
        .order_by("person_id", "pk")
        .values_list("user__person_id", "person_id")
    )
    cap = conf.caseload_cap(region)
    rows, seen = [], set()
    for methodist_id, teacher_id in links:
        slot = slots[methodist_id]
        if teacher_id in seen or teacher_id == methodist_id or slot.load >= cap:
            continue
        seen.add(teacher_id)
        slot.load += 1
        rows.append(
            Caseload(
                region_id=region.pk,
                methodist_id=methodist_id,
                teacher_id=teacher_id,
                assigned_on=on or date.today(),
                basis=CaseloadBasis.MANUAL,
            )
        )
    Caseload.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _unmirror(methodist_id: int, teacher_ids) -> None:
    User.assigned_people.through.objects.filter(
        user__person_id=methodist_id, person_id__in=list(teacher_ids)
    ).delete()


def _check(actor, region=None):
    scope = scope_of(actor)
    if not scope.can("support.manage_actives"):
        raise PermissionDenied(NO_RIGHTS)
    if region is not None and not scope.regions().filter(pk=region.pk).exists():
        raise PermissionDenied(NO_RIGHTS)


@transaction.atomic
def assign_automatically(actor, region, *, on: date | None = None, progress=None):
    """Assign the region's teachers without a methodist (see the module); returns the report."""
    if actor is not None:
        _check(actor, region)
    on = on or date.today()
    adopted = adopt_account_links(region, on=on)
    pairs, report = plan(region, on=on, progress=progress)
    report.adopted = adopted
    write_rows(
        Caseload,
        ("region_id", "methodist_id", "teacher_id", "assigned_on", "automatic", "basis",
         "version"),
        [(region.pk, m, t, on, True, str(basis), 1) for t, m, basis in pairs],
    )  # fmt: skip
    _mirror([(m, t) for t, m, _ in pairs])
    return report


@transaction.atomic
def caseload_assign(actor, methodist: Person, teacher: Person, *, on: date | None = None):
    """Put a teacher in a methodist's care by hand (moving them from another methodist)."""
    region = teacher.region
    _check(actor, region)
    scope = scope_of(actor)
    if not scope.people().filter(pk=teacher.pk).exists():
        raise ValidationError({"teacher": "Педагог не найден."})
    slots = methodist_slots(region, on)
    if methodist.pk not in slots:
        raise ValidationError(
            {"methodist": "Это не утверждённый региональный методист региона на сегодня."}
        )
    if methodist.pk == teacher.pk:
        raise ValidationError({"teacher": "Методист не сопровождает сам себя."})
    current = Caseload.objects.select_for_update().filter(teacher=teacher).first()
    if current is not None and current.methodist_id == methodist.pk:
        return current
    cap = conf.caseload_cap(region)
    if slots[methodist.pk].load >= cap:
        raise ValidationError(
            {"methodist": f"У методиста уже {slots[methodist.pk].load} педагогов — это предел."}
        )
    if current is not None:
        _unmirror(current.methodist_id, [teacher.pk])
        current.delete()
    caseload = Caseload.objects.create(
        region=region,
        methodist=methodist,
        teacher=teacher,
        assigned_on=on or date.today(),
        automatic=False,
        basis=CaseloadBasis.MANUAL,
    )
    _mirror([(methodist.pk, teacher.pk)])
    return caseload


@transaction.atomic
def caseload_remove(actor, caseload: Caseload, expected_version: int | None = None) -> None:
    _check(actor)
    caseload = claim(caseload, expected_version)
    _unmirror(caseload.methodist_id, [caseload.teacher_id])
    caseload.delete()


def workers_per_methodist(region, on: date | None = None) -> tuple[int, int]:
    """A5: (pedagogical workers of the region, its regional methodists in force)."""
    workers = workers_q(region).values("person_id").distinct().count()
    methodists = active_methodists(region, on).values("person_id").distinct().count()
    return workers, methodists
