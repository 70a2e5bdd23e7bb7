"""What a scope may see and do in the registry: the rules every other app filters people by.

A person is visible to a role through its binding: the region (ministry, ЦНППМ), the
municipality or organization they work in (municipal service, school administration), the
caseload (regional methodist) or the person themself (teacher, expert).
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role, User
from nms.registry.models import Employment, Municipality, Organization, Person, Region

PERSON_BOUND = (Role.METHODIST, Role.TEACHER, Role.EXPERT)


def _person_ids(scope, a):
    """The ids of the people an assignment not bound to a region shows, as a subquery
    (unordered: it may be a member of a UNION)."""
    role = a.role
    if role == Role.MUNICIPAL:
        employments = Employment.objects.filter(organization__municipality_id=a.municipality_id)
        return employments.order_by().values("person_id")
    if role == Role.SCHOOL:
        employments = Employment.objects.filter(organization_id=a.organization_id)
        return employments.order_by().values("person_id")
    own_id = scope.person_id if role == Role.METHODIST else a.person_id
    own = Person.objects.filter(pk=own_id or 0).order_by().values("pk")
    if role == Role.METHODIST:
        caseload = User.assigned_people.through.objects.filter(user_id=scope.user.pk)
        return caseload.order_by().values("person_id").union(own, all=True)
    return own


def person_q(scope, path: str = "") -> Q:
    """Who the scope's people are: the regions' people, and the people of the other assignments
    as one `id IN (… UNION ALL …)` — a semi-join the database plans once, rather than an EXISTS
    over employments (or an OR of several) evaluated on every row of the table.

    `path` leads from another model to the person ("person__"): a model of people's records
    (employments, results, routes) filters through the joined person itself, so that a list of
    them in the people's order can walk the person index of the region up to its page.
    """
    regions, subqueries = [], []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in (Role.MINISTRY, Role.CNPPM):
            regions.append(a.region_id)
        else:
            subqueries.append(_person_ids(scope, a))
    parts = []
    if regions:
        if len(regions) == 1:
            parts.append(Q(**{f"{path}region_id": regions[0]}))
        else:
            parts.append(Q(**{f"{path}region_id__in": regions}))
    if subqueries:
        first, *others = subqueries
        parts.append(Q(**{f"{path}pk__in": first.union(*others, all=True) if others else first}))
    return any_of(parts)


def organization_q(scope) -> Q:
    parts, through_people = [], False
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in (Role.MINISTRY, Role.CNPPM):
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            parts.append(Q(municipality_id=a.municipality_id))
        elif a.role == Role.SCHOOL:
            parts.append(Q(pk=a.organization_id))
        else:
            through_people = True
    if through_people:
        # Where the people of the person-bound assignments (methodist, teacher, expert) work.
        people = Person.objects.filter(person_q(scope.restricted_to(PERSON_BOUND))).values("pk")
        employers = Employment.objects.filter(person__in=people).values("organization_id")
        parts.append(Q(pk__in=employers))
    return any_of(parts)


def municipality_q(scope) -> Q:
    parts, through_organizations = [], False
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in (Role.MINISTRY, Role.CNPPM):
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            parts.append(Q(pk=a.municipality_id))
        else:
            through_organizations = True
    if through_organizations:
        organizations = Organization.objects.filter(organization_q(scope))
        parts.append(Q(pk__in=organizations.values("municipality_id")))
    return any_of(parts)


def _regions(scope):
    if scope.is_all:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)


register_model(Person, lambda scope: Person.objects.filter(person_q(scope)))
register_model(Organization, lambda scope: Organization.objects.filter(organization_q(scope)))
register_model(Municipality, lambda scope: Municipality.objects.filter(municipality_q(scope)))
register_model(Employment, lambda scope: Employment.objects.filter(person_q(scope, "person__")))
register_model(Region, _regions)

register_action(
    "registry.edit_people",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL),
    "добавлять и менять работников и места работы",
)
register_action(
    "registry.edit_organizations",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL),
    "добавлять и менять организации",
)
