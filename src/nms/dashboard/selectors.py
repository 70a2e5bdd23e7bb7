"""What the home page shows: one section per role the user holds, each over that role's scope.

A person holds several roles at once (DESIGN.md §1). The home page has a section for each of them,
in the order of `Scope.role_labels`: first what waits for the user in that role, then the figures
of what the role is bound to. Both are computed over the scope narrowed to the role
(`scope.restricted_to({role})`); a role bound to a municipality or an organization gets a section
per assignment, over that assignment alone.

Every figure on a tile is the count of exactly the list the tile opens: the same selector, the
same filter set and the same query parameters as that list page. The binding of the section
(municipality, organization, methodist) goes into the parameters, so the list the tile opens holds
the role's objects only, even for a user whose other roles see more.

The other apps' selectors take a user and read the scope through `scope_of(user)`; to run them
over a narrowed scope, they are given `acting(user, scope)`: a copy of the user carrying it.
Nothing here runs a query per row: the number of queries grows with the number of the user's
role assignments only.
"""

import copy
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from nms.accounts.models import Role, RoleAssignment
from nms.accounts.scope import ROLE_ORDER, Scope, describe, scope_of
from nms.deficits import maps
from nms.diagnostics.selectors import my_diagnostics
from nms.itembank.filters import ItemFilterSet
from nms.itembank.models import ReviewStatus
from nms.itembank.selectors import items_visible
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet
from nms.registry.selectors import organizations_for_list, people_for_list
from nms.routes import selectors as routes
from nms.routes.filters import RouteFilterSet
from nms.routes.models import Route, Status
from nms.routes.services import can_create

TODO_ROWS = 10
UNDER_WAY = (Status.IN_PROGRESS, Status.AUDIT)
# Roles whose section is split by assignment: their tiles filter the lists by the binding.
PER_ASSIGNMENT = {Role.MUNICIPAL: "municipality", Role.SCHOOL: "organization"}


@dataclass
class Tile:
    """A figure; `url` opens the list it counts (empty when there is no such list)."""

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
    """Something waiting for the user: how many, and the first rows.

    `kind` picks the row layout: routes, audits (routes), reports, items (route items).
    """

    kind: str
    title: str
    count: int
    rows: list
    empty: str = ""
    more_url: str = ""

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class OwnRoute:
    """The teacher's own route: its overdue items and the next open ones."""

    route: Route
    overdue: list
    upcoming: list


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


def acting(user, scope: Scope):
    """A copy of the user whose scope, for every selector, is the given (narrowed) one."""
    clone = copy.copy(user)
    clone._nms_scope = scope
    return clone


class _Page:
    """What the sections share: the user, their whole scope, and checks made once per page."""

    def __init__(self, user):
        self.user = user
        self.scope = scope_of(user)
        self.today = date.today()
        self._can_see_maps = None

    @property
    def can_see_maps(self) -> bool:
        """The deficit map page refuses those who may not see it: no link for them."""
        if self._can_see_maps is None:
            self._can_see_maps = maps.can_see_maps(self.user)
        return self._can_see_maps


def home_sections(user) -> list[Section]:
    """The sections of the user's home page, one per role (per assignment where bound)."""
    page = _Page(user)
    sections = []
    for role in ROLE_ORDER:
        if role not in page.scope.roles:
            continue
        build = BUILDERS[role]
        if role in PER_ASSIGNMENT:
            for assignment in page.scope.of_role(role):
                narrowed = Scope(user, [assignment])
                sections.append(build(page, narrowed, assignment))
        else:
            narrowed = page.scope.restricted_to({role})
            sections.append(build(page, narrowed, None))
    _number_tiles(sections)
    return sections


def _number_tiles(sections: list[Section]) -> None:
    """Unique element ids for the figures: «count-people», then «count-people-2», …"""
    used: dict[str, int] = {}
    for section in sections:
        for block in section.blocks:
            for tile in block.tiles:
                base = f"count-{tile.key}"
                used[base] = used.get(base, 0) + 1
                tile.dom_id = base if used[base] == 1 else f"{base}-{used[base]}"


# -- figures: each counts the list its link opens ----------------------------------------------
def _url(name: str, params: dict) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def listed(filterset_class, queryset: QuerySet, user, params: dict) -> int:
    """The number of rows a list page shows for these query parameters."""
    request = SimpleNamespace(user=user)
    return filterset_class(params, queryset=queryset, request=request).qs.count()


def _list_tile(key, label, url_name, filterset_class, queryset, user, params) -> Tile:
    value = listed(filterset_class, queryset, user, params)
    return Tile(key, label, value, _url(url_name, params))


def people_tile(user, params: dict, key="people", label="работников") -> Tile:
    return _list_tile(
        key, label, "person-list", PersonFilterSet, people_for_list(user), user, params
    )


def organizations_tile(user, params: dict, key="organizations", label="организаций") -> Tile:
    return _list_tile(
        key,
        label,
        "organization-list",
        OrganizationFilterSet,
        organizations_for_list(user),
        user,
        params,
    )


def routes_tile(user, params: dict, key: str, label: str) -> Tile:
    return _list_tile(key, label, "route-list", RouteFilterSet, routes.register(user), user, params)


def _territory(page: _Page, act, binding: dict, *, municipalities: bool) -> list[Block]:
    """The figures of a territory (or an organization): registry, diagnostics, routes.

    `binding` — {"municipality": …} or {"organization": …} or {} — filters every list.
    """
    params = {name: str(obj.pk) for name, obj in binding.items()}
    scope = scope_of(act)
    is_school = "organization" in binding

    registry = [people_tile(act, params)]
    if not is_school:
        registry.append(organizations_tile(act, params))
    if municipalities:
        registry.append(
            Tile("municipalities", "муниципальных образований", scope.municipalities().count())
        )
    registry += [
        people_tile(act, {**params, "young": "true"}, "young", "молодых педагогов"),
        people_tile(act, {**params, "manager": "true"}, "managers", "руководящих работников"),
    ]
    if not is_school:
        registry.append(
            organizations_tile(act, {**params, "is_low_results": "true"}, "low-results", "ШНОР")
        )

    filters = maps.MapFilters(
        breakdown=maps.REGION,
        municipality=binding.get("municipality"),
        organization=binding.get("organization"),
    )
    total = maps.deficit_map(act, filters).total
    map_url = _url("map-deficits", params) if page.can_see_maps else ""
    diagnostics = [
        Tile("diagnosed", "прошли диагностику", total.people, map_url),
        Tile("with-deficits", "с выявленными дефицитами", total.with_deficit, map_url),
    ]

    route_tiles = [
        routes_tile(act, params, "routes", "ИОМ всего"),
        routes_tile(
            act, {**params, "status": Status.IN_PROGRESS}, "routes-active", "ИОМ в реализации"
        ),
        routes_tile(
            act, {**params, "status": Status.COMPLETED}, "routes-completed", "завершённых ИОМ"
        ),
        routes_tile(
            act, {**params, "overdue": "true"}, "routes-overdue", "ИОМ с просроченными пунктами"
        ),
        # No list filters the routes whose audit is due: a figure without a link.
        Tile(
            "audits-due",
            "ИОМ ждут методического аудита",
            routes.due_for(act, page.today)["audits_due"].count(),
        ),
    ]
    return [
        Block("Работники и организации" if not is_school else "Работники", registry),
        Block("Диагностика", diagnostics),
        Block("ИОМ", route_tiles),
    ]


# -- to-do lists ---------------------------------------------------------------------------------
def _todo(kind: str, title: str, queryset: QuerySet, empty: str = "", more_url="") -> Todo:
    """The first rows and the count, in one query when the list is short."""
    rows = list(queryset[:TODO_ROWS])
    count = len(rows) if len(rows) < TODO_ROWS else queryset.count()
    return Todo(kind, title, count, rows, empty, more_url if count > len(rows) else "")


def _own_routes(page: _Page, act) -> list[OwnRoute]:
    """The teacher's routes not yet final; overdue items as `routes.overdue_items_q` counts them:
    past due, not done, in a route under way."""
    result = []
    for route in routes.own_routes(act):
        overdue = []
        if route.status in UNDER_WAY:
            overdue = [i for i in route.open_items if i.due_on and i.due_on < page.today]
        upcoming = [i for i in route.open_items if i not in overdue][:5]
        result.append(OwnRoute(route, overdue, upcoming))
    return result


# -- the sections --------------------------------------------------------------------------------
def _teacher(page: _Page, scope: Scope, assignment) -> Section:
    act = acting(page.user, scope)
    mine = [d for d in my_diagnostics(page.user) if d.state != "finished"]
    if mine and not page.scope.can("diagnostics.take", mine[0].procedure):
        mine = []  # who reads the item bank's keys takes no test drawn from it
    own = _own_routes(page, act)
    return Section(
        Role.TEACHER,
        Role.TEACHER.label,
        links=[(reverse("diagnostics-home"), "Мои диагностики и результаты")],
        diagnostics=mine,
        own_routes=own,
        can_open_route=not own and can_create(act),
    )


def _methodist(page: _Page, scope: Scope, assignment) -> Section:
    act = acting(page.user, scope)
    attention = reverse("route-dashboard")
    overdue = routes.due_for(act, page.today)["overdue_items"].exclude(
        route__person_id=page.user.person_id or 0
    )  # their own route is followed in the teacher's section
    mine = {"methodist": str(page.user.pk)}
    return Section(
        Role.METHODIST,
        Role.METHODIST.label,
        note="Сопровождаемые педагоги",
        todos=[
            _todo(
                "routes",
                "ИОМ ждут вашего шага",
                routes.awaiting_step(act),
                "Маршрутов, ждущих согласования или начала реализации, нет.",
                attention,
            ),
            _todo(
                "reports",
                "Отчёты по пунктам ждут решения",
                routes.reports_pending(act),
                "Отчётов на проверке нет.",
                attention,
            ),
            _todo(
                "items",
                "Просроченные пункты сопровождаемых ИОМ",
                overdue,
                "Просроченных пунктов нет.",
                attention,
            ),
        ],
        blocks=[
            Block(
                "Маршруты, где вы региональный методист",
                [
                    routes_tile(act, mine, "methodist-routes", "ИОМ всего"),
                    routes_tile(
                        act,
                        {**mine, "overdue": "true"},
                        "methodist-overdue",
                        "ИОМ с просроченными пунктами",
                    ),
                ],
            )
        ],
    )


def _school(page: _Page, scope: Scope, assignment: RoleAssignment) -> Section:
    act = acting(page.user, scope)
    return Section(
        Role.SCHOOL,
        Role.SCHOOL.label,
        note=str(assignment.organization),
        todos=[
            _todo(
                "routes",
                "ИОМ ждут согласования",
                routes.awaiting_step(act),
                "Маршрутов, ждущих согласования, нет.",
                reverse("route-dashboard"),
            )
        ],
        blocks=_territory(
            page, act, {"organization": assignment.organization}, municipalities=False
        ),
    )


def _municipal(page: _Page, scope: Scope, assignment: RoleAssignment) -> Section:
    act = acting(page.user, scope)
    return Section(
        Role.MUNICIPAL,
        Role.MUNICIPAL.label,
        note=str(assignment.municipality),
        blocks=_territory(
            page, act, {"municipality": assignment.municipality}, municipalities=False
        ),
    )


def _cnppm(page: _Page, scope: Scope, assignment) -> Section:
    act = acting(page.user, scope)
    attention = reverse("route-dashboard")
    return Section(
        Role.CNPPM,
        Role.CNPPM.label,
        note=_notes(scope),
        todos=[
            _todo(
                "routes",
                "ИОМ ждут вашего шага",
                routes.awaiting_step(act),
                "Маршрутов, ждущих составления или завершения, нет.",
                attention,
            ),
            _todo(
                "audits",
                "Наступил срок методического аудита",
                routes.due_for(act, page.today)["audits_due"],
                "Нет маршрутов, ожидающих аудита.",
                attention,
            ),
        ],
        blocks=_territory(page, act, {}, municipalities=True),
    )


def _ministry(page: _Page, scope: Scope, assignment) -> Section:
    act = acting(page.user, scope)
    return Section(
        Role.MINISTRY,
        Role.MINISTRY.label,
        note=_notes(scope),
        blocks=_territory(page, act, {}, municipalities=True),
    )


def _admin(page: _Page, scope: Scope, assignment) -> Section:
    act = acting(page.user, scope)
    return Section(
        Role.ADMIN,
        Role.ADMIN.label,
        note="Вся система",
        blocks=_territory(page, act, {}, municipalities=True),
    )


def _expert(page: _Page, scope: Scope, assignment) -> Section:
    section = Section(Role.EXPERT, Role.EXPERT.label)
    if not page.scope.can_see_item_bank:
        return section
    act = acting(page.user, scope)
    review = {"status": ReviewStatus.REVIEW}
    section.links = [(reverse("bank-list"), "Банк заданий")]
    section.blocks = [
        Block(
            "Банк заданий",
            [
                _list_tile(
                    "bank-review",
                    "заданий на экспертизе",
                    "bank-list",
                    ItemFilterSet,
                    items_visible(act),
                    act,
                    review,
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
