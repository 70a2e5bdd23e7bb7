"""Management decisions and their effect (seed 004 §8–9).

A decision records the document, its date, the measures, the indicators and the units
(municipalities, organizations; none — the region) it aims to change, the responsible and the
deadline, and the base period whose monitoring led to it. In the next computed period the
change of those indicators for those units is read from the snapshots of the base period and
the next one (`effect`): shown on the decision's page and in the analytical report.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.monitoring.dashboards import periods
from nms.monitoring.models import Decision, Direction, Indicator, ScopeType, Snapshot

NO_RIGHTS = "Принимать управленческие решения вы не можете."
TEXT_FIELDS = ("title", "document", "measures", "base_period", "responsible")


def _clean(user, data: dict, region) -> dict:
    errors = {}
    cleaned = {}
    for name in TEXT_FIELDS:
        cleaned[name] = (data.get(name) or "").strip()
    for name, message in (
        ("title", "Сформулируйте решение."),
        ("measures", "Перечислите меры."),
        ("base_period", "Укажите период мониторинга, по итогам которого принято решение."),
        ("responsible", "Укажите ответственного."),
    ):
        if not cleaned[name]:
            errors[name] = message
    for name, message in (("decided_on", "Укажите дату решения."), ("deadline", "Укажите срок.")):
        value = data.get(name)
        if not isinstance(value, date):
            errors[name] = message
        cleaned[name] = value
    if not errors and cleaned["deadline"] < cleaned["decided_on"]:
        errors["deadline"] = "Срок не может быть раньше даты решения."
    status = data.get("status") or Decision.Status.PLANNED
    if status not in Decision.Status.values:
        errors["status"] = "Неизвестное состояние решения."
    elif isinstance(cleaned["deadline"], date):
        status = status_by_deadline(status, cleaned["deadline"])
    cleaned["status"] = status
    indicators = list(data.get("indicators") or [])
    if not indicators:
        errors["indicators"] = "Выберите показатели, на изменение которых направлено решение."
    elif any(i.region_id not in (None, region.pk) for i in indicators):
        errors["indicators"] = "Среди показателей есть показатель другого региона."
    municipalities = list(data.get("municipalities") or [])
    organizations = list(data.get("organizations") or [])
    if any(m.region_id != region.pk for m in municipalities) or any(
        o.region_id != region.pk for o in organizations
    ):
        errors["municipalities"] = "Все единицы решения должны быть из одного региона."
    scope = scope_of(user)
    if not (scope.is_all or any(a.region_id == region.pk for a in scope.assignments)):
        # A municipal service decides for its own municipality and its organizations only.
        own = {a.municipality_id for a in scope.of_role(Role.MUNICIPAL)}
        if not municipalities and not organizations:
            errors["municipalities"] = "Укажите муниципалитет или организации решения."
        elif any(m.pk not in own for m in municipalities) or any(
            o.municipality_id not in own for o in organizations
        ):
            errors["municipalities"] = "Решение муниципалитета касается только его организаций."
    if errors:
        raise ValidationError(errors)
    cleaned["indicators"] = indicators
    cleaned["municipalities"] = municipalities
    cleaned["organizations"] = organizations
    return cleaned


# -- «просрочено» -------------------------------------------------------------------------------
def status_by_deadline(status: str, deadline: date, today: date | None = None) -> str:
    """The one rule: a decision not yet done is «просрочено» once its deadline has passed (the
    day after it), and «принято» again when its deadline is moved to today or later."""
    if status == Decision.Status.DONE:
        return status
    today = today or timezone.localdate()
    return Decision.Status.OVERDUE if deadline < today else Decision.Status.PLANNED


def mark_overdue(today: date | None = None, *, region=None) -> int:
    """Set «просрочено» on the decisions whose deadline has passed (the rule above, in one
    UPDATE); returns how many changed. Run by `nms monitor --mark-overdue` (daily, cron), by the
    background computation, and before the decisions are read on the pages and the API."""
    today = today or timezone.localdate()
    rows = Decision.objects.filter(status=Decision.Status.PLANNED, deadline__lt=today)
    if region is not None:
        rows = rows.filter(region=region)
    return rows.update(status=Decision.Status.OVERDUE)


def _region_of(user, data: dict):
    scope = scope_of(user)
    for unit in [*(data.get("municipalities") or []), *(data.get("organizations") or [])]:
        return unit.region
    return data.get("region") or scope.default_region()


def create(user, data: dict) -> Decision:
    scope = scope_of(user)
    if not scope.can("monitoring.decide"):
        raise PermissionDenied(NO_RIGHTS)
    region = _region_of(user, data)
    if region is None:
        raise ValidationError("Не определён регион решения.")
    if not (scope.is_all or region.pk in scope.region_ids):
        raise PermissionDenied(NO_RIGHTS)
    cleaned = _clean(user, data, region)
    m2m = {name: cleaned.pop(name) for name in ("indicators", "municipalities", "organizations")}
    with transaction.atomic():
        decision = Decision.objects.create(region=region, author=user, **cleaned)
        for name, values in m2m.items():
            getattr(decision, name).set(values)
    return decision


def update(user, decision: Decision, data: dict, expected_version=None) -> Decision:
    scope = scope_of(user)
    if not scope.can("monitoring.decide", decision):
        raise PermissionDenied(NO_RIGHTS)
    current = {
        **{name: getattr(decision, name) for name in (*TEXT_FIELDS, "decided_on", "deadline")},
        "status": decision.status,
        "indicators": list(decision.indicators.all()),
        "municipalities": list(decision.municipalities.all()),
        "organizations": list(decision.organizations.all()),
    }
    cleaned = _clean(user, {**current, **data}, decision.region)
    m2m = {name: cleaned.pop(name) for name in ("indicators", "municipalities", "organizations")}
    with transaction.atomic():
        decision = claim(decision, expected_version)
        for name, value in cleaned.items():
            setattr(decision, name, value)
        decision.save()
        for name, values in m2m.items():
            getattr(decision, name).set(values)
    return decision


# -- the effect -----------------------------------------------------------------------------------
def next_period(region_id: int, base_period: str) -> str | None:
    known = periods(region_id)
    if base_period not in known:
        return None
    index = known.index(base_period)
    return known[index + 1] if index + 1 < len(known) else None


@dataclass
class Effect:
    indicator: Indicator
    scope_type: str
    scope_id: int
    unit_name: str
    before: Snapshot | None
    after: Snapshot | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def verdict(self) -> str:
        change = self.change
        if change is None:
            return "нет данных для сравнения"
        if change == 0:
            return "без изменений"
        better = change > 0
        if self.indicator.direction == Direction.AT_MOST:
            better = not better
        elif self.indicator.direction == Direction.NONE:
            return "рост" if change > 0 else "снижение"
        reached = " (цель достигнута)" if self.after.met else ""
        return ("улучшение" if better else "ухудшение") + reached


def units_of(decision: Decision) -> list[tuple[str, int, str]]:
    units = [(ScopeType.MUNICIPALITY, m.pk, str(m)) for m in decision.municipalities.all()]
    units += [(ScopeType.ORGANIZATION, o.pk, str(o)) for o in decision.organizations.all()]
    return units or [(ScopeType.REGION, decision.region_id, str(decision.region))]


def effect(decision: Decision, period: str | None = None) -> tuple[str | None, list[Effect]]:
    """(the period compared with the base one, a row per indicator and unit)."""
    period = period or next_period(decision.region_id, decision.base_period)
    units = units_of(decision)
    indicators = list(decision.indicators.all())
    wanted = [decision.base_period] + ([period] if period else [])
    found = {}
    for s in Snapshot.objects.filter(
        indicator__in=indicators, period__in=wanted, subject__isnull=True
    ):
        found[(s.indicator_id, s.period, s.scope_type, s.scope_id)] = s
    rows = []
    for indicator in indicators:
        for scope_type, scope_id, name in units:
            rows.append(
                Effect(
                    indicator,
                    scope_type,
                    scope_id,
                    name,
                    found.get((indicator.pk, decision.base_period, scope_type, scope_id)),
                    found.get((indicator.pk, period, scope_type, scope_id)) if period else None,
                )
            )
    return period, rows
