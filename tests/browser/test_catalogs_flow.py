"""A teacher submits a practice; the ЦНППМ assigns two experts; each writes a review; the ЦНППМ
publishes it; an anonymous visitor finds it in the public bank by a word of its title typed
with е where the title has ё."""

from datetime import date, timedelta

import pytest

from nms.accounts.models import Role
from nms.catalogs.models import Item
from nms.support.models import ExpertRole
from tests.factories import EmploymentFactory, PersonFactory

PASSWORD = "Пароль-для-тестов-1"


def expert(region, school, make_user, last_name, username):
    person = PersonFactory(region=region, last_name=last_name)
    EmploymentFactory(person=person, organization=school)
    ExpertRole.objects.create(
        region=region, person=person, kind="practice_review", level="regional",
        starts_on=date.today() - timedelta(days=100),
    )  # fmt: skip
    make_user(Role.EXPERT, person=person, username=username)


@pytest.mark.django_db(transaction=True)
def test_practice_from_submission_to_the_public_bank(
    page, login, region, two_municipalities, make_user
):
    a, b = two_municipalities["a"], two_municipalities["b"]
    make_user(Role.TEACHER, person=a["teacher"], username="author")
    make_user(Role.CNPPM, username="cnppm")
    expert(region, b["school"], make_user, "Экспертова", "expert1")
    expert(region, b["school"], make_user, "Ревьюева", "expert2")

    login("author", PASSWORD)
    page.click("nav >> text=Практики")
    page.click("text=Подать практику")
    page.fill("input[name=title]", "Ёлочка знаний: проектная неделя")
    page.fill("textarea[name=description]", "Проектная неделя в начальной школе.")
    page.select_option("select[name=level]", "school")
    page.fill("input[name=tags]", "проекты")
    page.click("form.card button[type=submit]")
    page.click("#submit")
    assert page.inner_text("#item-status").startswith("подана")
    practice = Item.objects.get()
    page.click("header form button")  # Выйти

    login("cnppm", PASSWORD)
    page.goto(f"/catalogs/practices/{practice.pk}/")
    boxes = page.locator("#assign-form input[type=checkbox]")
    assert boxes.count() == 2
    for n in range(2):
        boxes.nth(n).check()
    page.click("#assign")
    assert page.inner_text("#item-status").startswith("на экспертизе")
    page.click("header form button")

    for username in ("expert1", "expert2"):
        login(username, PASSWORD)
        page.click("nav >> text=Практики")
        page.click("#my-reviews")
        page.click("text=Написать заключение")
        inputs = page.locator("#review-form input[name^=score_]")
        for n in range(inputs.count()):
            inputs.nth(n).fill("3")
        page.select_option("select[name=verdict]", "publish")
        page.click("#review-form button[type=submit]")
        page.wait_for_selector("#reviews")
        page.click("header form button")

    login("cnppm", PASSWORD)
    page.goto(f"/catalogs/practices/{practice.pk}/")
    page.click("#publish")
    assert page.inner_text("#item-status").startswith("опубликована")
    page.click("header form button")

    page.goto("/catalogs/public/practices/")
    page.fill("input[name=q]", "елочка")
    page.click("#public-filters button[type=submit]")
    found = page.locator(".public-item")
    assert found.count() == 1 and "Ёлочка знаний" in found.first.inner_text()
    found.first.locator("h2 a").click()
    assert a["teacher"].last_name in page.inner_text("#authors")
