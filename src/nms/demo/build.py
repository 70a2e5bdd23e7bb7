"""The whole demo region: registry and accounts, then diagnostics, then routes built on them."""

import gc

from django.db import connection, transaction

from nms.demo import (
    catalogs,
    events,
    mentoring,
    monitoring,
    outcomes,
    portal,
    programs,
    roadmap,
    staffing,
    support,
)
from nms.demo.diagnostics import generate_diagnostics
from nms.demo.generator import check_sizes, generate_region
from nms.demo.routes import generate_routes

# The apps above routes make their share of the region, in this order (support draws on
# completions and contests, monitoring on everything, so it comes last): each module's
# generate(region, seed, today).
APP_STEPS = (
    programs, events, support, mentoring, staffing, outcomes, catalogs, roadmap, portal, monitoring,
)  # fmt: skip


def build_demo_region(*, seed: int = 1, **sizes) -> str:
    """Generate everything in one transaction (nothing is left if a step fails) and return the
    summary for the console. Sizes that cannot make a region are refused before any write."""
    check_sizes(
        **{k: sizes[k] for k in ("municipalities", "organizations", "people") if k in sizes}
    )
    # A big region keeps about a million objects alive: the cycle collector's full passes over
    # them would cost more than the generation itself, so it runs once after each step instead.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with transaction.atomic():
            summary = generate_region(seed=seed, **sizes)
            gc.collect()
            diagnostics = generate_diagnostics(summary.region, seed=seed, today=summary.today)
            gc.collect()
            routes = generate_routes(summary.region, seed=seed, today=summary.today)
            app_lines = []
            for step in APP_STEPS:
                line = step.generate(summary.region, seed=seed, today=summary.today)
                app_lines.append(line)
                gc.collect()
    finally:
        if collecting:
            gc.enable()
    _analyze()
    return "\n".join(
        [
            summary.as_text(),
            diagnostics.as_text(),
            f"  индивидуальных образовательных маршрутов: {routes}",
            *(line for line in app_lines if line),
        ]
    )


def _analyze() -> None:
    """Rows written in bulk have no planner statistics until autovacuum comes round: without them
    PostgreSQL picks plans several times slower for the first minutes. Gathered at once here."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
