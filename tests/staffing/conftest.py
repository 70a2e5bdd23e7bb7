"""A small staffing world on tests/conftest.py's two municipalities.

School A (municipality A): teacher A teaches mathematics and physics; her diploma
«математика и информатика» covers mathematics only, a completed retraining covers physics —
nobody there teaches outside the profile. `Далёкова` at school A teaches chemistry with a
mathematics diploma: outside the profile. School B: teacher B teaches history with a history
diploma. The directors have no subjects.
"""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from nms.programs.models import Enrollment, Programme, Run
from nms.registry.models import Position, Subject
from nms.staffing import specialties
from nms.staffing.models import Diploma, Specialty
from tests.factories import EmploymentFactory, PersonFactory

MATHS_INFORMATICS = "Педагогическое образование (математика и информатика)"
HISTORY = "Педагогическое образование (история и обществознание)"
UNIVERSITY = "Уральский государственный педагогический университет"


def subject(name) -> Subject:
    return Subject.objects.get(name=name)


def specialty(name) -> Specialty:
    return Specialty.objects.get(name=name)


def diploma(person, name, year=2005, **kwargs) -> Diploma:
    kwargs.setdefault("level", "higher")
    kwargs.setdefault("institution", UNIVERSITY)
    return Diploma.objects.create(person=person, specialty=specialty(name), year=year, **kwargs)


def teaches(person, *names):
    employment = person.employments.get()
    employment.subjects.set([subject(n) for n in names])
    return employment


def retraining(person, subject_name, completed_on=date(2024, 6, 1)) -> Enrollment:
    programme = Programme.objects.create(
        region=person.region, title=f"Переподготовка: {subject_name}", kind="pp", hours=520
    )
    programme.subjects.set([subject(subject_name)])
    run = Run.objects.create(programme=programme, starts_on=date(2023, 9, 1), ends_on=completed_on)
    return Enrollment.objects.create(
        run=run, person=person, status="completed", enrolled_on=date(2023, 9, 1),
        completed_on=completed_on, certificate_number=f"ПП-{person.pk}-{subject_name}",
    )  # fmt: skip


def workbook(headers, rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    data = BytesIO()
    book.save(data)
    data.seek(0)
    return data


@pytest.fixture(autouse=True)
def _directory(db):
    """The starting directory of specialties (the migration's; put back if a test emptied it)."""
    specialties.install(Specialty, Subject)


@pytest.fixture
def world(two_municipalities, users):
    a, b = two_municipalities["a"], two_municipalities["b"]
    teacher_a, teacher_b = a["teacher"], b["teacher"]
    teaches(teacher_a, "математика", "физика")
    diploma(teacher_a, MATHS_INFORMATICS)
    retraining(teacher_a, "физика")
    far = PersonFactory(last_name="Далёкова", region=a["school"].region)
    EmploymentFactory(person=far, organization=a["school"])
    teaches(far, "химия")
    diploma(far, MATHS_INFORMATICS, year=2010)
    teaches(teacher_b, "история")
    diploma(teacher_b, HISTORY)
    return SimpleNamespace(a=a, b=b, users=users, far=far)


def teacher_position() -> Position:
    return Position.objects.get(name="учитель")
