"""Diagnostics of the demo region, generated after its registry (nms.demo.generator).

- the demo item bank (nms.itembank.demo);
- a past regional entry procedure with a blueprint over the teachers' areas, one group per
  municipality and subject (a group's subject is the subject its members teach, so subject items
  are of that subject; people whose subject the bank does not cover get no subject items), and
  results of about half the pedagogical staff — all the demo teacher's and the demo methodist's
  caseload among them; deficits in about 40 % of them, with profiles drawn from weighted areas so
  that typical groups with similar deficits appear;
- an imported federal procedure (subject and methodical competencies) for a tenth of the subject
  teachers;
- a past regional exit procedure for part of the entry participants, most deficits smaller;
- a current procedure, open today, with groups and variants that include the demo account
  `teacher`, so the demo can be taken online.

Scores go through `services.score_result` (the one rule for a result's figures) and are written
with bulk inserts, a few queries per thousand results. Deterministic from the seed on the same
`today` and registry; the sizes follow the registry's, so activity is in proportion at any size.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from nms.accounts.models import User
from nms.demo.bulk import insert, insert_rows
from nms.demo.generator import GenerationError
from nms.diagnostics.models import (
    AreaScore,
    Group,
    Level,
    Membership,
    Procedure,
    ProcedureKind,
    Result,
    ResultSource,
    VariantItem,
)
from nms.diagnostics.services import score_result
from nms.diagnostics.variants import assemble_variants
from nms.itembank.demo import load_demo_bank
from nms.itembank.models import CompetencyArea, Item, ReviewStatus
from nms.registry.models import Employment, Municipality, OrganizationKind, Region, Subject

ENTRY_SHARE = 0.50  # of the pedagogical staff (not managers) of schools, kindergartens, colleges…
FEDERAL_SHARE = 0.10  # of the teachers of a subject the bank covers
EXIT_SHARE = 0.35  # of the entry participants
NO_DEFICIT = 0.60  # chance of a person without any deficit
DEFICIT_COUNTS = ((1, 0.5), (2, 0.3), (3, 0.2))
# How often each area is weak: typical profiles (methodical, ИКТ) come out as large groups.
WEAKNESS = {
    "methodical": 3.0,
    "ict": 2.5,
    "psychological": 2.0,
    "subject": 2.0,
    "upbringing": 1.5,
    "communicative": 1.0,
}
BLUEPRINT = {"easy": 2, "medium": 2, "hard": 1}  # per area, less where the bank is smaller
DIFFICULTIES = dict(zip(BLUEPRINT, (1, 2, 3), strict=True))
CURRENT_GROUPS = 3  # municipalities in the current procedure
# Kinds of organization whose pedagogical staff take the diagnostics.
TAKING_KINDS = (
    OrganizationKind.GENERAL,
    OrganizationKind.PRESCHOOL,
    OrganizationKind.ADDITIONAL,
    OrganizationKind.VOCATIONAL,
)
BATCH_SIZE = 5000  # results scored before they are written


@dataclass
class DiagnosticsSummary:
    items_added: int
    procedures: list[Procedure]
    results: int
    with_deficit: int
    people: int
    open_procedure: Procedure
    seconds: float

    def as_text(self) -> str:
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        return (
            f"Диагностика: заданий добавлено в банк {self.items_added}; процедур "
            f"{len(self.procedures)}; результатов {self.results} у {self.people} работников, "
            f"из них с дефицитами {self.with_deficit}. Сейчас открыта "
            f"«{self.open_procedure.name}» — учётная запись teacher может пройти тестирование "
            f"({seconds} с)."
        )


@dataclass(frozen=True)
class _Taker:
    person_id: int
    municipality_id: int
    subject_id: int | None  # the subject of the person's subject items (None: none)
    is_school_teacher: bool


def generate_diagnostics(region: Region, *, seed: int = 1, today: date | None = None):
    """Create the demo region's procedures and results in one transaction."""
    today = today or date.today()
    if Procedure.objects.filter(region=region).exists():
        raise GenerationError(f"В регионе «{region}» уже есть диагностические процедуры.")
    started = time.perf_counter()
    rng = random.Random(f"diagnostics:{seed}")
    with transaction.atomic():
        items_added = load_demo_bank()
        builder = _Builder(region, rng, today)
        entry = builder.entry()
        federal = builder.federal()
        exit_ = builder.exit(entry)
        current = builder.current()
    return DiagnosticsSummary(
        items_added=items_added,
        procedures=[federal, entry, exit_, current],
        results=builder.results,
        with_deficit=builder.with_deficit,
        people=len(builder.people_with_results),
        open_procedure=current,
        seconds=time.perf_counter() - started,
    )


def covered_subjects() -> set[int]:
    """Subjects with enough approved subject items for the blueprint at every difficulty."""
    counts = defaultdict(int)
    rows = Item.objects.filter(
        status=ReviewStatus.APPROVED, area__is_subject=True, subject__isnull=False
    ).values_list("subject_id", "difficulty")
    for subject_id, difficulty in rows:
        counts[subject_id, difficulty] += 1
    subjects = {subject_id for subject_id, _ in counts}
    return {
        s
        for s in subjects
        if all(counts[s, DIFFICULTIES[name]] >= need for name, need in BLUEPRINT.items())
    }


class _Builder:
    def __init__(self, region: Region, rng: random.Random, today: date):
        self.region, self.rng, self.today = region, rng, today
        self.areas = {a.code: a for a in CompetencyArea.objects.filter(code__in=WEAKNESS)}
        self.covered = covered_subjects()
        self.subject_names = dict(Subject.objects.values_list("pk", "name"))
        self.municipalities = list(Municipality.objects.filter(region=region).order_by("pk"))
        self.takers = self._takers()
        self.demo_person = (
            User.objects.filter(username="teacher").values_list("person_id", flat=True).first()
        )
        self.scores: dict[int, dict] = {}  # entry scores by person
        self.results = self.with_deficit = 0
        self.people_with_results: set[int] = set()

    def _takers(self) -> list[_Taker]:
        """Pedagogical, non-managing main jobs in schools, kindergartens and colleges, in person
        order; the demo methodist and school administrator (who also teach) among them."""
        jobs = (
            Employment.objects.filter(
                person__region=self.region,
                organization__kind__in=TAKING_KINDS,
                position__is_pedagogical=True,
                is_part_time=False,
                manager_kind="",
            )
            .order_by("person_id", "pk")
            .values_list("person_id", "organization__municipality_id", "organization__kind")
        )
        actors = (
            Employment.objects.filter(
                person__region=self.region,
                person__user__username__in=("methodist", "school"),
                is_part_time=False,
            )
            .order_by("person_id", "pk")
            .values_list("person_id", "organization__municipality_id", "organization__kind")
        )
        subjects = defaultdict(set)
        main_subjects = Employment.subjects.through.objects.filter(
            employment__person__region=self.region, employment__is_part_time=False
        ).values_list("employment__person_id", "subject_id")
        for person_id, subject_id in main_subjects:
            subjects[person_id].add(subject_id)
        takers: dict[int, _Taker] = {}
        for person_id, municipality_id, kind in [*jobs, *actors]:
            if person_id in takers:
                continue
            own = sorted(subjects[person_id] & self.covered)
            takers[person_id] = _Taker(
                person_id,
                municipality_id,
                own[0] if own else None,
                kind == OrganizationKind.GENERAL,
            )
        return sorted(takers.values(), key=lambda t: t.person_id)

    # -- procedures ----------------------------------------------------------------------------
    def _procedure(self, name, level, kind, starts_on, ends_on, **extra) -> Procedure:
        return Procedure.objects.create(
            region=self.region,
            name=name,
            level=level,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            seed=self.rng.randint(1, 10**6),
            **extra,
        )

    def _blueprint(self, procedure: Procedure) -> None:
        """BLUEPRINT per area, capped by the approved items (subject items: a covered subject)."""
        available = defaultdict(int)
        approved = Item.objects.filter(status=ReviewStatus.APPROVED, area__in=self.areas.values())
        for area_id, difficulty in approved.exclude(area__is_subject=True).values_list(
            "area_id", "difficulty"
        ):
            available[area_id, difficulty] += 1
        for area in sorted(self.areas.values(), key=lambda a: a.order):
            if area.is_subject:
                counts = dict(BLUEPRINT) if self.covered else {}
            else:
                counts = {
                    name: min(need, available[area.pk, DIFFICULTIES[name]])
                    for name, need in BLUEPRINT.items()
                }
            if sum(counts.values()):
                procedure.blueprint.create(area=area, **counts)

    def _groups(self, procedure: Procedure, takers: list[_Taker]) -> dict[int, dict[int, Decimal]]:
        """One group per municipality and subject with its members, then the variants; returns
        the points of each area in each person's variant."""
        if not takers:
            return {}
        names = {m.pk: m.name for m in self.municipalities}
        members = defaultdict(list)
        for taker in takers:
            members[taker.municipality_id, taker.subject_id].append(taker.person_id)
        keys = sorted(members, key=lambda k: (k[0], k[1] is not None, k[1] or 0))
        groups = []
        for number, (municipality_id, subject_id) in enumerate(keys, start=1):
            name = f"Педагоги: {names[municipality_id]}"
            if subject_id is not None:
                name += f", {self.subject_names[subject_id]}"
            criteria = {"municipality": municipality_id}
            if subject_id is not None:
                criteria["subject"] = subject_id
            groups.append(
                Group(
                    procedure=procedure,
                    number=number,
                    name=name,
                    criteria=criteria,
                    subject_id=subject_id,
                )
            )
        insert(Group, groups)
        group_of = {}
        memberships = []
        for group, key in zip(groups, keys, strict=True):
            for person_id in members[key]:
                group_of[person_id] = group.pk
                memberships.append(
                    {"group_id": group.pk, "person_id": person_id, "procedure_id": procedure.pk}
                )
        insert_rows(Membership, memberships)
        assemble_variants(procedure)
        rows = (
            VariantItem.objects.filter(variant__group__procedure=procedure)
            .values("variant__group_id", "item__area")
            .annotate(points=Sum("item__points"))
            .order_by()
        )
        by_group = defaultdict(dict)
        for row in rows:
            by_group[row["variant__group_id"]][row["item__area"]] = Decimal(row["points"])
        return {person_id: by_group[group_id] for person_id, group_id in group_of.items()}

    def entry(self) -> Procedure:
        today = self.today
        procedure = self._procedure(
            f"Региональная входная диагностика профессиональных дефицитов "
            f"{(today - timedelta(days=150)).year}",
            Level.REGIONAL,
            ProcedureKind.ENTRY,
            today - timedelta(days=160),
            today - timedelta(days=130),
            time_limit_minutes=60,
        )
        self._blueprint(procedure)
        wanted = {self.demo_person} | set(
            User.objects.filter(username__in=("methodist",)).values_list(
                "assigned_people", flat=True
            )
        )
        wanted |= set(
            User.objects.filter(username__in=("methodist", "school")).values_list(
                "person_id", flat=True
            )
        )
        participants = [
            t for t in self.takers if t.person_id in wanted or self.rng.random() < ENTRY_SHARE
        ]
        maxima = self._groups(procedure, participants)
        writer = _Writer(self, procedure, ResultSource.ONLINE)
        for taker in participants:
            weak = self._weak_areas(taker.person_id == self.demo_person)
            scores = {
                area: self._score(maxima[taker.person_id][area.pk], area.code in weak)
                for area in self.areas.values()
                if area.pk in maxima[taker.person_id]
            }
            self.scores[taker.person_id] = scores
            writer.add(taker.person_id, scores)
        writer.flush()
        return procedure

    def federal(self) -> Procedure:
        """Subject and methodical competencies of subject teachers, imported from outside."""
        today = self.today
        procedure = self._procedure(
            "Оценка предметных и методических компетенций учителей (федеральная)",
            Level.FEDERAL,
            ProcedureKind.ENTRY,
            today - timedelta(days=400),
            today - timedelta(days=380),
            is_external=True,
        )
        candidates = [t for t in self.takers if t.subject_id is not None]
        wanted = max(1, round(len(candidates) * FEDERAL_SHARE)) if candidates else 0
        chosen = self.rng.sample(candidates, wanted)
        maxima = {"subject": Decimal(20), "methodical": Decimal(12)}
        writer = _Writer(self, procedure, ResultSource.IMPORT)
        for taker in sorted(chosen, key=lambda t: t.person_id):
            weak = self._weak_areas()
            scores = {
                self.areas[code]: self._score(top, code in weak)
                for code, top in maxima.items()
                if code in self.areas
            }
            writer.add(taker.person_id, scores)
        writer.flush()
        return procedure

    def exit(self, entry: Procedure) -> Procedure:
        """Exit diagnostics of part of the entry participants: deficits mostly smaller."""
        today = self.today
        procedure = self._procedure(
            f"Региональная выходная диагностика профессиональных дефицитов {today.year}",
            Level.REGIONAL,
            ProcedureKind.EXIT,
            today - timedelta(days=40),
            today - timedelta(days=20),
            time_limit_minutes=60,
        )
        self._blueprint(procedure)
        takers = {t.person_id: t for t in self.takers}
        chosen = [
            takers[pk]
            for pk in sorted(self.scores)
            if pk != self.demo_person and self.rng.random() < EXIT_SHARE
        ]
        maxima = self._groups(procedure, chosen)
        writer = _Writer(self, procedure, ResultSource.ONLINE)
        for taker in chosen:
            pk, scores = taker.person_id, {}
            for area, (score, top) in self.scores[pk].items():
                new_top = maxima[pk].get(area.pk)
                if new_top is None:
                    continue
                share = score / top
                gain = self.rng.uniform(0.1, 0.4) if share <= Decimal("0.6") else 0.05
                share = min(float(share) + gain * self.rng.uniform(0.3, 1), 1.0)
                scores[area] = (_half(share * float(new_top)), new_top)
            writer.add(pk, scores)
        writer.flush()
        return procedure

    def current(self) -> Procedure:
        """Open today: the demo teacher's municipality and the next ones, all school teachers."""
        today = self.today
        procedure = self._procedure(
            f"Региональная диагностика профессиональных компетенций {today:%m.%Y}",
            Level.REGIONAL,
            ProcedureKind.ENTRY,
            today - timedelta(days=3),
            today + timedelta(days=27),
            time_limit_minutes=60,
        )
        self._blueprint(procedure)
        first = next(
            (t.municipality_id for t in self.takers if t.person_id == self.demo_person),
            self.municipalities[0].pk,
        )
        order = [first] + [m.pk for m in self.municipalities if m.pk != first]
        chosen = set(order[:CURRENT_GROUPS])
        self._groups(
            procedure,
            [t for t in self.takers if t.is_school_teacher and t.municipality_id in chosen],
        )
        return procedure

    # -- scores --------------------------------------------------------------------------------
    def _weak_areas(self, surely: bool = False) -> set[str]:
        """The areas of a person's deficits; the demo teacher always has some to show."""
        rng = self.rng
        if not surely and rng.random() < NO_DEFICIT:
            return set()
        count = rng.choices([c for c, _ in DEFICIT_COUNTS], [w for _, w in DEFICIT_COUNTS])[0]
        codes, weights = list(WEAKNESS), list(WEAKNESS.values())
        weak = set()
        while len(weak) < max(count, 2 if surely else 1):
            weak.add(rng.choices(codes, weights)[0])
        return weak

    def _score(self, top: Decimal, weak: bool) -> tuple[Decimal, Decimal]:
        """A score in half points: 25–60 % for a deficit, above 60 % otherwise."""
        share = self.rng.uniform(0.25, 0.6) if weak else self.rng.uniform(0.62, 1.0)
        score = _half(share * float(top))
        limit = top * Decimal("0.6")
        if weak and score > limit:
            score = _floor_half(limit)
        elif not weak and score <= limit:
            score = min(_floor_half(limit) + Decimal("0.5"), top)
        return score, top


class _Writer:
    """Results of one procedure, scored by `services.score_result` and written in bulk."""

    def __init__(self, builder: _Builder, procedure: Procedure, source: str):
        self.builder, self.procedure, self.source = builder, procedure, source
        self.pending: list[tuple[Result, dict]] = []

    def add(self, person_id: int, scores: dict) -> None:
        if not scores:
            return
        procedure, rng = self.procedure, self.builder.rng
        day = procedure.starts_on + timedelta(
            days=rng.randint(0, (procedure.ends_on - procedure.starts_on).days)
        )
        scored = score_result(procedure.threshold, scores)
        result = Result(
            person_id=person_id,
            procedure=procedure,
            taken_on=day,
            source=self.source,
            share=scored.share,
            has_deficit=scored.has_deficit,
        )
        self.pending.append((result, scored.areas))
        self.builder.results += 1
        self.builder.with_deficit += scored.has_deficit
        self.builder.people_with_results.add(person_id)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        write_results(self.pending)
        self.pending = []


def write_results(pending: list[tuple[Result, dict]]) -> None:
    """Save results with their area scores ({area: figures of score_result}) in bulk."""
    if not pending:
        return
    insert(Result, [r for r, _ in pending])
    insert_rows(
        AreaScore,
        [
            {"result_id": result.pk, "area_id": getattr(area, "pk", area), **figures}
            for result, areas in pending
            for area, figures in areas.items()
        ],
    )


def _half(value: float) -> Decimal:
    return Decimal(round(value * 2)) / 2


def _floor_half(value: Decimal) -> Decimal:
    return Decimal(int(value * 2)) / 2
