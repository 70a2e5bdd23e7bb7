"""A regional methodist who also teaches: their own route as a teacher, others' as a methodist.

DESIGN.md §1: what a person may do is decided by the role that applies to the object, and nobody
approves, audits or reviews their own work.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.routes import services
from nms.routes.access import roles_on
from nms.routes.models import Status
from tests.factories import EmploymentFactory, assign
from tests.routes.conftest import TODAY, item_data


@pytest.fixture
def world(make_user, region, two_municipalities, actors):
    """Teacher B teaches in school A and is also a regional methodist with teacher A in care."""
    a = two_municipalities["a"]
    teaching = EmploymentFactory(organization=a["school"]).person
    both = make_user(Role.TEACHER, person=teaching)
    assign(both, Role.METHODIST, region=region)
    both.assigned_people.add(a["teacher"])
    own = services.route_create(both, teaching, TODAY, TODAY + timedelta(days=200))
    other = services.route_create(
        actors["cnppm"], a["teacher"], TODAY, TODAY + timedelta(days=200), methodist=both
    )
    for route in (own, other):
        services.item_add(actors["cnppm"], route, item_data(), route.version)
        route.refresh_from_db()
        services.transition(actors["cnppm"], route, "compose", "составлен", route.version)
        route.refresh_from_db()
        services.transition(actors["school"], route, "agree_school", "согласовано", route.version)
        route.refresh_from_db()
    return {"user": both, "own": own, "other": other}


def test_roles_apply_per_route(world):
    user = world["user"]
    assert scope_of(user).roles == {Role.TEACHER, Role.METHODIST}
    assert roles_on(user, world["own"]) == {Role.TEACHER}
    assert roles_on(user, world["other"]) == {Role.METHODIST}


def test_service_refuses_own_route_and_agrees_another(world):
    user, own, other = world["user"], world["own"], world["other"]
    with pytest.raises(PermissionDenied):
        services.transition(user, own, "agree_methodist", "сам себе", own.version)
    own.refresh_from_db()
    assert own.status == Status.AGREED_SCHOOL
    services.transition(user, other, "agree_methodist", "согласовано", other.version)
    other.refresh_from_db()
    assert other.status == Status.AGREED_METHODIST


def test_page_shows_own_route_as_a_teacher_and_agrees_another(client, world):
    user, own, other = world["user"], world["own"], world["other"]
    client.force_login(user)
    page = client.get(reverse("route-detail", args=[own.pk]))
    assert page.status_code == 200
    assert "Согласовать (региональный методист)" not in page.content.decode()
    url = reverse("route-transition", args=[own.pk, "agree_methodist"])
    data = {"comment": "сам себе", "version": own.version}
    client.post(url, data)
    own.refresh_from_db()
    assert own.status == Status.AGREED_SCHOOL

    page = client.get(reverse("route-detail", args=[other.pk]))
    assert "Согласовать (региональный методист)" in page.content.decode()
    url = reverse("route-transition", args=[other.pk, "agree_methodist"])
    data = {"comment": "согласовано", "version": other.version}
    assert client.post(url, data).status_code == 302
    other.refresh_from_db()
    assert other.status == Status.AGREED_METHODIST


def test_header_lists_both_roles(client, world):
    client.force_login(world["user"])
    page = client.get(reverse("home")).content.decode()
    assert "региональный методист, педагог" in page


def test_api_refuses_own_route_and_agrees_another(world):
    user, own, other = world["user"], world["own"], world["other"]
    api = APIClient()
    api.force_authenticate(user)
    detail = api.get(f"/api/v1/routes/{own.pk}/").json()
    assert detail["available_transitions"] == []
    payload = {"name": "agree_methodist", "comment": "сам себе", "version": own.version}
    response = api.post(f"/api/v1/routes/{own.pk}/transition/", payload, format="json")
    assert response.status_code == 403
    detail = api.get(f"/api/v1/routes/{other.pk}/").json()
    assert "agree_methodist" in {t["name"] for t in detail["available_transitions"]}
    payload = {"name": "agree_methodist", "comment": "согласовано", "version": other.version}
    response = api.post(f"/api/v1/routes/{other.pk}/transition/", payload, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.AGREED_METHODIST
