"""Error pages are Russian, in the site's look, with a way back — with DEBUG on and off; the 500
page needs neither the request nor the database; the API answers in JSON."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nms.common.errors import server_error

pytestmark = pytest.mark.django_db

STYLED = ("/static/nms/nms.css", 'id="error-page"', "На главную")


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "tests.common.error_urls"


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _page(response) -> str:
    page = response.content.decode()
    for mark in STYLED:
        assert mark in page
    assert "Not Found" not in page and "requested resource" not in page
    return page


@pytest.mark.parametrize("url", ["/boom/404/", "/no/such/page/", "/registry/people/999999/"])
def test_404_is_ours(client, users, debug, url):
    client.force_login(users["teacher"])
    response = client.get(url)
    assert response.status_code == 404
    page = _page(response)
    assert "Страница не найдена" in page
    assert 'data-nav="home"' in page  # the header and navigation of the site


def test_404_for_the_anonymous(client, debug):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Страница не найдена" in _page(response)


def test_a_page_the_role_lacks_is_404_in_the_same_look(client, users, debug):
    client.force_login(users["teacher"])
    response = client.get("/registry/import/")
    assert response.status_code == 404
    assert "Страница не найдена" in _page(response)


def test_403_is_ours_and_says_why_in_russian(client, users, debug):
    client.force_login(users["school"])
    response = client.get("/boom/403/")
    assert response.status_code == 403
    page = _page(response)
    assert "Доступ запрещён" in page and "У вас нет прав на это действие." in page
    response = client.get("/boom/403ru/")
    assert "Менять это место работы может только его организация." in _page(response)


def test_500_is_ours(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["teacher"])
    response = client.get("/boom/500/")
    assert response.status_code == 500
    page = _page(response)
    assert "Ошибка сервера" in page


def test_500_needs_no_request_and_no_database(rf):
    with CaptureQueriesContext(connection) as queries:
        response = server_error(rf.get("/somewhere/"))
        bare = server_error()
    assert len(queries) == 0
    assert response.status_code == bare.status_code == 500
    assert "Ошибка сервера" in response.content.decode()


def test_the_api_answers_json(client, users):
    client.force_login(users["teacher"])
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
