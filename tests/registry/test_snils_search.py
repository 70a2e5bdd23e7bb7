"""Search by СНИЛС without putting it in a URL (issue 8, item 9): the page posts it and shows a
short session key (?sk=), its links carry the key; the API takes it in the body."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.identifiers import snils_digits
from tests.factories import EmploymentFactory

HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture
def municipal(make_user, two_municipalities, client):
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    client.force_login(user)
    return user


def forms_of(snils: str) -> list[str]:
    digits = snils_digits(snils)
    return [snils, digits, f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"]


def assert_hidden(snils: str, text: str) -> None:
    digits = snils_digits(snils)
    for href in HREF.findall(text):
        assert digits not in snils_digits(href.replace("&amp;", "&")), href
        assert snils not in href


def many_people(school, count=60):
    for _ in range(count):
        EmploymentFactory(organization=school)


def test_post_redirects_to_a_key_and_finds_the_person(client, municipal, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    many_people(two_municipalities["a"]["school"])
    url = reverse("person-list")
    for text in forms_of(teacher.snils):
        response = client.post(url, {"q": text, "category": ""})
        assert response.status_code == 302
        location = response["Location"]
        assert "sk=" in location
        assert snils_digits(teacher.snils) not in snils_digits(location)
        page = client.get(location)
        content = page.content.decode()
        assert "Найдено: 1" in content
        assert teacher.last_name in content
        assert_hidden(teacher.snils, content)


def test_get_with_a_snils_works_but_no_link_carries_it(client, municipal, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    response = client.get(reverse("person-list"), {"q": teacher.snils})
    content = response.content.decode()
    assert "Найдено: 1" in content
    assert_hidden(teacher.snils, content)
    assert "sk=" in content  # the export and the accounts links carry the key
    export = re.search(r'id="export-xlsx" href="([^"]*)"', content).group(1)
    xlsx = client.get(reverse("person-list") + export.replace("&amp;", "&"))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_htmx_get_pushes_the_key_not_the_snils(client, municipal, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    response = client.get(reverse("person-list"), {"q": teacher.snils}, HTTP_HX_REQUEST="true")
    assert "sk=" in response["HX-Push-Url"]
    assert snils_digits(teacher.snils) not in snils_digits(response["HX-Push-Url"])
    assert_hidden(teacher.snils, response.content.decode())


def test_other_municipality_is_not_found(client, municipal, two_municipalities):
    outsider = two_municipalities["b"]["teacher"]
    response = client.post(reverse("person-list"), {"q": outsider.snils}, follow=True)
    content = response.content.decode()
    assert "Найдено: 0" in content
    assert outsider.last_name not in content
    for _, status in response.redirect_chain:
        assert status == 302


def test_unknown_key_finds_nobody(client, municipal, two_municipalities):
    response = client.get(reverse("person-list"), {"sk": "nosuchkey"})
    assert "Найдено: 0" in response.content.decode()


def test_a_key_is_of_its_own_session(client, municipal, make_user, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    location = client.post(reverse("person-list"), {"q": teacher.snils})["Location"]
    other = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    client.force_login(other)
    assert "Найдено: 0" in client.get(location).content.decode()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_search_finds_in_scope_only(municipal, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    outsider = two_municipalities["b"]["teacher"]
    client = api(municipal)
    url = "/api/v1/people/search/"
    response = client.post(url, {"snils": snils_digits(teacher.snils)}, format="json")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [teacher.pk]
    listed = client.get("/api/v1/people/", {"q": teacher.last_name}).json()["results"]
    assert set(response.json()["results"][0]) == set(listed[0])
    response = client.post(url, {"snils": outsider.snils}, format="json")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_api_search_is_for_readers_too(make_user, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    reader = make_user(Role.MINISTRY)
    response = api(reader).post("/api/v1/people/search/", {"snils": teacher.snils}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["123", "123-456-789 00", "abc-def-ghi jk"])
def test_api_invalid_snils_is_400_in_russian(municipal, value):
    response = api(municipal).post("/api/v1/people/search/", {"snils": value}, format="json")
    assert response.status_code == 400
    message = response.json()["snils"][0]
    assert re.search("[а-яА-Я]", message) and "СНИЛС" in message
