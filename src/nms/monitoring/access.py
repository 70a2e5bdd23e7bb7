"""What a scope may see and do in the app monitoring.

Indicators (their passports) are public to everyone working in the region: the built-in ones of
the catalogue and the region's own. Values (snapshots), information cards, recommendations and
decisions follow the territory: the ministry and the ЦНППМ see their region; a municipal service
its municipality and the organizations in it; a school administration its organization; a teacher
the published recommendations addressed to the teachers of the organizations they work in.

Actions (names used by the pages, the API and the tasks):
- `monitoring.define` — add a region's indicators, change targets and parameters (ЦНППМ, admin);
- `monitoring.compute` — compute the values for a period (ЦНППМ, admin, ministry);
- `monitoring.fill_cards` — fill in and submit a card (school: its organization's cards;
  municipal service: its municipality's cards);
- `monitoring.accept_cards` — accept or return a submitted card (municipal service: the cards of
  its organizations; ЦНППМ and admin: the municipalities' cards);
- `monitoring.recommend` — write and publish recommendations (ЦНППМ, admin, municipal service
  within its municipality; the rules only the ЦНППМ and admin);
- `monitoring.decide` — record management decisions (ministry, ЦНППМ, admin, municipal service
  within its municipality);
- `monitoring.view` — the section «Мониторинг» in the header (ministry, ЦНППМ, admin, municipal
  service, school administration).
"""

from django.db.models import Q

from nms.accounts.access import NOTHING, any_of, register_action, register_model
from nms.accounts.models import Role
from nms.monitoring.models import (
    Addressee,
    CardReminder,
    CardValue,
    Decision,
    Indicator,
    InfoCard,
    Recommendation,
    RecommendationRule,
    ScopeType,
    Snapshot,
)
from nms.registry.models import Employment, Organization

REGION_WIDE = (Role.MINISTRY, Role.CNPPM)


def _region_of(a):
    """The region an assignment belongs to (its binding's region)."""
    if a.region_id:
        return a.region_id
    if a.municipality_id:
        return a.municipality.region_id
    if a.organization_id:
        return a.organization.region_id
    if a.person_id:
        return a.person.region_id
    return None


def indicator_q(scope) -> Q:
    """Built-in indicators for everyone signed in; a region's own for the people of the region."""
    if scope.is_all:
        return Q()
    if not scope.assignments:
        return NOTHING
    regions = {r for r in (_region_of(a) for a in scope.assignments) if r}
    return Q(region__isnull=True) | Q(region_id__in=regions)


def territory_q(scope, *, typed: bool = True) -> Q:
    """Rows carrying `scope_type`/`scope_id` (snapshots) seen by the scope's territory."""
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in REGION_WIDE:
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            organizations = Organization.objects.filter(municipality_id=a.municipality_id).values(
                "pk"
            )
            parts.append(
                Q(scope_type=ScopeType.MUNICIPALITY, scope_id=a.municipality_id)
                | Q(scope_type=ScopeType.ORGANIZATION, scope_id__in=organizations)
            )
        elif a.role == Role.SCHOOL:
            parts.append(Q(scope_type=ScopeType.ORGANIZATION, scope_id=a.organization_id))
    return any_of(parts)


def unit_q(scope, prefix: str = "") -> Q:
    """Rows bound to a municipality or an organization (`municipality`, `organization` fields):
    cards, recommendations."""
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in REGION_WIDE:
            parts.append(Q(**{f"{prefix}region_id": a.region_id}))
        elif a.role == Role.MUNICIPAL:
            parts.append(
                Q(**{f"{prefix}municipality_id": a.municipality_id})
                | Q(**{f"{prefix}organization__municipality_id": a.municipality_id})
            )
        elif a.role == Role.SCHOOL:
            parts.append(Q(**{f"{prefix}organization_id": a.organization_id}))
    return any_of(parts)


def recommendation_q(scope) -> Q:
    parts = [unit_q(scope)]
    for a in scope.of_role(Role.TEACHER):
        employers = Employment.objects.filter(person_id=a.person_id).values("organization_id")
        parts.append(
            Q(addressee=Addressee.TEACHERS, organization_id__in=employers)
            & ~Q(status=Recommendation.Status.DRAFT)
        )
    return any_of(p for p in parts if p is not NOTHING)


def decision_q(scope) -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in REGION_WIDE:
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            concerned = Decision.objects.filter(
                Q(municipalities=a.municipality_id)
                | Q(organizations__municipality_id=a.municipality_id)
            ).values("pk")
            parts.append(Q(pk__in=concerned))
        elif a.role == Role.SCHOOL:
            concerned = Decision.objects.filter(organizations=a.organization_id).values("pk")
            parts.append(Q(pk__in=concerned))
    return any_of(parts)


def rule_q(scope) -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in (*REGION_WIDE, Role.MUNICIPAL):
            parts.append(Q(region_id=_region_of(a)))
    return any_of(parts)


register_model(Indicator, lambda scope: Indicator.objects.filter(indicator_q(scope)))
register_model(Snapshot, lambda scope: Snapshot.objects.filter(territory_q(scope)))
register_model(InfoCard, lambda scope: InfoCard.objects.filter(unit_q(scope)))
register_model(CardValue, lambda scope: CardValue.objects.filter(unit_q(scope, "card__")))
register_model(CardReminder, lambda scope: CardReminder.objects.filter(unit_q(scope)))
register_model(RecommendationRule, lambda scope: RecommendationRule.objects.filter(rule_q(scope)))
register_model(Recommendation, lambda scope: Recommendation.objects.filter(recommendation_q(scope)))
register_model(Decision, lambda scope: Decision.objects.filter(decision_q(scope)))


# -- actions ---------------------------------------------------------------------------------


def _region_id_of(obj):
    """The region an object of the app (or a territory unit, or a region) belongs to."""
    from nms.registry.models import Region

    if isinstance(obj, Region):
        return obj.pk
    return getattr(obj, "region_id", None)


def _may_define(scope, obj) -> bool:
    """An indicator of one's region (a built-in one: its targets and parameters), or a region."""
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if a.role == Role.CNPPM:
            region_id = _region_id_of(obj)
            if region_id is None or region_id == a.region_id:
                return True
    return False


def _may_compute(scope, obj) -> bool:
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if a.role in REGION_WIDE and _region_id_of(obj) == a.region_id:
            return True
    return False


def _card_unit(card):
    organization_municipality = card.organization.municipality_id if card.organization_id else None
    return card.scope_type, card.municipality_id, card.organization_id, organization_municipality


def _may_fill(scope, card) -> bool:
    scope_type, municipality_id, organization_id, _ = _card_unit(card)
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if (
            a.role == Role.SCHOOL
            and scope_type == ScopeType.ORGANIZATION
            and organization_id == a.organization_id
        ):
            return True
        if (
            a.role == Role.MUNICIPAL
            and scope_type == ScopeType.MUNICIPALITY
            and municipality_id == a.municipality_id
        ):
            return True
    return False


def _may_accept(scope, card) -> bool:
    scope_type, municipality_id, _, organization_municipality = _card_unit(card)
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if (
            a.role == Role.MUNICIPAL
            and scope_type == ScopeType.ORGANIZATION
            and organization_municipality == a.municipality_id
        ):
            return True
        if (
            a.role == Role.CNPPM
            and scope_type == ScopeType.MUNICIPALITY
            and card.region_id == a.region_id
        ):
            return True
    return False


def _may_recommend(scope, obj) -> bool:
    """Rules are the region's (ЦНППМ, admin); a recommendation, a municipality or an
    organization — within the territory."""
    if isinstance(obj, RecommendationRule):
        return _may_define(scope.restricted_to({Role.ADMIN, Role.CNPPM}), obj)
    return scope.visible(type(obj)).filter(pk=obj.pk).exists()


register_action(
    "monitoring.define",
    (Role.ADMIN, Role.CNPPM),
    "определять показатели мониторинга и их целевые значения",
    check=_may_define,
)
register_action(
    "monitoring.compute",
    (Role.ADMIN, Role.CNPPM, Role.MINISTRY),
    "рассчитывать показатели мониторинга",
    check=_may_compute,
)
register_action(
    "monitoring.fill_cards",
    (Role.ADMIN, Role.SCHOOL, Role.MUNICIPAL),
    "заполнять информационные карты",
    check=_may_fill,
)
register_action(
    "monitoring.accept_cards",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL),
    "принимать и возвращать информационные карты",
    check=_may_accept,
)
register_action(
    "monitoring.recommend",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL),
    "формировать адресные рекомендации",
    check=_may_recommend,
)
register_action(
    "monitoring.decide",
    (Role.ADMIN, Role.CNPPM, Role.MINISTRY, Role.MUNICIPAL),
    "принимать управленческие решения",
)
register_action(
    "monitoring.view",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL),
    "видеть показатели мониторинга своей территории",
)
