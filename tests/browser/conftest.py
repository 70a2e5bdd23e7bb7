"""Playwright for Python driving Debian's chromium against Django's live server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    """Mark browser tests and run them last: a transactional test ends by emptying every table,
    the reference data of the data migrations too, which the tests after it rely on."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Put back what the data migrations loaded (positions, subjects, competency areas)."""
    from nms.diagnostics import areas
    from nms.diagnostics.models import CompetencyArea, SubCompetency
    from nms.registry import dictionaries
    from nms.registry.models import Position, Subject

    dictionaries.install(Position, Subject)
    areas.install(CompetencyArea, SubCompetency)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    def login(username, password):
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return login
