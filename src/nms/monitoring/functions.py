"""Indicators computed by a named rule in code (`method = function`): the few the generic
populations cannot express, or whose rule belongs to another app.

A function is `fn(indicator, region, ctx, units, scope_types) -> list[Row]`; register it in
FUNCTIONS under the name an indicator's `function` field gives.
"""

from nms.monitoring.models import Snapshot

FUNCTIONS = {}


def register(name):
    def wrap(fn):
        FUNCTIONS[name] = fn
        return fn

    return wrap


def run(indicator, region, ctx, units, scope_types):
    from nms.monitoring.compute import Row

    fn = FUNCTIONS.get(indicator.function)
    if fn is None:
        return [
            Row(scope_type, scope_id, None, None, None, Snapshot.Status.NO_DATA)
            for scope_type in scope_types
            for scope_id in units.of(scope_type)
        ]
    return fn(indicator, region, ctx, units, scope_types)


def _spec_rows(indicator, region, ctx, units, scope_types, numerator, denominator):
    """Rows of a numerator/denominator pair of specs, counted the generic way."""
    from nms.monitoring.compute import _records_rows, count_specs, spec_key

    specs = {spec_key(numerator): numerator, spec_key(denominator): denominator}
    counted = count_specs(region, specs, ctx, scope_types)
    shim = type("Shim", (), {"numerator": numerator, "denominator": denominator})()
    shim.by_subject = False
    return _records_rows(shim, counted, units, scope_types)


# A3 counted the generic way (for organizations, and when the programmes' selector is absent).
A3_NUMERATOR = {
    "population": "pedagogues",
    "also": [
        {
            "population": "completions",
            "filters": {"federal": True, "chosen_by_diagnostics": True},
        }
    ],
}
A3_DENOMINATOR = {"population": "pedagogues"}


@register("a3")
def a3(indicator, region, ctx, units, scope_types):
    """A3 — the share of pedagogical workers who completed a federal-registry programme chosen by
    their diagnostics, by the programmes' rule (nms.programs.selectors.a3_counts) expressed over
    the populations: one grouped query per scope type.

    With the parameter `use_programs_selector` the region and each municipality are counted by
    `a3_counts` itself (a query per municipality, slow on a large region: a check of the
    populations' rule against the selector), the organizations as above."""
    from nms.monitoring.compute import Row

    parameters = indicator.parameters or {}
    numerator = parameters.get("numerator_spec") or A3_NUMERATOR
    denominator = parameters.get("denominator_spec") or A3_DENOMINATOR
    a3_counts = None
    if parameters.get("use_programs_selector"):
        try:
            from nms.programs.selectors import a3_counts
        except ImportError:
            a3_counts = None
    if a3_counts is None:
        return _spec_rows(indicator, region, ctx, units, scope_types, numerator, denominator)
    rows = []
    for scope_type in scope_types:
        if scope_type == "region":
            n, d = a3_counts(None, since=ctx.starts_on, until=ctx.ends_on, region=region)
            rows.append(Row("region", region.pk, None, n, d))
        elif scope_type == "municipality":
            for pk in units.municipalities:
                n, d = a3_counts(pk, since=ctx.starts_on, until=ctx.ends_on)
                rows.append(Row("municipality", pk, None, n, d))
    rest = [s for s in scope_types if s == "organization"]
    if rest:
        rows += _spec_rows(indicator, region, ctx, units, rest, numerator, denominator)
    return rows


@register("routes_of_plan")
def routes_of_plan(indicator, region, ctx, units, scope_types):
    """D13 — routes developed in the period against the planned number (the indicator's
    parameter `plan`, per period label or «default»): numerator the routes, denominator the
    plan (region only; a municipality's plan is not in the text)."""
    from nms.monitoring.compute import Row

    spec = {"population": "routes", "filters": {"status__ne": "draft"}, "distinct": "row"}
    rows = _spec_rows(indicator, region, ctx, units, ["region"], spec, spec)
    plans = indicator.parameters.get("plan") or {}
    plan = plans.get(str(ctx.ends_on.year)) or plans.get("default")
    out = []
    for row in rows:
        if "region" in scope_types:
            out.append(Row(row.scope_type, row.scope_id, None, row.numerator, plan or None))
    return out


def spec_members_hint(indicator):
    """For the drill-down of a function indicator: the specs it counts by."""
    if indicator.function == "a3":
        return A3_NUMERATOR, A3_DENOMINATOR
    return None, None


def _cycles(region, ctx) -> int:
    """Monitoring cycles of the period: the distinct periods computed for the region that end
    within it, this computation included."""
    periods = set(
        Snapshot.objects.filter(region=region, ends_on__gte=ctx.starts_on, ends_on__lte=ctx.ends_on)
        .values_list("period", flat=True)
        .distinct()
    )
    return max(len(periods), 1)


@register("monitoring_done")
def monitoring_done(indicator, region, ctx, units, scope_types):
    """A2 — a monitoring cycle completed in the period (this computation is one)."""
    from nms.monitoring.compute import Row

    if "region" not in scope_types:
        return []
    return [Row("region", region.pk, None, 1 if _cycles(region, ctx) else 0, None)]


@register("monitoring_cycles")
def monitoring_cycles(indicator, region, ctx, units, scope_types):
    """E7 — the number of monitoring cycles (periods computed) ending within the period."""
    from nms.monitoring.compute import Row

    if "region" not in scope_types:
        return []
    return [Row("region", region.pk, None, _cycles(region, ctx), None)]


# The functions of the later apps, each in its own module (they use `register` above).
from nms.monitoring import functions_staffing  # noqa: E402, F401
