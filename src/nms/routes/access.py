"""What a scope may see and do with routes (ИОМ).

A route is visible when its person is. What a user may do with a route is decided by the roles
that apply to it (`roles_on`): the teacher role applies to the teacher's own route only, and no
other role applies to one's own route — a regional methodist who teaches follows their own route
as a teacher and never agrees, audits or evaluates it.
"""

from django.db.models import Q

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.accounts.scope import REGION_WIDE, scope_of
from nms.registry.access import person_q
from nms.routes.models import ItemReport, Route, RouteItem, RouteTemplate, RouteVersion


def _routes(scope):
    """The people's rule, via the person; a region-wide role by the route's own region (its
    person's, set when the route is opened), so that no join to the region's people is needed."""
    if scope.is_all:
        return Route.objects.all()
    regions = sorted({a.region_id for a in scope.assignments if a.role in REGION_WIDE})
    if not regions:
        return Route.objects.filter(person_q(scope, "person__"))
    others = {Role(a.role) for a in scope.assignments} - REGION_WIDE
    rule = Q(region_id=regions[0]) if len(regions) == 1 else Q(region_id__in=regions)
    if others:
        rule |= person_q(scope.restricted_to(others), "person__")
    return Route.objects.filter(rule)


def roles_on(user, route: Route) -> frozenset:
    """The user's roles that apply to this route."""
    scope = scope_of(user)
    own = scope.person_id is not None and route.person_id == scope.person_id
    roles = set()
    for role in scope.roles:
        if role == Role.TEACHER:
            if any(a.person_id == route.person_id for a in scope.of_role(Role.TEACHER)):
                roles.add(role)
        elif not own and _routes(scope.restricted_to({role})).filter(pk=route.pk).exists():
            roles.add(role)
    return frozenset(roles)


register_model(Route, _routes)
register_model(RouteItem, lambda scope: RouteItem.objects.filter(route__in=_routes(scope)))
register_model(ItemReport, lambda scope: ItemReport.objects.filter(item__route__in=_routes(scope)))
register_model(RouteVersion, lambda scope: RouteVersion.objects.filter(route__in=_routes(scope)))
register_model(
    RouteTemplate, lambda scope: RouteTemplate.objects.filter(region__in=scope.regions())
)

register_action("routes.create_any", (Role.CNPPM,), "открывать маршруты работникам")
register_action("routes.templates", (Role.CNPPM,), "составлять шаблоны и маршруты по шаблону")
register_action("routes.decide_reports", (Role.METHODIST,), "принимать отчёты по пунктам")
