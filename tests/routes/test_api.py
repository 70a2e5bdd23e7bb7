"""The ИОМ API: the whole workflow by role (a wrong role 403, outside the scope 404, the state
unchanged), stale saves as 409 with nothing changed, the map, texts, reports, versions, templates,
exports, register filters and a fixed number of queries."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nms.routes import services
from nms.routes.models import ItemReport, ItemStatus, Route, RouteItem, Status
from nms.routes.workflow import TRANSITIONS
from tests.api_helpers import client_for
from tests.factories import EmploymentFactory
from tests.routes import conftest as routes_fixtures
from tests.routes.conftest import TODAY, item_data

# The fixtures of the routes' service tests, shared here.
actors = routes_fixtures.actors
entry_result = routes_fixtures.entry_result
exit_result_factory = routes_fixtures.exit_result_factory

API = "/api/v1/routes"
# The route's walk through every state: (transition, actor).
WALK = [
    ("compose", "cnppm"),
    ("agree_school", "school"),
    ("agree_methodist", "methodist"),
    ("start", "methodist"),
    ("audit", "cnppm"),
    ("complete", "cnppm"),
]
IN_SCOPE = ["teacher", "cnppm", "school", "methodist", "municipal", "ministry"]
OUTSIDE = ["other_teacher", "other_school"]


@pytest.fixture
def clients(actors):
    return {name: client_for(user) for name, user in actors.items()}


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["teacher"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=180)
    )


def item_payload(version: int, **overrides) -> dict:
    """An item as a client sends it: the area's id, dates as ДД.ММ.ГГГГ."""
    data = item_data(**overrides)
    return {
        **data,
        "area": data["area"].pk,
        "starts_on": f"{data['starts_on']:%d.%m.%Y}",
        "due_on": f"{data['due_on']:%d.%m.%Y}",
        "version": version,
    }


def step(client, route_pk, name, version, comment="ок"):
    payload = {"name": name, "comment": comment, "version": version}
    return client.post(f"{API}/{route_pk}/transition/", payload, format="json")


def walk(clients, route, until: str) -> int:
    """Add an item and move the route through WALK up to (without) `until`; the new version."""
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/items/", item_payload(route.version), format="json"
    )
    version = response.json()["version"]
    for name, actor in WALK[: [n for n, _ in WALK].index(until)]:
        version = step(clients[actor], route.pk, name, version).json()["version"]
    return version


# -- creation ------------------------------------------------------------------------------------
def test_teacher_creates_own_route_with_sections_1_and_2(clients, two_municipalities, entry_result):
    teacher = two_municipalities["a"]["teacher"]
    payload = {
        "person": teacher.pk,
        "starts_on": f"{TODAY:%d.%m.%Y}",
        "ends_on": f"{TODAY + timedelta(days=180):%d.%m.%Y}",
    }
    response = clients["teacher"].post(f"{API}/", payload)
    assert response.status_code == 201, response.content
    route = response.json()
    assert route["status"] == "draft" and route["version"] == 1
    assert route["route_type"] == "deficits"
    assert route["general_info"]["full_name"] == teacher.full_name
    deficits = {d["area"]: d for d in route["deficits"]}
    assert deficits["методическая"]["is_deficit"] and not deficits["ИКТ"]["is_deficit"]
    assert route["items"] == [] and route["outcome"] == []
    assert [e["to_status"] for e in route["events"]] == ["draft"]
    assert route["available_transitions"] == [] and route["can_edit_map"] is True

    again = clients["teacher"].post(f"{API}/", payload)
    assert again.status_code == 400
    assert again.json()["non_field_errors"] == ["У работника уже есть действующий маршрут."]
    assert clients["school"].post(f"{API}/", payload).status_code == 403
    late = {**payload, "ends_on": payload["starts_on"]}
    director = two_municipalities["a"]["director"]
    response = clients["cnppm"].post(f"{API}/", {**late, "person": director.pk})
    assert response.status_code == 400
    assert response.json()["ends_on"] == ["Окончание должно быть позже начала."]
    # Someone the teacher cannot see reads as an unknown id.
    response = clients["teacher"].post(f"{API}/", {**payload, "person": director.pk})
    assert response.status_code == 400 and "person" in response.json()
    assert Route.objects.count() == 1


# -- the workflow ----------------------------------------------------------------------------------
def test_walk_through_every_state_with_the_right_role(route, clients, actors, exit_result_factory):
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/items/", item_payload(route.version), format="json"
    )
    assert response.status_code == 201, response.content
    version = response.json()["version"]
    for name, actor in WALK:
        if name == "complete":
            exit_result_factory(methodical_share=70)
            for who, field in (("cnppm", "evaluation"), ("teacher", "self_evaluation")):
                payload = {field: "Цели достигнуты", "version": version}
                response = clients[who].post(f"{API}/{route.pk}/texts/", payload, format="json")
                assert response.status_code == 200, response.content
                version = response.json()["version"]
        source = TRANSITIONS[name].sources[0]
        for wrong in IN_SCOPE + OUTSIDE:
            if wrong == actor:
                continue
            response = step(clients[wrong], route.pk, name, version, comment="попытка")
            assert response.status_code == (404 if wrong in OUTSIDE else 403), (name, wrong)
            route.refresh_from_db()
            assert (route.status, route.version) == (source, version)
        options = clients[actor].get(f"{API}/{route.pk}/").json()["available_transitions"]
        assert name in {option["name"] for option in options}
        response = step(clients[actor], route.pk, name, version, comment=f"шаг {name}")
        assert response.status_code == 200, (name, response.content)
        body = response.json()
        assert body["status"] == TRANSITIONS[name].target and body["version"] == version + 1
        version = body["version"]

    route = clients["teacher"].get(f"{API}/{route.pk}/").json()
    assert route["status"] == "completed" and route["available_transitions"] == []
    assert [e["to_status"] for e in route["events"]] == [
        "draft", "composed", "agreed_school", "agreed_methodist", "in_progress", "audit",
        "completed",
    ]  # fmt: skip
    assert route["events"][1]["actor"] == actors["cnppm"].pk
    [methodical] = [row for row in route["outcome"] if row["area"] == "методическая"]
    assert methodical["entry"] == "40.00" and methodical["exit"] == "70.00"
    assert methodical["was_deficit"] and methodical["closed"]
    assert route["tutor"] == actors["cnppm"].pk and route["methodist"] == actors["methodist"].pk
    versions = clients["teacher"].get(f"{API}/{route['id']}/versions/").json()
    assert versions["count"] == route["version"]
    outcomes = clients["cnppm"].get(f"{API}/outcomes/").json()
    assert outcomes == {"completed": 1, "with_deficits": 1, "closed": 1, "share": 100.0}


def test_step_errors_are_400_in_russian(route, clients):
    response = step(clients["cnppm"], route.pk, "compose", route.version)
    assert response.status_code == 400
    assert "Карта развития пуста" in response.json()["non_field_errors"][0]
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/items/", item_payload(route.version), format="json"
    )
    version = response.json()["version"]
    response = step(clients["cnppm"], route.pk, "close", version, comment="  ")
    assert response.status_code == 400
    assert response.json() == {
        "comment": ["Шаг «Закрыть досрочно» требует комментария: укажите причину."]
    }
    response = step(clients["cnppm"], route.pk, "agree_school", version)
    assert response.json() == {
        "non_field_errors": ["Этот шаг невозможен в текущем состоянии маршрута."]
    }
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/transition/", {"name": "compose", "comment": "ок"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()
    assert step(clients["cnppm"], route.pk, "publish", version).status_code == 400
    route.refresh_from_db()
    assert (route.status, route.version) == (Status.DRAFT, version)


def test_close_early_keeps_the_reason(route, clients):
    response = step(clients["methodist"], route.pk, "close", route.version, "увольнение")
    assert response.status_code == 200
    assert response.json()["closed_reason"] == "увольнение"
    assert response.json()["available_transitions"] == []
    later = step(clients["cnppm"], route.pk, "compose", response.json()["version"])
    assert later.status_code == 400


# -- stale copies ----------------------------------------------------------------------------------
def test_stale_version_is_409_and_nothing_changes(route, clients):
    opened = route.version
    first = clients["cnppm"].post(
        f"{API}/{route.pk}/items/", item_payload(opened, title="Первый"), format="json"
    )
    assert first.status_code == 201
    current = first.json()["version"]
    item_id = first.json()["item"]["id"]

    def refused(response, version):
        assert response.status_code == 409, response.content
        assert "уже изменён другим пользователем" in response.json()["detail"]
        assert response.json()["version"] == version

    url = f"{API}/{route.pk}"
    teacher, cnppm = clients["teacher"], clients["cnppm"]
    response = teacher.post(f"{url}/items/", item_payload(opened, title="Второй"), format="json")
    refused(response, current)
    response = teacher.patch(
        f"{url}/items/{item_id}/", {"title": "Х", "version": opened}, format="json"
    )
    refused(response, current)
    refused(teacher.delete(f"{url}/items/{item_id}/?version={opened}"), current)
    refused(step(cnppm, route.pk, "compose", opened), current)

    route.refresh_from_db()
    assert route.version == current and route.status == Status.DRAFT
    assert [i.title for i in route.items.all()] == ["Первый"]
    assert route.versions.count() == current

    # The current version goes through; the copy it replaced is stale in its turn.
    assert step(cnppm, route.pk, "compose", current).status_code == 200
    payload = {"school_proposals": "ШМО", "version": current}
    refused(clients["school"].post(f"{url}/texts/", payload, format="json"), current + 1)
    route.refresh_from_db()
    assert route.school_proposals == "" and route.version == current + 1


# -- the map and the texts -------------------------------------------------------------------------
def test_map_items_change_and_go_by_state(route, clients, actors, two_municipalities):
    url = f"{API}/{route.pk}"
    response = clients["teacher"].post(f"{url}/items/", item_payload(route.version), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    item_id, version = body["item"]["id"], body["version"]
    assert body["item"]["area_name"] == "методическая" and body["item"]["status"] == "planned"

    response = clients["teacher"].patch(
        f"{url}/items/{item_id}/", {"title": "Другое", "version": version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["item"]["title"] == "Другое"
    version = response.json()["version"]
    late = f"{route.ends_on + timedelta(days=1):%d.%m.%Y}"
    response = clients["teacher"].patch(
        f"{url}/items/{item_id}/", {"due_on": late, "version": version}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["due_on"][0].startswith("Срок выходит за окончание маршрута")
    response = clients["teacher"].patch(f"{url}/items/{item_id}/", {"title": "Б"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    response = clients["teacher"].patch(
        f"{url}/items/{item_id}/", {"area": None, "version": version}, format="json"
    )
    assert response.status_code == 400 and "area" in response.json()

    # Another route's item is not found through this route.
    other = services.route_create(
        actors["cnppm"], two_municipalities["a"]["director"], TODAY, TODAY + timedelta(days=90)
    )
    response = clients["cnppm"].delete(f"{API}/{other.pk}/items/{item_id}/?version=1")
    assert response.status_code == 404

    response = clients["cnppm"].post(
        f"{url}/items/", item_payload(version, title="Второй"), format="json"
    )
    version = response.json()["version"]
    response = clients["teacher"].delete(f"{url}/items/{item_id}/?version={version}")
    assert response.status_code == 200 and response.json() == {"version": version + 1}
    version += 1
    assert not RouteItem.objects.filter(pk=item_id).exists()

    assert step(clients["cnppm"], route.pk, "compose", version).status_code == 200
    version += 1
    response = clients["teacher"].post(f"{url}/items/", item_payload(version), format="json")
    assert response.status_code == 403
    assert "не можете менять карту развития" in response.json()["detail"]
    detail = clients["teacher"].get(f"{url}/").json()
    assert detail["can_edit_map"] is False and len(detail["items"]) == 1


def test_texts_by_owner_and_state(route, clients):
    url = f"{API}/{route.pk}/texts/"
    version = walk(clients, route, "agree_school")
    response = clients["school"].post(url, {"version": version}, format="json")
    assert response.json() == {"non_field_errors": ["Укажите хотя бы один текст."]}
    response = clients["teacher"].post(
        url, {"self_evaluation": "рано", "version": version}, format="json"
    )
    assert response.status_code == 403
    response = clients["school"].post(
        url, {"school_proposals": " Участие в ШМО ", "version": version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["school_proposals"] == "Участие в ШМО"


def test_section_1_by_the_teacher_while_draft(route, clients):
    url = f"{API}/{route.pk}/general-info/"
    response = clients["teacher"].post(
        url,
        {"version": route.version, "attestation_date": "15.03.2024", "experience_years": "4.5"},
        format="json",
    )
    assert response.status_code == 200
    info = response.json()["general_info"]
    assert info["attestation_date"] == "15.03.2024" and info["experience_years"] == "4.5"
    response = clients["school"].post(url, {"version": route.version + 1}, format="json")
    assert response.status_code == 403


# -- reports ---------------------------------------------------------------------------------------
def test_reports_submitted_and_decided(route, clients, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    walk(clients, route, "audit")
    item = route.items.get()
    url = f"{API}/items/{item.pk}/reports/"
    scan = SimpleUploadedFile("удостоверение.pdf", b"%PDF-1.4 synthetic", "application/pdf")
    response = clients["teacher"].post(url, {"text": "Прошла курс", "file": scan})
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["decision"] == "pending" and report["file"].endswith(".pdf")
    assert clients["other_teacher"].post(url, {"text": "чужой"}).status_code == 404
    assert clients["cnppm"].post(url, {"text": "за педагога"}).status_code == 403
    assert clients["teacher"].post(url, {"text": " "}).status_code == 400

    decide = f"{API}/reports/{report['id']}/decision/"
    response = clients["methodist"].post(decide, {"accept": False}, format="json")
    assert response.status_code == 400
    assert response.json() == {"comment": ["Укажите, что нужно доработать."]}
    assert clients["other_school"].post(decide, {"accept": True}).status_code == 404
    response = clients["methodist"].post(
        decide, {"accept": False, "comment": "Приложите скан"}, format="json"
    )
    assert response.status_code == 200 and response.json()["decision"] == "returned"
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED

    response = clients["teacher"].post(url, {"link": "https://example.ru/cert.pdf"})
    assert response.status_code == 201
    again = f"{API}/reports/{response.json()['id']}/decision/"
    assert clients["cnppm"].post(again, {"accept": True}, format="json").status_code == 403
    response = clients["methodist"].post(again, {"accept": True}, format="json")
    assert response.status_code == 200 and response.json()["decision"] == "accepted"
    detail = clients["teacher"].get(f"{API}/{route.pk}/").json()
    [row] = detail["items"]
    assert row["status"] == "done" and row["evidence_link"] == "https://example.ru/cert.pdf"
    assert [r["decision"] for r in row["reports"]] == ["accepted", "returned"]
    assert ItemReport.objects.count() == 2


# -- reads: scope, versions, suggestions, dashboard ------------------------------------------------
def test_route_of_another_school_is_404_everywhere(route, clients, actors):
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    route.refresh_from_db()
    other = clients["other_teacher"]
    for path in ("", "versions/", "versions/1/", "suggestions/", "docx/"):
        assert other.get(f"{API}/{route.pk}/{path}").status_code == 404, path
    assert other.post(f"{API}/{route.pk}/texts/", {"version": 1}).status_code == 404
    response = other.patch(
        f"{API}/{route.pk}/items/{item.pk}/", {"title": "Х", "version": route.version}
    )
    assert response.status_code == 404
    assert other.get(f"{API}/").json()["count"] == 0
    assert other.get(f"{API}/dashboard/").json() == {"overdue_items": [], "audits_due": []}
    item.refresh_from_db()
    assert item.title != "Х"


def test_versions_and_their_snapshots(route, clients):
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/items/", item_payload(route.version, title="Курс"), format="json"
    )
    item_id, version = response.json()["item"]["id"], response.json()["version"]
    clients["cnppm"].patch(
        f"{API}/{route.pk}/items/{item_id}/", {"title": "Курс 2", "version": version}, format="json"
    )
    versions = clients["teacher"].get(f"{API}/{route.pk}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [1, 2, 3]
    assert versions["results"][1]["reason"] == "добавлен пункт «Курс»"
    second = clients["teacher"].get(f"{API}/{route.pk}/versions/2/").json()
    assert [i["title"] for i in second["snapshot"]["items"]] == ["Курс"]
    assert clients["teacher"].get(f"{API}/{route.pk}/versions/9/").status_code == 404


def test_suggestions_per_deficit(route, clients):
    response = clients["cnppm"].get(f"{API}/{route.pk}/suggestions/")
    assert response.status_code == 200
    [area] = response.json()
    assert area["area"] == "методическая"
    assert any("ФГОС" in s["title"] for s in area["suggestions"])


def test_dashboard_lists_overdue_items(route, clients):
    response = clients["cnppm"].post(
        f"{API}/{route.pk}/items/",
        item_payload(
            route.version,
            starts_on=TODAY - timedelta(days=5),
            due_on=TODAY - timedelta(days=1),
        ),
        format="json",
    )
    version = response.json()["version"]
    for name, actor in WALK[:4]:
        version = step(clients[actor], route.pk, name, version).json()["version"]
    due = clients["teacher"].get(f"{API}/dashboard/").json()
    [item] = due["overdue_items"]
    assert item["route"] == route.pk and item["person_name"] == route.person.full_name
    assert due["audits_due"] == []


# -- the register --------------------------------------------------------------------------------
def test_register_filters_and_search(route, clients, actors, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    b["teacher"].last_name = "Алёшина"
    b["teacher"].save()
    services.route_create(actors["cnppm"], b["teacher"], TODAY, TODAY + timedelta(days=90))
    services.item_add(
        actors["cnppm"],
        route,
        item_data(starts_on=TODAY - timedelta(days=5), due_on=TODAY - timedelta(days=1)),
        None,
    )
    for name, actor in WALK[:4]:
        route.refresh_from_db()
        services.transition(actors[actor], route, name, "ок", None)

    def found(client, **params):
        response = client.get(f"{API}/", params)
        assert response.status_code == 200, response.content
        return {row["person_name"] for row in response.json()["results"]}

    cnppm = clients["cnppm"]
    everyone = {a["teacher"].full_name, b["teacher"].full_name}
    assert found(cnppm) == everyone
    assert found(cnppm, municipality=a["municipality"].pk) == {a["teacher"].full_name}
    assert found(cnppm, organization=b["school"].pk) == {b["teacher"].full_name}
    assert found(cnppm, status="in_progress") == {a["teacher"].full_name}
    assert found(cnppm, route_type="development") == {b["teacher"].full_name}
    assert found(cnppm, overdue="true") == {a["teacher"].full_name}
    assert found(cnppm, overdue="false") == {b["teacher"].full_name}
    assert found(cnppm, methodist=actors["methodist"].pk) == {a["teacher"].full_name}
    assert found(cnppm, q="алешина") == {b["teacher"].full_name}
    row = cnppm.get(f"{API}/", {"status": "in_progress"}).json()["results"][0]
    assert (row["items_total"], row["items_done"], row["is_overdue"]) == (1, 0, True)
    assert row["organization"] == a["school"].short_name

    municipal = clients["municipal"]
    assert found(municipal) == {a["teacher"].full_name}
    response = municipal.get(f"{API}/", {"municipality": b["municipality"].pk})
    assert response.status_code == 400


REGISTER_QUERIES = 2  # count, the page with person, methodist, tutor and the item counts


def _routes_for(actors, two_municipalities, count: int) -> None:
    school = two_municipalities["a"]["school"]
    template = services.template_create(
        actors["cnppm"],
        "Методический дефицит",
        [{"level": "regional", "activity_kind": "program", "title": "ДПП", "result_form": "уд."}],
    )
    people = [EmploymentFactory(organization=school).person for _ in range(count)]
    services.routes_from_template(
        actors["cnppm"], template, people, TODAY, TODAY + timedelta(days=90),
        methodist=actors["methodist"],
    )  # fmt: skip


def test_register_runs_a_fixed_number_of_queries(
    clients, actors, two_municipalities, count_queries
):
    def queries() -> tuple[int, int]:
        count, response = count_queries(clients["cnppm"].get, f"{API}/")
        assert response.status_code == 200
        return count, response.json()["count"]

    _routes_for(actors, two_municipalities, 3)
    assert queries() == (REGISTER_QUERIES, 3)
    _routes_for(actors, two_municipalities, 27)
    assert queries() == (REGISTER_QUERIES, 30)


# -- templates -----------------------------------------------------------------------------------
TEMPLATE = {
    "name": "Методический дефицит",
    "description": "Для педагогов с дефицитом методической компетенции",
    "items": [
        {
            "level": "regional", "activity_kind": "program", "title": "ДПП ПК",
            "result_form": "удостоверение", "start_offset_days": 0, "duration_days": 30,
        },
        {
            "level": "personal", "activity_kind": "self_study", "title": "Чтение",
            "result_form": "конспект", "start_offset_days": 10, "duration_days": 400,
        },
    ],
}  # fmt: skip


def test_template_for_ten_people_makes_ten_routes(clients, actors, two_municipalities):
    assert clients["school"].post(f"{API}/templates/", TEMPLATE, format="json").status_code == 403
    empty = {**TEMPLATE, "items": []}
    response = clients["cnppm"].post(f"{API}/templates/", empty, format="json")
    assert response.json() == {"non_field_errors": ["Добавьте в шаблон хотя бы один пункт."]}
    response = clients["cnppm"].post(f"{API}/templates/", TEMPLATE, format="json")
    assert response.status_code == 201, response.content
    template = response.json()
    assert [i["position"] for i in template["items"]] == [1, 2]
    assert clients["teacher"].get(f"{API}/templates/").json()["count"] == 1

    school = two_municipalities["a"]["school"]
    people = [EmploymentFactory(organization=school).person.pk for _ in range(10)]
    payload = {
        "people": people,
        "starts_on": f"{TODAY:%d.%m.%Y}",
        "ends_on": f"{TODAY + timedelta(days=120):%d.%m.%Y}",
        "methodist": actors["methodist"].pk,
    }
    url = f"{API}/templates/{template['id']}/apply/"
    assert clients["school"].post(url, payload, format="json").status_code == 403
    response = clients["cnppm"].post(url, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["count"] == 10
    routes = Route.objects.filter(template_id=template["id"])
    assert set(response.json()["ids"]) == set(routes.values_list("pk", flat=True))
    assert {r.person_id for r in routes} == set(people)
    assert RouteItem.objects.filter(route__in=routes).count() == 20
    assert {r.methodist_id for r in routes} == {actors["methodist"].pk}

    again = clients["cnppm"].post(url, payload, format="json")
    assert again.json() == {
        "non_field_errors": ["Ни для кого из выбранных нельзя создать маршрут."]
    }
    assert routes.count() == 10


# -- exports and the schema ------------------------------------------------------------------------
def test_word_form_and_register_export(route, clients):
    response = clients["teacher"].get(f"{API}/{route.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content.startswith(b"PK")

    response = clients["cnppm"].get(f"{API}/export/", {"status": "draft"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == route.person.full_name
    response = clients["cnppm"].get(f"{API}/export/", {"status": "completed"})
    assert len(list(load_workbook(BytesIO(response.content)).active.iter_rows())) == 1
    response = clients["other_teacher"].get(f"{API}/export/")
    assert len(list(load_workbook(BytesIO(response.content)).active.iter_rows())) == 1


def test_schema_lists_the_routes_api(db):
    paths = APIClient().get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert {
        f"{API}/",
        f"{API}/{{id}}/",
        f"{API}/{{id}}/transition/",
        f"{API}/{{id}}/items/{{item_id}}/",
        f"{API}/{{id}}/versions/{{number}}/",
        f"{API}/items/{{id}}/reports/",
        f"{API}/reports/{{id}}/decision/",
        f"{API}/templates/{{id}}/apply/",
        f"{API}/export/",
    } <= set(paths)


def test_anonymous_gets_nothing(route):
    assert APIClient().get(f"{API}/").status_code == 401
    assert APIClient().get(f"{API}/{route.pk}/").status_code == 401
