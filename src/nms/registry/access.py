"""What a scope may see and do in the registry: the rules every other app filters people by.

A person is visible to a role through its binding: the region (ministry, ЦНППМ), the
municipality or organization they work in (municipal service, school administration), the
caseload (regional methodist) or the person themself (teacher, expert).
"""

from django.db.models import Exists, OuterRef, Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role, User
from nms.registry.models import Employment, Municipality, Organization, Person, Region

PERSON_BOUND = (Role.METHODIST, Role.TEACHER, Role.EXPERT)


def _person_part(scope, a) -> Q:
    role = a.role
    if role == Role.ADMIN:
        return Q()
    if role in (Role.MINISTRY, Role.CNPPM):
        return Q(region_id=a.region_id)
    if role == Role.MUNICIPAL:
        return Q(
            Exists(
                Employment.objects.filter(
                    person=OuterRef("pk"), organization__municipality_id=a.municipality_id
                )
            )
        )
    if role == Role.SCHOOL:
        return Q(
            Exists(
                Employment.objects.filter(person=OuterRef("pk"), organization_id=a.organization_id)
            )
        )
    if role == Role.METHODIST:
        caseload = User.assigned_people.through.objects.filter(
            user_id=scope.user.pk, person_id=OuterRef("pk")
        )
        return Q(Exists(caseload)) | Q(pk=scope.person_id or 0)
    return Q(pk=a.person_id or 0)


def person_q(scope) -> Q:
    parts = [_person_part(scope, a) for a in scope.assignments]
    if any(part == Q() for part in parts):
        return Q()
    return any_of(parts)


def organization_q(scope) -> Q:
    parts, through_people = [], []
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
            through_people.append(_person_part(scope, a))
    if through_people:
        people = Person.objects.filter(any_of(through_people))
        parts.append(
            Q(Exists(Employment.objects.filter(organization=OuterRef("pk"), person__in=people)))
        )
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
        parts.append(Q(Exists(organizations.filter(municipality=OuterRef("pk")))))
    return any_of(parts)


def _regions(scope):
    if scope.is_all:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)


register_model(Person, lambda scope: Person.objects.filter(person_q(scope)))
register_model(Organization, lambda scope: Organization.objects.filter(organization_q(scope)))
register_model(Municipality, lambda scope: Municipality.objects.filter(municipality_q(scope)))
register_model(
    Employment,
    lambda scope: Employment.objects.filter(person__in=Person.objects.filter(person_q(scope))),
)
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
