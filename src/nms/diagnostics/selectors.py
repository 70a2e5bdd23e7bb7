"""Reads of the diagnostics, each starting from the user's scope.

Results and attempts follow the people scope: a teacher sees their own, a school its staff's,
a municipality its people's. The item bank (with its keys) is for its authors and reviewers.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from nms.accounts.models import Role
from nms.accounts.scope import get_visible_or_404, scope_of
from nms.diagnostics.models import (
    Attempt,
    Item,
    Membership,
    Procedure,
    Result,
)


def items_visible(user) -> QuerySet[Item]:
    if not scope_of(user).can_see_item_bank:
        return Item.objects.none()
    return Item.objects.select_related("area", "subject", "subcompetency")


def procedures_visible(user) -> QuerySet[Procedure]:
    """Managers see their territory's procedures; others those they or their people take part in."""
    scope = scope_of(user)
    if scope.role is None:
        return Procedure.objects.none()
    if scope.is_all:
        return Procedure.objects.all()
    region_id = scope.default_region().pk if scope.default_region() else 0
    if scope.is_region:
        return Procedure.objects.filter(region_id=region_id)
    if scope.role == Role.MUNICIPAL:
        return Procedure.objects.filter(region_id=region_id).filter(
            Q(municipality__isnull=True) | Q(municipality_id=scope.user.municipality_id)
        )
    people = scope.people()
    involved = Exists(
        Membership.objects.filter(procedure=OuterRef("pk"), person__in=people)
    ) | Exists(Result.objects.filter(procedure=OuterRef("pk"), person__in=people))
    return Procedure.objects.filter(involved)


def procedure_get(user, pk) -> Procedure:
    return get_visible_or_404(procedures_visible(user), pk=pk)


def results_visible(user) -> QuerySet[Result]:
    return Result.objects.filter(person__in=scope_of(user).people())


def attempts_visible(user) -> QuerySet[Attempt]:
    return Attempt.objects.filter(person__in=scope_of(user).people())


def my_procedures(user) -> QuerySet[Procedure]:
    """Procedures the user, as a teacher, is in a group of."""
    if user.person_id is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(groups__membership__person_id=user.person_id).distinct()


def person_results(user, person) -> QuerySet[Result]:
    """A person's results, newest first, with area scores (entry vs exit on one page)."""
    return (
        results_visible(user)
        .filter(person=person)
        .select_related("procedure")
        .prefetch_related("area_scores__area")
        .order_by("-taken_on", "-id")
    )
