"""«Положительная динамика» of a teacher's students after a completed route (G4, Ф144): the one
place the rule is defined; the dynamics page, the person card and the monitoring (G4) call it.

The rule (also in docs/outcomes.md):

1. The route is an ИОМ (routes.Route) with status «завершён»; it started on S and ended on E.
2. A school year's results are those of its end (the procedures of the spring; the year ends on
   30 June). «Before» is the last school year that ended before the route started (S), «after»
   is the first school year that ended on or after the route ended (E). For a route from
   01.10.2024 to 31.05.2025: before = 2023/2024, after = 2024/2025.
3. The teacher's results of each year are summed per (procedure, subject) over their classes and
   groups: the shares and the average weighted by the number of participants.
4. A (procedure, subject) is comparable when it has results in both years with the share passing
   in both, or else the average score in both. It is positive when the share passing (or, when a
   share is missing, the average score) rose by at least `rise` points (default 0: did not fall)
   and the share below the threshold did not rise (when it is given in both years).
5. The teacher has positive dynamics after the route when at least half of their comparable
   (procedure, subject) pairs are positive. A route with no comparable pair has no verdict: it is
   out of the denominator of G4 («нет сопоставимых результатов»).

G4 = teachers with a route completed in the period (E within the period) and positive dynamics /
teachers with a route completed in the period and a verdict (a comparable pair).

Computed from the aggregated rows in one query per 500 teachers (no query per teacher).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from nms.outcomes.models import ResultKind, StudentResult, school_year_label

DEFAULT_RISE = Decimal(0)
CHUNK = 500


def school_year_end(year: int) -> date:
    return date(year + 1, 6, 30)


def year_before(starts_on: date) -> int:
    """The last school year that ended before the day."""
    return starts_on.year - 1 if starts_on > date(starts_on.year, 6, 30) else starts_on.year - 2


def year_after(ends_on: date) -> int:
    """The first school year that ended on or after the day."""
    return ends_on.year - 1 if ends_on <= date(ends_on.year, 6, 30) else ends_on.year


@dataclass
class Figures:
    participants: int = 0
    passing: Decimal | None = None
    below: Decimal | None = None
    average: Decimal | None = None

    @property
    def passing_text(self) -> str:
        return _percent(self.passing)

    @property
    def below_text(self) -> str:
        return _percent(self.below)

    @property
    def average_text(self) -> str:
        return "—" if self.average is None else f"{self.average:.1f}".replace(".", ",")


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


@dataclass
class Comparison:
    kind: str
    subject: str
    before: Figures
    after: Figures
    positive: bool
    measure: str  # «доля справившихся» or «средний балл»

    @property
    def kind_label(self) -> str:
        return ResultKind(self.kind).label


@dataclass
class Verdict:
    route_id: int
    person_id: int
    year_before: int
    year_after: int
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return bool(self.comparisons)

    @property
    def positive(self) -> bool | None:
        """True/False, or None when nothing is comparable (out of the denominator)."""
        if not self.comparisons:
            return None
        good = sum(1 for c in self.comparisons if c.positive)
        return 2 * good >= len(self.comparisons)

    @property
    def label(self) -> str:
        if self.positive is None:
            return "нет сопоставимых результатов"
        return "положительная" if self.positive else "нет положительной динамики"

    @property
    def years_label(self) -> str:
        return f"{school_year_label(self.year_before)} → {school_year_label(self.year_after)}"


def _weighted(rows, name):
    total = sum(r["participants"] for r in rows if r[name] is not None)
    if not total:
        return None
    value = sum(r[name] * r["participants"] for r in rows if r[name] is not None) / total
    return Decimal(value).quantize(Decimal("0.01"))


def _figures(rows) -> Figures:
    return Figures(
        participants=sum(r["participants"] for r in rows),
        passing=_weighted(rows, "share_passing"),
        below=_weighted(rows, "share_below"),
        average=_weighted(rows, "average_score"),
    )


def compare(before: Figures, after: Figures, rise: Decimal = DEFAULT_RISE):
    """(positive, measure) of one (procedure, subject), or None when not comparable."""
    if before.passing is not None and after.passing is not None:
        rose, measure = after.passing - before.passing >= rise, "доля справившихся"
    elif before.average is not None and after.average is not None:
        rose, measure = after.average - before.average >= rise, "средний балл"
    else:
        return None
    below_ok = before.below is None or after.below is None or after.below <= before.below
    return rose and below_ok, measure


def verdicts(routes, rise: Decimal = DEFAULT_RISE) -> dict[int, Verdict]:
    """{route id: Verdict} of routes given as objects or dicts with id, person_id, starts_on,
    ends_on (completed routes: the caller selects them)."""
    rise = Decimal(str(rise))
    items = []
    for route in routes:
        get = route.get if isinstance(route, dict) else lambda name, r=route: getattr(r, name)
        items.append(
            Verdict(
                get("id"),
                get("person_id"),
                year_before(get("starts_on")),
                year_after(get("ends_on")),
            )
        )
    people = sorted({v.person_id for v in items})
    years = {v.year_before for v in items} | {v.year_after for v in items}
    grouped = defaultdict(list)  # (person, kind, subject id, year) -> rows
    names = {}
    for start in range(0, len(people), CHUNK):
        rows = (
            StudentResult.objects.filter(
                teacher_id__in=people[start : start + CHUNK], school_year__in=years
            )
            .order_by()
            .values(
                "teacher_id",
                "kind",
                "subject_id",
                "subject__name",
                "school_year",
                "participants",
                "share_passing",
                "share_below",
                "average_score",
            )
        )
        for row in rows:
            key = (row["teacher_id"], row["kind"], row["subject_id"], row["school_year"])
            grouped[key].append(row)
            names[row["subject_id"]] = row["subject__name"]
    pairs_of = defaultdict(set)
    for person_id, kind, subject_id, _year in grouped:
        pairs_of[person_id].add((kind, subject_id))
    for verdict in items:
        for kind, subject_id in sorted(pairs_of[verdict.person_id]):
            before = grouped.get((verdict.person_id, kind, subject_id, verdict.year_before))
            after = grouped.get((verdict.person_id, kind, subject_id, verdict.year_after))
            if not before or not after:
                continue
            first, second = _figures(before), _figures(after)
            outcome = compare(first, second, rise)
            if outcome is None:
                continue
            positive, measure = outcome
            verdict.comparisons.append(
                Comparison(kind, names[subject_id], first, second, positive, measure)
            )
    return {v.route_id: v for v in items}


def completed_routes(starts_on: date, ends_on: date, region_id=None):
    """The completed routes that ended within the period (the routes G4 is about)."""
    from nms.routes.models import Route, Status

    routes = Route.objects.filter(
        status=Status.COMPLETED, ends_on__gte=starts_on, ends_on__lte=ends_on
    )
    if region_id is not None:
        routes = routes.filter(region_id=region_id)
    return routes


def period_verdicts(starts_on: date, ends_on: date, rise=DEFAULT_RISE, region_id=None):
    routes = completed_routes(starts_on, ends_on, region_id).values(
        "id", "person_id", "starts_on", "ends_on"
    )
    return verdicts(list(routes), rise)
