"""Reads of the app outcomes, each through the user's scope (the access registry)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from nms.accounts.scope import scope_of
from nms.outcomes import dynamics
from nms.outcomes.models import LowResultsDecision, ResultKind, StudentResult

# ШНОР: an organization is proposed when its share passing over the chosen procedures of a
# school year (weighted by participants) is below this, in %.
LOW_RESULTS_THRESHOLD = Decimal(50)
LOW_RESULTS_KINDS = (ResultKind.VPR, ResultKind.OGE, ResultKind.EGE)
MIN_PARTICIPANTS = 10  # an organization with fewer participants in the year is not judged


def results_for_list(user):
    return (
        scope_of(user)
        .visible(StudentResult)
        .select_related("teacher", "organization__municipality", "subject")
    )


def person_results(user, person, limit: int = 30) -> list[StudentResult]:
    return list(
        results_for_list(user)
        .filter(teacher=person)
        .order_by("-school_year", "kind", "subject__name", "group_label")[:limit]
    )


def latest_year(user) -> int | None:
    return scope_of(user).visible(StudentResult).aggregate(year=Max("school_year"))["year"]


def school_years(user) -> list[int]:
    years = (
        scope_of(user)
        .visible(StudentResult)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
    )
    return list(dict.fromkeys(years))


# -- dynamics after routes ---------------------------------------------------------------------
@dataclass
class DynamicsRow:
    route: object
    verdict: dynamics.Verdict


def dynamics_rows(user, starts_on, ends_on, rise=dynamics.DEFAULT_RISE) -> list[DynamicsRow]:
    """The completed routes of the period the user may see, with their verdicts."""
    from nms.routes.models import Route

    scope = scope_of(user)
    routes = list(
        scope.visible(Route)
        .filter(pk__in=dynamics.completed_routes(starts_on, ends_on).values("pk"))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    verdicts = dynamics.verdicts(routes, rise)
    return [DynamicsRow(route, verdicts[route.pk]) for route in routes]


def dynamics_summary(rows: list[DynamicsRow]) -> dict:
    """G4's figures over the rows: teachers with a verdict and those with positive dynamics."""
    judged, positive = set(), set()
    for row in rows:
        if row.verdict.positive is None:
            continue
        judged.add(row.route.person_id)
        if row.verdict.positive:
            positive.add(row.route.person_id)
    share = round(100 * len(positive) / len(judged), 1) if judged else None
    return {"routes": len(rows), "judged": len(judged), "positive": len(positive), "share": share}


# -- ШНОР proposals ----------------------------------------------------------------------------
@dataclass
class Proposal:
    organization: object
    school_year: int
    participants: int
    share_passing: Decimal
    decision: LowResultsDecision | None = None

    @property
    def share_text(self) -> str:
        return f"{self.share_passing:.1f} %".replace(".", ",")


def low_results_proposals(
    user,
    school_year: int,
    *,
    kinds=LOW_RESULTS_KINDS,
    threshold=LOW_RESULTS_THRESHOLD,
    min_participants: int = MIN_PARTICIPANTS,
) -> list[Proposal]:
    """Organizations of the scope whose share passing in the year (the chosen procedures, rows
    with a share, weighted by participants) is below the threshold; not yet flagged."""
    from nms.registry.models import Organization

    scope = scope_of(user)
    rows = (
        scope.visible(StudentResult)
        .filter(school_year=school_year, kind__in=list(kinds), share_passing__isnull=False)
        .order_by()
        .values_list("organization_id", "participants", "share_passing")
    )
    totals = defaultdict(lambda: [0, Decimal(0)])
    for organization_id, participants, share in rows:
        totals[organization_id][0] += participants
        totals[organization_id][1] += share * participants
    threshold = Decimal(str(threshold))
    low = {}
    for organization_id, (participants, weighted) in totals.items():
        if participants < min_participants:
            continue
        share = (weighted / participants).quantize(Decimal("0.01"))
        if share < threshold:
            low[organization_id] = (participants, share)
    organizations = Organization.objects.filter(pk__in=low).select_related("municipality")
    decided = {
        d.organization_id: d
        for d in LowResultsDecision.objects.filter(organization__in=low, school_year=school_year)
    }
    proposals = [
        Proposal(o, school_year, *low[o.pk], decision=decided.get(o.pk))
        for o in organizations
        if not o.is_low_results or o.pk in decided
    ]
    proposals.sort(key=lambda p: (p.decision is not None, p.share_passing, p.organization.pk))
    return proposals
