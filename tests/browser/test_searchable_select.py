"""A long select is searchable: the organization of a new place of work is found by typing a
part of its name (ё as е), chosen with the keyboard, and saved; wide tables stay in their box at
1 366 px."""

import pytest

from nms.accounts.models import Role
from nms.registry.models import Position
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory, UserFactory

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_organization_is_found_by_typing_and_saved(page, login, region):
    home = OrganizationFactory(short_name="МБОУ «Школа № 1»")
    for number in range(2, 30):
        OrganizationFactory(municipality=home.municipality, short_name=f"МБОУ «Школа № {number}»")
    wanted = OrganizationFactory(
        municipality=home.municipality, short_name="МАОУ «Лицей имени Королёва»"
    )
    person = PersonFactory(last_name="Соколова", first_name="Анна")
    EmploymentFactory(person=person, organization=home)
    UserFactory(username="cnppm", role=Role.CNPPM, region=home.region)

    page.set_viewport_size({"width": 1366, "height": 800})
    login("cnppm", PASSWORD)
    page.goto(f"/registry/people/{person.pk}/employments/new/")
    select = page.locator("select[name=organization]")
    assert select.is_hidden()
    search = page.locator("#id_organization_search")
    assert search.is_visible()
    assert page.locator("label[for=id_organization_search]").count() == 1

    search.fill("лицей королев")
    options = page.locator("#id_organization_search_list li[data-value]")
    assert options.count() == 1
    assert options.first.inner_text() == "МАОУ «Лицей имени Королёва»"
    search.press("Enter")
    assert select.input_value() == str(wanted.pk)
    assert search.input_value() == "МАОУ «Лицей имени Королёва»"

    search.fill("школа № 2")  # № 2, № 12, № 20–29: each word occurs
    assert page.locator("#id_organization_search_list li[data-value]").count() == 12
    search.press("Escape")
    assert search.input_value() == "МАОУ «Лицей имени Королёва»"

    position = Position.objects.order_by("pk").first()  # a long list too: searchable as well
    page.fill("#id_position_search", position.name)
    page.press("#id_position_search", "Enter")
    assert page.locator("select[name=position]").input_value() == str(position.pk)
    page.fill("input[name=experience_years]", "5")
    page.fill("input[name=experience_as_of]", "01.09.2025")
    page.select_option("select[name=category]", "first")
    page.click("button[type=submit]")
    page.wait_for_selector("#employments")
    assert "МАОУ «Лицей имени Королёва»" in page.locator("#employments").inner_text()
    assert person.employments.filter(organization=wanted).exists()

    page.goto("/registry/people/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
