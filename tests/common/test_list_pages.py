"""Every list page is searchable, filterable, paginated and exportable to XLSX.

The lists are found in the URL configuration — every `ScopedListView` — so a new list is held to
the rule the day it is added. Each is opened on a small demo region by the first demo account
that sees it (the region-wide ones first) with pages of two rows, and must show the search box
(`name="q"`), the filter set's fields, the pagination, and a link to an XLSX export that answers
with a workbook. A list that may do without a part is named below with the reason.
"""

from io import BytesIO

import pytest
from django.core.paginator import Page
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from nms.accounts.models import User
from nms.common import jobs
from nms.common.views import ScopedListView, declared
from nms.demo.accounts import USERNAMES
from nms.demo.build import build_demo_region

SIZES = {"municipalities": 2, "organizations": 8, "people": 80, "seed": 3}
PER_PAGE = 2
# Region-wide accounts first: a list is checked as the widest account that sees it.
ACCOUNTS = ("cnppm", "ministry", "admin", "municipal", "methodist", "school", "expert", "teacher")

# Bounded lists that may do without a part of the rule, and why.
NO_SEARCH = {"area-list": "справочник из семи областей компетенций"}
NO_FILTERS = {
    "area-list": "справочник из семи областей компетенций",
    "roadmap-list": "несколько дорожных карт региона; поиска достаточно",
}
NO_EXPORT = {
    "area-list": "справочник из семи областей компетенций",
    "roadmap-list": "несколько дорожных карт; каждая выгружается со своей страницы",
    "template-list": "десятки шаблонов ИОМ; шаблон применяется, а не выгружается",
}


def _lists(patterns=None, prefix=""):
    """(URL name, view class, names of the URL's arguments) of every ScopedListView."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _lists(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ScopedListView) and pattern.name:
                yield pattern.name, view, tuple(pattern.pattern.converters)


def _caseload_methodist():
    from nms.support.models import Caseload

    return Caseload.objects.values_list("methodist_id", flat=True).order_by("pk").first()


def _procedure():
    from nms.diagnostics.models import Procedure

    return Procedure.objects.order_by("pk").values_list("pk", flat=True).first()


# A list under an object: how to name one of the demo region (a new one must be added here).
ARGUMENTS = {"support-caseload": _caseload_methodist, "procedure-results": _procedure}


def check_list(client, name, view, args) -> list[str]:
    """The problems of one list page (empty when it keeps the rule)."""
    url = reverse(name, args=args)
    exports = declared(view, "export") is not None or declared(view, "export_job") is not None
    response = seen_by = None
    for username in ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        answer = client.get(url)
        if answer.status_code != 200:
            continue
        response, seen_by = answer, username
        if not exports or 'id="export-xlsx"' in answer.content.decode():
            break  # the widest account offered the export
    if response is None:
        return [f"{name}: no demo account sees {url}"]
    html = response.content.decode()
    problems = []
    if name not in NO_SEARCH and 'name="q"' not in html:
        problems.append("no search box (name=q)")
    form = response.context.get("filter")
    fields = list(getattr(form, "form", form) or []) if form is not None else []
    if name not in NO_FILTERS and not [f for f in fields if f.name != "q"]:
        problems.append("no filter besides the search")
    page = response.context.get("page")
    if not isinstance(page, Page) or page.paginator.per_page != PER_PAGE:
        problems.append("not paginated")
    elif 'class="pagination"' not in html:
        problems.append("no pagination control")
    elif page.paginator.count > PER_PAGE and "стр. 1 из" not in html:
        problems.append(f"{page.paginator.count} rows on one page")
    if name not in NO_EXPORT:
        problems += [f"export: {p}" for p in _check_export(client, html, url)]
    return [f"{name} ({seen_by}): {p}" for p in problems]


def _check_export(client, html, url) -> list[str]:
    if 'id="export-xlsx"' not in html:
        return ["no link (id=export-xlsx)"]
    response = client.get(url, {"format": "xlsx"})
    if response.status_code == 302:  # above the limit: a background job (run at once in tests)
        return []
    if response.status_code != 200 or response["Content-Type"] != jobs.XLSX:
        return [f"answers {response.status_code} {response.get('Content-Type')}"]
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    if not next(sheet.iter_rows(max_row=1, values_only=True), None):
        return ["the workbook has no header row"]
    return []


@pytest.fixture
def demo_region(db):
    build_demo_region(**SIZES)
    User.objects.filter(username__in=USERNAMES).update(must_change_password=False)


def test_every_list_is_found():
    """The walk over the URL configuration finds the lists (a broken walk would pass all)."""
    names = {name for name, _, _ in _lists()}
    assert {"person-list", "organization-list", "event-list", "support-candidates"} <= names
    unnamed = {name for name, _, arguments in _lists() if arguments} - set(ARGUMENTS)
    assert not unnamed, f"lists under an object without a demo object in ARGUMENTS: {unnamed}"
    assert set(NO_SEARCH) | set(NO_FILTERS) | set(NO_EXPORT) <= names  # no stale exemptions


def test_every_list_is_searchable_filterable_paginated_exportable(client, demo_region, monkeypatch):
    report = []
    for name, view, arguments in _lists():
        monkeypatch.setattr(view, "per_page", PER_PAGE)
        args = [ARGUMENTS[name]()] if arguments else []
        if arguments and args[0] is None:
            report.append(f"{name}: the demo region has no object for it")
            continue
        report += check_list(client, name, view, args)
        client.logout()
    assert not report, "\n".join(report)
