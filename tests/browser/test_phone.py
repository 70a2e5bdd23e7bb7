"""A teacher's pages on a phone (issue 16): at 390 × 844 (a mobile viewport with touch) every page
of the demo teacher's navigation, the test-taking page, the route, an item's report page (and the
mentor registry when it answers) fit the screen — the document is never wider than the viewport
and no text is clipped — and the teacher takes the open test and sends a route report there.

The pages are found from the header itself, so sections added later are covered too."""

import re

import pytest
from playwright.sync_api import expect

from nms.accounts.models import User
from nms.demo.accounts import DEMO_PASSWORD
from nms.demo.build import build_demo_region
from nms.routes.models import ItemStatus, RouteItem, Status
from tests.browser.test_accessibility import axe_violations

SIZES = {"municipalities": 2, "organizations": 10, "people": 160, "seed": 5}
PHONE = {"width": 390, "height": 844}

# The width of the document and the elements that cut their text: overflow hidden (or clip) or
# an ellipsis, with more content than room. Hidden and zero-size elements do not count.
LAYOUT = """() => {
  const clipped = [];
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    const cuts = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (!cuts || !el.getClientRects().length || style.visibility === "hidden") continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      clipped.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ": "
        + (el.innerText || "").trim().slice(0, 60));
    }
  }
  const wide = [];
  const limit = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && !el.closest(".table-box, .scroll-x")) {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string" ? "." + el.className : "")
        + " " + Math.round(box.right));
      if (wide.length > 5) break;
    }
  }
  return {width: document.documentElement.scrollWidth, clipped, wide};
}"""


@pytest.fixture
def demo(transactional_db):
    build_demo_region(**SIZES)
    User.objects.filter(username="teacher").update(must_change_password=False)
    return User.objects.get(username="teacher")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="ru-RU",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def fits(page, where: str) -> None:
    layout = page.evaluate(LAYOUT)
    assert layout["width"] <= PHONE["width"], (where, layout["width"], layout["wide"])
    assert not layout["clipped"], (where, layout["clipped"])


def test_teacher_on_a_phone(phone, demo, live_server):
    page = phone
    page.goto("/login/")
    fits(page, "login")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    # The header's menu is folded into a button; opened, it shows the sections.
    nav = page.locator("#main-nav")
    expect(nav.locator("a").first).to_be_hidden()
    page.tap("#menu-toggle")
    expect(nav.locator("a").first).to_be_visible()
    page.keyboard.press("Enter")  # the button has the focus: the keyboard folds it again
    expect(nav.locator("a").first).to_be_hidden()
    page.keyboard.press("Enter")
    expect(nav.locator("a").first).to_be_visible()
    fits(page, "menu")
    problems = axe_violations(page)

    links = page.locator("#main-nav a, header .user a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) >= 4
    for href in dict.fromkeys(links):
        response = page.goto(href)
        assert response.status == 200, href
        fits(page, href)

    response = page.goto("/mentoring/")
    if response.status == 200:
        fits(page, "/mentoring/")

    # The open test from the home page, taken on the phone.
    page.goto("/")
    take = re.compile("Пройти|Продолжить")
    page.locator("table.my-open-diagnostics a", has_text=take).first.click()
    start = page.locator("#my-diagnostics button:has-text('Начать')")
    if start.count():
        start.first.click()
    page.wait_for_selector("#answer-sheet")
    fits(page, "attempt")
    problems += axe_violations(page)
    questions = page.locator("form.question")
    total = questions.count()
    assert total > 0
    progress = page.locator("#attempt-progress")
    expect(progress).to_contain_text(f"Отвечено 0 из {total}")
    for index in range(total):
        question = questions.nth(index)
        kind = question.get_attribute("data-kind")
        if kind in ("single", "multiple"):
            question.locator("input[name=value]").first.check()
        elif kind == "short":
            question.locator("input[name=value]").fill("ответ")
        else:
            for select in question.locator("select").all():
                select.select_option(index=1)
        expect(question.locator(".save-status")).to_have_text(re.compile("Сохранено"))
    expect(progress).to_contain_text(f"Отвечено {total} из {total}")
    # The counter and the timer stay on screen at the bottom of the sheet.
    page.locator("#submit-attempt").scroll_into_view_if_needed()
    box = progress.bounding_box()
    assert box is not None and 0 <= box["y"] < 10
    if page.locator("#countdown").count():
        timer = page.locator("#countdown").bounding_box()
        assert timer is not None and 0 <= timer["y"] < 60
    fits(page, "attempt answered")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-attempt")
    page.wait_for_selector("#area-scores")
    fits(page, "attempt result")

    # The route: what is due next on top, the report form one tap away.
    item = (
        RouteItem.objects.filter(route__person_id=demo.person_id, route__status=Status.IN_PROGRESS)
        .exclude(status=ItemStatus.DONE)
        .order_by("due_on", "id")
        .first()
    )
    page.goto(f"/routes/{item.route_id}/")
    fits(page, "route")
    problems += axe_violations(page)
    due = page.locator("#due-next")
    expect(due).to_contain_text(item.title)
    assert due.bounding_box()["y"] < PHONE["height"]
    before = item.reports.count()
    due.locator("li", has_text=item.title).locator("a.report-link").click()
    page.wait_for_selector("#report-form")
    assert page.url.endswith(f"/map/{item.pk}/#report-form")
    form = page.locator("#report-form")
    assert 0 <= form.bounding_box()["y"] < PHONE["height"]  # the form is on the screen
    fits(page, "item")
    assert "image/*" in form.locator("input[type=file]").get_attribute("accept")
    form.locator("textarea[name=text]").fill("Провела открытый урок, фото прилагаю")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "урок.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0jpeg"}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Отчёт отправлен")
    expect(page.locator("#reports")).to_contain_text("Провела открытый урок")
    fits(page, "item after report")
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
    assert item.reports.count() == before + 1 and item.reports.order_by("-id").first().file
