"""POST /api/v1/import/staff/ and /organizations/: the import report as JSON."""

import pytest
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.identifiers import inn_with_checksum
from nms.registry.models import Organization, Person
from tests.registry.test_import import (
    SNILS_A,
    UNKNOWN_INN,
    organization_file,
    organization_values,
    staff_file,
    staff_rows,
    staff_values,
)


@pytest.fixture
def api(make_user):
    def client_for(role, **kwargs):
        client = APIClient()
        client.force_authenticate(make_user(role, **kwargs))
        return client

    return client_for


def post(client, path, file):
    file.name = "list.xlsx"
    return client.post(f"/api/v1/import/{path}/", {"file": file}, format="multipart")


def test_staff_import_returns_the_report(api, two_municipalities):
    client = api(Role.CNPPM)

    response = post(client, "staff", staff_file(*staff_rows(two_municipalities)))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["errors"]) == (3, 0, 0, [])
    assert body["summary"].startswith("Файл загружен")

    again = post(client, "staff", staff_file(*staff_rows(two_municipalities))).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_rejected_file_is_400_with_every_error(api, two_municipalities):
    client = api(Role.CNPPM)
    rows = [
        staff_values(SNILS_A, UNKNOWN_INN),
        staff_values(
            SNILS_A, two_municipalities["a"]["school"].inn, **{"Дата рождения": "31.02.2020"}
        ),
    ]

    response = post(client, "staff", staff_file(*rows))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {
        (2, "ИНН организации"),
        (3, "Дата рождения"),
    }
    assert {"row", "column", "value", "message"} == set(errors[0])
    assert not Person.objects.filter(snils=SNILS_A).exists()


def test_missing_file_is_400(api, region):
    response = api(Role.CNPPM).post("/api/v1/import/staff/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "file"


def test_organizations_import(api, two_municipalities):
    client = api(Role.CNPPM)
    inn = inn_with_checksum("190000601")
    file = organization_file(
        organization_values(inn, two_municipalities["a"]["municipality"].oktmo)
    )

    response = post(client, "organizations", file)

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1
    assert Organization.objects.filter(inn=inn).exists()


def test_roles_without_rights_are_refused(api, two_municipalities):
    school = api(Role.SCHOOL, organization=two_municipalities["a"]["school"])
    file = organization_file(organization_values(inn_with_checksum("190000602"), "95999003"))
    assert post(school, "organizations", file).status_code == 403
    teacher = api(Role.TEACHER, person=two_municipalities["a"]["teacher"])
    assert post(teacher, "staff", staff_file()).status_code == 403
    anonymous = APIClient()
    assert post(anonymous, "staff", staff_file()).status_code == 401


def test_municipal_user_gets_not_found_for_another_municipality(api, two_municipalities):
    client = api(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    file = staff_file(staff_values(SNILS_A, two_municipalities["b"]["school"].inn))
    response = post(client, "staff", file)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "организация с таким ИНН не найдена"


def test_endpoints_are_in_the_schema(api, region):
    schema = api(Role.ADMIN).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/import/staff/", "/api/v1/import/organizations/"):
        operation = schema["paths"][path]["post"]
        assert "multipart/form-data" in operation["requestBody"]["content"]
        assert {"200", "400"} <= set(operation["responses"])
