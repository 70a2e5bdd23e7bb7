"""What the home page shows: one section per role the user holds — what waits first, figures next.

A person holds several roles at once (DESIGN.md §1). The home page has a section for each of them,
in the order of `ROLE_ORDER`; a role bound to a municipality or an organization gets a section per
assignment. Each section starts with what waits for the user in that role (the to-do lists), then
the figures of what the role is bound to, and for those who follow a territory (the ministry, the
institute, a municipality, the administrator) its charts.

Every number is a link to exactly the rows it counts: it is computed by `listed` — the list page's
own filter set over the list's own rows, for the user who asks, with the query parameters the link
carries. The binding of a section (its municipality, organization or methodist) is one of those
parameters, so a user whose other roles see more still gets the section's rows only. Charts group
the same filtered rows by one field (`listed_by`), so each bar equals the list its link opens.

The number of queries is fixed: one per figure, two per to-do list (its first rows, its count), one
per chart; none per row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse

from nms.accounts.models import Role, RoleAssignment
from nms.accounts.scope import ROLE_ORDER, Scope, describe, scope_of
from nms.common import aggregates
from nms.common.text import plural
from nms.deficits import maps
from nms.diagnostics.models import Attempt, Membership, Procedure, Result
from nms.diagnostics.selectors import my_diagnostics, procedures_visible
from nms.itembank.filters import ItemFilterSet
from nms.itembank.models import ReviewStatus
from nms.itembank.selectors import items_visible
from nms.monitoring import recommendations as monitoring_recommendations
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet
from nms.registry.selectors import filter_people, people_visible
from nms.roadmap import hooks as roadmap_hooks
from nms.routes import selectors as routes
from nms.routes.filters import RouteFilterSet
from nms.routes.models import ItemStatus, Route, Status
from nms.routes.services import can_create

TODO_ROWS = 5  # the first rows of a to-do list; its figure opens them all
TREND_MONTHS = 12
OPEN_PROCEDURES = 6  # the progress chart shows the open procedures ending first
# Roles whose section is split by assignment: their figures filter the lists by the binding.
PER_ASSIGNMENT = {Role.MUNICIPAL: "municipality", Role.SCHOOL: "organization"}
# Roles that follow a territory: their sections have charts.
WITH_CHARTS = {Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL}


# -- what a page is made of ----------------------------------------------------------------------
@dataclass
class Tile:
    """A number; `url` opens the list of exactly the rows it counts (empty: no such list)."""

    key: str
    label: str
    value: int
    url: str = ""
    dom_id: str = ""


@dataclass
class Block:
    title: str
    tiles: list[Tile]


@dataclass
class Todo:
    """Something waiting for the user: how many (a figure linking to the list) and the first rows.

    `kind` picks the row layout: routes, reports (item reports), people.
    """

    kind: str
    title: str
    figure: Tile
    rows: list
    empty: str = ""

    @property
    def count(self) -> int:
        return self.figure.value

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class Series:
    label: str
    tiles: list[Tile]


@dataclass
class Chart:
    """A chart and its table: one row per label, one column per series; every cell a figure."""

    key: str
    title: str
    kind: str  # bar, doughnut, line (Chart.js types)
    labels: list[str]
    series: list[Series]
    note: str = ""
    empty: str = "Данных пока нет."
    dom_id: str = ""

    @property
    def rows(self) -> list[tuple[str, list[Tile]]]:
        return [(label, [s.tiles[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def data(self) -> dict:
        """What the chart script draws (given to the page as JSON, `json_script`)."""
        return {
            "type": self.kind,
            "labels": self.labels,
            "datasets": [
                {"label": s.label, "data": [t.value for t in s.tiles]} for s in self.series
            ],
        }

    @property
    def data_id(self) -> str:
        return f"{self.dom_id}-data"


@dataclass
class OwnRoute:
    """The teacher's own route: items returned for rework, overdue items, the next open ones."""

    route: Route
    returned: list
    overdue: list
    upcoming: list

    @property
    def rows(self) -> list[tuple]:
        """(item, returned, overdue): what needs work first, by due date, then the next ones."""
        urgent = {i.pk: i for i in self.returned + self.overdue}
        first = sorted(urgent.values(), key=lambda i: (i.due_on, i.pk))
        return [(i, i in self.returned, i in self.overdue) for i in first + self.upcoming]


@dataclass
class Section:
    role: Role
    title: str
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list | None = None
    own_routes: list[OwnRoute] | None = None
    can_open_route: bool = False
    todos: list[Todo] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    computed_at: datetime | None = None  # when the figures and charts were computed (kept)
    panels: list[tuple[str, dict]] = field(default_factory=list)  # (template, its `panel`)


# -- blocks the apps above give a role's section ------------------------------------------------
# (template, context_fn(user, role, assignments) -> dict | None): the section of `role` (its
# assignments: the one of a bound section, else all of the role) shows `template` with the dict
# as `panel` after its to-do lists — the monitoring's recommendations addressed to the role, the
# roadmap's overdue activities the role is responsible for.
SECTION_PANELS: list[tuple[str, Callable]] = [
    ("monitoring/_home_panel.html", monitoring_recommendations.home_panel),
    ("roadmap/_home_panel.html", roadmap_hooks.home_panel),
]


def _panels(user, role, assignments) -> list[tuple[str, dict]]:
    found = []
    for template, context_fn in SECTION_PANELS:
        panel = context_fn(user, role, assignments)
        if panel:
            found.append((template, panel))
    return found


class _Page:
    """What the sections share: the user, their whole scope, and checks made once per page."""

    def __init__(self, user, refresh: bool = False):
        self.user = user
        self.refresh = refresh
        self.scope = scope_of(user)
        self.today = routes.today()
        self.lists = _Lists(user)
        self._can_see_maps = None
        self._maps = {}

    @property
    def can_see_maps(self) -> bool:
        """The deficit map page refuses those who may not see it: no link for them."""
        if self._can_see_maps is None:
            self._can_see_maps = maps.can_see_maps(self.user)
        return self._can_see_maps


def home_sections(user, *, refresh: bool = False) -> list[Section]:
    """The sections of the user's home page, one per role (per assignment where bound)."""
    page = _Page(user, refresh)
    sections = []
    for role in ROLE_ORDER:
        if role not in page.scope.roles:
            continue
        build = BUILDERS[role]
        if role in PER_ASSIGNMENT:
            for assignment in page.scope.of_role(role):
                section = build(page, Scope(user, [assignment]), assignment)
                section.panels = _panels(user, role, [assignment])
                sections.append(section)
        else:
            section = build(page, page.scope.restricted_to({role}), None)
            section.panels = _panels(user, role, page.scope.of_role(role))
            sections.append(section)
    _number_tiles(sections)
    return sections


def figures(sections: list[Section]) -> list[Tile]:
    """Every number of the page, in the order shown."""
    found = []
    for section in sections:
        found += [todo.figure for todo in section.todos]
        found += [tile for block in section.blocks for tile in block.tiles]
        found += [t for chart in section.charts for s in chart.series for t in s.tiles]
    return found


def _number_tiles(sections: list[Section]) -> None:
    """Unique element ids for the figures: «count-people», then «count-people-2», …"""
    used: dict[str, int] = {}

    def unique(base: str) -> str:
        used[base] = used.get(base, 0) + 1
        return base if used[base] == 1 else f"{base}-{used[base]}"

    for tile in figures(sections):
        tile.dom_id = unique(f"count-{tile.key}")
    for section in sections:
        for chart in section.charts:
            chart.dom_id = unique(f"chart-{chart.key}")


# -- the numbers: each counts the list its link opens --------------------------------------------
def _url(name: str, params: dict, args=()) -> str:
    return reverse(name, args=args) + (f"?{urlencode(params)}" if params else "")


def listed_rows(filterset_class, queryset: QuerySet, user, params: dict, shared=None) -> QuerySet:
    """The rows a list page shows for these query parameters (before its sorting and pages).

    `shared` (a dict kept for one page) lets the filter sets of one class share their filters:
    their form fields — the choices of the user's scope — are then built once per page."""
    request = SimpleNamespace(user=user)
    filterset = filterset_class(params, queryset=queryset, request=request)
    if shared is not None:
        first = shared.setdefault(filterset_class, filterset)
        if first is not filterset and first.request.user is user:
            filterset.filters = first.filters  # their methods read the same user
    return filterset.qs


def listed(filterset_class, queryset: QuerySet, user, params: dict, shared=None) -> int:
    """The number of rows a list page shows for these query parameters."""
    return listed_rows(filterset_class, queryset, user, params, shared).count()


def listed_by(filterset_class, queryset: QuerySet, user, params: dict, group, shared=None) -> dict:
    """`listed` for each value of `group` (a field or an expression) in one grouped query."""
    rows = listed_rows(filterset_class, queryset, user, params, shared)
    group = F(group) if isinstance(group, str) else group
    return {
        r["key"]: r["n"]
        for r in rows.order_by().values(key=group).annotate(n=Count("pk")).order_by()
    }


class _Lists:
    """The lists the figures open, each with its filter set and its rows for counting.

    Counting needs no more than the rows: the lists' selectors add what a row shows (prefetches,
    per-row annotations), which a COUNT does not need; the filters and the scope are the same.
    One per page: the scope's querysets and the filter sets' forms are made once.
    """

    def __init__(self, user):
        self.user = user
        self.shared = {}
        self._bases = {}

    def base(self, name: str) -> QuerySet:
        if name not in self._bases:
            self._bases[name] = {
                "people": people_visible,
                "organizations": lambda user: scope_of(user).organizations(),
                "routes": routes.routes_visible,
            }[name](self.user)
        return self._bases[name]

    def rows(self, filterset_class, name: str, params: dict) -> QuerySet:
        return listed_rows(filterset_class, self.base(name), self.user, params, self.shared)

    def count(self, filterset_class, name: str, params: dict) -> int:
        return self.rows(filterset_class, name, params).count()

    def count_by(self, filterset_class, name: str, params: dict, group, queryset=None) -> dict:
        base = self.base(name) if queryset is None else queryset
        return listed_by(filterset_class, base, self.user, params, group, self.shared)

    def people(self, params: dict, key: str, forms: tuple[str, str, str], value=None) -> Tile:
        if value is None:
            value = self.count(PersonFilterSet, "people", params)
        return Tile(key, plural(value, *forms), value, _url("person-list", params))

    def organizations(self, params: dict, key: str, forms: tuple[str, str, str]) -> Tile:
        value = self.count(OrganizationFilterSet, "organizations", params)
        return Tile(key, plural(value, *forms), value, _url("organization-list", params))

    def routes(self, params: dict, key: str, label: str, value=None) -> Tile:
        if value is None:
            value = self.count(RouteFilterSet, "routes", params)
        return Tile(key, label, value, _url("route-list", params))

    def route_todo(self, key, title, params: dict, empty: str) -> Todo:
        rows = self.rows(RouteFilterSet, "routes", params)
        # Without the sections (JSON, texts): sorting whole routes spilled to disk.
        shown = rows.select_related("person").defer(*routes.BEYOND_THE_ROW)
        first = list(shown.order_by("ends_on", "id")[:TODO_ROWS])
        return Todo("routes", title, self.routes(params, key, "", rows.count()), first, empty)

    def people_todo(self, key, title, params: dict, empty: str) -> Todo:
        forms = ("работник", "работника", "работников")
        rows = self.rows(PersonFilterSet, "people", params)
        order = ("last_name", "first_name", "middle_name", "pk")
        first = list(rows.order_by(*order)[:TODO_ROWS])
        return Todo("people", title, self.people(params, key, forms, rows.count()), first, empty)


# -- a territory: registry, diagnostics, routes, charts -------------------------------------------
def _params(binding: dict) -> dict:
    return {name: str(obj.pk) for name, obj in binding.items()}


def _figures(page: _Page, binding: dict, *, charts: bool = True) -> dict:
    """A section's figures and charts over its territory, kept for a while
    (`nms.common.aggregates`: they group the whole territory; the page says when they were
    computed). To-do lists are never kept: they change with the user's own steps."""
    key = ":".join(
        ["home", page.scope.signature, str(charts)]
        + [f"{name}={obj.pk}" for name, obj in sorted(binding.items())]
    )
    kept = aggregates.kept(
        key,
        lambda: (_territory(page, binding), _charts(page, binding) if charts else []),
        refresh=page.refresh,
    )
    blocks, chart_list = kept.value
    return {"blocks": blocks, "charts": chart_list, "computed_at": kept.computed_at}


def _territory(page: _Page, binding: dict) -> list[Block]:
    """The figures of a territory (or an organization); `binding` — {"municipality": …},
    {"organization": …} or {} — filters every list."""
    lists = page.lists
    params = _params(binding)
    is_school = "organization" in binding

    registry = [lists.people(params, "people", ("работник", "работника", "работников"))]
    if not is_school:
        registry.append(
            lists.organizations(
                params, "organizations", ("организация", "организации", "организаций")
            )
        )
    registry += [
        lists.people(
            {**params, "young": "true"},
            "young",
            ("молодой педагог", "молодых педагога", "молодых педагогов"),
        ),
        lists.people(
            {**params, "manager": "true"},
            "managers",
            ("руководящий работник", "руководящих работника", "руководящих работников"),
        ),
    ]
    if not is_school:
        registry.append(
            lists.organizations({**params, "is_low_results": "true"}, "low-results", ("ШНОР",) * 3)
        )

    total = _deficit_map(page, binding).total
    map_url = _url("map-deficits", params) if page.can_see_maps else ""
    diagnostics = [
        Tile(
            "diagnosed",
            plural(total.people, "прошёл диагностику", "прошли диагностику", "прошли диагностику"),
            total.people,
            map_url,
        ),
        Tile("with-deficits", "с выявленными дефицитами", total.with_deficit, map_url),
    ]

    route_tiles = [
        lists.routes(params, "routes", "ИОМ всего"),
        lists.routes({**params, "status": Status.IN_PROGRESS}, "routes-active", "ИОМ реализуется"),
        lists.routes({**params, "status": Status.COMPLETED}, "routes-completed", "ИОМ завершено"),
        lists.routes(
            {**params, "overdue": "true"}, "routes-overdue", "ИОМ с просроченными пунктами"
        ),
        lists.routes(
            {**params, "audit_due": "true"}, "routes-audit-due", "ИОМ с наступившим сроком аудита"
        ),
    ]
    return [
        Block("Работники и организации" if not is_school else "Работники", registry),
        Block("Диагностика (последний результат каждого работника)", diagnostics),
        Block("ИОМ", route_tiles),
    ]


def _deficit_map(page: _Page, binding: dict) -> maps.DeficitMap:
    """The deficit map's «Всего» over the binding: the same numbers the map page totals."""
    key = tuple(sorted((k, v.pk) for k, v in binding.items()))
    if key not in page._maps:
        filters = maps.MapFilters(
            breakdown=maps.REGION,
            municipality=binding.get("municipality"),
            organization=binding.get("organization"),
        )
        page._maps[key] = maps.deficit_map(page.user, filters)
    return page._maps[key]


def _charts(page: _Page, binding: dict) -> list[Chart]:
    return [
        _route_states(page, binding),
        _procedures_progress(page, binding),
        _deficits_by_area(page, binding),
        _trend(page, binding),
    ]


def _route_states(page: _Page, binding: dict) -> Chart:
    params = _params(binding)
    counts = page.lists.count_by(RouteFilterSet, "routes", params, "status")
    states = [(s, label) for s, label in Status.choices if counts.get(s)]
    tiles = [
        Tile(f"state-{s}", label, counts[s], _url("route-list", {**params, "status": s}))
        for s, label in states
    ]
    return Chart(
        "route-states",
        "ИОМ по состояниям",
        "doughnut",
        [label for _, label in states],
        [Series("ИОМ", tiles)],
        empty="ИОМ пока нет.",
    )


def _procedures_progress(page: _Page, binding: dict) -> Chart:
    """Open procedures: of the people of the territory assigned to a group — how many started
    the test and how many have a result (what the procedure's results page lists). Three
    grouped queries whatever the number of people and procedures."""
    user = page.user
    people = filter_people(page.lists.base("people"), **binding)
    took = {"person": OuterRef("person"), "procedure": OuterRef("procedure")}
    started = Exists(Attempt.objects.filter(**took)) | Exists(Result.objects.filter(**took))
    members = {
        r["procedure"]: r
        for r in Membership.objects.filter(
            procedure__starts_on__lte=page.today,
            procedure__ends_on__gte=page.today,
            person__in=people,
        )
        .values("procedure")
        .annotate(  # one membership per person and procedure
            assigned=Count("pk"), started=Count("pk", filter=Q(started))
        )
        .order_by()
    }
    open_now = list(
        Procedure.objects.filter(pk__in=list(members))
        .annotate(visible=Exists(procedures_visible(user).filter(pk=OuterRef("pk"))))
        .order_by("ends_on", "name", "pk")[:OPEN_PROCEDURES]
    )
    results = dict(
        Result.objects.filter(procedure__in=[p.pk for p in open_now], person__in=people)
        .values("procedure")
        .annotate(n=Count("pk"))
        .values_list("procedure", "n")
        .order_by()
    )
    for p in open_now:
        p.assigned = members[p.pk]["assigned"]
        p.started = members[p.pk]["started"]
        p.finished = results.get(p.pk, 0)
    params = _params(binding)
    assigned, started, finished, labels = [], [], [], []
    for p in open_now:
        labels.append(p.name)
        # The groups' page counts every member in the user's scope: a link only when the section
        # is the whole scope (no binding).
        detail = _url("procedure-detail", {}, [p.pk]) if p.visible and not params else ""
        results = _url("procedure-results", params, [p.pk]) if p.visible else ""
        assigned.append(Tile(f"assigned-{p.pk}", "назначено", p.assigned, detail))
        started.append(Tile(f"started-{p.pk}", "начали", max(p.started, p.finished)))
        finished.append(Tile(f"finished-{p.pk}", "завершили", p.finished, results))
    return Chart(
        "procedures",
        "Идущие диагностики: назначено, начали, завершили",
        "bar",
        labels,
        [Series("Назначено", assigned), Series("Начали", started), Series("Завершили", finished)],
        empty="Идущих диагностик нет.",
    )


def _deficits_by_area(page: _Page, binding: dict) -> Chart:
    """People with a deficit in each competency area (the deficit map's «Всего» row)."""
    deficit_map = _deficit_map(page, binding)
    url = _url("map-deficits", _params(binding)) if page.can_see_maps else ""
    labels, people, deficit = [], [], []
    for area, cell in zip(deficit_map.areas, deficit_map.total.cells, strict=True):
        if cell is None:
            continue
        labels.append(area.name)
        people.append(Tile(f"area-people-{area.code}", "прошли", cell.people, url))
        deficit.append(Tile(f"area-deficit-{area.code}", "с дефицитом", cell.deficit, url))
    return Chart(
        "deficits",
        "Дефициты по областям компетенций",
        "bar",
        labels,
        [Series("Прошли диагностику", people), Series("С дефицитом", deficit)],
        note="По последнему результату каждого работника.",
        empty="Результатов диагностики пока нет.",
    )


def _trend(page: _Page, binding: dict) -> Chart:
    """ИОМ started per month over the last twelve months. One query."""
    params = _params(binding)
    back = page.today.year * 12 + page.today.month - TREND_MONTHS  # months since year 0, 0-based
    first = date(back // 12, back % 12 + 1, 1)
    since = page.lists.base("routes").filter(starts_on__gte=first)
    counts = page.lists.count_by(RouteFilterSet, "routes", params, TruncMonth("starts_on"), since)
    counts = {_as_date(k): n for k, n in counts.items()}
    months, tiles = [], []
    month = first
    while month <= page.today:
        label = f"{month:%m.%Y}"
        months.append(label)
        tiles.append(
            Tile(
                f"started-{month:%Y-%m}",
                "ИОМ начато",
                counts.get(month, 0),
                _url("route-list", {**params, "started": label}),
            )
        )
        month = routes.month_after(month)
    return Chart("trend", "ИОМ по месяцам начала", "line", months, [Series("Начато ИОМ", tiles)])


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# -- the teacher ---------------------------------------------------------------------------------
def _own_routes(page: _Page) -> list[OwnRoute]:
    """The teacher's routes not yet final: items returned for rework, overdue items (as
    `routes.overdue_items_q` counts them: past due, not done, in a route under way), the next."""
    result = []
    for route in routes.own_routes(page.user):
        items = route.open_items
        returned = [i for i in items if i.status == ItemStatus.RETURNED]
        overdue = [i for i in items if routes.is_item_overdue(i, page.today)]
        shown = {i.pk for i in returned + overdue}
        upcoming = [i for i in items if i.pk not in shown][:5]
        result.append(OwnRoute(route, returned, overdue, upcoming))
    return result


def _teacher(page: _Page, scope: Scope, assignment) -> Section:
    mine = [d for d in my_diagnostics(page.user) if d.state != "finished"]
    if mine and not page.scope.can("diagnostics.take", mine[0].procedure):
        mine = []  # who reads the item bank's keys takes no test drawn from it
    own = _own_routes(page)
    return Section(
        Role.TEACHER,
        Role.TEACHER.label,
        links=[(reverse("diagnostics-home"), "Мои диагностики и результаты")],
        diagnostics=mine,
        own_routes=own,
        can_open_route=not own and can_create(page.user),
    )


# -- the roles that act on routes ----------------------------------------------------------------
def _methodist(page: _Page, scope: Scope, assignment) -> Section:
    lists = page.lists
    mine = {"methodist": str(page.user.pk)}
    todos = [
        lists.route_todo(
            "methodist-awaiting",
            "ИОМ ждут вашего согласования или начала реализации",
            {"awaiting": Role.METHODIST},
            "Маршрутов, ждущих вашего шага, нет.",
        ),
        _reports_todo(page, lists),
        lists.route_todo(
            "methodist-new-results",
            "ИОМ, у работника которых появился новый результат диагностики",
            {"new_results": "true"},
            "Новых результатов, меняющих раздел 2 ИОМ, нет.",
        ),
        lists.route_todo(
            "methodist-audit-due",
            "Ваши ИОМ с наступившим сроком методического аудита",
            {**mine, "audit_due": "true"},
            "Срок аудита ни по одному вашему ИОМ не наступил.",
        ),
        lists.route_todo(
            "methodist-overdue",
            "Ваши ИОМ с просроченными пунктами",
            {**mine, "overdue": "true"},
            "Просроченных пунктов нет.",
        ),
    ]
    return Section(
        Role.METHODIST,
        Role.METHODIST.label,
        note="Сопровождаемые педагоги",
        todos=todos,
        blocks=[
            Block(
                "Маршруты, где вы региональный методист",
                [
                    lists.routes(mine, "methodist-routes", "ИОМ всего"),
                    lists.routes(
                        {**mine, "status": Status.IN_PROGRESS},
                        "methodist-active",
                        "ИОМ реализуется",
                    ),
                    lists.routes(
                        {**mine, "status": Status.COMPLETED},
                        "methodist-completed",
                        "ИОМ завершено",
                    ),
                ],
            )
        ],
    )


def _reports_todo(page: _Page, lists: _Lists) -> Todo:
    """Reports waiting for the methodist's decision; the figure counts their routes (the list it
    opens is the register)."""
    params = {"reports": "true"}
    rows = list(routes.reports_pending(page.user)[:TODO_ROWS])
    figure = lists.routes(params, "methodist-reports", "")
    return Todo(
        "reports",
        "ИОМ с отчётами, ждущими вашего решения",
        figure,
        rows,
        "Отчётов на проверке нет.",
    )


def _school(page: _Page, scope: Scope, assignment: RoleAssignment) -> Section:
    lists = page.lists
    organization = {"organization": str(assignment.organization_id)}
    return Section(
        Role.SCHOOL,
        Role.SCHOOL.label,
        note=str(assignment.organization),
        todos=[
            lists.route_todo(
                f"school-awaiting-{assignment.organization_id}",
                "ИОМ ждут согласования администрацией",
                {**organization, "awaiting": Role.SCHOOL},
                "Маршрутов, ждущих согласования, нет.",
            ),
            lists.people_todo(
                "school-no-results",
                "Работники без результатов диагностики",
                {**organization, "has_results": "false"},
                "У всех работников есть результаты диагностики.",
            ),
            lists.people_todo(
                "school-no-route",
                "Работники без ИОМ",
                {**organization, "has_route": "false"},
                "У всех работников есть ИОМ.",
            ),
        ],
        **_figures(page, {"organization": assignment.organization}, charts=False),
    )


def _municipal(page: _Page, scope: Scope, assignment: RoleAssignment) -> Section:
    binding = {"municipality": assignment.municipality}
    return Section(
        Role.MUNICIPAL,
        Role.MUNICIPAL.label,
        note=str(assignment.municipality),
        **_figures(page, binding),
    )


def _cnppm(page: _Page, scope: Scope, assignment) -> Section:
    lists = page.lists
    return Section(
        Role.CNPPM,
        Role.CNPPM.label,
        note=_notes(scope),
        todos=[
            lists.route_todo(
                "cnppm-awaiting",
                "ИОМ ждут составления или завершения",
                {"awaiting": Role.CNPPM},
                "Маршрутов, ждущих составления или завершения, нет.",
            ),
            lists.route_todo(
                "cnppm-audit-due",
                "Наступил срок методического аудита",
                {"audit_due": "true"},
                "Нет маршрутов, ожидающих аудита.",
            ),
        ],
        **_figures(page, {}),
    )


def _ministry(page: _Page, scope: Scope, assignment) -> Section:
    return Section(
        Role.MINISTRY,
        Role.MINISTRY.label,
        note=_notes(scope),
        **_figures(page, {}),
    )


def _admin(page: _Page, scope: Scope, assignment) -> Section:
    return Section(
        Role.ADMIN,
        Role.ADMIN.label,
        note="Вся система",
        **_figures(page, {}),
    )


def _expert(page: _Page, scope: Scope, assignment) -> Section:
    section = Section(Role.EXPERT, Role.EXPERT.label)
    if not page.scope.can_see_item_bank:
        return section
    review = {"status": ReviewStatus.REVIEW}
    value = listed(ItemFilterSet, items_visible(page.user), page.user, review, page.lists.shared)
    section.links = [(reverse("bank-list"), "Банк заданий")]
    section.blocks = [
        Block(
            "Банк заданий",
            [
                Tile(
                    "bank-review",
                    plural(
                        value,
                        "задание на экспертизе",
                        "задания на экспертизе",
                        "заданий на экспертизе",
                    ),
                    value,
                    _url("bank-list", review),
                )
            ],
        )
    ]
    return section


def _notes(scope: Scope) -> str:
    """What the role's assignments are bound to, without the role's name."""
    return "; ".join(describe(a).split(": ", 1)[-1] for a in scope.assignments)


BUILDERS = {
    Role.ADMIN: _admin,
    Role.MINISTRY: _ministry,
    Role.CNPPM: _cnppm,
    Role.METHODIST: _methodist,
    Role.MUNICIPAL: _municipal,
    Role.SCHOOL: _school,
    Role.TEACHER: _teacher,
    Role.EXPERT: _expert,
}
