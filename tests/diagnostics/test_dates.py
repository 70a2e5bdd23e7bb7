"""Dates are ДД.ММ.ГГГГ with a two-digit day and month (issue 8, item 7): `4.3.2026` is refused
with a Russian message by the procedure pages and the API, `04.03.2026` is taken (the API takes
ISO 8601 too)."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.api import API_DATE_FORMAT_MESSAGE
from nms.common.forms import DATE_FORMAT_MESSAGE
from nms.diagnostics.forms import ProcedureEditForm
from nms.diagnostics.models import Procedure
from tests.diagnostics.test_api import procedure_payload
from tests.diagnostics.test_views import _procedure_post


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


def test_procedure_page_refuses_a_one_digit_day(client, cnppm, areas):
    client.force_login(cnppm)
    url = reverse("procedure-create")
    response = client.post(url, _procedure_post(starts_on="4.3.2026", ends_on="30.03.2026"))
    assert response.status_code == 200
    assert DATE_FORMAT_MESSAGE in response.content.decode()
    assert not Procedure.objects.exists()

    response = client.post(url, _procedure_post(starts_on="04.03.2026", ends_on="30.03.2026"))
    assert response.status_code == 302
    assert Procedure.objects.get().starts_on == date(2026, 3, 4)


def test_procedure_edit_form_is_strict(procedure):
    data = {"name": procedure.name, "kind": procedure.kind, "ends_on": "30.12.2030"}
    data |= {"threshold": "60", "time_limit_minutes": "45", "seed": "1"}
    form = ProcedureEditForm({**data, "starts_on": "4.3.2026"}, instance=procedure)
    assert form.errors["starts_on"] == [DATE_FORMAT_MESSAGE]
    form = ProcedureEditForm({**data, "starts_on": "04.03.2026"}, instance=procedure)
    assert "starts_on" not in form.errors
    assert form.cleaned_data["starts_on"] == date(2026, 3, 4)


def test_procedure_api_refuses_a_one_digit_day(cnppm, areas):
    client = APIClient()
    client.force_authenticate(cnppm)
    url = "/api/v1/diagnostics/procedures/"
    payload = procedure_payload(areas, starts_on="4.3.2026", ends_on="30.03.2026")
    response = client.post(url, payload, format="json")
    assert response.status_code == 400
    assert response.json()["starts_on"] == [API_DATE_FORMAT_MESSAGE]

    for starts_on in ("04.03.2026", "2026-03-04"):
        payload = procedure_payload(
            areas, name=f"Диагностика {starts_on}", starts_on=starts_on, ends_on="30.03.2026"
        )
        response = client.post(url, payload, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["starts_on"] == "2026-03-04"
