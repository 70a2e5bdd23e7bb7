"""A small catalogs world on tests/conftest.py's two municipalities.

- `author` — teacher A (school A), with a teacher's account (users["teacher"]);
- `expert1`, `expert2` — workers of school B with a current «экспертиза практик» role in the
  region and an expert's account; `stale_expert` — an expert role that ended last year;
- `expert_author` — a worker of school A with an expert role and account who co-authors the
  practice (never its expert);
- the ЦНППМ of the region (users["cnppm"]).
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from nms.accounts.models import Role
from nms.catalogs import services
from nms.catalogs.models import ItemLevel
from nms.support.models import ExpertRole
from tests.factories import EmploymentFactory, PersonFactory

TODAY = date.today()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def expert_at(organization, region, make_user, *, ended=False, **person):
    person = PersonFactory(region=region, **person)
    EmploymentFactory(person=person, organization=organization)
    ExpertRole.objects.create(
        region=region, person=person, kind="practice_review", level="regional",
        starts_on=TODAY - timedelta(days=400),
        ends_on=TODAY - timedelta(days=30) if ended else None,
    )  # fmt: skip
    user = make_user(Role.EXPERT, person=person)
    return person, user


def practice_data(organization, **extra):
    return {
        "title": "Проектная мастерская «Читаем вместе»",
        "description": "Практика смыслового чтения в 5–7 классах.",
        "organization": organization,
        "level": ItemLevel.SCHOOL,
        "direction": "функциональная грамотность",
        "tags": "чтение, ФГ",
        **extra,
    }


@pytest.fixture
def world(region, two_municipalities, users, make_user):
    a, b = two_municipalities["a"], two_municipalities["b"]
    expert1, expert1_user = expert_at(b["school"], region, make_user, last_name="Экспертова")
    expert2, expert2_user = expert_at(b["school"], region, make_user, last_name="Ревьюева")
    stale, stale_user = expert_at(b["school"], region, make_user, ended=True, last_name="Бывшева")
    co, co_user = expert_at(a["school"], region, make_user, last_name="Соавторова")
    return SimpleNamespace(
        region=region, a=a, b=b, users=users, author=a["teacher"],
        expert1=expert1, expert1_user=expert1_user, expert2=expert2, expert2_user=expert2_user,
        stale_expert=stale, stale_user=stale_user, coauthor=co, coauthor_user=co_user,
    )  # fmt: skip


def make_practice(world, **extra):
    """A draft by teacher A, co-authored by `coauthor`."""
    user = world.users["teacher"]
    data = practice_data(world.a["school"], authors=[world.coauthor], **extra)
    return services.practice_create(user, data)


def to_review(world, item, experts=None):
    """Submitted by the author, experts assigned by the ЦНППМ."""
    services.submit(world.users["teacher"], item)
    experts = experts or [world.expert1, world.expert2]
    services.assign_experts(world.users["cnppm"], item, experts)
    item.refresh_from_db()
    return item


def scores(value=3) -> dict:
    return {str(c.pk): value for c in services.criteria()}


def review(user, item, verdict="publish", comment=""):
    assignment = services.open_assignment(user, item)
    return services.review_write(
        user, assignment, {"scores": scores(), "verdict": verdict, "comment": comment}
    )
