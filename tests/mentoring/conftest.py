"""A small mentoring world on tests/conftest.py's two municipalities.

Teacher A (the mentee) teaches mathematics at school A; her latest diagnostics found a deficit in
the methodical area (40 %). Mentors:
- `best`: mathematics, strong in the methodical area (backed: 90 % in her diagnostics), another
  school of municipality A;
- `area_only`: physics, methodical, the mentee's own school;
- `subject_only`: mathematics, strong in ICT only;
- `full`: mathematics, methodical, capacity 1 and already in an active pair;
- `far`: mathematics, methodical, municipality B, keeps to her own municipality.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from nms.accounts.models import Role
from nms.diagnostics.models import Procedure, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.mentoring.models import MentorProfile, Pair
from nms.registry.models import Subject
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory

TODAY = date.today()


def subject(name) -> Subject:
    return Subject.objects.get(name=name)


def area(code) -> CompetencyArea:
    return CompetencyArea.objects.get(code=code)


def diagnostics(region, person, shares: dict, days_ago=10):
    """A result of `person` with {area code: share %}."""
    taken = TODAY - timedelta(days=days_ago)
    procedure = Procedure.objects.create(
        region=region, name=f"Диагностика {person.pk}-{days_ago}", level="regional",
        kind="entry", starts_on=taken, ends_on=taken, is_external=True,
    )  # fmt: skip
    scores = {area(code): (Decimal(share), Decimal(100)) for code, share in shares.items()}
    return result_record(person.pk, procedure, taken, scores, ResultSource.IMPORT)


def teacher_at(organization, subjects=(), **person):
    employment = EmploymentFactory(organization=organization, person=PersonFactory(**person))
    employment.subjects.set([subject(s) for s in subjects])
    return employment.person


def profile(person, areas=(), subjects=(), **fields):
    made = MentorProfile.objects.create(person=person, public=True, **fields)
    made.areas.set([area(a) for a in areas])
    made.subjects.set([subject(s) for s in subjects])
    return made


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The pairs' documents go to a directory of the test."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(region, two_municipalities, users, make_user):
    a, b = two_municipalities["a"], two_municipalities["b"]
    mentee = a["teacher"]
    mentee.employments.get().subjects.set([subject("математика")])
    diagnostics(region, mentee, {"methodical": 40, "ict": 85})
    other_school = OrganizationFactory(municipality=a["municipality"])
    best = teacher_at(other_school, ["математика"], last_name="Лучшева")
    diagnostics(region, best, {"methodical": 90, "ict": 60})
    area_only = teacher_at(a["school"], ["физика"], last_name="Областная")
    subject_only = teacher_at(other_school, ["математика"], last_name="Предметова")
    full = teacher_at(other_school, ["математика"], last_name="Занятова")
    far = teacher_at(b["school"], ["математика"], last_name="Далёкова")
    profiles = SimpleNamespace(
        best=profile(best, ["methodical"], ["математика"]),
        area_only=profile(area_only, ["methodical"], ["физика"]),
        subject_only=profile(subject_only, ["ict"], ["математика"]),
        full=profile(full, ["methodical"], ["математика"], capacity=1),
        far=profile(far, ["methodical"], ["математика"], across_municipalities=False),
    )
    Pair.objects.create(
        mentor=full, mentee=a["director"], form="teacher_teacher", starts_on=TODAY,
        organization=a["school"],
    )  # fmt: skip
    mentor_users = {
        name: make_user(Role.TEACHER, person=getattr(profiles, name).person)
        for name in ("best", "area_only", "far")
    }
    return SimpleNamespace(
        a=a, b=b, mentee=mentee, profiles=profiles, users=users, mentor_users=mentor_users,
        other_school=other_school,
    )  # fmt: skip
