"""Online testing in a browser: start, answer, reload without losing answers, submit, result."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from nms.accounts.models import Role
from nms.diagnostics import services
from nms.diagnostics.models import Procedure
from nms.diagnostics.variants import assemble_variants
from nms.itembank.models import CompetencyArea, ItemKind
from tests.factories import EmploymentFactory, OrganizationFactory, UserFactory
from tests.itembank.conftest import make_item

PASSWORD = "Пароль-для-тестов-1"
SAVED = re.compile(r"Сохранено в \d\d:\d\d:\d\d")


@pytest.mark.django_db(transaction=True)
def test_teacher_takes_test_reloads_submits_and_sees_deficits(page, login, region):
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    school = OrganizationFactory()
    person = EmploymentFactory(organization=school).person
    UserFactory(username="teacher", role=Role.TEACHER, person=person)
    procedure = Procedure.objects.create(
        region=region,
        name="Региональная входная диагностика",
        level="regional",
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=10),
        time_limit_minutes=30,
    )
    procedure.blueprint.create(area=areas["ict"], easy=2)
    procedure.blueprint.create(area=areas["methodical"], easy=2)
    single = make_item(areas["ict"], "ict-1", 1, kind=ItemKind.SINGLE)  # key: Б
    multiple = make_item(areas["ict"], "ict-2", 1, kind=ItemKind.MULTIPLE)  # key: А, В
    short = make_item(areas["methodical"], "met-1", 1, kind=ItemKind.SHORT)  # key: ФГОС
    ordering = make_item(areas["methodical"], "met-2", 1, kind=ItemKind.ORDERING)  # 1, 2, 3
    cnppm = UserFactory(role=Role.CNPPM, region=region)
    services.group_create(cnppm, procedure, "Школа", {"organization": school})
    assemble_variants(procedure)

    def item(it):
        return page.locator(f"#item-{it.pk}")

    login("teacher", PASSWORD)
    page.click("header nav a:has-text('Диагностика')")
    expect(page.locator("#my-diagnostics")).to_contain_text("не начата")
    page.click("#my-diagnostics button:has-text('Начать')")
    expect(page.locator(".question")).to_have_count(4)
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^(29|30):\d\d$"))

    item(single).get_by_label("Б", exact=True).check()
    expect(item(single).locator(".save-status")).to_have_text(SAVED)
    item(short).get_by_label("Ваш ответ").fill("фгос")
    expect(item(short).locator(".save-status")).to_have_text(SAVED)

    page.reload()
    expect(item(single).get_by_label("Б", exact=True)).to_be_checked()
    expect(item(short).get_by_label("Ваш ответ")).to_have_value("фгос")
    expect(item(multiple).get_by_label("А", exact=True)).not_to_be_checked()

    item(multiple).get_by_label("А", exact=True).check()  # one of two right: half the points
    expect(item(multiple).locator(".save-status")).to_have_text(SAVED)
    for position, step in enumerate(["шаг 2", "шаг 3", "шаг 1"]):  # no step in its place
        item(ordering).locator("select").nth(position).select_option(label=step)
    expect(item(ordering).locator(".save-status")).to_have_text(SAVED)

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-attempt")
    page.wait_for_selector("#area-scores")
    ict = page.locator("#area-scores tr", has_text="ИКТ")
    methodical = page.locator("#area-scores tr", has_text="методическая")
    expect(ict).to_contain_text("75")
    expect(ict.locator(".deficit")).to_have_count(0)
    expect(methodical).to_contain_text("50")
    expect(methodical.locator(".deficit")).to_have_text("дефицит")
    expect(page.locator("#overall")).to_have_text("62,50 %")
    expect(page.locator("#threshold")).to_contain_text("60 %")


@pytest.mark.django_db(transaction=True)
def test_progress_follows_answers_and_confirmation_names_unanswered(page, login, region):
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    school = OrganizationFactory()
    person = EmploymentFactory(organization=school).person
    UserFactory(username="teacher", role=Role.TEACHER, person=person)
    procedure = Procedure.objects.create(
        region=region, name="Диагностика с прогрессом", level="regional",
        starts_on=date.today() - timedelta(days=1), ends_on=date.today() + timedelta(days=10),
    )  # fmt: skip
    procedure.blueprint.create(area=areas["ict"], easy=2)
    procedure.blueprint.create(area=areas["methodical"], easy=2)
    single = make_item(areas["ict"], "ict-1", 1, kind=ItemKind.SINGLE)
    multiple = make_item(areas["ict"], "ict-2", 1, kind=ItemKind.MULTIPLE)
    short = make_item(areas["methodical"], "met-1", 1, kind=ItemKind.SHORT)
    make_item(areas["methodical"], "met-2", 1, kind=ItemKind.ORDERING)
    cnppm = UserFactory(role=Role.CNPPM, region=region)
    services.group_create(cnppm, procedure, "Школа", {"organization": school})
    assemble_variants(procedure)

    def item(it):
        return page.locator(f"#item-{it.pk}")

    def position(it):
        return item(it).get_attribute("data-position")

    login("teacher", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.click("header nav a:has-text('Диагностика')")
    page.click("#my-diagnostics button:has-text('Начать')")
    progress = page.locator("#attempt-progress")
    expect(progress).to_contain_text("Отвечено 0 из 4")
    expect(page.locator("#unanswered-links a")).to_have_count(4)

    # The counter follows the answers as they are given, before any reload.
    item(single).get_by_label("Б", exact=True).check()
    expect(progress).to_contain_text("Отвечено 1 из 4")
    item(short).get_by_label("Ваш ответ").fill("фгос")
    expect(progress).to_contain_text("Отвечено 2 из 4")
    item(multiple).get_by_label("А", exact=True).check()
    expect(progress).to_contain_text("Отвечено 3 из 4")
    item(multiple).get_by_label("А", exact=True).uncheck()  # cleared again: unanswered
    expect(progress).to_contain_text("Отвечено 2 из 4")
    expect(item(short).locator(".save-status")).to_have_text(SAVED)
    expect(item(multiple).locator(".save-status")).to_have_text(SAVED)
    missing = sorted(int(p) for p in page.locator("#unanswered-links a").all_inner_texts())
    assert len(missing) == 2 and int(position(multiple)) in missing
    assert int(position(single)) not in missing and int(position(short)) not in missing

    # The list jumps to an unanswered item; the progress stays on screen while scrolling.
    first = page.locator("#unanswered-links a").first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{target}")
    page.mouse.wheel(0, 5000)
    box = progress.bounding_box()
    assert box is not None and 0 <= box["y"] < 50

    # The server keeps the same count after a reload.
    page.reload()
    expect(progress).to_contain_text("Отвечено 2 из 4")

    # The confirmation names the unanswered items; declining keeps the sheet open.
    messages = []

    def answer(dialog, accept):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#submit-attempt")
    page.wait_for_timeout(300)
    listed = ", ".join(str(p) for p in missing)
    assert messages[0].startswith(f"Не отвечены задания {listed}. Завершить тестирование?")
    expect(page.locator("#answer-sheet")).to_be_visible()
    page.once("dialog", lambda d: answer(d, True))
    page.click("#submit-attempt")
    page.wait_for_selector("#area-scores")
