"""«Положительная динамика» after a completed route (nms.outcomes.dynamics) on hand-built data."""

from datetime import date
from decimal import Decimal

import pytest

from nms.outcomes import dynamics, selectors
from tests.outcomes.conftest import result, route

pytestmark = pytest.mark.django_db


def test_years_before_and_after():
    assert dynamics.year_before(date(2024, 10, 1)) == 2023  # 2023/2024 ended on 30.06.2024
    assert dynamics.year_before(date(2024, 6, 1)) == 2022  # 2023/2024 had not ended yet
    assert dynamics.year_after(date(2025, 5, 31)) == 2024  # 2024/2025 ends on 30.06.2025
    assert dynamics.year_after(date(2025, 8, 1)) == 2025


def test_verdicts(world):
    a, b = world["a"], world["b"]
    rising, falling, no_pair = a["teacher"], a["director"], b["teacher"]
    # rising: 70 → weighted (20×50 + 30×100)/50 = 80, below 30 → 20
    result(rising, a["school"], year=2023, passing=70, below=30)
    result(rising, a["school"], year=2024, group="9А", participants=20, passing=50, below=20)
    result(rising, a["school"], year=2024, group="9Б", participants=30, passing=100, below=20)
    # another subject, only after the route: not comparable, not counted
    result(rising, a["school"], year=2024, subject_name="физика", passing=10)
    result(falling, a["school"], year=2023, passing=80, below=10)
    result(falling, a["school"], year=2024, passing=75, below=10)
    result(no_pair, b["school"], year=2024, passing=90)
    routes = [route(rising), route(falling), route(no_pair)]
    verdicts = dynamics.verdicts(routes)
    first, second, third = (verdicts[r.pk] for r in routes)
    assert first.positive is True and len(first.comparisons) == 1
    assert first.comparisons[0].after.passing == Decimal(80)
    assert second.positive is False
    assert third.positive is None and third.label == "нет сопоставимых результатов"
    # A minimal rise of 10 points still holds for 70 → 80, 11 does not.
    assert dynamics.verdicts(routes[:1], rise=10)[routes[0].pk].positive is True
    assert dynamics.verdicts(routes[:1], rise=11)[routes[0].pk].positive is False


def test_below_threshold_must_not_rise_and_average_when_no_share(world):
    a, b = world["a"], world["b"]
    result(a["teacher"], a["school"], year=2023, passing=60, below=10)
    result(a["teacher"], a["school"], year=2024, passing=70, below=15)  # more below: not positive
    result(b["teacher"], b["school"], year=2023, kind="vpr", average=3.4)
    result(b["teacher"], b["school"], year=2024, kind="vpr", average=3.6)
    first, second = route(a["teacher"]), route(b["teacher"])
    verdicts = dynamics.verdicts([first, second])
    assert verdicts[first.pk].positive is False
    assert verdicts[second.pk].positive is True
    assert verdicts[second.pk].comparisons[0].measure == "средний балл"


def test_half_of_the_pairs_is_enough(world):
    a = world["a"]
    teacher, school = a["teacher"], a["school"]
    result(teacher, school, year=2023, passing=60)
    result(teacher, school, year=2024, passing=70)
    result(teacher, school, year=2023, subject_name="физика", passing=60)
    result(teacher, school, year=2024, subject_name="физика", passing=50)
    made = route(teacher)
    assert dynamics.verdicts([made])[made.pk].positive is True


def test_period_rows_and_summary_in_the_scope(world):
    a, b = world["a"], world["b"]
    for person, school, after in ((a["teacher"], a["school"], 80), (b["teacher"], b["school"], 50)):
        result(person, school, year=2023, passing=70)
        result(person, school, year=2024, passing=after)
        route(person)
    route(a["director"])  # completed, no results: counted among routes only
    route(b["director"], status="in_progress")  # not completed: not listed
    route(a["director"], starts_on=date(2023, 9, 1), ends_on=date(2024, 5, 1))  # another year
    users = world["users"]
    rows = selectors.dynamics_rows(users["cnppm"], date(2025, 1, 1), date(2025, 12, 31))
    assert selectors.dynamics_summary(rows) == {
        "routes": 3, "judged": 2, "positive": 1, "share": 50.0,
    }  # fmt: skip
    rows = selectors.dynamics_rows(users["municipal"], date(2025, 1, 1), date(2025, 12, 31))
    assert {r.route.person_id for r in rows} == {a["teacher"].pk, a["director"].pk}
    rows = selectors.dynamics_rows(users["teacher"], date(2025, 1, 1), date(2025, 12, 31))
    assert [r.route.person_id for r in rows] == [a["teacher"].pk]
    assert selectors.dynamics_summary(rows)["share"] == 100.0
