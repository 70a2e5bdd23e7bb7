"""Services: rates never negative nor filled above the staff, vacancies, diplomas, target
contracts, classes — Russian errors, nothing half-saved, the scope checked."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.common.concurrency import StaleRecord
from nms.registry.models import Position
from nms.staffing import selectors, services
from nms.staffing.models import ContractStatus, ScheduleRow, StaffSchedule, Vacancy
from tests.staffing.conftest import MATHS_INFORMATICS, UNIVERSITY, specialty, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(world):
    return services.schedule_create(
        world.users["school"], {"organization": world.a["school"], "year": 2025}
    )


def _row(**values):
    return {"position": Position.objects.get(name="учитель"), "subject": None, **values}


def test_rows_and_totals(world, schedule):
    user = world.users["school"]
    services.row_add(
        user, schedule, _row(subject=subject("математика"), rates=Decimal(3), filled=Decimal("2.5"))
    )
    schedule.refresh_from_db()
    services.row_add(
        user, schedule, _row(subject=subject("физика"), rates=Decimal(1), filled=Decimal(1))
    )
    totals = selectors.schedule_totals(schedule)
    assert totals["rates"] == 4 and totals["vacant"] == Decimal("0.5")
    assert totals["staffing"] == 87.5 and totals["shortage"] == 12.5


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"rates": Decimal(1), "filled": Decimal(2)}, "filled", services.FILLED_OVER),
        ({"rates": Decimal(-1), "filled": Decimal(0)}, "rates", services.NEGATIVE),
        ({"rates": Decimal(1), "filled": Decimal(-1)}, "filled", services.NEGATIVE),
    ],
)
def test_bad_rates_are_refused(world, schedule, values, field, message):
    with pytest.raises(ValidationError) as error:
        services.row_add(world.users["school"], schedule, _row(**values))
    assert error.value.message_dict[field] == [message]
    assert not ScheduleRow.objects.exists()


def test_duplicate_row_and_schedule_and_stale_version(world, schedule):
    user = world.users["school"]
    services.row_add(user, schedule, _row(rates=Decimal(1)))
    with pytest.raises(ValidationError, match="уже есть"):
        services.row_add(user, schedule, _row(rates=Decimal(2)))
    with pytest.raises(ValidationError, match="уже есть"):
        services.schedule_create(user, {"organization": world.a["school"], "year": 2025})
    with pytest.raises(StaleRecord):
        services.row_add(
            user, schedule, _row(rates=Decimal(1), subject=subject("химия")), expected_version=1
        )
    assert ScheduleRow.objects.count() == 1


def test_outside_the_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.schedule_create(
            world.users["school"], {"organization": world.b["school"], "year": 2025}
        )
    with pytest.raises(PermissionDenied):  # the ministry reads only
        services.schedule_create(
            world.users["ministry"], {"organization": world.b["school"], "year": 2025}
        )
    assert not StaffSchedule.objects.exists()


def test_vacancy_publish_needs_requirements_and_close(world):
    user = world.users["school"]
    data = {"organization": world.a["school"], "position": Position.objects.get(name="учитель"),
            "subject": subject("химия"), "rates": Decimal(1), "published": True}  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.vacancy_create(user, data)
    assert "requirements" in error.value.message_dict
    vacancy = services.vacancy_create(user, {**data, "published": False})
    with pytest.raises(ValidationError):
        services.vacancy_publish(user, vacancy, True)
    vacancy = services.vacancy_update(user, vacancy, {"requirements": "Высшее педагогическое"})
    vacancy = services.vacancy_publish(user, vacancy, True)
    assert list(selectors.public_vacancies()) == [vacancy]
    Vacancy.objects.filter(pk=vacancy.pk).update(opened_on=date(2020, 1, 1))
    vacancy.refresh_from_db()
    services.vacancy_close(user, vacancy, closed_on=date(2020, 2, 1))
    assert not selectors.public_vacancies().exists()
    assert Vacancy.objects.get().published


def test_diploma_rules(world):
    user = world.users["school"]
    data = {"person": world.far, "level": "higher", "institution": UNIVERSITY,
            "specialty": specialty(MATHS_INFORMATICS), "year": 2010}  # fmt: skip
    with pytest.raises(ValidationError, match="уже записан"):
        services.diploma_create(user, data)
    with pytest.raises(ValidationError) as error:
        services.diploma_create(user, {**data, "year": date.today().year + 1})
    assert "year" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.diploma_create(world.users["other_school"], {**data, "year": 2012})


def test_contract_employment_from_the_registry(world):
    user = world.users["municipal"]
    data = {"municipality": world.a["municipality"], "organization": world.a["school"],
            "student_name": "Семёнова Анна", "institution": "УрГПУ",
            "signed_on": date(2020, 9, 1), "study_ends_on": date(2024, 6, 30)}  # fmt: skip
    contract = services.contract_create(user, data)
    assert contract.status == ContractStatus.STUDYING
    with pytest.raises(ValidationError) as error:
        services.contract_update(user, contract, {"person": world.far})
    assert "graduated_on" in error.value.message_dict
    contract = services.contract_update(
        user, contract, {"person": world.far, "graduated_on": date(2024, 6, 30)}
    )
    assert contract.status == ContractStatus.EMPLOYED
    assert contract.employment == world.far.employments.get()
    with pytest.raises(ValidationError) as error:
        services.contract_create(user, {**data, "organization": world.b["school"]})
    assert "organization" in error.value.message_dict


def test_class_rules(world):
    user = world.users["school"]
    with pytest.raises(ValidationError) as error:
        services.class_create(
            user, {"organization": world.a["school"], "year": 2025, "grade": 4, "pupils": 0}
        )
    assert set(error.value.message_dict) == {"grade", "pupils"}
