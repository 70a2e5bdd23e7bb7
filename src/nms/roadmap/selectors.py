"""Reads of the roadmap app, scoped by the access registry; «overdue» only through
models.overdue_q / state_expression."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from nms.accounts.scope import scope_of
from nms.roadmap.access import responsible_q
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    AgreementKind,
    Direction,
    Document,
    Measure,
    Roadmap,
    Status,
    overdue_q,
    state_expression,
)

HOME_ROWS = 5


def today() -> date:
    return timezone.localdate()


def roadmaps_for_list(user):
    return (
        scope_of(user)
        .visible(Roadmap)
        .select_related("region")
        .annotate(activities_count=Count("activities", distinct=True))
        .order_by("-starts_year", "title", "id")
    )


def directions_for_list(user):
    """Directions the user sees, with how many measures they hold (what keeps one from being
    deleted)."""
    return (
        scope_of(user)
        .visible(Direction)
        .select_related("roadmap")
        .annotate(measures_count=Count("measures", distinct=True))
        .order_by("roadmap_id", "number", "id")
    )


def measures_for_list(user):
    """Measures the user sees, with how many activities belong to them."""
    return (
        scope_of(user)
        .visible(Measure)
        .select_related("direction__roadmap")
        .annotate(activities_count=Count("activities", distinct=True))
        .order_by("direction__roadmap_id", "position", "id")
    )


def roadmap_structure(roadmap) -> list[tuple]:
    """[(direction, [measure, …]), …] of a roadmap, the empty ones too — what its editors keep
    (the tree of activities leaves out directions and measures with none); two queries."""
    measures = Measure.objects.filter(direction__roadmap=roadmap).annotate(
        activities_count=Count("activities")
    )
    by_direction: dict[int, list] = {}
    for measure in measures.order_by("position", "id"):
        by_direction.setdefault(measure.direction_id, []).append(measure)
    return [(d, by_direction.get(d.pk, [])) for d in roadmap.directions.order_by("number", "id")]


def activities_for_list(user):
    return (
        scope_of(user)
        .visible(Activity)
        .select_related(
            "roadmap", "measure__direction", "indicator", "responsible_organization",
            "responsible_municipality",
        )
        .order_by("roadmap_id", "position", "id")
    )  # fmt: skip


def with_state(periods, on: date | None = None):
    return periods.annotate(state=state_expression(on or today()))


def periods_for_list(user, on: date | None = None):
    rows = (
        scope_of(user)
        .visible(ActivityPeriod)
        .select_related(
            "activity__roadmap", "activity__responsible_organization",
            "activity__responsible_municipality", "reported_by",
        )
        .order_by("activity__roadmap_id", "year", "activity__position", "id")
    )  # fmt: skip
    return with_state(rows, on)


def periods_for_list_for_region(region, on: date | None = None):
    """A region's periods with their state, unscoped (the demo's summary, commands)."""
    return with_state(ActivityPeriod.objects.filter(activity__roadmap__region=region), on)


def activity_periods(activity, on: date | None = None) -> list[ActivityPeriod]:
    rows = activity.periods.select_related("reported_by").prefetch_related("files")
    return list(with_state(rows, on).order_by("year"))


def overdue_for(user, assignments=None, on: date | None = None):
    """Overdue periods of the activities the assignments answer for, visible to the user."""
    scope = scope_of(user)
    held = scope.assignments if assignments is None else assignments
    mine = responsible_q(held, "activity__")
    rows = (
        scope.visible(ActivityPeriod)
        .filter(mine)
        .filter(overdue_q(on or today()))
        .select_related("activity__roadmap")
        .order_by("due_on", "activity__position", "id")
    )
    return with_state(rows, on)


@dataclass(frozen=True)
class OnTime:
    """A1 for a roadmap and a year: activities due in the year, those done by their due date."""

    year: int
    due: int
    on_time: int
    overdue: int

    @property
    def share(self):
        return round(100 * self.on_time / self.due, 1) if self.due else None


def on_time_counts(roadmap, on: date | None = None, activities=None) -> list[OnTime]:
    """A1 per year of the roadmap — one grouped query (the rule of monitoring's A1); over
    `activities` only when given (what a user sees)."""
    on = on or today()
    periods = ActivityPeriod.objects.filter(activity__roadmap=roadmap)
    if activities is not None:
        periods = periods.filter(activity__in=activities.values("pk"))
    rows = (
        periods.values("year")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(status=Status.DONE, done_on__lte=F("due_on"))),
            overdue=Count("pk", filter=overdue_q(on)),
        )
        .order_by("year")
    )
    return [OnTime(r["year"], r["due"], r["on_time"], r["overdue"]) for r in rows]


def agreements_for_list(user):
    return (
        scope_of(user)
        .visible(Agreement)
        .select_related("municipality", "region")
        .prefetch_related("organizations")
        .order_by("-signed_on", "-id")
    )


def tripartite_coverage(region, on: date | None = None) -> tuple[int, int]:
    """C3 on a day: municipalities of the region with a tri-party agreement in force, of all."""
    from nms.registry.models import Municipality

    on = on or today()
    current = Agreement.objects.filter(
        region=region, kind=AgreementKind.TRIPARTITE, valid_from__lte=on
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    municipalities = Municipality.objects.filter(region=region)
    covered = municipalities.filter(pk__in=current.values("municipality_id")).count()
    return covered, municipalities.count()


def documents_for_list(user):
    return (
        scope_of(user)
        .visible(Document)
        .select_related("municipality", "organization")
        .order_by("-adopted_on", "-id")
    )


def current_versions(documents) -> dict:
    """{document id: its current version} — the newest by date — in one query."""
    from nms.roadmap.models import DocumentVersion

    found = {}
    rows = DocumentVersion.objects.filter(document__in=[d.pk for d in documents]).order_by(
        "document_id", "-dated", "-id"
    )
    for version in rows:
        found.setdefault(version.document_id, version)
    return found
