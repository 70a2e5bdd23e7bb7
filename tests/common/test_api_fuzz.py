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
from django.db import close_old_connections, connection
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

PASSWORD = "Пароль-для-тестов-1"  # tests.factories.UserFactory

# On PostgreSQL the generated calls of POST /auth/token/ find the test's connection closed inside
# django-axes (not understood yet; SQLite keeps its in-memory connection): run on SQLite only.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the fuzz run is made on SQLite (see the note above)"
)


# Built when the module is collected, by the generator behind /api/v1/schema/ (no request, no
# database); the lazy loader (`schemathesis.pytest.from_fixture`) does not work with pytest 9.
schema = schemathesis.openapi.from_dict(
    json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
)
schema.app = get_wsgi_application()
# Examples and random generation only: the coverage phase makes every boundary case of every
# parameter (minutes, not seconds).
schema.config.phases.update(phases=["examples", "fuzzing"])

# Not fuzzed: issuing accounts (POST /accounts/issue/) may send mail to the people selected.


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, which closes the database connection when
    a request ends (Django's test client switches that off): the test's transaction would go."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
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
