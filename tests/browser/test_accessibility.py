"""Accessibility (issue 16): axe-core finds no violation of the WCAG 2 A and AA rules on the main
pages of every demo account — the home page and sections of its header, a different pick of
sections for each role so that together they cover most of the header (sections added later are
covered too) — on a wide screen or a tablet (768 px), where no page is wider than the screen.
The phone test runs the same check on the teacher's test, route and report pages.

axe-core comes from the PyPI package axe-playwright-python (axe.min.js bundled, MPL-2.0): no
browser download, nothing fetched at test time."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from nms.accounts.models import User
from nms.demo.accounts import DEMO_PASSWORD, USERNAMES
from nms.demo.build import build_demo_region

SIZES = {"municipalities": 2, "organizations": 10, "people": 160, "seed": 5}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SECTIONS_PER_ROLE = 2  # besides the home page
WIDE = {"width": 1366, "height": 768}
# The managers' registers and maps are used on a tablet too: their tables scroll inside their
# boxes, never the page.
TABLET = {"width": 768, "height": 1024}
ON_TABLET = {"ministry", "cnppm", "municipal", "school"}


def axe_violations(page) -> list[str]:
    """The WCAG 2 A/AA violations axe-core finds on the page as it is, one line per rule."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    found = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]})
             .then(results => results.violations.map(v =>
               `${v.id} (${v.impact}): ${v.help} — ` +
               v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")))""",
        WCAG,
    )
    return [f"{page.url}: {line}" for line in found]


def check(page, screen) -> list[str]:
    """axe-core's violations, and a document wider than the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = [f"{page.url}: {width} px wide on a {screen['width']} px screen"]
    return axe_violations(page) + (wide if width > screen["width"] else [])


@pytest.fixture
def demo(transactional_db):
    build_demo_region(**SIZES)
    User.objects.filter(username__in=USERNAMES).update(must_change_password=False)


def test_every_role_main_pages_have_no_wcag_violations(browser, live_server, demo):
    problems = []
    visited = 0
    for number, username in enumerate(USERNAMES):
        screen = TABLET if username in ON_TABLET else WIDE
        context = browser.new_context(locale="ru-RU", base_url=live_server.url, viewport=screen)
        context.set_default_timeout(15000)
        page = context.new_page()

        try:
            page.goto("/login/")
            if number == 0:
                problems += check(page, screen)
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            problems += check(page, screen)
            visited += 1
            links = page.locator("#main-nav a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            # The API's documentation is drf-spectacular's page, not ours.
            sections = [h for h in dict.fromkeys(links) if h != "/" and not h.startswith("/api/")]
            # Each role its own pick (by its number), so the roles share out the sections.
            for k in range(min(SECTIONS_PER_ROLE, len(sections))):
                href = sections[(number * SECTIONS_PER_ROLE + k) % len(sections)]
                response = page.goto(href)
                if response.status != 200:
                    problems.append(f"{username} {href}: HTTP {response.status}")
                    continue
                problems += check(page, screen)
                visited += 1
        finally:
            context.close()
    assert visited >= len(USERNAMES) * 2
    assert not problems, "\n".join(problems)
