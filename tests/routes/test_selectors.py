"""Route scope, register filters, dashboards, reminders, suggestions, outcome."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from nms.routes import selectors, services
from nms.routes.models import Reminder, Route, Status
from nms.routes.reminders import record_reminders
from nms.routes.suggestions import suggest
from tests.routes.conftest import TODAY, item_data


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["cnppm"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=90)
    )


def _under_way(route, actors, **item):
    services.item_add(actors["cnppm"], route, item_data(**item), None)
    for name, actor in (
        ("compose", "cnppm"),
        ("agree_school", "school"),
        ("agree_methodist", "methodist"),
        ("start", "methodist"),
    ):
        services.transition(actors[actor], route, name, "ок", None)
    route.refresh_from_db()
    return route


@pytest.mark.parametrize(
    "actor, visible",
    [
        ("teacher", True), ("school", True), ("methodist", True), ("municipal", True),
        ("cnppm", True), ("ministry", True), ("other_teacher", False), ("other_school", False),
    ],
)  # fmt: skip
def test_route_scope(route, actors, actor, visible):
    assert selectors.routes_visible(actors[actor]).filter(pk=route.pk).exists() is visible


def test_register_filters_and_overdue(route, actors, two_municipalities):
    _under_way(route, actors, starts_on=TODAY - timedelta(days=5), due_on=TODAY - timedelta(days=1))
    rows = selectors.register(actors["cnppm"])
    row = rows.get(pk=route.pk)
    assert row.items_total == 1 and row.items_done == 0 and row.is_overdue
    f = selectors.filter_register
    assert f(rows, overdue=True).count() == 1
    assert f(rows, overdue=False).count() == 0
    assert f(rows, municipality=two_municipalities["a"]["municipality"]).count() == 1
    assert f(rows, municipality=two_municipalities["b"]["municipality"]).count() == 0
    assert f(rows, status=Status.IN_PROGRESS, methodist=actors["methodist"]).count() == 1


def test_dashboards_and_daily_reminders(route, actors):
    _under_way(route, actors, starts_on=TODAY - timedelta(days=5), due_on=TODAY - timedelta(days=1))
    due = selectors.due_for(actors["teacher"])
    assert [i.route_id for i in due["overdue_items"]] == [route.pk]
    assert list(due["audits_due"]) == []
    later = route.ends_on - timedelta(days=20)
    assert list(selectors.due_for(actors["methodist"], later)["audits_due"]) == [route]
    call_command("route-reminders")
    assert Reminder.objects.filter(route=route, kind="item_overdue").count() == 1
    run = record_reminders()
    assert run.new_overdue == 0  # recorded once
    assert record_reminders(later).new_audits == 1


def test_suggestions_per_deficit(route, actors):
    proposals = suggest(route)
    assert list(proposals) == ["методическая"]
    assert any("ФГОС" in s.title for s in proposals["методическая"])


def test_outcome_of_completed_route(route, actors, exit_result_factory):
    exit_result_factory(methodical_share=70)
    route.exit_result = services.exit_result_for(route)
    route.status = Status.COMPLETED
    route.save()
    rows = {r["area"]: r for r in selectors.outcome(route)}
    assert rows["методическая"]["closed"] and rows["методическая"]["change"] == 30
    summary = selectors.outcomes_summary(actors["cnppm"])
    assert summary == {"completed": 1, "with_deficits": 1, "closed": 1, "share": 100.0}
    Route.objects.filter(pk=route.pk).update(exit_result=route.entry_result)
    assert selectors.outcomes_summary(actors["cnppm"])["closed"] == 0
