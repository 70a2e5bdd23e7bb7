"""Reads of routes, scope first: a route is visible when its person is."""

import calendar
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from nms.accounts.models import Role
from nms.accounts.scope import get_visible_or_404, scope_of
from nms.diagnostics.models import AreaScore
from nms.routes.models import ItemStatus, Route, RouteItem, Status


def routes_visible(user) -> QuerySet[Route]:
    return Route.objects.filter(person__in=scope_of(user).people())


def route_get(user, pk) -> Route:
    return get_visible_or_404(
        routes_visible(user).select_related("person", "methodist", "tutor", "entry_result"),
        pk=pk,
    )


def overdue_items_q(on: date | None = None) -> Q:
    """Items past their due date and not done, in routes under way."""
    return Q(due_on__lt=on or date.today()) & ~Q(status=ItemStatus.DONE)


def _has_overdue(on: date) -> Exists:
    return Exists(RouteItem.objects.filter(overdue_items_q(on), route=OuterRef("pk")))


def register(user, *, on: date | None = None) -> QuerySet[Route]:
    """The register of routes: one row per route with what the list shows, fixed queries."""
    on = on or date.today()
    return (
        routes_visible(user)
        .select_related("person", "methodist", "tutor")
        .annotate(
            items_total=Count("items"),
            items_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            is_overdue=_has_overdue(on) & Q(status__in=(Status.IN_PROGRESS, Status.AUDIT)),
        )
        .order_by("-created_at", "-id")
    )


def filter_register(
    queryset: QuerySet[Route],
    *,
    municipality=None,
    organization=None,
    methodist=None,
    status=None,
    route_type=None,
    overdue=None,
    on: date | None = None,
) -> QuerySet[Route]:
    from nms.registry.models import Employment

    def works(**lookup):
        return Exists(Employment.objects.filter(person=OuterRef("person_id"), **lookup))

    if municipality:
        queryset = queryset.filter(works(organization__municipality=municipality))
    if organization:
        queryset = queryset.filter(works(organization=organization))
    if methodist:
        queryset = queryset.filter(methodist=methodist)
    if status:
        queryset = queryset.filter(status=status)
    if route_type:
        queryset = queryset.filter(route_type=route_type)
    if overdue is not None:
        under_way = Q(status__in=(Status.IN_PROGRESS, Status.AUDIT))
        late = Q(_has_overdue(on or date.today())) & under_way
        queryset = queryset.filter(late if overdue else ~late)
    return queryset


def due_for(user, on: date | None = None) -> dict:
    """What the user's dashboard lists: overdue items and routes whose audit is due."""
    on = on or date.today()
    routes = routes_visible(user)
    if scope_of(user).role == Role.METHODIST:
        routes = routes.filter(Q(methodist=user) | Q(methodist__isnull=True))
    under_way = routes.filter(status__in=(Status.IN_PROGRESS, Status.AUDIT))
    overdue = (
        RouteItem.objects.filter(overdue_items_q(on), route__in=under_way)
        .select_related("route__person")
        .order_by("due_on", "id")
    )
    audits = [
        r
        for r in under_way.filter(status=Status.IN_PROGRESS).select_related("person")
        if r.audit_due_on <= on
    ]
    return {"overdue_items": overdue, "audits_due": audits}


def audit_due_q(on: date | None = None) -> Q:
    """Routes under way whose end is at most a calendar month away: their audit is due."""
    return Q(status=Status.IN_PROGRESS, ends_on__lte=month_after(on or date.today()))


def month_after(day: date) -> date:
    year, month = (day.year, day.month + 1) if day.month < 12 else (day.year + 1, 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- outcome ---------------------------------------------------------------------------------
def outcome(route: Route) -> list[dict]:
    """Per area: entry share, exit share, change, and whether an entry deficit closed."""
    if not (route.entry_result_id and route.exit_result_id):
        return []
    scores = AreaScore.objects.filter(
        result_id__in=(route.entry_result_id, route.exit_result_id)
    ).select_related("area")
    entry = {s.area: s for s in scores if s.result_id == route.entry_result_id}
    exit_ = {s.area_id: s for s in scores if s.result_id == route.exit_result_id}
    rows = []
    for area, before in sorted(entry.items(), key=lambda kv: kv[0].order):
        after = exit_.get(area.pk)
        rows.append(
            {
                "area": area.name,
                "entry": before.share,
                "exit": after.share if after else None,
                "change": (after.share - before.share) if after else None,
                "was_deficit": before.is_deficit,
                "closed": before.is_deficit and after is not None and not after.is_deficit,
            }
        )
    return rows


def outcomes_summary(user) -> dict:
    """Share of completed deficit routes whose every entry deficit closed at exit (SQL)."""
    completed = routes_visible(user).filter(
        status=Status.COMPLETED, entry_result__isnull=False, exit_result__isnull=False
    )
    still_deficit = AreaScore.objects.filter(
        result_id=OuterRef("exit_result_id"),
        is_deficit=True,
        area_id__in=AreaScore.objects.filter(
            result_id=OuterRef(OuterRef("entry_result_id")), is_deficit=True
        ).values("area_id"),
    )
    had_deficit = AreaScore.objects.filter(result_id=OuterRef("entry_result_id"), is_deficit=True)
    with_deficits = completed.filter(Exists(had_deficit))
    totals = with_deficits.aggregate(
        total=Count("id"), closed=Count("id", filter=~Q(Exists(still_deficit)))
    )
    total = totals["total"]
    return {
        "completed": completed.count(),
        "with_deficits": total,
        "closed": totals["closed"],
        "share": round(100 * totals["closed"] / total, 1) if total else None,
    }
