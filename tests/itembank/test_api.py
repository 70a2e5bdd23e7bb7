"""The item bank API: items with their keys for the bank's authors and experts only, writes
through the bank's services, the competency areas for everyone."""

import pytest
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.models import Job, JobStatus
from nms.itembank.models import Item, ItemKind, ReviewStatus
from tests.api_helpers import client_for
from tests.itembank.conftest import make_item
from tests.itembank.test_views import GOOD, bank_file

API = "/api/v1/diagnostics"


@pytest.fixture
def items(areas):
    """Two ИКТ and two методическая items, all basic level; their keys are in make_item."""
    return {
        "ict_single": make_item(areas["ict"], "i1", 1, kind=ItemKind.SINGLE),  # key 1
        "ict_multi": make_item(areas["ict"], "i2", 1, kind=ItemKind.MULTIPLE),  # key [0, 2]
        "met_short": make_item(areas["methodical"], "m1", 1, kind=ItemKind.SHORT),  # ["ФГОС"]
        "met_match": make_item(areas["methodical"], "m2", 1, kind=ItemKind.MATCHING),  # [2, 0, 1]
    }


def test_item_bank_is_for_its_authors(users, areas, items):
    make_item(areas["ict"], "draft-1", 2, status=ReviewStatus.DRAFT)
    item = items["ict_multi"]
    for role in ("cnppm", "expert"):
        client = client_for(users[role])
        assert client.get(f"{API}/items/").json()["count"] == 5
        row = client.get(f"{API}/items/{item.pk}/").json()
        assert row["key"] == [0, 2]
        assert row["options"] == ["А", "Б", "В", "Г"]
    cnppm = client_for(users["cnppm"])
    codes = {
        "area": ({"area": areas["methodical"].pk}, {"m1", "m2"}),
        "kind": ({"kind": "short"}, {"m1"}),
        "difficulty": ({"difficulty": 2}, {"draft-1"}),
        "status": ({"status": "draft"}, {"draft-1"}),
        "q": ({"q": "задание I2"}, {"i2"}),
    }
    for name, (params, expected) in codes.items():
        response = cnppm.get(f"{API}/items/", params)
        assert {row["code"] for row in response.json()["results"]} == expected, name
    for role in ("teacher", "school", "municipal"):
        client = client_for(users[role])
        assert client.get(f"{API}/items/").json()["count"] == 0, role
        assert client.get(f"{API}/items/{item.pk}/").status_code == 404, role


def item_payload(areas, **overrides) -> dict:
    data = {
        "code": "ict-new",
        "area": areas["ict"].pk,
        "kind": "multiple",
        "difficulty": 2,
        "text": "Какие ресурсы входят в ФГИС «Моя школа»?",
        "options": "Библиотека ЦОК\nЭлектронный журнал\nСоциальная сеть",
        "key": "1; 2",
    }
    return {**data, **overrides}


def test_bank_writes_go_through_the_bank_services(users, areas, items):
    cnppm = client_for(users["cnppm"])
    response = cnppm.post(f"{API}/items/", item_payload(areas), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft"
    assert created["key"] == [0, 1]
    assert created["options"] == ["Библиотека ЦОК", "Электронный журнал", "Социальная сеть"]
    assert created["points"] == 1

    response = cnppm.post(f"{API}/items/", item_payload(areas, key="1; 5"), format="json")
    assert response.status_code == 400
    assert response.json()["key"] == ["Нет варианта с номером 5: их всего 3."]
    response = cnppm.post(f"{API}/items/", item_payload(areas), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == ["Задание с таким шифром уже есть в банке."]

    item = f"{API}/items/{created['id']}"
    for status in ("review", "approved"):
        response = client_for(users["expert"]).post(f"{item}/status/", {"status": status})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    response = cnppm.post(f"{item}/status/", {"status": "rejected"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Задание в статусе «утверждено» нельзя перевести в «отклонено»."
    ]
    # A partial change keeps the rest; a new wording sends an approved item back to review.
    response = cnppm.patch(f"{item}/", {"text": "Что входит в ФГИС «Моя школа»?"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "review"
    assert response.json()["key"] == [0, 1]
    response = cnppm.put(f"{item}/", item_payload(areas, kind="single", key="3"), format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["kind"], response.json()["key"]) == ("single", 2)


def test_bank_writes_are_refused_outside_the_rights(users, areas, items):
    expert = client_for(users["expert"])
    item = items["ict_single"]
    response = expert.post(f"{API}/items/", item_payload(areas), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "У вас нет прав на изменение банка заданий."
    assert expert.patch(f"{API}/items/{item.pk}/", {"points": 2}).status_code == 403
    teacher = client_for(users["teacher"])
    assert teacher.post(f"{API}/items/", item_payload(areas), format="json").status_code == 403
    assert teacher.post(f"{API}/items/{item.pk}/status/", {"status": "draft"}).status_code == 404
    item.refresh_from_db()
    assert (item.status, item.points) == ("approved", 1)


def test_areas_with_subcompetencies(users):
    response = client_for(users["teacher"]).get(f"{API}/areas/")
    assert response.status_code == 200
    areas = {row["code"]: row for row in response.json()["results"]}
    assert len(areas) == 7
    assert areas["management"]["for_managers"] is True
    assert "информационная безопасность" in {s["name"] for s in areas["ict"]["subcompetencies"]}
    assert APIClient().get(f"{API}/areas/").status_code == 401


# -- the import -----------------------------------------------------------------------------------
IMPORT_URL = "/api/v1/diagnostics/items/import/"


def test_api_import_small_in_the_request_big_as_a_job(make_user, areas, settings):
    api = APIClient()
    api.force_authenticate(make_user(Role.CNPPM))
    response = api.post(IMPORT_URL, {"file": bank_file([GOOD])}, format="multipart")
    assert response.status_code == 200 and response.json()["created"] == 1
    bad = api.post(IMPORT_URL, {"file": bank_file([{**GOOD, "Баллы": "0"}])}, format="multipart")
    assert bad.status_code == 400 and bad.json()["errors"][0]["row"] == 2

    settings.NMS_EXPORT_SYNC_LIMIT = 1
    rows = [{**GOOD, "Шифр": f"ИКТ-{n}"} for n in range(3)]
    response = api.post(IMPORT_URL, {"file": bank_file(rows)}, format="multipart")
    assert response.status_code == 202
    job = Job.objects.get()
    assert response.json()["id"] == job.pk and job.status == JobStatus.DONE
    assert job.report["created"] == 3 and Item.objects.count() == 4

    expert = APIClient()
    expert.force_authenticate(make_user(Role.EXPERT))
    response = expert.post(IMPORT_URL, {"file": bank_file(rows)}, format="multipart")
    assert response.status_code == 403 and Job.objects.count() == 1
