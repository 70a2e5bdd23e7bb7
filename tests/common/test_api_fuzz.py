"""A bounded schemathesis run over the OpenAPI schema (/api/v1/schema/): for every operation a few
generated requests, as a ЦНППМ user and as a teacher (each with a token), against the Django WSGI
application. No request may end in a server error and every answer must match the schema.

Kept small (a few examples per operation, derandomized, no shrinking, no example database) so it
runs in the suite in well under a minute on SQLite.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

PASSWORD = "Пароль-для-тестов-1"  # tests.factories.UserFactory


# Built when the module is collected, by the generator behind /api/v1/schema/ (no request, no
# database); the lazy loader (`schemathesis.pytest.from_fixture`) does not work with pytest 9.
schema = schemathesis.openapi.from_dict(
    json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
)


class _App:
    """The Django WSGI application as the test client runs it: the test's database connection
    is not closed at a request's start or end.

    Django closes a connection whose autocommit differs from its settings when a request starts
    and ends (`close_old_connections` on request_started/request_finished) — inside a test's
    transaction that is the test's connection, and on PostgreSQL the next query then meets
    «the connection is closed» (SQLite's in-memory connection is never really closed). Django's
    test client disconnects that receiver around each of its requests and connects it again
    after, so disconnecting it once before the run does not hold: any use of the test client
    (obtaining the tokens) connects it again. Hence every request of the run disconnects it."""

    def __init__(self):
        self.handler = get_wsgi_application()

    def __call__(self, environ, start_response):
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
        return self.handler(environ, start_response)


schema.app = _App()
# Examples and random generation only: the coverage phase makes every boundary case of every
# parameter (minutes, not seconds).
schema.config.phases.update(phases=["examples", "fuzzing"])

# Not fuzzed: issuing accounts (POST /accounts/issue/) may send mail to the people selected.


@pytest.fixture(autouse=True)
def _connect_close_old_connections_again():
    """After the run Django closes old connections at a request's start and end again (`_App`)."""
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _token(user) -> str:
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


@pytest.fixture
def tokens(users):
    """A token of a ЦНППМ user (sees the region) and of a teacher (sees themselves)."""
    return [_token(users["cnppm"]), _token(users["teacher"])]


@schema.exclude(method="POST", path="/api/v1/accounts/issue/").parametrize()
@pytest.mark.django_db
@settings(
    max_examples=3,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, tokens):
    for token in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )


def test_a_request_of_the_run_keeps_the_test_connection(tokens, users):
    """The cause of «the connection is closed» on PostgreSQL: the tokens are obtained through the
    test client, which connects `close_old_connections` again — the run's requests must not
    close the test's connection anyway."""
    from django.db import connection
    from werkzeug.test import Client as WsgiClient

    assert request_started.has_listeners()  # the test client connected it again
    answer = WsgiClient(schema.app).get(
        "/api/v1/me/", headers={"Authorization": f"Token {tokens[0]}"}
    )
    assert answer.status_code == 200
    assert connection.in_atomic_block and users["cnppm"].__class__.objects.count() > 0
