"""Pages and API of the outcomes app: the scope of every role, search, export, the card's panel,
the import through the page and the API."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.outcomes.models import StudentResult
from tests.api_helpers import client_for, ids
from tests.outcomes.conftest import HEADERS, result, route, row, workbook

pytestmark = pytest.mark.django_db
API = "/api/v1/outcomes"


@pytest.fixture
def results(world):
    a, b = world["a"], world["b"]
    a["teacher"].last_name = "Семёнова"
    a["teacher"].save()
    return {
        "a_teacher": result(a["teacher"], a["school"], group="7Б", passing=80),
        "a_director": result(a["director"], a["school"], group="11А", kind="ege", average=71),
        "b_teacher": result(b["teacher"], b["school"], group="9В", passing=60),
    }


EXPECTED = {
    "admin": {"a_teacher", "a_director", "b_teacher"},
    "ministry": {"a_teacher", "a_director", "b_teacher"},
    "cnppm": {"a_teacher", "a_director", "b_teacher"},
    "methodist": {"a_teacher"},
    "municipal": {"a_teacher", "a_director"},
    "school": {"a_teacher", "a_director"},
    "teacher": {"a_teacher"},
    "colleague": {"a_director"},
    "expert": {"b_teacher"},
    "other_school": {"b_teacher"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_role_sees_its_scope(client, world, results, role):
    user = world["users"][role]
    expected = {results[key].pk for key in EXPECTED[role]}
    assert ids(client_for(user).get(f"{API}/results/")) == expected
    client.force_login(user)
    page = client.get(reverse("outcomes-result-list")).content.decode()
    for key, made in results.items():
        assert (reverse("outcomes-result-detail", args=[made.pk]) in page) is (
            key in EXPECTED[role]
        )
    for key, made in results.items():
        status = 200 if key in EXPECTED[role] else 404
        assert client.get(reverse("outcomes-result-detail", args=[made.pk])).status_code == status
        assert client_for(user).get(f"{API}/results/{made.pk}/").status_code == status


def test_search_filters_and_export(client, world, results):
    client.force_login(world["users"]["cnppm"])
    url = reverse("outcomes-result-list")
    page = client.get(url, {"q": "семенова"}).content.decode()
    assert "7Б" in page and "9В" not in page
    page = client.get(url, {"kind": "ege"}).content.decode()
    assert "11А" in page and "7Б" not in page
    page = client.get(url, {"municipality": world["b"]["municipality"].pk}).content.decode()
    assert "9В" in page and "7Б" not in page
    response = client.get(url, {"format": "xlsx", "organization": world["a"]["school"].pk})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    labels = sorted(r[3] for r in sheet.iter_rows(min_row=2, values_only=True))
    assert labels == ["11А", "7Б"]
    assert ids(client_for(world["users"]["cnppm"]).get(f"{API}/results/", {"kind": "oge"})) == {
        results["a_teacher"].pk,
        results["b_teacher"].pk,
    }


def test_list_queries_do_not_grow_with_rows(client, world, results):
    client.force_login(world["users"]["cnppm"])
    url = reverse("outcomes-result-list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        result(world["a"]["teacher"], world["a"]["school"], group=f"5{n}", passing=50)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_person_card_shows_the_results_and_dynamics(client, world, results):
    a = world["a"]
    result(a["teacher"], a["school"], year=2023, group="6Б", passing=70)
    route(a["teacher"])
    client.force_login(world["users"]["school"])
    page = client.get(reverse("person-detail", args=[a["teacher"].pk])).content.decode()
    assert "Результаты обучающихся" in page and "7Б" in page
    assert "положительная" in page
    client.force_login(world["users"]["other_school"])
    page = client.get(reverse("person-detail", args=[world["b"]["teacher"].pk])).content.decode()
    assert "9В" in page and "7Б" not in page


def test_import_page_and_api(client, world):
    a = world["a"]
    users = world["users"]
    client.force_login(users["teacher"])
    assert client.get(reverse("outcomes-import")).status_code == 404
    client.force_login(users["school"])
    assert client.get(reverse("outcomes-import")).status_code == 200
    template = client.get(reverse("outcomes-import-template"))
    assert template.status_code == 200
    answer = client.post(reverse("outcomes-import"), {"file": workbook([row(a["teacher"])])})
    assert answer.status_code == 302
    assert StudentResult.objects.filter(teacher=a["teacher"]).count() == 1
    api = client_for(users["school"])
    bad = workbook([row(a["teacher"]) + ["12.03.2010"]], headers=[*HEADERS, "Дата рождения"])
    response = api.post(f"{API}/results/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "Дата рождения"
    good = workbook([row(a["teacher"], **{"Класс (группа)": "9Б"})])
    response = api.post(f"{API}/results/import/", {"file": good}, format="multipart")
    assert response.status_code == 200 and response.json()["created"] == 1
    denied = client_for(users["teacher"]).post(
        f"{API}/results/import/", {"file": workbook([row(a["teacher"])])}, format="multipart"
    )
    assert denied.status_code == 403


def test_dynamics_page_and_api(client, world):
    a = world["a"]
    result(a["teacher"], a["school"], year=2023, passing=60)
    result(a["teacher"], a["school"], year=2024, passing=70)
    route(a["teacher"])
    client.force_login(world["users"]["municipal"])
    page = client.get(reverse("outcomes-dynamics"), {"year": 2025}).content.decode()
    assert "положительная" in page and "(100,0 %)" in page
    data = client_for(world["users"]["municipal"]).get(f"{API}/dynamics/", {"year": 2025}).json()
    assert data["summary"] == {"routes": 1, "judged": 1, "positive": 1, "share": 100.0}
    assert data["rows"][0]["comparisons"][0]["after_share_passing"] == "70.00"
    other = client_for(world["users"]["other_school"]).get(f"{API}/dynamics/", {"year": 2025})
    assert other.json()["rows"] == []
    bad = client_for(world["users"]["municipal"]).get(f"{API}/dynamics/", {"year": "x"})
    assert bad.status_code == 400


def test_workbooks_keep_formulas_as_text(world):
    """The share of tests/common/test_xlsx_exports.py, checked here too."""
    from tests.outcomes.workbooks import EXPECTED, outcomes_workbooks

    made = outcomes_workbooks(world["users"]["cnppm"])
    for name, content in made.items():
        cells = [
            c for sheet in load_workbook(BytesIO(content)) for r in sheet.iter_rows() for c in r
        ]
        risky = [
            c.coordinate
            for c in cells
            if c.data_type == "f"
            or (isinstance(c.value, str) and c.value[:1] in "=+-@" and not c.quotePrefix)
        ]
        assert risky == [], name
        for payload in EXPECTED.get(name, []):
            assert payload in [c.value for c in cells], (name, payload)
