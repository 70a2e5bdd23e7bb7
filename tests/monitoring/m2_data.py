"""Small hand-made monitoring data for the tests of the pages in use (cards, dashboards,
reports, recommendations, decisions): indicators of the region and snapshots written by hand
(plain rows, as the engine writes them)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from nms.monitoring.models import Indicator, Snapshot

PERIODS = {
    "2024": (date(2024, 1, 1), date(2024, 12, 31)),
    "2025": (date(2025, 1, 1), date(2025, 12, 31)),
}


def indicator(region, code, **fields):
    fields.setdefault("name", f"Показатель {code}")
    fields.setdefault("indicator_set", "R")
    fields.setdefault("method", "records")
    return Indicator.objects.create(region=region, code=code, **fields)


def snap(
    indicator,
    unit,
    period="2025",
    value=None,
    target=None,
    *,
    numerator=None,
    denominator=None,
    met=None,
    scope_type=None,
):
    """A snapshot of `unit` (a Region, Municipality or Organization)."""
    from nms.registry.models import Municipality, Organization, Region

    if scope_type is None:
        scope_type = {Region: "region", Municipality: "municipality", Organization: "organization"}[
            type(unit)
        ]
    region_id = unit.pk if scope_type == "region" else unit.region_id
    starts_on, ends_on = PERIODS[period]
    value = Decimal(str(value)) if value is not None else None
    target = Decimal(str(target)) if target is not None else None
    if met is None and value is not None and target is not None:
        met = value >= target
    return Snapshot.objects.create(
        region_id=region_id, indicator=indicator, period=period, starts_on=starts_on,
        ends_on=ends_on, scope_type=scope_type, scope_id=unit.pk, scope_name=str(unit),
        numerator=numerator, denominator=denominator, value=value, target=target, met=met,
        definition_version=1, computed_at=timezone.now(),
    )  # fmt: skip
