"""Login, throttling of failed attempts, logout, password change, argon2; the navigation by role."""

import re

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from tests.factories import UserFactory

PASSWORD = "Пароль-для-тестов-1"


def _login(client, password):
    return client.post(reverse("login"), {"username": "teacher", "password": password})


@pytest.fixture
def teacher(db):
    return UserFactory(username="teacher", role=Role.TEACHER)


def test_login_and_logout(client, teacher):
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_is_russian(client, teacher):
    page = _login(client, "неверный").content.decode()
    assert "Неверное имя пользователя или пароль" in page


def test_failed_attempts_are_throttled(client, teacher, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "неверный")
    response = _login(client, PASSWORD)
    assert "Вход временно заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Новый-пароль-2026",
            "new_password2": "Новый-пароль-2026",
        },
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Новый-пароль-2026")


def test_production_hasher_is_argon2():
    from nms import settings as project_settings  # the tests themselves hash with MD5 for speed

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


# -- the navigation by role: built from the access checks the pages make ------------------------
MANAGER_NAV = ["home", "organizations", "people", "diagnostics", "routes"]
ACTIVITIES = ["programs", "events", "support", "mentoring", "catalogs"]
PLANNING = ["monitoring", "roadmap", "staffing", "outcomes"]
NAVIGATION = {
    "admin": [*MANAGER_NAV, *ACTIVITIES, *PLANNING, "import", "portal", "api"],
    "ministry": [*MANAGER_NAV, *ACTIVITIES, *PLANNING, "portal", "api"],
    "cnppm": [*MANAGER_NAV, *ACTIVITIES, *PLANNING, "import", "portal", "api"],
    "methodist": [*MANAGER_NAV, *ACTIVITIES, "roadmap", "outcomes", "portal", "api"],
    "municipal": [*MANAGER_NAV, *ACTIVITIES, *PLANNING, "import", "portal", "api"],
    "school": [*MANAGER_NAV, *ACTIVITIES, *PLANNING, "import", "portal", "api"],
    "teacher": ["home", "own-card", "diagnostics", "routes", *ACTIVITIES, "outcomes", "portal"],
    "expert": ["home", "own-card", "diagnostics", "routes", *ACTIVITIES, "outcomes", "portal"],
}


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_navigation_by_role(client, users, role):
    user = users[role]
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    nav = re.search(r'<nav id="main-nav">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'data-nav="([^"]+)"', nav) == NAVIGATION[role]
    menu = re.search(r'<div class="user">(.*?)</div>', page, re.S).group(1)
    tools = "tokens" in re.findall(r'data-nav="([^"]+)"', menu)
    assert tools == (role not in ("teacher", "expert"))
    for url in re.findall(r'href="([^"]+)"', nav):
        assert client.get(url).status_code == 200, url
    if role == "teacher":
        assert f'href="/registry/people/{user.person_id}/"' in nav  # «Моя карточка»


def test_teacher_is_not_offered_exports_and_cannot_take_one(client, users):
    client.force_login(users["teacher"])
    for name in ("person-list", "route-list"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert 'id="export-xlsx"' not in page.content.decode()
        response = client.get(reverse(name), {"format": "xlsx"})
        assert response["Content-Type"].startswith("text/html")
    client.force_login(users["school"])
    assert 'id="export-xlsx"' in client.get(reverse("person-list")).content.decode()


def test_teacher_map_has_no_managers_tools(client, users):
    client.force_login(users["teacher"])
    page = client.get(reverse("map-deficits")).content.decode()
    assert 'id="export-xlsx"' not in page and reverse("map-clusters") not in page
    client.force_login(users["municipal"])
    page = client.get(reverse("map-deficits")).content.decode()
    assert 'id="export-xlsx"' in page and reverse("map-clusters") in page
