"""Search by surname: ё and е alike, any case, on SQLite and PostgreSQL (trigram index there)."""

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.registry import selectors
from nms.registry.models import Person
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def staff(db):
    school = OrganizationFactory()
    people = {
        "fyodorova": PersonFactory(
            last_name="Фёдорова", first_name="Алёна", middle_name="Петровна"
        ),
        "fedorov": PersonFactory(last_name="Федоров", first_name="Семён"),
        "fedotova": PersonFactory(last_name="Федотова", first_name="Ольга"),
        "artyomov": PersonFactory(last_name="Артёмов", first_name="Ёжин"),
    }
    for person in people.values():
        EmploymentFactory(person=person, organization=school)
    return people


def found(query) -> set[str]:
    return set(
        selectors.search_people(Person.objects.all(), query).values_list("last_name", flat=True)
    )


def test_yo_and_ye_are_one_letter_in_a_surname_search(staff):
    assert found("федорова") == {"Фёдорова"}
    assert found("Фёдорова") == {"Фёдорова"}
    assert found("ФЕДОРОВА") == {"Фёдорова"}
    assert found("федоров") == {"Фёдорова", "Федоров"}
    assert found("фёдоров") == {"Фёдорова", "Федоров"}
    assert found("артемов ежин") == {"Артёмов"}
    assert found("алена федорова") == {"Фёдорова"}  # any word order
    assert found("федо") == {"Фёдорова", "Федоров", "Федотова"}  # a prefix
    assert found("семен") == {"Федоров"}


def test_short_and_odd_queries_still_search(staff):
    assert found("фё") == {"Фёдорова", "Федоров", "Федотова"}  # shorter than a trigram
    assert found("ё") == {"Фёдорова", "Федоров", "Федотова", "Артёмов"}
    assert found("%") == set()  # not a wildcard
    assert found("_едоров") == set()


def test_the_people_page_finds_fyodorova_by_fedorova(client, make_user, staff):
    client.force_login(make_user(Role.CNPPM))
    page = client.get(reverse("person-list"), {"q": "федорова"}).content.decode()
    assert "Фёдорова" in page and "Федотова" not in page
