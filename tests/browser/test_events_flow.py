"""Events in a browser: the ЦНППМ creates an event, records a participation for a teacher, and
sees it on the teacher's card."""

import pytest

from nms.accounts.models import Role
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_create_event_record_participation_see_it_on_the_card(page, login, region):
    school = OrganizationFactory(municipality=MunicipalityFactory(region=region))
    person = PersonFactory(region=region, last_name="Соколова", first_name="Анна")
    EmploymentFactory(person=person, organization=school)
    UserFactory(username="cnppm", role=Role.CNPPM, region=region)

    login("cnppm", PASSWORD)
    page.click("nav >> text=Мероприятия")
    page.click("text=Добавить мероприятие")
    page.fill("input[name=title]", "Семинар «Формирующее оценивание»")
    page.select_option("select[name=kind]", "seminar")
    page.select_option("select[name=level]", "regional")
    page.fill("input[name=starts_on]", "01.12.2026")
    page.fill("input[name=ends_on]", "01.12.2026")
    page.fill("input[name=organizer_name]", "Институт развития образования")
    page.check("input[name=topics][value=quality]")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("h1:has-text('Формирующее оценивание')")
    assert "оценка качества образования" in page.inner_text(".facts")

    page.click("text=Отметить участие")
    page.fill("input[name=person]", person.snils)
    page.select_option("select[name=role]", "speaker")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("#participants")
    assert "Соколова Анна" in page.inner_text("#participants")

    page.click("#participants >> text=Соколова Анна")
    page.wait_for_selector("#events-panel")
    panel = page.inner_text("#events-panel")
    assert "Формирующее оценивание" in panel and "ведущий" in panel
