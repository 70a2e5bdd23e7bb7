"""API tokens: named, several per user, expiring, revoked by a password change and on the page
«Токены API» (issue 8, item 5)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from nms.accounts.authentication import EXPIRED
from nms.accounts.models import ApiToken, User
from tests.factories import UserFactory

PASSWORD = "Пароль-для-тестов-1"  # tests.factories.UserFactory
NEW_PASSWORD = "Совсем-другой-пароль-2"


def api_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(key: str) -> bool:
    return api_with(key).get(reverse("api-me")).status_code == 200


@pytest.fixture
def user(db):
    return UserFactory()


def test_a_token_from_the_api_works_and_expires_in_the_configured_days(user, settings):
    settings.NMS_TOKEN_DAYS = 7
    response = APIClient().post(
        reverse("api-token"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=user)
    assert key not in (token.key_digest, token.prefix) and key.startswith(token.prefix)
    assert timedelta(days=6, hours=23) < token.expires - timezone.now() <= timedelta(days=7)
    assert works(key)
    token.refresh_from_db()
    assert token.last_used is not None


def test_an_expired_token_is_401(user):
    token, key = ApiToken.issue(user, "старый")
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = api_with(key).get(reverse("api-me"))
    assert response.status_code == 401
    assert response.json()["detail"] == EXPIRED
    assert response.json()["detail"].startswith("Срок действия токена истёк")
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_stops_working_after_a_password_change_on_the_page(client, user):
    _, first = ApiToken.issue(user, "один")
    _, second = ApiToken.issue(user, "другой")
    other_user_key = ApiToken.issue(UserFactory(), "чужой")[1]
    assert works(first) and works(second)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(first) and not works(second)
    assert api_with(first).get(reverse("api-me")).status_code == 401
    assert works(other_user_key)  # only the user's own tokens


def test_every_set_password_path_revokes(user):
    """The admin, `changepassword`, a one-time password issued anew: all go through
    set_password and save."""
    _, key = ApiToken.issue(user, "сценарий")
    user = User.objects.get(pk=user.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(key)


def test_a_login_does_not_revoke(client, user):
    """A login (last_login saved, a hash upgraded by check_password) is not a password change."""
    _, key = ApiToken.issue(user, "сценарий")
    login = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert login.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.check_password(PASSWORD)
    user.first_name = "Иван"
    user.save()
    assert works(key)


def test_the_admin_password_change_revokes(client, user):
    _, key = ApiToken.issue(user, "сценарий")
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(key)


def test_the_page_lists_creates_and_revokes(client, user):
    client.force_login(user)
    old, old_key = ApiToken.issue(user, "Отчёты")
    ApiToken.issue(UserFactory(), "Чужой токен")
    page = client.get(reverse("api-tokens"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Отчёты" in text and "Чужой токен" not in text
    assert old.prefix in text and old_key not in text
    assert "Отозвать" in text and "Создать токен" in text

    created = client.post(reverse("api-tokens"), {"name": "Выгрузка"})
    assert created.status_code == 200
    new = ApiToken.objects.get(user=user, name="Выгрузка")
    key = created.context["new_key"]
    assert key and key in created.content.decode() and works(key)
    assert key not in client.get(reverse("api-tokens")).content.decode()  # shown once

    revoked = client.post(reverse("api-token-revoke", args=[old.pk]))
    assert revoked.status_code == 302 and revoked.url == reverse("api-tokens")
    assert not ApiToken.objects.filter(pk=old.pk).exists()
    assert not works(old_key) and works(key)
    assert ApiToken.objects.filter(pk=new.pk).exists()


def test_another_users_token_is_404(client, user):
    stranger_token, stranger_key = ApiToken.issue(UserFactory(), "чужой")
    client.force_login(user)
    assert client.post(reverse("api-token-revoke", args=[stranger_token.pk])).status_code == 404
    assert client.get(reverse("api-token-revoke", args=[stranger_token.pk])).status_code == 405
    assert works(stranger_key)


def test_the_page_needs_a_login(client):
    response = client.get(reverse("api-tokens"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_blank_name_is_refused(client, user):
    client.force_login(user)
    response = client.post(reverse("api-tokens"), {"name": "  "})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert response.context["new_key"] is None
