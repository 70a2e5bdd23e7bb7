"""Playwright for Python driving Debian's chromium against Django's live server."""

import os
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from nms.common.models import JobStatus

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


# The browser tests drive pages whose rules the rest of the suite checks on both databases; each
# browser module runs once, in one of the two suites `make test` runs side by side, so that the
# whole run stays within its time. These run on PostgreSQL (the background worker with its own
# connection, trigram search, documents and files, the newer apps' flows), the rest on SQLite.
ON_POSTGRESQL = {
    "test_jobs_flow",
    "test_registry_flow",
    "test_searchable_select",
    "test_route_documents",
    "test_monitoring_flow",
    "test_catalogs_flow",
    "test_roadmap_flow",
    "test_staffing_flow",
}


def _suite_database() -> str:
    from django.conf import settings

    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def pytest_collection_modifyitems(items):
    """Mark browser tests, leave out those of the other suite (ON_POSTGRESQL) and run the rest
    last: a transactional test ends by emptying every table, the reference data of the data
    migrations too, which the tests after it rely on."""
    database = _suite_database()
    for item in items:
        if "tests/browser/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        runs_on = "postgresql" if item.module.__name__.split(".")[-1] in ON_POSTGRESQL else "sqlite"
        if runs_on != database:
            names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
            reason = f"browser flow: runs once, in the {names[runs_on]} suite (see ON_POSTGRESQL)"
            item.add_marker(pytest.mark.skip(reason=reason))
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Put back what the data migrations loaded (positions, subjects, competency areas, the
    monitoring's catalogue of indicators, the directory of specialties)."""
    from nms.itembank import areas
    from nms.itembank.models import CompetencyArea, SubCompetency
    from nms.monitoring import catalogue
    from nms.registry import dictionaries
    from nms.registry.models import Position, Subject
    from nms.staffing import specialties
    from nms.staffing.models import Specialty

    dictionaries.install(Position, Subject)
    areas.install(CompetencyArea, SubCompetency)
    catalogue.load()
    specialties.install(Specialty, Subject)


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
    # The Content-Security-Policy allows no inline script, handler or style: a page relying on
    # one is reported by the browser on its console, and the test fails.
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )
    yield page
    context.close()
    assert not violations, "\n".join(violations)


@pytest.fixture
def login(page):
    def login(username, password):
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return login


# -- background jobs: a real worker on the real database queue ----------------------------------
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_worker(transactional_db, live_server, settings):
    """Start with `db_worker.start()`; stopped (and its thread joined) at teardown."""
    settings.TASKS = DATABASE_QUEUE
    shared = dict(live_server.thread.connections_override)  # SQLite in memory; else empty
    worker = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    )

    def run():
        for alias, connection in shared.items():
            connections[alias] = connection
        try:
            worker.run()
        finally:
            if not shared:
                connections.close_all()

    def stop():
        worker.running = False
        if thread.is_alive():
            thread.join(timeout=60)
        assert not thread.is_alive(), "the worker did not stop"

    thread = threading.Thread(target=run, name="db-worker", daemon=True)
    yield SimpleNamespace(start=thread.start, stop=stop)
    stop()


def wait_for_job(page, done_selector: str, seconds: float = 60) -> list[str]:
    """Wait on a job page until `done_selector` shows; return the states the page went through.

    The page must not reload: htmx swaps the status fragment in place."""
    page.wait_for_selector("#job-progress", state="attached")
    page.evaluate("window.__same_page = true")
    states = [page.get_attribute("#job-status", "data-status")]
    deadline = time.monotonic() + seconds
    while not page.locator(done_selector).count():
        assert time.monotonic() < deadline, f"the job did not end: {states}"
        page.wait_for_timeout(250)
        state = page.get_attribute("#job-status", "data-status")
        if state != states[-1]:
            states.append(state)
        assert state != JobStatus.FAILED, page.inner_text("#job-status")
        assert len(states) < 10 and page.evaluate("window.__same_page === true")
    final = page.get_attribute("#job-status", "data-status")
    if final != states[-1]:  # the done mark may show before the loop has read the last state
        states.append(final)
    return states
