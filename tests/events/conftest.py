from datetime import date, timedelta

import pytest

from nms.events.models import Event, InternshipSite
from nms.itembank.models import CompetencyArea
from nms.routes.models import ActivityKind, Level, Route, RouteItem, Status

TODAY = date.today()


@pytest.fixture
def area(db):
    return CompetencyArea.objects.get(code="methodical")


@pytest.fixture
def seminar(region, area):
    """A regional seminar held a week ago, on the methodical area."""
    event = Event.objects.create(
        region=region, title="Семинар «Урок по обновлённым ФГОС»", kind="seminar",
        level="regional", starts_on=TODAY - timedelta(days=7),
        ends_on=TODAY - timedelta(days=7), organizer_name="ИРО", topics=["fgos"],
    )  # fmt: skip
    event.areas.add(area)
    return event


@pytest.fixture
def contest(region):
    return Event.objects.create(
        region=region, title="Педагог года", kind="contest", level="regional",
        starts_on=TODAY - timedelta(days=30), ends_on=TODAY - timedelta(days=20),
        organizer_name="ИРО", nominations="Учитель года\nПедагогический дебют",
    )  # fmt: skip


@pytest.fixture
def site(region, two_municipalities, area):
    school = two_municipalities["b"]["school"]
    site = InternshipSite.objects.create(
        organization=school, region=region, starts_on=TODAY - timedelta(days=100),
        ends_on=TODAY + timedelta(days=600), order_number="12-о",
        order_date=TODAY - timedelta(days=110), programmes="Функциональная грамотность",
        topics=["literacy"],
    )  # fmt: skip
    site.areas.add(area)
    return site


@pytest.fixture
def route_item(two_municipalities, region, area):
    """Teacher A's route under way with an item pointing at `source` (set by the test)."""

    def make(source):
        route = Route.objects.create(
            person=two_municipalities["a"]["teacher"], region=region, route_type="deficits",
            status=Status.IN_PROGRESS, starts_on=TODAY - timedelta(days=30),
            ends_on=TODAY + timedelta(days=200),
        )  # fmt: skip
        return RouteItem.objects.create(
            route=route, level=Level.REGIONAL, activity_kind=ActivityKind.EVENT,
            title="Семинар", source=source, area=area, starts_on=TODAY - timedelta(days=10),
            due_on=TODAY + timedelta(days=30), result_form="подтверждение",
        )  # fmt: skip

    return make
