"""Ids and numeric filters are checked: a wrong one answers 404 (in a path) or 400 (in a query
string, with a Russian message), never 500 — for every viewset of the API router, every filter
of their filter sets and every page of the URL configuration."""

import re

import django_filters as df
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from nms.api_urls import router
from nms.common.filters import ID_MAX, IdField, parse_id

BAD_IDS = ["abc", "1e20", "99999999999999999999", str(ID_MAX + 1), "-1", "1.5", "0x10"]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture
def api(users):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(users["cnppm"])
    return client


def _detail_routes():
    """(prefix, viewset, url suffix, methods) for every route of the router that names one
    object, extra actions included."""
    for prefix, viewset, _basename in router.registry:
        for route in router.get_routes(viewset):
            if "{lookup}" not in route.url:
                continue
            suffix = route.url.split("{lookup}", 1)[1].replace("{trailing_slash}", "/")
            suffix = re.sub(r"\(\?P<[a-z_]+>\[0-9\]\+\)", "1", suffix)
            suffix = suffix.lstrip("/").rstrip("$")
            methods = [m for m in route.mapping if hasattr(viewset, route.mapping[m])]
            yield prefix, viewset, suffix, methods


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_wrong_id_in_an_api_path_is_404(api, bad):
    checked = 0
    for prefix, _viewset, suffix, methods in _detail_routes():
        url = f"/api/v1/{prefix}/{bad}/{suffix}"
        for method in methods:
            response = getattr(api, method)(url, {}, format="json")
            assert response.status_code in (404, 405), (method, url, response.status_code)
            checked += 1
    assert checked > 30


def test_the_named_attempt_urls(api):
    for url in ("abc/", "abc/answer/", "abc/submit/", "99999999999999999999/answer/"):
        full = f"/api/v1/diagnostics/attempts/{url}"
        assert api.get(full).status_code in (404, 405)
        assert api.post(full, {}, format="json").status_code in (404, 405)


def test_a_nested_id_beyond_the_range_is_404(api):
    huge = "99999999999999999999"
    assert api.patch(f"/api/v1/routes/1/items/{huge}/", {}, format="json").status_code == 404
    assert api.get(f"/api/v1/routes/{huge}/versions/{huge}/").status_code == 404


def _number_filters():
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None:
            continue
        for name, flt in filterset.base_filters.items():
            if isinstance(flt, df.NumberFilter | df.ModelChoiceFilter):
                yield prefix, name, flt


def test_every_number_filter_of_an_id_takes_integers_only():
    """A plain NumberFilter cleans "1e20" to a decimal the database cannot compare: every
    NumberFilter of the API's filter sets is an id filter (IdFilter) — or bounded itself."""
    for prefix, name, flt in _number_filters():
        if isinstance(flt, df.NumberFilter):
            assert issubclass(flt.field_class, IdField), (prefix, name)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_wrong_id_in_an_api_filter_is_400_in_russian(api, bad):
    checked = 0
    for prefix, name, _flt in _number_filters():
        response = api.get(f"/api/v1/{prefix}/", {name: bad})
        assert response.status_code == 400, (prefix, name, bad, response.status_code)
        assert CYRILLIC.search(" ".join(response.json()[name])), (prefix, name, response.json())
        checked += 1
    assert checked >= 10


def test_a_good_id_filter_still_filters(api, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    response = api.get("/api/v1/employments/", {"person": str(teacher.pk)})
    assert response.status_code == 200
    assert {row["person"] for row in response.json()["results"]} == {teacher.pk}


def _page_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("api/", "admin/")):
                continue
            yield from _page_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_pages_take_no_wrong_id_for_a_500(users, client):
    """Every page of the URL configuration: its <int:…> parts beyond the range are 404, and its
    filters' query parameters with wrong ids are never a 500."""
    client.raise_request_exception = False
    client.force_login(users["cnppm"])
    huge = "99999999999999999999"
    checked = 0
    for route, entry in _page_patterns():
        if "<" in route:
            if not re.search(r"<int:", route) or re.search(r"<(?!int:)", route):
                continue
            url = "/" + re.sub(r"<int:[a-z_]+>", huge, route)
            response = client.get(url)
            assert response.status_code in (302, 404, 405), (url, response.status_code)
            checked += 1
            continue
        view = getattr(entry.callback, "view_class", None)
        filterset = getattr(view, "filterset_class", None)
        names = list(filterset.base_filters) if filterset else []
        for name in [*names, "person", "organization", "municipality", "page"]:
            for bad in ("1e20", huge, "abc"):
                response = client.get("/" + route, {name: bad})
                assert response.status_code < 500, (route, name, bad)
                checked += 1
    assert checked > 50


def test_the_accounts_page_refuses_wrong_ids(users, client):
    client.raise_request_exception = False
    client.force_login(users["cnppm"])
    for name in ("person", "organization", "municipality"):
        for bad in ("1e20", "99999999999999999999", "abc"):
            response = client.get("/accounts/issue/", {name: bad})
            assert response.status_code in (400, 404), (name, bad, response.status_code)


def test_parse_id():
    assert parse_id("12") == 12
    assert parse_id(str(ID_MAX)) == ID_MAX
    for bad in [*BAD_IDS, "", "0", " "]:
        assert parse_id(bad) is None
