"""No N+1: the list pages and API lists run the same number of queries for one row and for
several."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from nms.registry.models import Position, Subject
from nms.staffing.models import ScheduleRow, StaffSchedule, Vacancy
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

LISTS = (
    "staffing-schedule-list", "staffing-vacancy-list", "staffing-diploma-list",
    "staffing-specialty-list", "api-staffing-schedule-list", "api-staffing-vacancy-list",
    "api-staffing-diploma-list",
)  # fmt: skip


def _add(municipality):
    school = OrganizationFactory(municipality=municipality)
    schedule = StaffSchedule.objects.create(organization=school, year=2025)
    teacher = Position.objects.get(name="учитель")
    for name in ("химия", "физика"):
        subject = Subject.objects.get(name=name)
        ScheduleRow.objects.create(
            schedule=schedule, position=teacher, subject=subject, rates=Decimal(1)
        )
        Vacancy.objects.create(
            organization=school, position=teacher, subject=subject, opened_on=date(2025, 9, 1)
        )


def test_list_queries_do_not_grow_with_rows(client, world, count_queries):
    client.force_login(world.users["cnppm"])
    municipality = world.a["municipality"]
    _add(municipality)
    before = {name: count_queries(client.get, reverse(name))[0] for name in LISTS}
    for _ in range(3):
        _add(municipality)
    after = {name: count_queries(client.get, reverse(name))[0] for name in LISTS}
    assert after == before
