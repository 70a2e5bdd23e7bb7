"""Main registry flow in a browser: log in, find a person by surname with е for ё, open the card."""

import pytest

from nms.accounts.models import Role
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory, UserFactory

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_search_person_with_yo_and_open_card(page, login, region):
    school = OrganizationFactory(short_name="МБОУ «Школа № 7»")
    person = PersonFactory(last_name="Королёва", first_name="Мария", middle_name="Ильинична")
    EmploymentFactory(person=person, organization=school, manager_kind="deputy")
    EmploymentFactory(person=PersonFactory(last_name="Королев"), organization=OrganizationFactory())
    UserFactory(username="municipal", role=Role.MUNICIPAL, municipality=school.municipality)

    login("municipal", PASSWORD)
    assert page.locator("#count-people").inner_text() == "1"

    page.click("text=Работники")
    page.fill("input[name=q]", "королева мария")
    page.click("button:has-text('Найти')")
    page.wait_for_selector("text=Найдено: 1")
    page.click("text=Королёва Мария Ильинична")
    page.wait_for_selector("#person-name")
    assert page.locator("#person-name").inner_text() == "Королёва Мария Ильинична"
    employments = page.locator("#employments").inner_text()
    assert "МБОУ «Школа №\xa07»" in employments  # «№ 7» is never broken across lines
    assert "заместитель руководителя" in employments
