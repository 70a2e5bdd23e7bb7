"""`complete_items_from_record`: a completion, a participation or a support act recorded by an
activities app closes the person's route items pointing at it (issue 11, route integration)."""

from datetime import timedelta

import pytest

from nms.routes.models import ItemStatus, ReportDecision, Route, RouteItem, RouteType, Status
from nms.routes.services import complete_items_from_record
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def route_with(person, status, *sources):
    route = Route.objects.create(
        person=person,
        region_id=person.region_id,
        route_type=RouteType.DEFICITS,
        status=status,
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=90),
    )
    for number, source in enumerate(sources, start=1):
        RouteItem.objects.create(
            route=route,
            position=number,
            level="regional",
            activity_kind="program",
            title=f"Пункт {number}",
            source=source,
            starts_on=TODAY,
            due_on=TODAY + timedelta(days=30),
            result_form="удостоверение",
        )
    return route


def statuses(route):
    return list(route.items.order_by("position").values_list("status", flat=True))


@pytest.mark.parametrize("status", [Status.AGREED_METHODIST, Status.IN_PROGRESS, Status.AUDIT])
def test_matching_items_of_a_route_under_way_are_done(users, two_municipalities, status):
    teacher = two_municipalities["a"]["teacher"]
    route = route_with(teacher, status, "run:7", "program:12", "event:7", "", "program:120")
    version = route.version
    closed = complete_items_from_record(
        users["cnppm"],
        teacher.pk,
        ["run:7", "program:12"],
        "удостоверение № 5 от 01.12.2026",
        link="https://example.ru/5",
    )
    assert sorted(i.position for i in closed) == [1, 2]
    assert statuses(route) == ["done", "done", "planned", "planned", "planned"]
    item = route.items.get(position=1)
    assert item.evidence_link == "https://example.ru/5"
    report = item.reports.get()
    assert report.decision == ReportDecision.ACCEPTED and report.author == users["cnppm"]
    assert report.decided_by == users["cnppm"] and report.text == "удостоверение № 5 от 01.12.2026"
    route.refresh_from_db()
    assert route.version == version + 2  # a version per item closed
    assert "выполнен: удостоверение № 5" in route.versions.order_by("number").last().reason


@pytest.mark.parametrize("status", [Status.DRAFT, Status.COMPOSED, Status.COMPLETED, Status.CLOSED])
def test_routes_not_under_way_are_left_alone(users, two_municipalities, status):
    teacher = two_municipalities["a"]["teacher"]
    route = route_with(teacher, status, "run:7")
    assert complete_items_from_record(users["cnppm"], teacher.pk, ["run:7"], "№ 1") == []
    assert statuses(route) == ["planned"]
    assert not route.versions.exists()


def test_other_people_and_done_items_are_left_alone(users, two_municipalities):
    a = two_municipalities["a"]
    mine = route_with(a["teacher"], Status.IN_PROGRESS, "run:7", "run:7")
    theirs = route_with(a["director"], Status.IN_PROGRESS, "run:7")
    first = mine.items.get(position=1)
    RouteItem.objects.filter(pk=first.pk).update(status=ItemStatus.DONE)
    closed = complete_items_from_record(users["cnppm"], a["teacher"].pk, ["run:7"], "№ 2")
    assert [i.position for i in closed] == [2]
    assert not first.reports.exists()  # the item already done gets no second report
    assert statuses(theirs) == ["planned"]
    # Recorded again: nothing left to close.
    assert complete_items_from_record(users["cnppm"], a["teacher"].pk, ["run:7"], "№ 2") == []
