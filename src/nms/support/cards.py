"""The person card's panel «Методическое сопровождение» (nms.registry.cards)."""

from nms.accounts.scope import scope_of
from nms.support.models import (
    ActiveMembership,
    Caseload,
    ExpertRole,
    HelpRequest,
    SupportAct,
)

SHOWN = 10


def person_panel(user, person) -> dict | None:
    scope = scope_of(user)
    if not scope.can("support.view"):
        return None
    memberships = list(
        scope.visible(ActiveMembership).filter(person=person).order_by("-starts_on", "-pk")[:SHOWN]
    )
    caseload = scope.visible(Caseload).filter(teacher=person).select_related("methodist").first()
    own = None
    if scope.visible(ActiveMembership).filter(person=person, role="methodist").exists():
        own = Caseload.objects.filter(methodist=person).count()
    return {
        "memberships": memberships,
        "caseload": caseload,
        "own_caseload": own,
        "experts": list(
            scope.visible(ExpertRole).filter(person=person).select_related("subject")[:SHOWN]
        ),
        "requests": list(scope.visible(HelpRequest).filter(person=person)[:SHOWN]),
        "acts": list(
            scope.visible(SupportAct).filter(person=person).select_related("person")[:SHOWN]
        ),
    }
