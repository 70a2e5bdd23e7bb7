"""What every page's header needs: the scope and the navigation built from the access checks."""

from dataclasses import dataclass

from django.urls import reverse

from nms.accounts.scope import scope_of
from nms.common.links import allowed_url

TOOLS = "common.manager_tools"  # registers, exports, the API: not for a teacher or an expert


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    action: str = ""  # the scope must allow it (besides the page answering the user)
    own_card: bool = False  # the user's own person card (a teacher's «Моя карточка»)


# The header's order; apps above the accounts add their sections with `register_nav` when ready.
NAVIGATION = [
    (10, NavItem("home", "Главная", "home")),
    (20, NavItem("organizations", "Организации", "organization-list", action=TOOLS)),
    (30, NavItem("people", "Работники", "person-list", action=TOOLS)),
    (40, NavItem("own-card", "Моя карточка", "person-detail", own_card=True)),
    (50, NavItem("diagnostics", "Диагностика", "diagnostics-home")),
    (60, NavItem("routes", "ИОМ", "route-list")),
    (90, NavItem("import", "Импорт", "registry-import", action="registry.edit_people")),
    (100, NavItem("api", "API", "api-docs", action=TOOLS)),
]


def register_nav(order: int, item: NavItem) -> None:
    """Add an app's section to the header at `order` (see NAVIGATION); once per key."""
    if all(existing.key != item.key for _, existing in NAVIGATION):
        NAVIGATION.append((order, item))
        NAVIGATION.sort(key=lambda entry: entry[0])


USER_MENU = (
    NavItem("tokens", "Токены API", "api-tokens", action=TOOLS),
    NavItem("password", "Сменить пароль", "password_change"),
)


def _links(request, scope, items) -> list[dict]:
    links = []
    for item in items:
        if item.action and not scope.can(item.action):
            continue
        if item.own_card:
            # Only for those without the people register: the rest find themselves in it.
            if not scope.person_id or scope.can(TOOLS):
                continue
            url = allowed_url(request, item.url_name, scope.person_id)
        else:
            url = allowed_url(request, item.url_name)
        if url:
            links.append({"key": item.key, "label": item.label, "url": url})
    return links


def navigation(request) -> dict:
    """The header's links: an item is shown when the scope allows its action and the page would
    answer the user (nms.common.links) — the same checks the pages make."""
    scope = scope_of(request.user)
    items = _links(request, scope, [item for _, item in NAVIGATION])
    current = request.path
    best = max(
        (i for i in items if current.startswith(i["url"]) and i["url"] != reverse("home")),
        key=lambda i: len(i["url"]),
        default=None,
    )
    for item in items:
        item["current"] = item is best or (item["key"] == "home" and current == item["url"])
    return {"nav": items, "user_menu": _links(request, scope, USER_MENU)}


def scope(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_of(user), **navigation(request)}
