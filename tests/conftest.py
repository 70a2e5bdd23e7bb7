import pytest

from nms.accounts.models import Role
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background jobs run inside the request in tests; tests/browser runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
