"""Login, throttling of failed attempts, logout, password change, argon2."""

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
