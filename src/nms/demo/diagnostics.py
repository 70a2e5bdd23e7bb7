"""Diagnostics of the demo region, generated after its registry (nms.demo.generator).

- the demo item bank (nms.itembank.demo);
- a past regional entry procedure with a blueprint over the teachers' areas, one group per
  municipality and its variants, and results of about a third of the school teachers — all the
  demo teacher's and the demo methodist's caseload among them; deficits in about 40 % of them,
  with profiles drawn from weighted areas so that typical groups with similar deficits appear;
- an imported federal procedure (subject and methodical competencies) for a few hundred teachers;
- a past regional exit procedure for part of the entry participants, most deficits smaller;
- a current procedure, open today, with groups and variants that include the demo account
  `teacher`, so the demo can be taken online.

Scores are written through `services.result_record` (no attempts). Deterministic from the seed on
the same `today` and registry.
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
from nms.demo.generator import GenerationError
from nms.diagnostics.models import (
    Group,
    Level,
    Membership,
    Procedure,
    ProcedureKind,
    ResultSource,
    VariantItem,
)
from nms.diagnostics.services import result_record
from nms.diagnostics.variants import assemble_variants
from nms.itembank.demo import load_demo_bank
from nms.itembank.models import CompetencyArea, Item, ReviewStatus
from nms.registry.models import Employment, Municipality, OrganizationKind, Region

ENTRY_SHARE = 0.30  # of the school teachers
FEDERAL_PEOPLE = 300
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
CURRENT_GROUPS = 3  # municipalities in the current procedure


@dataclass
class DiagnosticsSummary:
    items_added: int
    procedures: list[Procedure]
    results: int
    with_deficit: int
    open_procedure: Procedure
    seconds: float

    def as_text(self) -> str:
        return (
            f"Диагностика: заданий добавлено в банк {self.items_added}; процедур "
            f"{len(self.procedures)}; результатов {self.results}, из них с дефицитами "
            f"{self.with_deficit}. Сейчас открыта «{self.open_procedure.name}» — учётная запись "
            f"teacher может пройти тестирование ({self.seconds:.1f} с)."
        )


@dataclass(frozen=True)
class _Teacher:
    person_id: int
    municipality_id: int
    has_subjects: bool


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
        open_procedure=current,
        seconds=time.perf_counter() - started,
    )


class _Builder:
    def __init__(self, region: Region, rng: random.Random, today: date):
        self.region, self.rng, self.today = region, rng, today
        self.areas = {a.code: a for a in CompetencyArea.objects.filter(code__in=WEAKNESS)}
        self.teachers = self._teachers()
        self.municipalities = list(Municipality.objects.filter(region=region).order_by("pk"))
        self.demo_person = (
            User.objects.filter(username="teacher").values_list("person_id", flat=True).first()
        )
        self.scores: dict[int, dict] = {}  # entry scores by person
        self.results = self.with_deficit = 0

    def _teachers(self) -> list[_Teacher]:
        """Pedagogical, non-managing main jobs in schools, in person order."""
        jobs = (
            Employment.objects.filter(
                person__region=self.region,
                organization__kind=OrganizationKind.GENERAL,
                position__is_pedagogical=True,
                is_part_time=False,
                manager_kind="",
            )
            .order_by("person_id", "pk")
            .values_list("person_id", "organization__municipality_id", "subjects")
        )
        teachers: dict[int, _Teacher] = {}
        for person_id, municipality_id, subject_id in jobs:
            known = teachers.get(person_id)
            has_subjects = subject_id is not None or (known is not None and known.has_subjects)
            teachers[person_id] = _Teacher(person_id, municipality_id, has_subjects)
        return list(teachers.values())

    def _teaching_actors(self) -> list[_Teacher]:
        """The demo methodist and school administrator also teach: they take the diagnostics."""
        known = {t.person_id for t in self.teachers}
        jobs = (
            Employment.objects.filter(
                person__user__username__in=("methodist", "school"), is_part_time=False
            )
            .exclude(person_id__in=known)
            .order_by("person_id", "pk")
            .values_list("person_id", "organization__municipality_id")
        )
        actors = {}
        for person_id, municipality_id in jobs:
            actors.setdefault(person_id, _Teacher(person_id, municipality_id, False))
        return list(actors.values())

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
        """BLUEPRINT per area, capped by the approved items (subject items of any subject)."""
        available = defaultdict(int)
        approved = Item.objects.filter(status=ReviewStatus.APPROVED, area__in=self.areas.values())
        for area_id, difficulty in approved.values_list("area_id", "difficulty"):
            available[area_id, difficulty] += 1
        for area in sorted(self.areas.values(), key=lambda a: a.order):
            counts = {
                name: min(need, available[area.pk, difficulty])
                for (name, need), difficulty in zip(BLUEPRINT.items(), (1, 2, 3), strict=True)
            }
            if sum(counts.values()):
                procedure.blueprint.create(area=area, **counts)

    def _groups(self, procedure: Procedure, members: dict[int, list[int]]) -> None:
        """One group per municipality with its members, then the variants."""
        names = {m.pk: m.name for m in self.municipalities}
        for number, (municipality_id, people) in enumerate(sorted(members.items()), start=1):
            group = Group.objects.create(
                procedure=procedure,
                number=number,
                name=f"Педагоги: {names[municipality_id]}",
                criteria={"municipality": municipality_id},
            )
            Membership.objects.bulk_create(
                (Membership(group=group, person_id=pk, procedure=procedure) for pk in people),
                batch_size=500,
            )
        assemble_variants(procedure)

    def _maxima(self, procedure: Procedure) -> dict[int, dict[int, Decimal]]:
        """The points of each area in each municipality's variant."""
        rows = (
            VariantItem.objects.filter(variant__group__procedure=procedure)
            .values("variant__group__criteria", "item__area")
            .annotate(points=Sum("item__points"))
            .order_by()
        )
        maxima = defaultdict(dict)
        for row in rows:
            municipality_id = row["variant__group__criteria"]["municipality"]
            maxima[municipality_id][row["item__area"]] = Decimal(row["points"])
        return maxima

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
            User.objects.filter(username="methodist").values_list("assigned_people", flat=True)
        )
        participants = [
            t for t in self.teachers if t.person_id in wanted or self.rng.random() < ENTRY_SHARE
        ] + self._teaching_actors()
        members = defaultdict(list)
        for teacher in participants:
            members[teacher.municipality_id].append(teacher.person_id)
        self._groups(procedure, members)
        maxima = self._maxima(procedure)
        for teacher in participants:
            weak = self._weak_areas(teacher.person_id == self.demo_person)
            scores = {
                area: self._score(maxima[teacher.municipality_id][area.pk], area.code in weak)
                for area in self.areas.values()
                if area.pk in maxima[teacher.municipality_id]
            }
            self.scores[teacher.person_id] = scores
            self._record(teacher.person_id, procedure, scores, ResultSource.ONLINE)
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
        candidates = [t for t in self.teachers if t.has_subjects]
        chosen = self.rng.sample(candidates, min(FEDERAL_PEOPLE, len(candidates)))
        maxima = {"subject": Decimal(20), "methodical": Decimal(12)}
        for teacher in sorted(chosen, key=lambda t: t.person_id):
            weak = self._weak_areas()
            scores = {
                self.areas[code]: self._score(top, code in weak) for code, top in maxima.items()
            }
            self._record(teacher.person_id, procedure, scores, ResultSource.IMPORT)
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
        municipality = {t.person_id: t.municipality_id for t in self.teachers}
        chosen = [
            pk
            for pk in sorted(self.scores)
            if pk != self.demo_person and self.rng.random() < EXIT_SHARE
        ]
        members = defaultdict(list)
        for pk in chosen:
            members[municipality[pk]].append(pk)
        self._groups(procedure, members)
        maxima = self._maxima(procedure)
        for pk in chosen:
            scores = {}
            for area, (score, top) in self.scores[pk].items():
                new_top = maxima[municipality[pk]].get(area.pk)
                if new_top is None:
                    continue
                share = score / top
                gain = self.rng.uniform(0.1, 0.4) if share <= Decimal("0.6") else 0.05
                share = min(float(share) + gain * self.rng.uniform(0.3, 1), 1.0)
                scores[area] = (_half(share * float(new_top)), new_top)
            self._record(pk, procedure, scores, ResultSource.ONLINE)
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
        by_municipality = defaultdict(list)
        for teacher in self.teachers:
            by_municipality[teacher.municipality_id].append(teacher.person_id)
        first = next(
            (t.municipality_id for t in self.teachers if t.person_id == self.demo_person),
            self.municipalities[0].pk,
        )
        order = [first] + [m.pk for m in self.municipalities if m.pk != first]
        members = {pk: by_municipality[pk] for pk in order[:CURRENT_GROUPS] if by_municipality[pk]}
        self._groups(procedure, members)
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

    def _record(self, person_id: int, procedure: Procedure, scores: dict, source) -> None:
        if not scores:
            return
        day = procedure.starts_on + timedelta(
            days=self.rng.randint(0, (procedure.ends_on - procedure.starts_on).days)
        )
        result = result_record(person_id, procedure, day, scores, source)
        self.results += 1
        self.with_deficit += result.has_deficit


def _half(value: float) -> Decimal:
    return Decimal(round(value * 2)) / 2


def _floor_half(value: Decimal) -> Decimal:
    return Decimal(int(value * 2)) / 2
