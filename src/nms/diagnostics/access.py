"""What a scope may see and do in the diagnostics: procedures, results, attempts.

Procedures (their groups, blueprints and variants) are for those who run diagnostics and for the
ministry; results and attempts follow the people they belong to. The item bank's readers (see
nms.itembank.access) may not take a test drawn from it.
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role
from nms.diagnostics.models import Attempt, Group, Level, Procedure, Result, VariantItem
from nms.registry.access import person_q

MANAGERS = (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL)


def procedure_q(scope) -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in (Role.MINISTRY, Role.CNPPM):
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            parts.append(
                Q(region_id=a.municipality.region_id)
                & (Q(municipality__isnull=True) | Q(municipality_id=a.municipality_id))
            )
    return any_of(parts)


def _procedures(scope):
    return Procedure.objects.filter(procedure_q(scope))


def _may_manage(scope, procedure: Procedure) -> bool:
    """The ЦНППМ runs its region's procedures, a municipal service only its municipality's."""
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if a.role == Role.CNPPM and procedure.region_id == a.region_id:
            return True
        if (
            a.role == Role.MUNICIPAL
            and procedure.level == Level.MUNICIPAL
            and procedure.municipality_id == a.municipality_id
        ):
            return True
    return False


def _may_take(scope, procedure: Procedure) -> bool:
    """A person takes a test as themself, and not if they can read the keys of the bank its
    variants are drawn from."""
    return scope.person_id is not None and not scope.can("itembank.view")


register_model(Procedure, _procedures)
register_model(Group, lambda scope: Group.objects.filter(procedure__in=_procedures(scope)))
# Through the joined person (see registry.access.person_q): a list in the people's order walks
# the region's person index up to its page.
register_model(Result, lambda scope: Result.objects.filter(person_q(scope, "person__")))
register_model(Attempt, lambda scope: Attempt.objects.filter(person_q(scope, "person__")))
register_model(
    VariantItem,
    lambda scope: VariantItem.objects.filter(
        variant__group__in=Group.objects.filter(procedure__in=_procedures(scope))
    ),
)

register_action("diagnostics.view_procedures", (*MANAGERS, Role.MINISTRY), "видеть процедуры")
register_action(
    "diagnostics.manage", MANAGERS, "проводить диагностику", check=lambda s, p: _may_manage(s, p)
)
register_action(
    "diagnostics.take", list(Role), "проходить диагностику", check=lambda s, p: _may_take(s, p)
)
