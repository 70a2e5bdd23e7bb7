"""Address recommendations (seed 004 §7): rules tied to indicators produce, for each unit below
target in a period, a draft addressed to the teachers or the administration of an organization,
to a municipal methodical service or to the regional structures; it is edited, published, seen
by the addressees on their home page and marked done by them.

- A rule (`RecommendationRule`): indicator, addressee, text; the region's (ЦНППМ, admin).
- `generate(user, region, period)`: for every active rule, the units of the user's territory
  whose snapshot of the rule's indicator is below target (`met = False`) — organizations for the
  teachers and the organization, municipalities for the municipal service, the region for the
  regional structures — get a draft, once per rule, period and unit.
- `publish`, `update` (text, drafts only), `mark_done` (an addressee or the one who recommends).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.monitoring.models import (
    Addressee,
    Indicator,
    Recommendation,
    RecommendationRule,
    ScopeType,
    Snapshot,
)
from nms.registry.models import Employment, Municipality, Organization

NO_RIGHTS = "Формировать адресные рекомендации вы не можете."
NO_RULES = "Правила рекомендаций составляют ЦНППМ и администратор."
# The level of the units whose shortfall a rule addresses.
LEVEL = {
    Addressee.TEACHERS: ScopeType.ORGANIZATION,
    Addressee.ORGANIZATION: ScopeType.ORGANIZATION,
    Addressee.MUNICIPAL_SERVICE: ScopeType.MUNICIPALITY,
    Addressee.REGION: ScopeType.REGION,
}


# -- rules ------------------------------------------------------------------------------------
def _rule_fields(user, data: dict, region) -> dict:
    indicator = data.get("indicator")
    if not isinstance(indicator, Indicator):
        raise ValidationError({"indicator": "Выберите показатель."})
    if indicator.region_id not in (None, region.pk):
        raise ValidationError({"indicator": "Показатель другого региона."})
    addressee = data.get("addressee")
    if addressee not in Addressee.values:
        raise ValidationError({"addressee": "Выберите, кому адресована рекомендация."})
    text = (data.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": "Напишите текст рекомендации."})
    return {
        "indicator": indicator,
        "addressee": addressee,
        "text": text,
        "active": bool(data.get("active", True)),
    }


def rule_create(user, data: dict) -> RecommendationRule:
    scope = scope_of(user)
    region = data.get("region") or scope.default_region()
    if region is None:
        raise ValidationError("Не определён регион правила.")
    rule = RecommendationRule(region=region, **_rule_fields(user, data, region))
    if not scope.can("monitoring.recommend", rule):
        raise PermissionDenied(NO_RULES)
    rule.save()
    return rule


def rule_update(user, rule: RecommendationRule, data: dict, expected_version=None):
    if not scope_of(user).can("monitoring.recommend", rule):
        raise PermissionDenied(NO_RULES)
    fields = _rule_fields(user, {**_rule_data(rule), **data}, rule.region)
    with transaction.atomic():
        rule = claim(rule, expected_version)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save()
    return rule


def _rule_data(rule) -> dict:
    return {
        "indicator": rule.indicator,
        "addressee": rule.addressee,
        "text": rule.text,
        "active": rule.active,
    }


# -- generating -----------------------------------------------------------------------------------
def _units_in_scope(scope, region, level: str) -> set[int] | None:
    """The ids of the units of this level the scope may recommend to (None: all of the region)."""
    if scope.is_all or any(a.region_id == region.pk for a in scope.of_role(Role.CNPPM)):
        return None
    ids: set[int] = set()
    for a in scope.of_role(Role.MUNICIPAL):
        if level == ScopeType.MUNICIPALITY:
            ids.add(a.municipality_id)
        elif level == ScopeType.ORGANIZATION:
            ids |= set(
                Organization.objects.filter(municipality_id=a.municipality_id).values_list(
                    "pk", flat=True
                )
            )
    return ids


def generate(user, region, period: str) -> int:
    """Drafts for every unit below target under every active rule; returns how many are new."""
    scope = scope_of(user)
    if not scope.can("monitoring.recommend"):
        raise PermissionDenied(NO_RIGHTS)
    period = (period or "").strip()
    if not period:
        raise ValidationError("Укажите период.")
    rules = RecommendationRule.objects.filter(region=region, active=True).select_related(
        "indicator"
    )
    created = 0
    with transaction.atomic():
        for rule in rules:
            level = LEVEL[rule.addressee]
            allowed = _units_in_scope(scope, region, level)
            if allowed is not None and (level == ScopeType.REGION or not allowed):
                continue
            below = Snapshot.objects.filter(
                region=region,
                indicator=rule.indicator,
                period=period,
                scope_type=level,
                subject__isnull=True,
                met=False,
            )
            if allowed is not None:
                below = below.filter(scope_id__in=allowed)
            unit_ids = list(below.values_list("scope_id", flat=True))
            if not unit_ids:
                continue
            known = set(
                Recommendation.objects.filter(rule=rule, period=period).values_list(
                    "municipality_id", "organization_id"
                )
            )
            new = []
            if level == ScopeType.ORGANIZATION:
                for org_id, municipality_id in Organization.objects.filter(
                    pk__in=unit_ids
                ).values_list("pk", "municipality_id"):
                    if (municipality_id, org_id) not in known:
                        new.append({"organization_id": org_id, "municipality_id": municipality_id})
            elif level == ScopeType.MUNICIPALITY:
                for municipality_id in Municipality.objects.filter(pk__in=unit_ids).values_list(
                    "pk", flat=True
                ):
                    if (municipality_id, None) not in known:
                        new.append({"municipality_id": municipality_id})
            elif (None, None) not in known:
                new.append({})
            Recommendation.objects.bulk_create(
                Recommendation(
                    region=region,
                    rule=rule,
                    indicator=rule.indicator,
                    period=period,
                    addressee=rule.addressee,
                    text=rule.text,
                    **unit,
                )
                for unit in new
            )
            created += len(new)
    return created


# -- one recommendation -----------------------------------------------------------------------
def create(user, data: dict) -> Recommendation:
    """A recommendation written by hand (a draft) for a unit of the user's territory."""
    scope = scope_of(user)
    addressee = data.get("addressee")
    if addressee not in Addressee.values:
        raise ValidationError({"addressee": "Выберите, кому адресована рекомендация."})
    organization, municipality = data.get("organization"), data.get("municipality")
    if organization is not None:
        municipality = organization.municipality
    if addressee in (Addressee.TEACHERS, Addressee.ORGANIZATION) and organization is None:
        raise ValidationError({"organization": "Укажите организацию."})
    if addressee == Addressee.MUNICIPAL_SERVICE and municipality is None:
        raise ValidationError({"municipality": "Укажите муниципалитет."})
    text = (data.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": "Напишите текст рекомендации."})
    period = (data.get("period") or "").strip()
    if not period:
        raise ValidationError({"period": "Укажите период."})
    region = (municipality or organization).region if (municipality or organization) else None
    region = region or data.get("region") or scope.default_region()
    if region is None:
        raise ValidationError("Не определён регион.")
    indicator = data.get("indicator")
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            region=region,
            indicator=indicator,
            period=period,
            addressee=addressee,
            municipality=municipality if addressee != Addressee.REGION else None,
            organization=organization
            if addressee in (Addressee.TEACHERS, Addressee.ORGANIZATION)
            else None,
            text=text,
        )
        if not scope.can("monitoring.recommend", recommendation):
            raise PermissionDenied(NO_RIGHTS)  # rolls the row back
    return recommendation


def update(user, recommendation: Recommendation, data: dict, expected_version=None):
    if not scope_of(user).can("monitoring.recommend", recommendation):
        raise PermissionDenied(NO_RIGHTS)
    text = (data.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": "Напишите текст рекомендации."})
    with transaction.atomic():
        recommendation = claim(recommendation, expected_version)
        if recommendation.status != Recommendation.Status.DRAFT:
            raise ValidationError("Опубликованную рекомендацию менять нельзя.")
        recommendation.text = text
        recommendation.save(update_fields=["text"])
    return recommendation


def publish(user, recommendation: Recommendation, expected_version=None):
    if not scope_of(user).can("monitoring.recommend", recommendation):
        raise PermissionDenied(NO_RIGHTS)
    with transaction.atomic():
        recommendation = claim(recommendation, expected_version)
        if recommendation.status != Recommendation.Status.DRAFT:
            raise ValidationError("Рекомендация уже опубликована.")
        recommendation.status = Recommendation.Status.PUBLISHED
        recommendation.published_at = timezone.now()
        recommendation.save(update_fields=["status", "published_at"])
    return recommendation


def is_addressee(user, recommendation: Recommendation) -> bool:
    """Whether the user is among those the recommendation is addressed to."""
    scope = scope_of(user)
    r = recommendation
    for a in scope.assignments:
        if (
            r.addressee == Addressee.TEACHERS
            and a.role == Role.TEACHER
            and r.organization_id
            and Employment.objects.filter(
                person_id=a.person_id, organization_id=r.organization_id
            ).exists()
        ):
            return True
        if (
            (r.addressee == Addressee.ORGANIZATION and a.role == Role.SCHOOL)
            and a.organization_id == r.organization_id
        ) or (
            (r.addressee == Addressee.MUNICIPAL_SERVICE and a.role == Role.MUNICIPAL)
            and a.municipality_id == r.municipality_id
        ):
            return True
        if (
            r.addressee == Addressee.REGION
            and a.role in (Role.CNPPM, Role.MINISTRY)
            and a.region_id == r.region_id
        ):
            return True
    return False


def can_mark_done(user, recommendation: Recommendation) -> bool:
    if recommendation.status != Recommendation.Status.PUBLISHED:
        return False
    return is_addressee(user, recommendation) or scope_of(user).can(
        "monitoring.recommend", recommendation
    )


def mark_done(user, recommendation: Recommendation, expected_version=None):
    if not scope_of(user).visible(Recommendation).filter(pk=recommendation.pk).exists():
        raise PermissionDenied("Эта рекомендация адресована не вам.")
    with transaction.atomic():
        recommendation = claim(recommendation, expected_version)
        if recommendation.status != Recommendation.Status.PUBLISHED:
            raise ValidationError(
                "Отметить выполненной можно только опубликованную и ещё не выполненную "
                "рекомендацию."
            )
        if not can_mark_done(user, recommendation):
            raise PermissionDenied("Эта рекомендация адресована не вам.")
        recommendation.status = Recommendation.Status.DONE
        recommendation.done_at = timezone.now()
        recommendation.done_by = user
        recommendation.save(update_fields=["status", "done_at", "done_by"])
    return recommendation


# -- the addressee's home page -----------------------------------------------------------------
def _addressed_q(assignments) -> Q | None:
    parts = []
    for a in assignments:
        if a.role == Role.TEACHER and a.person_id:
            employers = Employment.objects.filter(person_id=a.person_id).values("organization_id")
            parts.append(Q(addressee=Addressee.TEACHERS, organization_id__in=employers))
        elif a.role == Role.SCHOOL:
            parts.append(Q(addressee=Addressee.ORGANIZATION, organization_id=a.organization_id))
        elif a.role == Role.MUNICIPAL:
            parts.append(
                Q(addressee=Addressee.MUNICIPAL_SERVICE, municipality_id=a.municipality_id)
            )
        elif a.role in (Role.CNPPM, Role.MINISTRY):
            parts.append(Q(addressee=Addressee.REGION, region_id=a.region_id))
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def addressed_to(user, assignments=None, statuses=(Recommendation.Status.PUBLISHED,)):
    """Published recommendations addressed to the user (by the given assignments, else all of
    theirs), newest first."""
    scope = scope_of(user)
    condition = _addressed_q(scope.assignments if assignments is None else assignments)
    if condition is None:
        return Recommendation.objects.none()
    return (
        scope.visible(Recommendation)
        .filter(condition, status__in=statuses)
        .select_related("indicator", "organization", "municipality")
        .order_by("-published_at", "-pk")
    )


HOME_ROWS = 5


def home_panel(user, role=None, assignments=None) -> dict | None:
    """The home page's block «Адресные рекомендации» in the section of a role: the published
    recommendations addressed to it, waiting for the mark «выполнена» (nothing: no block)."""
    rows = addressed_to(user, assignments)
    first = list(rows[:HOME_ROWS])
    if not first:
        return None
    return {"rows": first, "count": rows.count()}
