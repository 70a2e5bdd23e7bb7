"""What a scope may see and do in the app support.

- ministry, ЦНППМ (and the administrator): the region's records;
- a regional methodist: the people in their care and the requests addressed to them, and reads
  the region's actives, expert register and support acts;
- a municipal coordinator: the records of the people and organizations of their municipality;
- a school: those of their organization;
- a teacher (an expert): their own requests, acts, memberships and expert roles.
"""

from django.db.models import Q

from nms.accounts.access import NOTHING, any_of, register_action, register_model
from nms.accounts.models import Role
from nms.registry.access import organization_q, person_q
from nms.registry.models import Organization
from nms.support.models import (
    ActiveMembership,
    AlternativeGround,
    Caseload,
    ExpertRole,
    HelpRequest,
    SupportAct,
    SupportSettings,
)

REGION_READ = (Role.MINISTRY, Role.CNPPM, Role.METHODIST)
REGION_WIDE = (Role.MINISTRY, Role.CNPPM)
OTHERS = (Role.MUNICIPAL, Role.SCHOOL, Role.TEACHER, Role.EXPERT)


def _regions(scope, roles) -> list[int]:
    return [a.region_id for a in scope.assignments if a.role in roles and a.region_id]


def _by_region_or_person(scope, roles=REGION_READ, path="person__") -> Q:
    """The region for the region-reading roles, the person's rule for the others."""
    if scope.is_all:
        return Q()
    parts = []
    regions = _regions(scope, roles)
    if regions:
        parts.append(Q(region_id__in=regions))
    others = scope.restricted_to(set(Role) - set(roles) - {Role.ADMIN})
    if others.assignments:
        parts.append(person_q(others, path))
    return any_of(parts)


def _memberships(scope):
    return ActiveMembership.objects.filter(_by_region_or_person(scope))


def _experts(scope):
    return ExpertRole.objects.filter(_by_region_or_person(scope))


def _grounds_visible(scope):
    if scope.is_all:
        return AlternativeGround.objects.all()
    parts = []
    regions = _regions(scope, REGION_READ)
    if regions:
        parts.append(Q(person__region_id__in=regions))
    others = scope.restricted_to(OTHERS)
    if others.assignments:
        parts.append(person_q(others, "person__"))
    return AlternativeGround.objects.filter(any_of(parts))


def _caseloads(scope):
    """Region-wide roles see the region's; a methodist their own care; others their people."""
    if scope.is_all:
        return Caseload.objects.all()
    parts = []
    regions = _regions(scope, REGION_WIDE)
    if regions:
        parts.append(Q(region_id__in=regions))
    if scope.has(Role.METHODIST) and scope.person_id:
        parts.append(Q(methodist_id=scope.person_id))
    others = scope.restricted_to(OTHERS)
    if others.assignments:
        parts.append(person_q(others, "teacher__"))
    return Caseload.objects.filter(any_of(parts))


def _organization_part(scope, path: str) -> Q:
    """Records addressed to an organization: the municipality's or the school's."""
    narrowed = scope.restricted_to((Role.MUNICIPAL, Role.SCHOOL))
    if not narrowed.assignments:
        return NOTHING
    organizations = Organization.objects.filter(organization_q(narrowed)).values("pk")
    return Q(**{f"{path}organization_id__in": organizations})


def _requests(scope):
    if scope.is_all:
        return HelpRequest.objects.all()
    parts = []
    regions = _regions(scope, REGION_WIDE)
    if regions:
        parts.append(Q(region_id__in=regions))
    if scope.has(Role.METHODIST) and scope.person_id:
        parts.append(Q(methodist_id=scope.person_id))
    if scope.user.is_authenticated:
        parts.append(Q(author_id=scope.user.pk))
    others = scope.restricted_to(OTHERS)
    if others.assignments:
        parts.append(person_q(others, "person__"))
        parts.append(_organization_part(scope, ""))
    return HelpRequest.objects.filter(any_of(parts))


def _acts(scope):
    if scope.is_all:
        return SupportAct.objects.all()
    parts = []
    regions = _regions(scope, REGION_READ)
    if regions:
        parts.append(Q(region_id__in=regions))
    others = scope.restricted_to(OTHERS)
    if others.assignments:
        parts.append(person_q(others, "person__"))
        parts.append(_organization_part(scope, ""))
    return SupportAct.objects.filter(any_of(parts))


def _settings(scope):
    if scope.is_all:
        return SupportSettings.objects.all()
    return SupportSettings.objects.filter(region_id__in=_regions(scope, REGION_READ))


register_model(ActiveMembership, _memberships)
register_model(AlternativeGround, _grounds_visible)
register_model(Caseload, _caseloads)
register_model(HelpRequest, _requests)
register_model(SupportAct, _acts)
register_model(ExpertRole, _experts)
register_model(SupportSettings, _settings)


def _answers(scope, request) -> bool:
    """A methodist answers the requests addressed to them; ЦНППМ any of the region's."""
    if scope.is_all:
        return True
    if scope.has(Role.CNPPM) and request.region_id in _regions(scope, (Role.CNPPM,)):
        return True
    return bool(scope.person_id) and request.methodist_id == scope.person_id


register_action(
    "support.view",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL,
     Role.TEACHER, Role.EXPERT),
    "видеть раздел «Сопровождение»",
)  # fmt: skip
register_action(
    "support.manage_actives",
    (Role.ADMIN, Role.CNPPM),
    "вести региональный методический актив, экспертов, закрепления",
)
register_action(
    "support.propose_candidates",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL),
    "вести муниципальный актив и предлагать кандидатов в РМА",
)
register_action(
    "support.ask",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL, Role.TEACHER),
    "направлять запросы на методическую помощь",
)
register_action(
    "support.answer",
    (Role.ADMIN, Role.CNPPM, Role.METHODIST),
    "отвечать на запросы на методическую помощь",
    check=_answers,
)
register_action(
    "support.record_acts",
    (Role.ADMIN, Role.CNPPM, Role.METHODIST),
    "вносить акты методической поддержки",
)
register_action(
    "support.young_teachers",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL),
    "видеть молодых педагогов без поддержки",
)
