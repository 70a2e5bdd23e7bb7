"""A teacher finds a mentor in the public registry, sends a request; the mentor accepts it; the
pair shows on both people's cards."""

import pytest

from nms.accounts.models import Role
from nms.mentoring.models import MentorProfile, Pair
from nms.registry.models import Subject
from tests.factories import EmploymentFactory, PersonFactory

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_teacher_picks_a_mentor_and_the_mentor_accepts(page, login, two_municipalities, make_user):
    a = two_municipalities["a"]
    mathematics = Subject.objects.get(name="математика")
    mentor = PersonFactory(last_name="Наставникова", first_name="Анна", middle_name="Ильинична")
    EmploymentFactory(person=mentor, organization=a["school"]).subjects.set([mathematics])
    profile = MentorProfile.objects.create(person=mentor, public=True, capacity=2)
    profile.subjects.set([mathematics])
    other = PersonFactory(last_name="Другова")
    EmploymentFactory(person=other, organization=a["school"])
    MentorProfile.objects.create(person=other, public=True)
    make_user(Role.TEACHER, person=a["teacher"], username="mentee")
    make_user(Role.TEACHER, person=mentor, username="mentor")

    # The registry answers before signing in.
    page.goto("/mentoring/")
    assert page.locator("#mentors tbody tr").count() == 2

    login("mentee", PASSWORD)
    page.click("nav >> text=Наставничество")
    page.click("text=Реестр наставников")
    page.fill("input[name=q]", "наставникова")
    page.click("#registry-filters button[type=submit]")
    rows = page.locator("#mentors tbody tr")
    assert rows.count() == 1 and "Наставникова" in rows.first.inner_text()
    rows.first.locator("text=Выбрать наставника").click()
    page.fill("textarea[name=goals]", "Научиться проектировать урок по ФГОС")
    page.click("#request-form button[type=submit]")
    assert page.inner_text("#request-status") == "ожидает ответа"
    page.click("header form button")  # Выйти

    login("mentor", PASSWORD)
    page.click("nav >> text=Наставничество")
    page.locator("#incoming").locator("text=ответить").click()
    page.click("#accept")
    page.wait_for_selector("#pair-status")
    assert "действует" in page.inner_text("#pair-status")
    pair = Pair.objects.get()
    assert pair.mentor == mentor and pair.mentee == a["teacher"]

    # The pair on the mentor's own card…
    page.click("nav >> text=Моя карточка")
    panel = page.locator(".mentoring-pairs")
    assert a["teacher"].last_name in panel.inner_text()
    page.click("header form button")
    # …and on the mentee's.
    login("mentee", PASSWORD)
    page.click("nav >> text=Моя карточка")
    assert "Наставникова" in page.locator(".mentoring-pairs").inner_text()
