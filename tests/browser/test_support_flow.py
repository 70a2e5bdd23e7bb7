"""A teacher sends a request for methodical help, the regional methodist it was routed to answers
it, and the teacher sees the answer with its time to answer."""

import pytest

from nms.accounts.models import Role
from nms.support.models import HelpRequest
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.support.conftest import approved_methodist, subject

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_request_for_help_answered_with_its_time(
    browser, live_server, region, two_municipalities, make_user
):
    a = two_municipalities["a"]
    maths = subject("Математика")
    institute = OrganizationFactory(municipality=a["municipality"], kind="institute")
    methodist_person = EmploymentFactory(organization=institute).person
    approved_methodist(methodist_person, subjects=[maths], municipality=a["municipality"])
    users = {
        "teacher": make_user(Role.TEACHER, person=a["teacher"]),
        "methodist": make_user(Role.METHODIST, person=methodist_person),
    }
    contexts = []

    def as_(actor):
        context = browser.new_context(locale="ru-RU", base_url=live_server.url)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.fill("input[name=username]", users[actor].username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        return page

    try:
        teacher = as_("teacher")
        teacher.click("nav >> text=Сопровождение")
        teacher.click("text=Задать вопрос методисту")
        teacher.select_option("select[name=subject]", label="Математика", force=True)
        teacher.fill("input[name=topic]", "Оценивание проектов")
        teacher.fill("textarea[name=question]", "Какие критерии использовать в 7 классе?")
        teacher.click("button[type=submit]")
        teacher.wait_for_selector("#request-status")
        assert "ждёт ответа" in teacher.inner_text("#request-status")
        request = HelpRequest.objects.get()
        assert request.methodist == methodist_person

        methodist = as_("methodist")
        methodist.click("nav >> text=Сопровождение")
        methodist.click("text=Запросы на методическую помощь")
        methodist.click(f"#requests >> text={request.pk}")
        methodist.fill("textarea[name=answer]", "Используйте критериальное оценивание.")
        methodist.click("text=Отправить ответ")
        methodist.wait_for_selector("#answer-time")

        teacher.reload()
        assert "дан ответ" in teacher.inner_text("#request-status")
        assert "критериальное" in teacher.inner_text("#answer")
        assert "мин" in teacher.inner_text("#answer-time")
    finally:
        for context in contexts:
            context.close()
