"""The link walk: every page reachable from a role's navigation, and every link and button on it.

For each demo account of a small demo region (registry, diagnostics, routes), starting from the
home page and the header's navigation, every same-site link (`<a href>`), the target of every GET
form and of every POST form (its button) is followed breadth-first, bounded per URL pattern. No
page answers 5xx, and nothing a page shows leads to 403 or 404: a POST target is fetched with
GET, which a page that would take the POST answers 405 (the scope is checked before the method).

Bounds keep it quick: a few addresses per URL name (query variants included), one XLSX export
per URL name, a cap of pages per role; logout, the admin's inner pages and the API's JSON are
not walked (the API has its own scope matrix).
"""

import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from nms.accounts.models import User
from nms.demo.accounts import USERNAMES
from nms.demo.build import build_demo_region

SIZES = {"municipalities": 2, "organizations": 10, "people": 160, "seed": 5}
PER_NAME = 2  # addresses per URL name (a POST target: one; with a query string: one more)
PER_ROLE = 300  # pages per role
SKIP_PREFIXES = ("/static/", "/media/", "/logout/", "/api/v1/", "/admin/")
SKIP_NAMES = {"logout", "job-download"}  # a one-time file is gone once downloaded

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """(kind, target) of a page: ("a", href), ("get", form action), ("post", form action)."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(("a", attrs["href"]))
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("action") or self.base
            self.found.append(("post" if method == "post" else "get", action))


def same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver":
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) and path != "/admin/":
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.url_name or match.view_name


def walk(client, start: list[str]) -> tuple[list[str], int]:
    """Breadth-first walk; returns (problems, pages fetched)."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    per_name: dict[str, int] = {}
    exported: set[str] = set()
    queue = deque(("get", url, "(навигация)") for url in start)
    fetched = 0
    while queue and fetched < PER_ROLE:
        method, url, source = queue.popleft()
        if (method, url) in seen:
            continue
        seen.add((method, url))
        name = url_name(url)
        if name is None:
            problems.append(f"{source} → {url}: нет такого адреса (404)")
            continue
        if name in SKIP_NAMES:
            continue
        if "format=xlsx" in url:
            if name in exported:
                continue
            exported.add(name)
        else:
            counted = f"{method}:{name}:{'?' in url}"
            limit = 1 if method == "post" or "?" in url else PER_NAME
            if per_name.get(counted, 0) >= limit:
                continue
            per_name[counted] = per_name.get(counted, 0) + 1
        response = client.get(url)
        fetched += 1
        status = response.status_code
        if status >= 500 or status in (403, 404) or (method != "post" and status == 405):
            problems.append(f"{source} → {url} [{method}]: {status}")
            continue
        if status in (301, 302):
            location = same_site(url, response["Location"])
            if location and not location.startswith("/login/"):
                queue.append(("get", location, url))
            elif location and location.startswith("/login/"):
                problems.append(f"{source} → {url}: перенаправляет на вход")
            continue
        if method == "post" or "html" not in response.get("Content-Type", ""):
            continue
        parser = Links(url)
        parser.feed(response.content.decode())
        for kind, href in parser.found:
            target = same_site(url, href)
            if target:
                queue.append(("post" if kind == "post" else "get", target, url))
    return problems, fetched


@pytest.fixture
def demo_region(db):
    build_demo_region(**SIZES)
    User.objects.filter(username__in=USERNAMES).update(must_change_password=False)


def nav_links(client) -> list[str]:
    page = client.get("/").content.decode()
    nav = re.search(r'<nav id="main-nav">(.*?)</nav>', page, re.S)
    return ["/", *re.findall(r'href="([^"]+)"', nav.group(1) if nav else "")]


def test_no_link_shown_leads_to_an_error(client, demo_region):
    started = time.perf_counter()
    report, pages = [], 0
    for username in USERNAMES:
        user = User.objects.get(username=username)
        client.force_login(user)
        problems, fetched = walk(client, nav_links(client))
        pages += fetched
        report += [f"{username}: {p}" for p in problems]
        client.logout()
    elapsed = time.perf_counter() - started
    print(f"\nlink walk: {pages} pages, {elapsed:.1f} s")
    assert not report, "\n".join(report)
