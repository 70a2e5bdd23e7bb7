"""The staffing indicators (data/updates/staffing.json) computed by the monitoring from records,
each against a hand-built dataset: numerator and denominator exactly, per territory."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import nms.monitoring.functions_staffing  # noqa: F401  (registers the staffing functions)
from nms.monitoring import selectors
from nms.monitoring.catalogue import passport
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator, Snapshot
from nms.staffing.models import (
    ContractStatus,
    PedagogicalClass,
    ScheduleRow,
    StaffSchedule,
    TargetContract,
)
from tests.factories import EmploymentFactory, PersonFactory, position
from tests.staffing.conftest import HISTORY, diploma, teaches

pytestmark = pytest.mark.django_db

UPDATES = Path(__file__).parents[2] / "src/nms/monitoring/data/updates/staffing.json"
ENTRIES = {e["code"]: e for e in json.loads(UPDATES.read_text(encoding="utf-8"))}
PERIOD = "2025"


def _number(value):
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == int(value) else value


@pytest.fixture
def of(world, region):
    """`of(code)` → {key: (numerator, denominator)} with keys region, a, b (municipalities),
    school_a, school_b."""

    def compute_code(code):
        entry = ENTRIES[code]
        Indicator.objects.update_or_create(region=region, code=code, defaults=passport(entry))
        compute(region, PERIOD, codes=[code])
        units = {
            ("region", region.pk): "region",
            ("municipality", world.a["municipality"].pk): "a",
            ("municipality", world.b["municipality"].pk): "b",
            ("organization", world.a["school"].pk): "school_a",
            ("organization", world.b["school"].pk): "school_b",
        }
        found = {}
        # Through the readers: an organization's row holding only the default (e.g. «no data»)
        # is not stored, the readers put it back.
        for row in selectors.snapshot_rows(region, PERIOD, codes=[code]):
            key = units.get((row["scope_type"], row["scope_id"]))
            if key and row["subject"] is None:
                found[key] = (_number(row["numerator"]), _number(row["denominator"]), row["status"])
        return found

    return compute_code


def _schedule(organization, year, *rows):
    schedule = StaffSchedule.objects.create(organization=organization, year=year)
    for rates, filled in rows:
        ScheduleRow.objects.create(
            schedule=schedule, position=position(), rates=Decimal(rates), filled=Decimal(filled)
        )
    return schedule


def test_f6_1_and_g19_rates_of_the_latest_schedule(world, of):
    _schedule(world.a["school"], 2024, (10, 5))  # an earlier school year: not counted
    _schedule(world.a["school"], 2025, (3, "2.5"), (1, 1))
    _schedule(world.b["school"], 2025, (2, 2))
    _schedule(world.b["school"], 2027, (9, 1))  # a later one: outside the period
    f61 = of("F6.1")
    assert f61["region"][:2] == (Decimal("5.5"), 6)
    assert f61["a"][:2] == (Decimal("3.5"), 4)
    assert f61["school_b"][:2] == (2, 2)
    g19 = of("G19")
    assert g19["region"][:2] == (Decimal("0.5"), 6)
    assert g19["school_a"][:2] == (Decimal("0.5"), 4)
    assert g19["b"][:2] == (0, 2)


def test_f6_1_no_schedule_is_no_data(world, of):
    _schedule(world.a["school"], 2025, (1, 1))
    assert of("F6.1")["school_b"] == (None, None, Snapshot.Status.NO_DATA)


def test_f6_3_teachers_in_profile(world, of):
    # A teacher without diplomas is not counted; the directors teach nothing.
    nobody = PersonFactory(region=world.a["school"].region)
    EmploymentFactory(person=nobody, organization=world.b["school"])
    teaches(nobody, "музыка")
    at = of("F6.3")
    assert at["region"][:2] == (2, 3)
    assert at["a"][:2] == (1, 2)
    assert at["school_b"][:2] == (1, 1)


def test_f6_5_schools_with_over_30_percent_outside_the_profile(world, of):
    at = of("F6.5")
    assert at["region"][:2] == (1, 2)
    assert at["school_a"][:2] == (1, 1)
    assert at["school_b"][:2] == (0, 1)
    assert at["b"][:2] == (0, 1)


def test_f7_1_retraining_of_those_outside_the_diploma(world, of):
    at = of("F7.1")
    assert at["region"][:2] == (1, 2)  # teacher A (physics, retrained) of teacher A and Далёкова
    assert at["school_a"][:2] == (1, 2)
    assert at.get("school_b", (0, 0))[:2] == (0, 0), at


def _contract(world, status, graduated_on, person=None):
    contract = TargetContract.objects.create(
        municipality=world.a["municipality"], organization=world.a["school"],
        student_name="Выпускница", institution="УрГПУ", signed_on=date(2020, 9, 1),
        study_ends_on=date(2024, 6, 30), graduated_on=graduated_on, status=status,
    )  # fmt: skip
    if person is not None:
        contract.person = person
        contract.employment = person.employments.get()
        contract.employed_on = date(2025, 8, 25)
        contract.save()
    return contract


def test_f8_1_employed_after_target_training(world, of):
    _contract(world, ContractStatus.EMPLOYED, date(2025, 6, 30), person=world.far)
    _contract(world, ContractStatus.GRADUATED, date(2025, 6, 30))
    _contract(world, ContractStatus.TERMINATED, date(2025, 6, 30))  # terminated: not counted
    _contract(world, ContractStatus.GRADUATED, date(2024, 6, 30))  # another year
    _contract(world, ContractStatus.STUDYING, None)
    at = of("F8.1")
    assert at["region"][:2] == (1, 2)
    assert at["a"][:2] == (1, 2)
    assert at["b"][:2] == (0, 0)


def test_f8_2_young_pedagogues_three_years_in_one_school(world, of):
    school = world.a["school"]

    def young(year, hired, organization=school):
        person = PersonFactory(region=school.region, birth_date=date(year - 22, 1, 1))
        EmploymentFactory(person=person, organization=organization, hire_date=hired)
        diploma(person, HISTORY, year=year)
        return person

    young(2021, date(2021, 9, 1))  # 4 years in school A: retained
    young(2022, date(2023, 9, 1))  # moved: 2 years here
    young(2020, date(2020, 8, 25), world.b["school"])  # retained in school B
    young(2015, date(2015, 9, 1))  # graduated 10 years ago: not a young specialist
    young(2024, date(2024, 9, 1))  # 1 year after graduation: not yet counted
    at = of("F8.2")
    assert at["region"][:2] == (2, 3)
    assert at["school_a"][:2] == (1, 2)
    assert at["school_b"][:2] == (1, 1)


def test_f7_4_and_f7_5_classes_and_contracts(world, of):
    PedagogicalClass.objects.create(organization=world.a["school"], year=2025, pupils=12)
    PedagogicalClass.objects.create(organization=world.a["school"], year=2025, grade=11, pupils=9)
    PedagogicalClass.objects.create(organization=world.b["school"], year=2022, pupils=9)
    at = of("F7.4")
    assert at["region"][0] == 1 and at["a"][0] == 1 and at["b"][0] == 0
    _contract(world, ContractStatus.STUDYING, None)  # signed in 2020
    signed = _contract(world, ContractStatus.STUDYING, None)
    TargetContract.objects.filter(pk=signed.pk).update(signed_on=date(2025, 3, 1))
    assert of("F7.5")["region"][0] == 1


def test_the_updates_are_valid_passports(world):
    for code, entry in ENTRIES.items():
        values = passport(entry)
        assert values["method"] in ("records", "function"), code
        Indicator(region=None, code=code, **values).full_clean(exclude=["region"])
