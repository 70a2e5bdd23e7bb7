"""Security headers and settings (issue 8, item 8): Content-Security-Policy without inline
scripts, Permissions-Policy, the HTTPS switch, the client's address behind a proxy, 401 with a
challenge for an API call without credentials."""

import importlib
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

import nms
from nms.common.middleware import client_ip
from tests.factories import UserFactory

TEMPLATES = sorted(Path(nms.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p).split("/nms/", 1)[-1])
def test_no_template_has_an_inline_script_handler_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "an inline <script>: move it to a static file"
    assert not HANDLER.search(text), "an inline event handler (on…=): use nms/app.js"
    assert "javascript:" not in text.lower()
    assert not STYLE.search(text), "an inline style: a class in nms.css (or data-style)"


def test_no_python_code_writes_an_inline_handler():
    """HTML made in Python (tables, widgets) follows the same rule as the templates."""
    handler = re.compile(
        r"""\bon(click|change|submit|input|load|keyup|keydown|focus|blur)=\\?["']"""
    )
    offenders = [
        f"{path}:{number}"
        for path in sorted(Path(nms.__file__).parent.glob("**/*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if handler.search(line)
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("name", ["login", "home"])
def test_pages_have_a_strict_policy(client, db, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code in (200, 302)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_keep_scripts_strict(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_a_page_without_https_sets_no_hsts(client, db):
    response = client.get(reverse("login"))
    assert "Strict-Transport-Security" not in response


def test_https_switch(monkeypatch):
    """HTTPS=1 turns on the redirect, HSTS for a year with subdomains, Secure cookies and the
    proxy's X-Forwarded-Proto."""
    from nms import settings as module

    monkeypatch.setenv("HTTPS", "1")
    try:
        on = importlib.reload(module)
        assert on.SECURE_SSL_REDIRECT is True
        assert on.SECURE_HSTS_SECONDS == 365 * 24 * 3600
        assert on.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
        assert on.SESSION_COOKIE_SECURE is True and on.CSRF_COOKIE_SECURE is True
        assert on.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        monkeypatch.delenv("HTTPS")
        off = importlib.reload(module)
        assert off.SECURE_SSL_REDIRECT is False and off.SECURE_HSTS_SECONDS == 0
        assert off.SECURE_PROXY_SSL_HEADER is None
    finally:
        monkeypatch.delenv("HTTPS", raising=False)
        importlib.reload(module)


def test_https_settings_redirect_and_send_hsts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain.url.startswith("https://")
    secure = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_client_address_behind_a_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    settings.NMS_PROXY_IP_HEADER = ""
    assert client_ip(request) == "10.0.0.1"  # no proxy configured: the header is not trusted
    settings.NMS_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.NMS_PROXY_COUNT = 1
    assert client_ip(request) == "2.2.2.2"  # what our proxy saw; "1.1.1.1" could be forged
    settings.NMS_PROXY_COUNT = 2
    assert client_ip(request) == "1.1.1.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_the_lockout_counts_the_address_from_the_proxy_header(client, db, settings):
    """Behind a proxy, one client's failures do not lock out another client."""
    settings.NMS_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory()
    bad = {"username": user.username, "password": "неверно"}
    for _ in range(3):
        client.post(reverse("login"), bad, HTTP_X_FORWARDED_FOR="1.1.1.1", REMOTE_ADDR="10.0.0.1")
    good = {"username": user.username, "password": "Пароль-для-тестов-1"}
    locked = client.post(
        reverse("login"), good, HTTP_X_FORWARDED_FOR="1.1.1.1", REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("login"), good, HTTP_X_FORWARDED_FOR="2.2.2.2", REMOTE_ADDR="10.0.0.1"
    )
    assert other.status_code == 302


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/people/", "/api/v1/organizations/"])
def test_an_anonymous_api_call_is_401_with_a_challenge(db, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
