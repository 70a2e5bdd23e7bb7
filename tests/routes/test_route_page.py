"""The route page (issue 10): the actions at the top in one form, a comment only to return or
close, overdue items marked wherever they appear, a newer diagnostics result offered to the
methodist (page and API), the result page linking to the route."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from nms.routes import selectors, services
from nms.routes.models import RouteItem, Status
from tests.api_helpers import client_for
from tests.routes.conftest import TODAY, item_data

API = "/api/v1/routes"


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    route = services.route_create(
        actors["cnppm"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=120)
    )
    services.item_add(actors["cnppm"], route, item_data(), None)
    route.refresh_from_db()
    return route


def _walk(route, actors, *steps):
    for name, actor in steps:
        services.transition(actors[actor], route, name, "", None)
    route.refresh_from_db()
    return route


# -- one actions form at the top -----------------------------------------------------------
def test_actions_are_one_form_above_the_sections(client, actors, route):
    client.force_login(actors["cnppm"])
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert page.count('id="workflow"') == 1
    form = re.search(r'<form[^>]*id="workflow".*?</form>', page, re.S)[0]
    assert form.count("<textarea") == 1 and "required" not in form
    assert 'id="step-compose"' in form and 'id="step-close"' in form
    assert page.index('id="workflow"') < page.index("Раздел 1.")
    assert 'data-needs-comment="1"' in re.search(r'<button[^>]*id="step-close"[^>]*>', form)[0]
    assert "data-needs-comment" not in re.search(r'<button[^>]*id="step-compose"[^>]*>', form)[0]


def test_agree_without_comment_return_only_with_one(client, actors, route):
    _walk(route, actors, ("compose", "cnppm"))
    client.force_login(actors["school"])
    url = reverse("route-transition", args=[route.pk, "agree_school"])
    response = client.post(url, {"comment": "", "version": route.version}, follow=True)
    assert "Выполнено" in _messages(response)
    route.refresh_from_db()
    assert route.status == Status.AGREED_SCHOOL

    client.force_login(actors["methodist"])
    url = reverse("route-transition", args=[route.pk, "return"])
    response = client.post(url, {"comment": "  ", "version": route.version}, follow=True)
    assert "требует комментария" in _messages(response)
    route.refresh_from_db()
    assert route.status == Status.AGREED_SCHOOL
    client.post(url, {"comment": "уточните сроки", "version": route.version})
    route.refresh_from_db()
    assert route.status == Status.DRAFT


def test_history_names_people_not_logins(client, actors, route):
    actors["school"].first_name, actors["school"].last_name = "Анна", "Петрова"
    actors["school"].save()
    _walk(route, actors, ("compose", "cnppm"), ("agree_school", "school"))
    client.force_login(actors["cnppm"])
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    history = page[page.index('id="history"') :]
    assert "Анна Петрова" in history and actors["school"].username not in history


# -- overdue marked wherever the item appears ------------------------------------------------
@pytest.fixture
def overdue(route, actors):
    _walk(
        route, actors, ("compose", "cnppm"), ("agree_school", "school"),
        ("agree_methodist", "methodist"), ("start", "methodist"),
    )  # fmt: skip
    late = services.item_add(
        actors["methodist"],
        route,
        item_data(title="Просроченный вебинар", starts_on=TODAY - timedelta(days=9),
                  due_on=TODAY - timedelta(days=1)),
        None,
    )  # fmt: skip
    route.refresh_from_db()
    return late


def test_overdue_is_marked_on_the_route_item_pages_and_the_teachers_list(
    client, actors, route, overdue
):
    on_time = route.items.exclude(pk=overdue.pk).get()
    client.force_login(actors["teacher"])
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert 'id="route-overdue"' in page and "просрочено: 1\xa0пункт" in page
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page[page.index('id="development-map"') :], re.S)
    late_row = next(r for r in rows if "Просроченный вебинар" in r)
    assert 'class="overdue"' in late_row and "просрочен" in late_row
    other_row = next(r for r in rows if on_time.title in r)
    assert "просрочен" not in other_row

    page = client.get(reverse("route-item", args=[route.pk, overdue.pk])).content.decode()
    assert 'id="item-overdue"' in page
    page = client.get(reverse("route-item", args=[route.pk, on_time.pk])).content.decode()
    assert 'id="item-overdue"' not in page

    own = selectors.own_routes(actors["teacher"]).get()
    assert {i.title: i.is_overdue for i in own.open_items} == {
        "Просроченный вебинар": True,
        on_time.title: False,
    }


def test_overdue_in_the_word_document_and_the_api(actors, route, overdue):
    from nms.routes.exports import route_docx

    document = Document(BytesIO(route_docx(route)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "запланировано, просрочен" in cells
    response = client_for(actors["teacher"]).get(f"{API}/{route.pk}/")
    marks = {i["title"]: i["is_overdue"] for i in response.json()["items"]}
    assert marks["Просроченный вебинар"] is True and list(marks.values()).count(True) == 1


def test_one_definition_only_routes_under_way_and_items_not_done(actors, route, overdue):
    assert selectors.is_item_overdue(overdue)
    assert list(RouteItem.objects.filter(selectors.overdue_items_q())) == [overdue]
    RouteItem.objects.filter(pk=overdue.pk).update(status="done")
    assert not RouteItem.objects.filter(selectors.overdue_items_q()).exists()
    RouteItem.objects.filter(pk=overdue.pk).update(status="planned")
    services.transition(actors["methodist"], route, "close", "переезд", None)
    overdue.refresh_from_db()
    assert not selectors.is_item_overdue(overdue)
    assert not RouteItem.objects.filter(selectors.overdue_items_q()).exists()


# -- a newer result reaching the route -------------------------------------------------------
def test_route_page_offers_the_methodist_to_renew_section_2(client, actors, route, new_result):
    result = new_result()
    client.force_login(actors["teacher"])
    assert (
        'id="new-result"'
        not in client.get(reverse("route-detail", args=[route.pk])).content.decode()
    )
    client.force_login(actors["methodist"])
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    notice = re.search(r'<div class="card notice" id="new-result">.*?</div>\s*</form>', page, re.S)[
        0
    ]
    assert (
        f"Появился новый результат диагностики от {result.taken_on:%d.%m.%Y}: 2\xa0дефицита"
        in notice
    )
    assert "обновить раздел 2" in notice

    url = reverse("route-update-deficits", args=[route.pk])
    response = client.post(url, {"result": result.pk, "version": route.version}, follow=True)
    assert "Раздел 2 обновлён" in _messages(response)
    route.refresh_from_db()
    assert route.entry_result == result
    assert sorted(d["area"] for d in route.deficits if d["is_deficit"]) == ["ИКТ", "методическая"]
    assert 'id="new-result"' not in response.content.decode()


def test_page_update_refused_to_the_teacher_and_for_another_persons_result(
    client,
    actors,
    route,
    new_result,
    two_municipalities,
):
    result = new_result()
    url = reverse("route-update-deficits", args=[route.pk])
    client.force_login(actors["teacher"])
    response = client.post(url, {"result": result.pk, "version": route.version}, follow=True)
    assert "обновляет региональный методист" in _messages(response)
    route.refresh_from_db()
    assert route.entry_result != result
    client.force_login(actors["methodist"])
    assert client.post(url, {"result": 10**9, "version": route.version}).status_code == 404


def test_api_offers_and_updates_section_2(actors, route, new_result):
    result = new_result()
    teacher, methodist = client_for(actors["teacher"]), client_for(actors["methodist"])
    assert teacher.get(f"{API}/{route.pk}/").json()["new_result"] is None
    body = methodist.get(f"{API}/{route.pk}/").json()
    assert body["new_result"]["id"] == result.pk
    assert sorted(body["new_result"]["deficits"]) == ["ИКТ", "методическая"]
    steps = {s["name"]: s["needs_comment"] for s in body["available_transitions"]}
    assert steps == {"close": True}

    url = f"{API}/{route.pk}/update-deficits/"
    assert (
        teacher.post(
            url, {"result": result.pk, "version": route.version}, format="json"
        ).status_code
        == 403
    )
    stale = methodist.post(url, {"result": result.pk, "version": route.version - 1}, format="json")
    assert stale.status_code == 409
    response = methodist.post(url, {"result": result.pk, "version": route.version}, format="json")
    assert response.status_code == 200
    assert response.json()["entry_result"] == result.pk and response.json()["new_result"] is None
    assert response.json()["version"] == route.version + 1


def test_result_page_links_to_the_route_instead_of_promising_one(
    client,
    actors,
    route,
    new_result,
    entry_result,
):
    result = new_result()
    client.force_login(actors["methodist"])
    page = client.get(reverse("result-detail", args=[result.pk])).content.decode()
    assert "станут основой" not in page
    assert reverse("route-detail", args=[route.pk]) in page
    assert "может обновить раздел 2" in page
    page = client.get(reverse("result-detail", args=[entry_result.pk])).content.decode()
    assert "построен на этом результате" in page
    route.status = Status.CLOSED
    route.save()
    page = client.get(reverse("result-detail", args=[result.pk])).content.decode()
    assert "станут основой" in page and 'id="follow-ups"' not in page
