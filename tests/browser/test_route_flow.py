"""One ИОМ walked in a browser through every state: the right role presses each step's button in
the one actions form at the top (agreeing without a comment), every wrong role neither sees the
button nor gets the step done by posting it; returning needs a comment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.diagnostics.models import Procedure, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.routes.models import ItemStatus, Route, Status
from nms.routes.workflow import TRANSITIONS
from tests.routes.conftest import TODAY

PASSWORD = "Пароль-для-тестов-1"
WALK = [
    ("compose", "cnppm"),
    ("agree_school", "school"),
    ("agree_methodist", "methodist"),
    ("start", "methodist"),
    ("audit", "cnppm"),
    ("complete", "cnppm"),
]
ACTORS = ("teacher", "cnppm", "school", "methodist", "municipal", "ministry")


def _diagnostics(region, person, kind, taken_on, methodical, ict):
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    procedure = Procedure.objects.create(
        region=region, name=f"Диагностика ({kind})", level="regional", kind=kind,
        starts_on=taken_on, ends_on=taken_on, is_external=True,
    )  # fmt: skip
    scores = {
        areas["methodical"]: (Decimal(methodical), Decimal(100)),
        areas["ict"]: (Decimal(ict), Decimal(100)),
    }
    return result_record(person.pk, procedure, taken_on, scores, ResultSource.IMPORT)


@pytest.mark.django_db(transaction=True)
def test_route_walks_every_state_with_the_right_role(
    browser, live_server, region, two_municipalities, make_user
):
    a = two_municipalities["a"]
    users = {
        "teacher": make_user(Role.TEACHER, person=a["teacher"]),
        "cnppm": make_user(Role.CNPPM),
        "school": make_user(Role.SCHOOL, organization=a["school"]),
        "methodist": make_user(Role.METHODIST),
        "municipal": make_user(Role.MUNICIPAL, municipality=a["municipality"]),
        "ministry": make_user(Role.MINISTRY),
    }
    users["methodist"].assigned_people.add(a["teacher"])
    _diagnostics(region, a["teacher"], "entry", TODAY - timedelta(days=10), 40, 80)

    pages = {}

    def as_(actor):
        """A page of the actor's own browser context, logged in on first use."""
        if actor not in pages:
            context = browser.new_context(locale="ru-RU", base_url=live_server.url)
            context.set_default_timeout(15000)
            page = context.new_page()
            page.goto("/login/")
            page.fill("input[name=username]", users[actor].username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            pages[actor] = page
        return pages[actor]

    try:
        # The teacher opens their route: sections 1 and 2 come from the registry and diagnostics.
        teacher = as_("teacher")
        teacher.click("nav >> text=ИОМ")
        teacher.click("text=Новый ИОМ")
        teacher.fill("input[name=starts_on]", TODAY.strftime("%d.%m.%Y"))
        teacher.fill("input[name=ends_on]", (TODAY + timedelta(days=180)).strftime("%d.%m.%Y"))
        teacher.click("button:has-text('Сохранить')")
        teacher.wait_for_selector("#route-status")
        route = Route.objects.get()
        detail = reverse("route-detail", args=[route.pk])
        assert "дефицит" in teacher.locator("#deficits").inner_text()

        # The institute's methodist takes a proposal for the deficit into the map.
        cnppm = as_("cnppm")
        cnppm.goto(detail)
        cnppm.click("text=Редактировать карту")
        cnppm.locator(".suggestions >> text=Добавить в карту").first.click()
        title = cnppm.locator("#id_title").input_value()
        assert title
        cnppm.fill("#id_competency", "проектирование урока")
        cnppm.click("button:has-text('Сохранить пункт')")
        cnppm.wait_for_selector("text=Пункт добавлен в карту")
        assert title in cnppm.locator("#development-map").inner_text()

        for name, actor in WALK:
            step = TRANSITIONS[name]
            route.refresh_from_db()
            assert route.status == step.sources[0]
            if name == "complete":
                _fill_texts(as_("cnppm"), as_("teacher"), route)
                _diagnostics(region, a["teacher"], "exit", TODAY, 70, 90)
            for wrong in ACTORS:
                if wrong == actor:
                    continue
                page = as_(wrong)
                page.goto(detail)
                assert page.locator(f"#step-{name}").count() == 0, (name, wrong)
                token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
                response = page.request.post(
                    reverse("route-transition", args=[route.pk, name]),
                    form={
                        "csrfmiddlewaretoken": token,
                        "comment": "попытка",
                        "version": str(route.version),
                    },
                    headers={"Referer": live_server.url + detail},
                )
                assert "выполняет другой участник" in response.text(), (name, wrong)
                route.refresh_from_db()
                assert route.status == step.sources[0], (name, wrong)

            page = as_(actor)
            page.goto(detail)
            if not name.startswith("agree"):  # agreeing needs no comment
                page.fill("#workflow textarea", f"Комментарий: {step.label}")
            page.click(f"#workflow #step-{name}")
            page.wait_for_selector(f"#route-status:has-text('{Status(step.target).label}')")
            route.refresh_from_db()
            assert route.status == step.target
            if name == "start":
                _report_and_accept(as_("teacher"), as_("methodist"), route)

        history = as_("teacher")
        history.goto(detail)
        rows = history.locator("#history tbody tr")
        assert rows.count() == 7
        assert "Комментарий: Завершить" in rows.nth(6).inner_text()
        assert users["school"].display_name in rows.nth(2).inner_text()
        assert "закрыт" in history.locator("#outcome").inner_text()
    finally:
        for page in pages.values():
            page.context.close()


def _fill_texts(cnppm, teacher, route):
    """Section 4: the institute's evaluation and the teacher's self-evaluation."""
    url = reverse("route-texts", args=[route.pk])
    cnppm.goto(url)
    cnppm.fill("textarea[name=evaluation]", "Цели маршрута достигнуты")
    cnppm.click("button:has-text('Сохранить')")
    cnppm.wait_for_selector("text=Цели маршрута достигнуты")
    teacher.goto(url)
    teacher.fill("textarea[name=self_evaluation]", "Освоила приёмы проектирования урока")
    teacher.click("button:has-text('Сохранить')")
    teacher.wait_for_selector("text=Освоила приёмы проектирования урока")


def _report_and_accept(teacher, methodist, route):
    """While the route is under way the teacher reports on the item, the methodist accepts."""
    item = route.items.get()
    url = reverse("route-item", args=[route.pk, item.pk])
    teacher.goto(url)
    teacher.fill("textarea[name=text]", "Прошла курс, удостоверение № 17")
    teacher.click("button:has-text('Отправить отчёт')")
    teacher.wait_for_selector("text=Отчёт отправлен")
    methodist.goto(url)
    methodist.click("button:has-text('Принять')")
    methodist.wait_for_selector("#item-status:has-text('выполнено')")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_actions_on_top_agree_without_comment_return_only_with_one(
    browser, live_server, region, two_municipalities, make_user
):
    from nms.routes import services
    from tests.routes.conftest import item_data

    a = two_municipalities["a"]
    cnppm = make_user(Role.CNPPM)
    school = make_user(
        Role.SCHOOL, organization=a["school"], first_name="Анна", last_name="Петрова"
    )
    _diagnostics(region, a["teacher"], "entry", TODAY - timedelta(days=10), 40, 80)
    route = services.route_create(cnppm, a["teacher"], TODAY, TODAY + timedelta(days=120))
    services.item_add(cnppm, route, item_data(), None)
    services.transition(cnppm, route, "compose", "", None)
    detail = reverse("route-detail", args=[route.pk])

    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto("/login/")
        page.fill("input[name=username]", school.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        page.goto(detail)
        # One form, one comment box, a button per step the school may take — on the first screen.
        assert page.locator("#workflow textarea").count() == 1
        buttons = page.locator("#workflow button").all_inner_texts()
        assert buttons == ["Согласовать (администрация ОО)", "Вернуть на доработку"]
        assert page.locator("#workflow").bounding_box()["y"] < 768

        # Returning without a comment is refused by the server, with the reason.
        page.click("#workflow #step-return")
        page.wait_for_selector(".messages >> text=требует комментария")
        assert page.locator("#route-status").inner_text() == "составлен"
        page.fill("#workflow textarea", "Уточните сроки стажировки")
        page.click("#workflow #step-return")
        page.wait_for_selector("#route-status:has-text('черновик')")

        # Composed again, the school agrees with the comment box left empty.
        route.refresh_from_db()
        services.transition(cnppm, route, "compose", "", None)
        page.goto(detail)
        page.click("#workflow #step-agree_school")
        page.wait_for_selector("#route-status:has-text('согласован администрацией ОО')")
        route.refresh_from_db()
        assert route.status == Status.AGREED_SCHOOL

        # The history names the people who acted, not their logins.
        history = page.locator("#history").inner_text()
        assert "Анна Петрова" in history and school.username not in history
        assert "Уточните сроки стажировки" in history
    finally:
        context.close()
