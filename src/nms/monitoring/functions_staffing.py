"""Staffing indicators computed by a rule in code (see functions.py): sums of rates, which the
populations (counts) cannot express, and F6.5, a count of organizations by a share inside each.

- `staffing_rates` (F6.1, G19): each organization's staff schedule of the latest school year
  overlapping the period; numerator the filled rates (parameter `measure` = "filled") or the
  vacant rates (rates − filled, "vacant"), denominator the rates of the schedule; summed over a
  municipality and the region. A territory without a schedule in the period has no data.
- `staffing_outside_profile_schools` (F6.5): general-education organizations where more than
  `threshold` % (parameter, default 30) of the teachers with diplomas recorded teach a subject
  outside their profile (nms.staffing.selectors' rule); numerator such organizations,
  denominator the general-education organizations with teachers with diplomas recorded; for an
  organization 1 or 0 of 1.
"""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Max, OuterRef, Subquery, Sum

from nms.monitoring import populations
from nms.monitoring.functions import register
from nms.monitoring.models import Snapshot

ZERO = Decimal(0)


def _no_data(units, scope_types, have):
    from nms.monitoring.compute import Row

    return [
        Row(scope_type, scope_id, None, None, None, Snapshot.Status.NO_DATA)
        for scope_type in scope_types
        for scope_id in units.of(scope_type)
        if (scope_type, scope_id) not in have
    ]


def _roll_up(per_organization: dict, units, scope_types) -> list:
    """Rows of (numerator, denominator) per organization summed to municipalities and region;
    units without any organization's figures get «нет данных»."""
    from nms.monitoring.compute import Row

    totals = defaultdict(lambda: [ZERO, ZERO])
    for org_id, (numerator, denominator) in per_organization.items():
        unit = units.organizations.get(org_id)
        if unit is None:
            continue
        keys = [("organization", org_id), ("municipality", unit[1]), ("region", units.region.pk)]
        for key in keys:
            totals[key][0] += numerator
            totals[key][1] += denominator
    rows = [
        Row(scope_type, scope_id, None, n, d)
        for (scope_type, scope_id), (n, d) in totals.items()
        if scope_type in scope_types
    ]
    return rows + _no_data(units, scope_types, set(totals))


@register("staffing_rates")
def staffing_rates(indicator, region, ctx, units, scope_types):
    if not apps.is_installed("nms.staffing"):
        return _no_data(units, scope_types, set())
    from nms.staffing.models import ScheduleRow, StaffSchedule, school_years_q

    in_period = StaffSchedule.objects.filter(
        school_years_q(ctx.starts_on, ctx.ends_on), organization__region_id=region.pk
    )
    latest = (
        in_period.filter(organization_id=OuterRef("organization_id"))
        .values("organization_id")
        .annotate(last=Max("year"))
        .values("last")
    )
    chosen = in_period.filter(year=Subquery(latest)).values("pk")
    sums = (
        ScheduleRow.objects.filter(schedule__in=chosen)
        .values("schedule__organization_id")
        .annotate(rates=Sum("rates"), filled=Sum("filled"))
        .order_by()
    )
    measure = (indicator.parameters or {}).get("measure", "filled")
    per_organization = {}
    for row in sums:
        rates, filled = row["rates"] or ZERO, row["filled"] or ZERO
        numerator = filled if measure == "filled" else max(rates - filled, ZERO)
        per_organization[row["schedule__organization_id"]] = (numerator, rates)
    return _roll_up(per_organization, units, scope_types)


TEACHERS_WITH_DIPLOMAS = {
    "population": "taught_subjects",
    "filters": {"teacher": True, "has_diploma": True},
}
OUTSIDE_PROFILE = {
    "population": "taught_subjects",
    "filters": {"teacher": True, "has_diploma": True, "in_profile": False},
}


@register("staffing_outside_profile_schools")
def outside_profile_schools(indicator, region, ctx, units, scope_types):
    if not apps.is_installed("nms.staffing"):
        return _no_data(units, scope_types, set())
    parameters = indicator.parameters or {}
    threshold = Decimal(str(parameters.get("threshold", 30)))
    kinds = parameters.get("organization_kinds") or ["general"]
    model = populations.POPULATIONS["taught_subjects"].model_class()
    ctx_q = populations.Ctx(ctx.starts_on, ctx.ends_on)
    counted = (
        model.objects.filter(
            employment__organization__region_id=region.pk,
            employment__organization__kind__in=kinds,
        )
        .values("employment__organization_id")
        .annotate(
            teachers=Count(
                "employment__person_id",
                filter=populations.spec_q(TEACHERS_WITH_DIPLOMAS, ctx_q),
                distinct=True,
            ),
            outside=Count(
                "employment__person_id",
                filter=populations.spec_q(OUTSIDE_PROFILE, ctx_q),
                distinct=True,
            ),
        )
        .order_by()
    )
    per_organization = {}
    for row in counted:
        teachers, outside = row["teachers"], row["outside"]
        if not teachers:
            continue
        over = Decimal(100) * outside > threshold * teachers
        per_organization[row["employment__organization_id"]] = (
            Decimal(1 if over else 0),
            Decimal(1),
        )
    return _roll_up(per_organization, units, scope_types)
