"""Dates are ДД.ММ.ГГГГ with a two-digit day and month (issue 8, item 7): `4.3.2026` is refused
with a Russian message by the routes' pages (route, map item, template) and the API, `04.03.2026`
is taken (the API takes ISO 8601 too)."""

from datetime import date

from django.urls import reverse
from rest_framework.test import APIClient

from nms.common.api import API_DATE_FORMAT_MESSAGE
from nms.common.forms import DATE_FORMAT_MESSAGE
from nms.routes.forms import ItemForm, RouteCreateForm
from nms.routes.models import Route
from tests.routes import conftest as routes_fixtures

actors = routes_fixtures.actors
entry_result = routes_fixtures.entry_result


def test_route_page_refuses_a_one_digit_day(client, actors, entry_result):
    client.force_login(actors["teacher"])
    response = client.post(
        reverse("route-create"), {"starts_on": "4.3.2026", "ends_on": "01.09.2026"}
    )
    assert response.status_code == 200
    assert DATE_FORMAT_MESSAGE in response.content.decode()
    assert not Route.objects.exists()


def test_route_and_item_forms_take_two_digits_only(actors):
    teacher = actors["teacher"]
    form = RouteCreateForm({"starts_on": "4.3.2026", "ends_on": "1.9.2026"}, user=teacher)
    assert form.errors["starts_on"] == [DATE_FORMAT_MESSAGE]
    assert form.errors["ends_on"] == [DATE_FORMAT_MESSAGE]
    form = RouteCreateForm({"starts_on": "04.03.2026", "ends_on": "01.09.2026"}, user=teacher)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == date(2026, 3, 4)

    form = ItemForm({"starts_on": "4.3.2026", "due_on": "04.03.2026"})
    assert form.errors["starts_on"] == [DATE_FORMAT_MESSAGE]
    assert "due_on" not in form.errors


def test_route_api_refuses_a_one_digit_day(actors, entry_result, two_municipalities):
    client = APIClient()
    client.force_authenticate(actors["teacher"])
    person = two_municipalities["a"]["teacher"].pk
    payload = {"person": person, "starts_on": "4.3.2026", "ends_on": "01.09.2026"}
    response = client.post("/api/v1/routes/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["starts_on"] == [API_DATE_FORMAT_MESSAGE]

    payload = {**payload, "starts_on": "04.03.2026"}
    response = client.post("/api/v1/routes/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Route.objects.get().starts_on == date(2026, 3, 4)
