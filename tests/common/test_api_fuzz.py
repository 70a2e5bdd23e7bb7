"""A bounded schemathesis run over the OpenAPI schema (/api/v1/schema/): for every operation a few
generated requests, as a ЦНППМ user and as a teacher (each with a token), against the Django WSGI
application. No request may end in a server error and every answer must match the schema.

Kept small (a few examples per operation, derandomized, no shrinking, no example database) so it
runs in the suite in well under a minute on SQLite.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

PASSWORD = "Пароль-для-тестов-1"  # tests.factories.UserFactory


# Loaded when the module is collected (the schema view reads no database); the lazy loader
# (`schemathesis.pytest.from_fixture`) does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
# Examples and random generation only: the coverage phase makes every boundary case of every
# parameter (minutes, not seconds).
schema.config.phases.update(phases=["examples", "fuzzing"])

# Not fuzzed: issuing accounts (POST /accounts/issue/) may send mail to the people selected.


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
