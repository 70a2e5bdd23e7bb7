"""The first screen of the demo accounts, in a browser (issue 10): the demo teacher's home shows
the open diagnostic and the overdue item first; the ministry's home draws its charts with the
chart library we serve, under the Content-Security-Policy (no inline script), each chart with
its table of figures."""

import pytest

from nms.accounts.models import User
from nms.demo.accounts import DEMO_PASSWORD
from nms.demo.build import build_demo_region
from nms.diagnostics.selectors import my_diagnostics
from nms.routes import selectors as routes
from nms.routes.models import RouteItem

SIZES = {"municipalities": 2, "organizations": 10, "people": 160, "seed": 5}


@pytest.fixture
def demo(transactional_db):
    build_demo_region(**SIZES)
    User.objects.filter(username__in=("teacher", "ministry")).update(must_change_password=False)
    return {u.username: u for u in User.objects.filter(username__in=("teacher", "ministry"))}


def test_demo_teacher_sees_open_diagnostic_and_overdue_item(page, login, demo):
    teacher = demo["teacher"]
    (diagnostic,) = [d for d in my_diagnostics(teacher) if d.state != "finished"]
    overdue = RouteItem.objects.filter(
        routes.overdue_items_q(), route__person_id=teacher.person_id
    ).order_by("due_on", "id")
    assert overdue.exists(), "the demo teacher's route has an overdue item"

    login("teacher", DEMO_PASSWORD)
    section = page.locator('section[data-role="teacher"]')
    # First the diagnostic to take, with its button.
    row = section.locator("table.my-open-diagnostics tr", has_text=diagnostic.procedure.name)
    assert row.count() == 1
    assert (
        row.get_by_role("link", name="Пройти").count()
        + row.get_by_role("link", name="Продолжить").count()
        == 1
    )
    # Then the overdue items of the route, marked.
    late = section.locator("table.own-items tr.overdue")
    assert late.count() == overdue.count()
    assert overdue.first().title in late.first.inner_text()
    assert "просрочен" in late.first.inner_text()
    assert section.locator(".own-route .badge.warn", has_text="просрочен").count() >= 1
    # The diagnostic comes before the route on the screen.
    diagnostics_top = section.locator("table.my-open-diagnostics").bounding_box()["y"]
    assert diagnostics_top < section.locator("table.own-items").bounding_box()["y"]


def test_ministry_home_draws_its_charts(page, login, demo):
    login("ministry", DEMO_PASSWORD)
    charts = page.locator("figure.chart canvas[data-chart]")
    assert charts.count() >= 3
    # charts.js runs after Chart.js (both deferred): wait until every canvas is drawn.
    page.wait_for_function(
        "n => !!window.Chart && Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter(c => window.Chart.getChart(c)).length === n",
        arg=charts.count(),
    )
    # Every chart has its figures as a table, each figure a link.
    assert page.locator("figure.chart table.chart-table a[data-figure]").count() > 0
    progress = page.locator("figure.chart", has_text="назначено, начали, завершили")
    assert "Назначено" in progress.inner_text() and "Завершили" in progress.inner_text()
