"""Reads of routes, scope first: a route is visible when its person is."""

import calendar
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment, User, active_on
from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.text import search_tokens
from nms.deficits import maps
from nms.diagnostics.follow_ups import FollowUp
from nms.diagnostics.models import AreaScore, Result
from nms.itembank.models import CompetencyArea
from nms.registry.models import Person
from nms.registry.selectors import filter_people
from nms.routes import workflow
from nms.routes.models import (
    FINAL_STATUSES,
    ActivityKind,
    ItemReport,
    ItemStatus,
    Level,
    ReportDecision,
    Route,
    RouteEvent,
    RouteItem,
    RouteTemplate,
    RouteType,
    RouteVersion,
    Status,
)


def routes_visible(user) -> QuerySet[Route]:
    return scope_of(user).visible(Route)


def route_for_page(user) -> QuerySet[Route]:
    """The routes a user sees, with what a route's page reads of them."""
    return routes_visible(user).select_related("person", "methodist", "tutor", "entry_result")


def route_get(user, pk) -> Route:
    return get_visible_or_404(route_for_page(user), pk=pk)


# -- overdue: one definition for every page, list, export and reminder ----------------------
UNDER_WAY = (Status.IN_PROGRESS, Status.AUDIT)


def today() -> date:
    """«Today» in the server's time zone (settings.TIME_ZONE), for every due date."""
    return timezone.localdate()


def overdue_items_q(on: date | None = None) -> Q:
    """Items past their due date and not done, in routes under way."""
    return Q(due_on__lt=on or today()) & ~Q(status=ItemStatus.DONE) & Q(route__status__in=UNDER_WAY)


def is_item_overdue(item: RouteItem, on: date | None = None) -> bool:
    """`overdue_items_q` for one item at hand (its route loaded)."""
    return (
        item.due_on < (on or today())
        and item.status != ItemStatus.DONE
        and item.route.status in UNDER_WAY
    )


def with_overdue(items: QuerySet[RouteItem], on: date | None = None) -> QuerySet[RouteItem]:
    """Items annotated with `is_overdue` (`overdue_items_q`)."""
    return items.annotate(
        is_overdue=ExpressionWrapper(overdue_items_q(on), output_field=BooleanField())
    )


def _has_overdue(on: date) -> Exists:
    """Whether the route has an item past due and not done; the caller adds that the route is
    under way (`overdue_items_q` less its join to the route: PostgreSQL computes such a subquery
    once for every item of the database, 60 ms at 10 000 routes, instead of 2 ms without it)."""
    return Exists(
        RouteItem.objects.filter(due_on__lt=on, route=OuterRef("pk")).exclude(
            status=ItemStatus.DONE
        )
    )


def _item_count(**lookup) -> Coalesce:
    """Items of the route as a correlated subquery: a JOIN + GROUP BY over every route in scope
    would be paid before the page's LIMIT (measured: 5× slower on 50 000 routes)."""
    items = (
        RouteItem.objects.filter(route=OuterRef("pk"), **lookup)
        .order_by()
        .values("route")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(items), 0)


def register(user, *, on: date | None = None) -> QuerySet[Route]:
    """The register of routes: one row per route with what the list shows, fixed queries."""
    on = on or today()
    return (
        routes_visible(user)
        .select_related("person", "methodist", "tutor")
        .annotate(
            items_total=_item_count(),
            items_done=_item_count(status=ItemStatus.DONE),
            is_overdue=_has_overdue(on) & Q(status__in=(Status.IN_PROGRESS, Status.AUDIT)),
            section_organization=KT("general_info__organization_short"),
            section_municipality=KT("general_info__municipality"),
        )
        .order_by(*WORK_FIRST)
    )


# What a route holds beyond its register row: sections 1–2 (JSON) and the texts. The page and the
# API list never show them, and sorting a region's routes with them spilled to disk (8 MB).
BEYOND_THE_ROW = (
    "general_info",
    "deficits",
    "evaluation",
    "self_evaluation",
    "school_proposals",
    "closed_reason",
)


def register_rows(user, *, on: date | None = None) -> QuerySet[Route]:
    """The register for a page of rows (the list page, the API list): without the sections."""
    return register(user, on=on).defer(*BEYOND_THE_ROW)


# The register's order: what needs work first (`Route.work_rank`, indexed), the nearest end first.
WORK_FIRST = ("work_rank", "ends_on", "-id")


def filter_register(
    queryset: QuerySet[Route],
    *,
    municipality=None,
    organization=None,
    methodist=None,
    status=None,
    route_type=None,
    overdue=None,
    audit_due=None,
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
    if audit_due is not None:
        queryset = queryset.filter(audit_due_q(on) if audit_due else ~audit_due_q(on))
    if status:
        queryset = queryset.filter(status=status)
    if route_type:
        queryset = queryset.filter(route_type=route_type)
    if overdue is not None:
        under_way = Q(status__in=(Status.IN_PROGRESS, Status.AUDIT))
        late = Q(_has_overdue(on or today())) & under_way
        queryset = queryset.filter(late if overdue else ~late)
    return queryset


def due_for(user, on: date | None = None) -> dict:
    """What the user's dashboard lists: overdue items and routes whose audit is due."""
    on = on or today()
    routes = _methodist_own(user, routes_visible(user))
    under_way = routes.filter(status__in=(Status.IN_PROGRESS, Status.AUDIT))
    overdue = (
        RouteItem.objects.filter(overdue_items_q(on), route__in=under_way)
        .select_related("route__person")
        .order_by("due_on", "id")
    )
    audits = under_way.filter(audit_due_q(on)).select_related("person").order_by("ends_on")
    return {"overdue_items": overdue, "audits_due": audits}


def audit_due_q(on: date | None = None) -> Q:
    """Routes under way whose end is at most a calendar month away: their audit is due."""
    return Q(status=Status.IN_PROGRESS, ends_on__lte=month_after(on or today()))


def parse_month(text: str) -> date | None:
    """«ММ.ГГГГ» → the first day of that month; anything else → None."""
    month, _, year = (text or "").strip().partition(".")
    if not (month.isdigit() and year.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)


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


# -- for the API -----------------------------------------------------------------------------
def search_register(queryset: QuerySet[Route], query: str) -> QuerySet[Route]:
    """Routes whose person matches every word of the query (ФИО or СНИЛС; ё searched as е)."""
    for token in search_tokens(query):
        queryset = queryset.filter(person__search_text__contains=token)
    return queryset


def routes_detailed(user) -> QuerySet[Route]:
    """Visible routes with their map, the items' reports and the workflow steps at hand."""
    reports = ItemReport.objects.select_related("author")
    return (
        routes_visible(user)
        .select_related("person", "methodist", "tutor")
        .prefetch_related(
            Prefetch(
                "items",
                RouteItem.objects.select_related("area").prefetch_related(
                    Prefetch("reports", reports)
                ),
            ),
            Prefetch("events", RouteEvent.objects.select_related("actor")),
        )
    )


def items_visible(user) -> QuerySet[RouteItem]:
    return RouteItem.objects.filter(route__in=routes_visible(user))


def reports_visible(user) -> QuerySet[ItemReport]:
    return ItemReport.objects.filter(item__route__in=routes_visible(user))


def templates_visible(user) -> QuerySet[RouteTemplate]:
    """Templates of the regions the user works in."""
    return scope_of(user).visible(RouteTemplate)


def methodists_visible(user) -> QuerySet[User]:
    """Regional methodists who may be put on a route of the user's regions."""
    assignments = RoleAssignment.objects.filter(
        active_on(), role=Role.METHODIST, region__in=scope_of(user).regions()
    )
    return User.objects.filter(pk__in=assignments.values("user_id"))


# -- for the pages ---------------------------------------------------------------------------
# Steps forward a dashboard lists as waiting; the audit is listed when due (`due_for`).
FORWARD_STEPS = ("compose", "agree_school", "agree_methodist", "start", "complete")


def _methodist_own(user, routes: QuerySet[Route]) -> QuerySet[Route]:
    """A methodist's routes: those assigned to them or to nobody yet (as in `due_for`), and
    their own; for anyone with a wider role than the methodist's, all routes of the scope."""
    scope = scope_of(user)
    if scope.roles - {Role.TEACHER, Role.EXPERT} == {Role.METHODIST}:
        return routes.filter(
            Q(methodist=user) | Q(methodist__isnull=True) | Q(person_id=scope.person_id or 0)
        )
    return routes


def _acting_as(user, role) -> QuerySet[Route]:
    """Routes the user acts on in the given role: never their own (see routes.access)."""
    scope = scope_of(user)
    routes = scope.restricted_to({role}).visible(Route)
    if role == Role.METHODIST:
        routes = routes.filter(Q(methodist=user) | Q(methodist__isnull=True))
    return routes.exclude(person_id=scope.person_id or 0)


def awaiting_step(user, as_role: str | None = None) -> QuerySet[Route]:
    """Routes waiting for one of the user's roles (or for `as_role` only) to take the next step
    forward."""
    steps = [workflow.TRANSITIONS[name] for name in FORWARD_STEPS]
    parts = []
    roles = scope_of(user).roles - {Role.TEACHER}
    for role in roles & {as_role} if as_role else roles:
        statuses = {s for step in steps if role in step.roles for s in step.sources}
        if statuses:
            parts.append(_acting_as(user, role).filter(status__in=statuses))
    if len(parts) == 1:
        # One role's routes as they are: nesting them as `pk IN (…)` in a query that nests this
        # one again (the register's filter) made PostgreSQL scan the region's people (0.3 s).
        routes = parts[0]
    else:
        waiting = Q(pk__in=[])
        for part in parts:
            waiting |= Q(pk__in=part.values("pk"))
        routes = Route.objects.filter(waiting)
    return routes.select_related("person").order_by("ends_on", "id")


def waiting_for(user, what: str, role: str | None = None) -> QuerySet:
    """The ids of the routes waiting for the user (the register's filters of the same names):
    `awaiting` — their step forward as `role`; `reports` — their decision on a report;
    `new_results` — renewing section 2 after a newer result."""
    if what == "awaiting":
        return awaiting_step(user, role).values("pk")
    if what == "reports":
        return reports_pending(user).values("item__route_id")
    if what == "new_results":
        return routes_with_new_results(user).values("pk")
    raise ValueError(what)


def reports_pending(user) -> QuerySet[ItemReport]:
    """Reports on map items waiting for the regional methodist's decision."""
    if not scope_of(user).has(Role.METHODIST):
        return ItemReport.objects.none()
    return (
        ItemReport.objects.filter(
            decision=ReportDecision.PENDING,
            item__route__in=_acting_as(user, Role.METHODIST),
        )
        .select_related("item__route__person", "author")
        .order_by("created_at", "id")
    )


def own_routes(user) -> QuerySet[Route]:
    """The user's own routes not yet final, each with `open_items` (not done) by due date, each
    item with `is_overdue`."""
    if not user.person_id:
        return Route.objects.none()
    open_items = with_overdue(RouteItem.objects.exclude(status=ItemStatus.DONE)).order_by(
        "due_on", "id"
    )
    return (
        routes_visible(user)
        .filter(person_id=user.person_id)
        .exclude(status__in=FINAL_STATUSES)
        .prefetch_related(Prefetch("items", queryset=open_items, to_attr="open_items"))
    )


def map_by_level(route: Route) -> list[tuple[str, list[RouteItem]]]:
    """Section 3: the map's items under each of the four levels, in the order of the form, each
    with `is_overdue`."""
    items = list(with_overdue(route.items.select_related("area")).order_by("position", "id"))
    return [(label, [i for i in items if i.level == level]) for level, label in Level.choices]


def item_get(route: Route, pk) -> RouteItem:
    """An item of the route, with `is_overdue`."""
    return get_object_or_404(with_overdue(route.items.select_related("area")), pk=pk)


def item_reports(item: RouteItem) -> QuerySet[ItemReport]:
    return item.reports.select_related("author", "decided_by")


def report_get(route: Route, pk) -> ItemReport:
    return get_object_or_404(
        ItemReport.objects.filter(item__route=route).select_related("item__route"), pk=pk
    )


def history(route: Route) -> QuerySet:
    return route.events.select_related("actor")


def versions(route: Route) -> QuerySet[RouteVersion]:
    return route.versions.select_related("author").order_by("-number")


def version_get(route: Route, number) -> RouteVersion:
    return get_object_or_404(route.versions.select_related("author"), number=number)


def snapshot_view(snapshot: dict) -> dict:
    """A version's snapshot with labels and dates for reading: its fields and map items."""
    areas = CompetencyArea.objects.in_bulk({i["area"] for i in snapshot["items"] if i["area"]})
    labels = {
        **dict(Status.choices), **dict(RouteType.choices), **dict(Level.choices),
        **dict(ActivityKind.choices), **dict(ItemStatus.choices),
    }  # fmt: skip

    def day(value):
        return date.fromisoformat(value) if value else None

    items = [
        {
            **item,
            "level": labels.get(item["level"], item["level"]),
            "activity_kind": labels.get(item["activity_kind"], item["activity_kind"]),
            "status": labels.get(item["status"], item["status"]),
            "area": areas[item["area"]].name if item["area"] in areas else "",
            "starts_on": day(item["starts_on"]),
            "due_on": day(item["due_on"]),
        }
        for item in snapshot["items"]
    ]
    return {
        **snapshot,
        "status": labels.get(snapshot["status"], snapshot["status"]),
        "route_type": labels.get(snapshot["route_type"], snapshot["route_type"]),
        "starts_on": day(snapshot["starts_on"]),
        "ends_on": day(snapshot["ends_on"]),
        "items": items,
    }


def templates_for_list(user) -> QuerySet[RouteTemplate]:
    return (
        templates_visible(user)
        .annotate(
            items_count=Count("items", distinct=True), routes_count=Count("routes", distinct=True)
        )
        .prefetch_related("areas")
        .order_by("name", "id")
    )


def template_get(user, pk) -> RouteTemplate:
    return get_visible_or_404(templates_visible(user), pk=pk)


def template_candidates(
    user,
    template: RouteTemplate,
    *,
    profile: str = "",
    municipality=None,
    organization=None,
    subject=None,
    only_deficit: bool = False,
) -> QuerySet[Person]:
    """People in scope a template may be applied to.

    With `profile` (area codes of a group of the deficit maps, e.g. «methodical,ict»): the group's
    members. Otherwise the registry filters; with `only_deficit`, only those whose latest
    diagnostics shows a deficit in one of the template's areas (any area when it names none).
    """
    places = {"municipality": municipality, "organization": organization, "subject": subject}
    people = scope_of(user).people()
    if profile:
        areas = maps.parse_profile(profile)
        if areas is None:
            return Person.objects.none()
        members = maps.profile_members(user, maps.MapFilters(**places), areas)
        people = people.filter(pk__in=members.values("person_id"))
    else:
        people = filter_people(people, **places)
    if only_deficit and not profile:
        latest = Result.objects.filter(person=OuterRef("result__person")).order_by(
            "-taken_on", "-id"
        )
        deficits = AreaScore.objects.filter(
            result__person=OuterRef("pk"),
            is_deficit=True,
            result=Subquery(latest.values("pk")[:1]),
        )
        area_ids = list(template.areas.values_list("pk", flat=True))
        if area_ids:
            deficits = deficits.filter(area_id__in=area_ids)
        people = people.filter(Exists(deficits))
    return people.order_by("last_name", "first_name", "middle_name", "pk")


# -- a new diagnostics result reaching the route (section 2) ----------------------------------
def _latest_basis_result() -> Subquery:
    """The person's latest result a route may be built on (an exit diagnostics evaluates the
    route, it is never its basis)."""
    latest = (
        Result.objects.filter(person_id=OuterRef("person_id"))
        .exclude(procedure__kind="exit")
        .order_by("-taken_on", "-id")
    )
    return Subquery(latest.values("pk")[:1])


def _deficit_areas(result_ref: str):
    """Deficit areas of the route's result `result_ref`, from a subquery of a subquery."""
    return AreaScore.objects.filter(
        result_id=OuterRef(OuterRef(result_ref)), is_deficit=True
    ).values("area_id")


def with_new_result(routes: QuerySet[Route]) -> QuerySet[Route]:
    """Active routes whose person has a result with deficits newer than the one section 2 is built
    on (`entry_result`) and naming other deficits; annotated with `new_result_id`."""
    new_deficits = AreaScore.objects.filter(result_id=OuterRef("new_result_id"), is_deficit=True)
    old_deficits = AreaScore.objects.filter(result_id=OuterRef("entry_result_id"), is_deficit=True)
    differ = Exists(new_deficits.exclude(area_id__in=_deficit_areas("entry_result_id"))) | Exists(
        old_deficits.exclude(area_id__in=_deficit_areas("new_result_id"))
    )
    return (
        routes.exclude(status__in=FINAL_STATUSES)
        .annotate(new_result_id=_latest_basis_result())
        .filter(new_result_id__isnull=False)
        .exclude(new_result_id=Coalesce(F("entry_result_id"), 0))
        .filter(Exists(new_deficits))
        .filter(differ)
    )


def routes_with_new_results(user) -> QuerySet[Route]:
    """Routes the user may renew section 2 of (as regional methodist — their own routes and
    those nobody took yet — or as the institute's methodist) whose person has a newer result
    with other deficits (`with_new_result`)."""
    scope = scope_of(user)
    acting = Q(pk__in=[])
    for role in scope.roles & workflow.DEFICITS_UPDATERS:
        acting |= Q(pk__in=_acting_as(user, role).values("pk"))
    return (
        with_new_result(Route.objects.filter(acting))
        .select_related("person")
        .order_by("ends_on", "id")
    )


def new_result_for(route: Route) -> Result | None:
    """The newer result with other deficits a route's section 2 could be renewed from."""
    found = with_new_result(Route.objects.filter(pk=route.pk)).values("new_result_id").first()
    if found is None:
        return None
    return (
        Result.objects.filter(pk=found["new_result_id"])
        .select_related("procedure")
        .prefetch_related("area_scores__area")
        .first()
    )


def results_of_route_person(route: Route) -> QuerySet[Result]:
    """The diagnostics results of the route's person (whom the route lets the user see)."""
    return Result.objects.filter(person_id=route.person_id)


def result_follow_up(user, result: Result) -> FollowUp | None:
    """For the result page (`nms.diagnostics.follow_ups`): the person's active route the user
    sees — renewable from this result, or already built on it, or simply there."""
    route = (
        routes_visible(user)
        .filter(person_id=result.person_id)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )
    if route is None:
        return None
    url = reverse("route-detail", args=[route.pk])
    if route.entry_result_id == result.pk:
        text = "Раздел 2 действующего ИОМ построен на этом результате."
    elif new_result_for(route) == result:
        text = (
            "У работника есть действующий ИОМ, его раздел 2 построен на другом результате: "
            "региональный методист маршрута может обновить раздел 2 по этому результату."
        )
    else:
        text = "У работника есть действующий ИОМ."
    return FollowUp(text=text, url=url, label="Открыть ИОМ")
