"""Token authentication (through django-axes) and the current user's description."""

import pytest
from rest_framework.test import APIClient

from nms.accounts.api import BAD_CREDENTIALS, LOCKED_OUT
from nms.accounts.models import Role
from tests.factories import assign

API = "/api/v1"
PASSWORD = "Пароль-для-тестов-1"  # tests.factories.UserFactory


@pytest.fixture
def municipal(make_user, two_municipalities):
    return make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])


def obtain(client, username, password):
    return client.post(f"{API}/auth/token/", {"username": username, "password": password})


def test_token_then_call_with_it(municipal):
    client = APIClient()
    response = obtain(client, municipal.username, PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    # Each call gives a new token (named, listed on the page «Токены API»); both work.
    assert obtain(client, municipal.username, PASSWORD).json()["token"] != token

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{API}/me/").json()["username"] == municipal.username
    assert client.get(f"{API}/people/").json()["count"] == 2
    municipal.refresh_from_db()
    assert municipal.last_login is not None


def test_bad_credentials_are_400_without_leaking(municipal):
    client = APIClient()
    wrong_password = obtain(client, municipal.username, "не-тот-пароль")
    unknown_user = obtain(client, "nobody", "не-тот-пароль")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [BAD_CREDENTIALS]}
        assert "не-тот-пароль" not in response.content.decode()
    assert obtain(client, municipal.username, "").status_code == 400


def test_inactive_user_gets_no_token(municipal):
    municipal.is_active = False
    municipal.save()
    assert obtain(APIClient(), municipal.username, PASSWORD).status_code == 400


def test_repeated_failures_lock_out(municipal, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    statuses = [obtain(client, municipal.username, "неверно").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    response = obtain(client, municipal.username, PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED_OUT}
    assert "token" not in response.json()


def test_bad_token_is_refused(municipal):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get(f"{API}/me/")
    # 401 with a challenge: the token authentication comes first in the settings.
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "токен" in response.json()["detail"].lower()
    assert APIClient().get(f"{API}/me/").status_code == 401


def test_me_describes_roles_and_scope(municipal, two_municipalities, region):
    client = APIClient()
    client.force_authenticate(municipal)
    me = client.get(f"{API}/me/").json()
    municipality = two_municipalities["a"]["municipality"]
    assert me["username"] == municipal.username
    [role] = me["roles"]
    assert role["role"] == {"value": "municipal", "label": "муниципальный координатор"}
    assert role["municipality"] == {"id": municipality.pk, "name": municipality.name}
    assert role["organization"] is None and role["valid_to"] is None
    scope = me["scope"]
    assert scope["region"] == {"id": region.pk, "name": region.name}
    assert scope["person"] is None
    assert scope["all"] is False
    assert scope["description"] == f"муниципальный координатор: {municipality.name}"
    assert scope["can_edit_registry"] is True


def test_me_of_a_teacher_who_is_also_a_methodist(make_user, two_municipalities, region):
    teacher = two_municipalities["a"]["teacher"]
    user = make_user(Role.TEACHER, person=teacher)
    assign(user, Role.METHODIST, region=region)
    client = APIClient()
    client.force_authenticate(user)
    me = client.get(f"{API}/me/").json()
    assert [r["role"]["value"] for r in me["roles"]] == ["methodist", "teacher"]
    assert me["roles"][1]["person"] == {"id": teacher.pk, "name": teacher.full_name}
    assert me["scope"]["person"] == {"id": teacher.pk, "name": teacher.full_name}
    assert me["scope"]["can_edit_registry"] is False
