"""G4 and B3 over hand-built data through the monitoring's computation (the entries of
src/nms/monitoring/data/updates/outcomes.json), and the population of students' results."""

import json
from datetime import date
from pathlib import Path

import pytest

from nms.exchange.models import PassportExport
from nms.monitoring import populations
from nms.monitoring.catalogue import passport
from nms.monitoring.models import Indicator
from tests.monitoring.conftest import counts
from tests.outcomes.conftest import result, route

pytestmark = pytest.mark.django_db
UPDATES = Path(__file__).parents[2] / "src/nms/monitoring/data/updates/outcomes.json"


def install(code: str) -> None:
    entry = next(e for e in json.loads(UPDATES.read_text(encoding="utf-8")) if e["code"] == code)
    Indicator.objects.update_or_create(region=None, code=code, defaults=passport(entry))


def test_g4_positive_dynamics_after_completed_routes(world):
    a, b = world["a"], world["b"]
    install("G4")
    # teacher A: 60 → 70 (positive); director A: 80 → 70 (not); teacher B: 50 → 55 (positive);
    # director B: a completed route, no results (out of the denominator).
    for person, school, before, after in (
        (a["teacher"], a["school"], 60, 70),
        (a["director"], a["school"], 80, 70),
        (b["teacher"], b["school"], 50, 55),
    ):
        result(person, school, year=2023, passing=before)
        result(person, school, year=2024, passing=after)
        route(person)
    route(b["director"])
    route(a["teacher"], status="in_progress")  # not completed: nothing
    region = a["school"].region
    found = counts(region, "G4")
    assert found[("region", region.pk)] == (2, 3)
    assert found[("municipality", a["municipality"].pk)] == (1, 2)
    assert found[("municipality", b["municipality"].pk)] == (1, 1)
    assert found[("organization", a["school"].pk)] == (1, 2)
    # The period of the routes' end: nothing in 2024.
    assert counts(region, "G4", "2024")[("region", region.pk)] == (0, 0)


def test_g4_minimal_rise_as_the_filter_value(world):
    a = world["a"]
    result(a["teacher"], a["school"], year=2023, passing=60)
    result(a["teacher"], a["school"], year=2024, passing=65)
    route(a["teacher"])
    install("G4")
    indicator = Indicator.objects.get(region=None, code="G4")
    indicator.numerator = {**indicator.numerator, "filters": {"positive_dynamics": 10}}
    indicator.save()
    region = a["school"].region
    assert counts(region, "G4")[("region", region.pk)] == (0, 1)


def test_b3_passport_formed_for_the_period(world):
    region = world["a"]["school"].region
    install("B3")
    assert counts(region, "B3")[("region", region.pk)][0] == 0
    PassportExport.objects.create(
        region=region, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    assert counts(region, "B3")[("region", region.pk)][0] == 1
    assert counts(region, "B3", "2024")[("region", region.pk)][0] == 0


def test_student_results_population_by_the_school_years_end(world):
    a = world["a"]
    result(a["teacher"], a["school"], year=2024, passing=60)  # ends 30.06.2025
    result(a["teacher"], a["school"], year=2025, passing=60)  # ends 30.06.2026
    ctx = populations.Ctx(date(2025, 1, 1), date(2025, 12, 31))
    rows = populations.queryset({"population": "student_results"}, ctx)
    assert list(rows.values_list("school_year", flat=True)) == [2024]


def test_entries_are_valid_specs():
    for entry in json.loads(UPDATES.read_text(encoding="utf-8")):
        assert entry["method"] == "records"
        for part in ("numerator", "denominator"):
            if entry.get(part):
                populations.validate_spec(entry[part], where=f"{entry['code']} {part}")
