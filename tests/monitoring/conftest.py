"""A small hand-built world for the monitoring's engine tests, and helpers to compute one
indicator and read its numerator and denominator by territory.

Municipality A: school S1 (general, low results) and kindergarten K; municipality B: school S2.
People (period 2025, the state read on 31.12.2025):
- young1 — teacher at S1, born 2000, 1 year of experience (a young teacher);
- old1 — teacher at S1, born 1965 (60 on the day), 30 years, load 20 + 10 at S2 part-time;
- head1 — director of S1 (a manager, not pedagogical);
- young2 — teacher at S2, born 1999, 2 years (a young teacher);
- old2 — teacher at S2, born 1980, 15 years, highest category, load 18;
- tutor_k — воспитатель at K, born 1990, 10 years.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from nms.monitoring import selectors
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator
from nms.registry.models import OrganizationKind
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    position,
)

PERIOD = "2025"
IN_PERIOD = date(2025, 3, 10)
BEFORE = date(2024, 5, 1)


def hire(person, organization, position_name="учитель", **kwargs):
    kwargs.setdefault("experience_as_of", date(2025, 9, 1))
    return EmploymentFactory(
        person=person, organization=organization, position=position(position_name), **kwargs
    )


@pytest.fixture
def world(region):
    a = MunicipalityFactory(region=region, name="Альфа")
    b = MunicipalityFactory(region=region, name="Бета")
    s1 = OrganizationFactory(municipality=a, is_low_results=True, short_name="Школа 1")
    k = OrganizationFactory(municipality=a, kind=OrganizationKind.PRESCHOOL, short_name="Сад")
    s2 = OrganizationFactory(municipality=b, short_name="Школа 2")

    def person(born, **kwargs):
        return PersonFactory(region=region, birth_date=born, **kwargs)

    young1 = person(date(2000, 1, 1))
    old1 = person(date(1965, 6, 1))
    head1 = person(date(1975, 1, 1))
    young2 = person(date(1999, 1, 1))
    old2 = person(date(1980, 1, 1))
    tutor_k = person(date(1990, 1, 1))
    hire(young1, s1, experience_years=1, teaching_load=Decimal(18))
    hire(old1, s1, experience_years=30, teaching_load=Decimal(20))
    hire(old1, s2, experience_years=30, teaching_load=Decimal(10), is_part_time=True)
    hire(head1, s1, "директор", manager_kind="head", experience_years=20)
    hire(young2, s2, experience_years=2, teaching_load=Decimal(27))
    hire(old2, s2, experience_years=15, category="highest", teaching_load=Decimal(18))
    hire(tutor_k, k, "воспитатель", experience_years=10)
    return {
        "region": region,
        "a": a,
        "b": b,
        "s1": s1,
        "k": k,
        "s2": s2,
        "young1": young1,
        "old1": old1,
        "head1": head1,
        "young2": young2,
        "old2": old2,
        "tutor_k": tutor_k,
    }


def counts(region, code, period=PERIOD):
    """{(scope_type, scope_id): (numerator, denominator)} of one indicator, just computed."""
    compute(region, period, codes=[code])
    found = {}
    # Read as the pages and the command read them: organizations' rows holding only 0 of 0 are
    # not stored, and the readers put them back (nms.monitoring.compute.OMITTED).
    for row in selectors.snapshot_rows(region, period, codes=[code]):
        if row["subject"] is None:
            found[(row["scope_type"], row["scope_id"])] = (row["numerator"], row["denominator"])
    return found


@pytest.fixture
def of(world):
    """`of(code)` → a function `(scope_type, key) -> (numerator, denominator)` for the world;
    key is "region" or a key of the world (a, b, s1, s2, k)."""

    def compute_code(code, period=PERIOD):
        found = counts(world["region"], code, period)

        def at(key):
            if key == "region":
                return found[("region", world["region"].pk)]
            unit = world[key]
            scope_type = "municipality" if key in ("a", "b") else "organization"
            return found.get((scope_type, unit.pk))

        return at

    return compute_code


def builtin(code) -> Indicator:
    return Indicator.objects.get(region__isnull=True, code=code)


def created_on(route, day: date):
    """Routes are dated by their creation (auto_now_add): move one into the period."""
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    type(route).objects.filter(pk=route.pk).update(created_at=moment)
