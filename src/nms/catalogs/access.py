"""What a scope may see and do in the app catalogs (practices and methodical materials).

Items (practices and materials alike):
- the ministry and the ЦНППМ see every item of their region, a municipal coordinator the items
  of the municipality's organizations, the school administration its organization's;
- a teacher (and a regional methodist, as a person) sees the items they author or created;
- an expert sees only the items they are assigned to review (of any round);
- a published item is seen by every signed-in user (it is on the public portal anyway).

Reviews and assignments: the region for the ministry and the ЦНППМ, the territory's items for
the municipal and the school administration, an expert's own only, an author's items' reviews.
History, files and replications go with their item.

Actions: `catalogs.submit` — create and submit items (any role with work of its own; the
ministry only reads); `catalogs.curate` — assign experts and decide (the ЦНППМ of the item's
region, the administrator); `catalogs.manage` — change the items of one's territory on the
authors' behalf (ЦНППМ, municipal, school administration); `catalogs.replicate` — record that
a practice was taken up by an organization or a municipality of one's territory.
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role
from nms.catalogs.models import (
    Assignment,
    Authorship,
    Criterion,
    Item,
    ItemFile,
    ItemStatus,
    Material,
    Practice,
    Replication,
    Review,
    Tag,
    Transition,
)

SUBMITTERS = (
    Role.ADMIN, Role.CNPPM, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL, Role.TEACHER,
    Role.EXPERT,
)  # fmt: skip
CURATORS = (Role.ADMIN, Role.CNPPM)
TERRITORY = (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)


def _own_q(person_id, user_id, path="") -> Q:
    authored = Authorship.objects.filter(person_id=person_id or 0).values("item_id")
    return Q(**{f"{path}pk__in": authored}) | Q(**{f"{path}created_by_id": user_id or 0})


def _territory_q(a, path="") -> Q | None:
    if a.role in (Role.MINISTRY, Role.CNPPM):
        return Q(**{f"{path}region_id": a.region_id})
    if a.role == Role.MUNICIPAL:
        return Q(**{f"{path}organization__municipality_id": a.municipality_id})
    if a.role == Role.SCHOOL:
        return Q(**{f"{path}organization_id": a.organization_id})
    return None


def items_q(scope, path="") -> Q:
    """The items a scope sees (path leads from another model to the item)."""
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        territory = _territory_q(a, path)
        if territory is not None:
            parts.append(territory)
        elif a.role == Role.EXPERT:
            assigned = Assignment.objects.filter(expert_id=a.person_id or 0).values("item_id")
            parts.append(Q(**{f"{path}pk__in": assigned}))
        elif a.role == Role.TEACHER:
            parts.append(_own_q(a.person_id, scope.user.pk, path))
        elif a.role == Role.METHODIST:
            parts.append(_own_q(scope.person_id, scope.user.pk, path))
    if scope.assignments:
        parts.append(Q(**{f"{path}status": ItemStatus.PUBLISHED}))
    return any_of(parts)


def reviews_q(scope) -> Q:
    """Reviews and assignments: the territory's items, an expert's own, an author's items'."""
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        territory = _territory_q(a, "item__")
        if territory is not None:
            parts.append(territory)
        elif a.role == Role.EXPERT:
            parts.append(Q(expert_id=a.person_id or 0))
        elif a.role == Role.TEACHER:
            parts.append(_own_q(a.person_id, scope.user.pk, "item__"))
        elif a.role == Role.METHODIST:
            parts.append(_own_q(scope.person_id, scope.user.pk, "item__"))
    return any_of(parts)


def items(scope):
    return Item.objects.filter(items_q(scope))


def _curate_check(scope, item) -> bool:
    if scope.is_all:
        return True
    return any(a.region_id == item.region_id for a in scope.assignments)


def _manage_check(scope, item) -> bool:
    if scope.is_all:
        return True
    for a in scope.assignments:
        if a.role == Role.CNPPM and a.region_id == item.region_id:
            return True
        if item.organization_id is None:
            continue
        if a.role == Role.SCHOOL and a.organization_id == item.organization_id:
            return True
        if a.role == Role.MUNICIPAL and item.organization.municipality_id == a.municipality_id:
            return True
    return False


register_model(Item, items)
register_model(Practice, lambda scope: Practice.objects.filter(items_q(scope)))
register_model(Material, lambda scope: Material.objects.filter(items_q(scope)))
register_model(Assignment, lambda scope: Assignment.objects.filter(reviews_q(scope)))
register_model(Review, lambda scope: Review.objects.filter(reviews_q(scope)))
register_model(Transition, lambda scope: Transition.objects.filter(items_q(scope, "item__")))
register_model(ItemFile, lambda scope: ItemFile.objects.filter(items_q(scope, "item__")))
register_model(Replication, lambda scope: Replication.objects.filter(items_q(scope, "item__")))
register_model(Authorship, lambda scope: Authorship.objects.filter(items_q(scope, "item__")))
register_model(
    Criterion,
    lambda scope: Criterion.objects.all() if scope.assignments else Criterion.objects.none(),
)
register_model(Tag, lambda scope: Tag.objects.all() if scope.assignments else Tag.objects.none())

register_action("catalogs.submit", SUBMITTERS, "подавать практики и методические материалы")
register_action(
    "catalogs.curate",
    CURATORS,
    "назначать экспертов и принимать решения по практикам и материалам",
    _curate_check,
)
register_action(
    "catalogs.manage",
    TERRITORY,
    "вести практики и материалы организаций своей территории",
    _manage_check,
)
register_action(
    "catalogs.replicate",
    TERRITORY,
    "отмечать тиражирование практик",
    lambda scope, item: item.status == ItemStatus.PUBLISHED,
)
