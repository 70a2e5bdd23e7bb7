"""Every date a client sends to the API is a `StrictDateField` (nms.common.api): ДД.ММ.ГГГГ with a
two-digit day and month, or ГГГГ-ММ-ДД. The request bodies are found through the OpenAPI schema,
so a new endpoint taking a plain DateField fails here (issue 8, item 7). The accounts and deficits
APIs take no date; the dates they answer are StrictDateFields as well."""

from datetime import date

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from nms.accounts import api as accounts_api
from nms.common.api import API_DATE_FORMAT_MESSAGE, StrictDateField
from nms.deficits import api as deficits_api
from tests.routes.conftest import entry_result  # noqa: F401 -- a fixture


def _date_fields(serializer, path=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _date_fields(field, f"{path}{name}.")
        elif isinstance(field, serializers.DateField):
            yield f"{path}{name}", field


def request_serializers():
    """(method path, serializer) of every request body of the API, as its schema describes it."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        schema = view.schema
        schema.path, schema.path_regex, schema.path_prefix = path, path_regex, ""
        schema.method = method
        serializer = schema.get_request_serializer()
        bodies = serializer.values() if isinstance(serializer, dict) else [serializer]
        for body in bodies:
            body = body() if isinstance(body, type) else body
            if isinstance(body, serializers.ListSerializer):
                body = body.child
            if isinstance(body, serializers.Serializer):
                yield f"{method} {path}", body


def test_every_date_a_client_sends_is_strict():
    """Each date field of each request body of the API, found through the OpenAPI schema."""
    found, plain = [], []
    for operation, serializer in request_serializers():
        for name, field in _date_fields(serializer):
            if not field.read_only:
                found.append(f"{operation} {name}")
                if not isinstance(field, StrictDateField):
                    plain.append(f"{operation} {type(serializer).__name__}.{name}")
    assert plain == []
    assert len(found) > 20 and "POST /api/v1/people/ birth_date" in found  # the search works


@pytest.mark.parametrize("module", [accounts_api, deficits_api])
def test_the_dates_of_accounts_and_deficits_are_strict(module):
    """Their API only answers dates (the roles' periods, a result's day): in the same field."""
    dates = [
        (serializer.__name__, name, field)
        for serializer in vars(module).values()
        if isinstance(serializer, type)
        and issubclass(serializer, serializers.Serializer)
        and serializer.__module__ == module.__name__
        for name, field in _date_fields(serializer())
    ]
    assert dates, module.__name__
    assert [(s, n) for s, n, f in dates if not isinstance(f, StrictDateField)] == []


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("04.03.2026", date(2026, 3, 4)),
        ("2026-03-04", date(2026, 3, 4)),
        ("4.3.2026", None),
        ("04.3.2026", None),
        ("2026-3-4", None),
        ("31.02.2026", None),
        ("04/03/2026", None),
    ],
)
def test_the_strict_date(value, parsed):
    field = StrictDateField()
    if parsed is None:
        with pytest.raises(serializers.ValidationError) as error:
            field.run_validation(value)
        assert API_DATE_FORMAT_MESSAGE in str(error.value.detail)
    else:
        assert field.run_validation(value) == parsed


def test_accounts_and_deficits_answer_dates_as_the_other_apps(users, entry_result):  # noqa: F811
    client = APIClient()
    client.force_authenticate(users["school"])
    roles = client.get("/api/v1/me/").json()["roles"]
    assert roles and {"valid_from", "valid_to"} <= set(roles[0])

    client.force_authenticate(users["cnppm"])
    answer = client.get("/api/v1/diagnostics/clusters/members/", {"profile": "methodical"})
    assert answer.status_code == 200, answer.content
    [member] = answer.json()["results"]
    shown = member["taken_on"]
    assert shown in (f"{entry_result.taken_on:%d.%m.%Y}", entry_result.taken_on.isoformat())
    # The format is that of the routes' dates, which are StrictDateFields already.
    assert StrictDateField().to_representation(entry_result.taken_on) == shown
