import pytest
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test.utils import CaptureQueriesContext

from nms.accounts.models import Role
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
)


def _flush_filled_tables_only():
    """A transactional test (the browser tests, the concurrency tests) ends by emptying every
    table. On PostgreSQL Django does it with one TRUNCATE of all ≈ 300 tables, which makes new
    files for each table and index: seconds per test. The tables a test filled are few: they are
    emptied with DELETE instead, in the flush's transaction (the foreign keys are deferred, so
    the order does not matter), and the rest are left alone. Sequences are reset as before."""
    truncate_all = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate_all(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        probes = " UNION ALL ".join(
            f"(SELECT {n} FROM {self.quote_name(table)} LIMIT 1)" for n, table in enumerate(tables)
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probes)
            filled = [tables[n] for (n,) in cursor.fetchall()]
        return [f"DELETE FROM {self.quote_name(table)};" for table in filled]

    DatabaseOperations.sql_flush = sql_flush


_flush_filled_tables_only()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background jobs run inside the request in tests; tests/browser runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _figures_live(settings):
    """Territory figures are recomputed on every view in tests (tests/common/test_aggregates.py
    checks keeping them)."""
    settings.NMS_AGGREGATE_SECONDS = 0


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def two_municipalities(region):
    """Two municipalities, each with a school and two teachers (one of them its director)."""
    world = {}
    for key in ("a", "b"):
        municipality = MunicipalityFactory(region=region)
        school = OrganizationFactory(municipality=municipality)
        teacher = EmploymentFactory(organization=school).person
        director = EmploymentFactory(organization=school, manager_kind="head").person
        world[key] = {
            "municipality": municipality,
            "school": school,
            "teacher": teacher,
            "director": director,
        }
    return world


@pytest.fixture
def make_user(region):
    def make(role, **kwargs):
        if role in (Role.MINISTRY, Role.CNPPM, Role.METHODIST):
            kwargs.setdefault("region", region)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user, two_municipalities):
    """One user of every role, bound to municipality A (its school, its teacher) unless the key
    says otherwise; the methodist has teacher A in care."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    methodist = make_user(Role.METHODIST)
    methodist.assigned_people.add(a["teacher"])
    return {
        "admin": make_user(Role.ADMIN),
        "ministry": make_user(Role.MINISTRY),
        "cnppm": make_user(Role.CNPPM),
        "methodist": methodist,
        "municipal": make_user(Role.MUNICIPAL, municipality=a["municipality"]),
        "school": make_user(Role.SCHOOL, organization=a["school"]),
        "teacher": make_user(Role.TEACHER, person=a["teacher"]),
        "colleague": make_user(Role.TEACHER, person=a["director"]),
        "expert": make_user(Role.EXPERT, person=b["teacher"]),
        "other_school": make_user(Role.SCHOOL, organization=b["school"]),
    }


@pytest.fixture
def count_queries():
    """`count_queries(call, *args, **kwargs)` → (number of queries it ran, what it returned).

    The user's role assignments are read once per request; a test that compares counts of two
    calls for one user object should call `scope_of(user)` first."""

    def count(call, *args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = call(*args, **kwargs)
        return len(queries), result

    return count
