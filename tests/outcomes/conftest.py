"""A small world of students' results on tests/conftest.py's two municipalities (A and B, a
school and a teacher and a director in each), and helpers to write a results workbook."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from nms.outcomes.importers import COLUMNS
from nms.outcomes.models import StudentResult
from nms.registry.models import Subject

HEADERS = [c.header for c in COLUMNS]


def subject(name="математика") -> Subject:
    return Subject.objects.get(name=name)


def result(
    teacher, organization, *, year=2024, kind="oge", subject_name="математика", group="9А",
    participants=25, passing=None, below=None, average=None,
) -> StudentResult:  # fmt: skip
    return StudentResult.objects.create(
        region=organization.region, kind=kind, school_year=year, subject=subject(subject_name),
        group_label=group, teacher=teacher, organization=organization,
        participants=participants,
        share_passing=None if passing is None else Decimal(passing),
        share_below=None if below is None else Decimal(below),
        average_score=None if average is None else Decimal(average),
    )  # fmt: skip


def workbook(rows, headers=HEADERS) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "results.xlsx"
    return out


def row(teacher, organization=None, **values):
    """A file row in HEADERS' order; keyword arguments override the defaults."""
    data = {
        "Оценочная процедура": "ОГЭ",
        "Учебный год": "2024/2025",
        "Предмет": "математика",
        "Класс (группа)": "9А",
        "СНИЛС учителя": teacher.snils,
        "ИНН организации": organization.inn if organization else None,
        "Участников": 25,
        "Средний балл": 3.9,
        "Доля справившихся, %": 92,
        "Доля ниже порога, %": 8,
    }
    data.update({k.replace("_", " "): v for k, v in values.items()})
    return [data[h] for h in HEADERS]


def route(person, starts_on=date(2024, 10, 1), ends_on=date(2025, 5, 31), status="completed"):
    from nms.routes.models import Route

    return Route.objects.create(
        person=person, region=person.region, route_type="deficits", status=status,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip


@pytest.fixture
def world(two_municipalities, users):
    return {"a": two_municipalities["a"], "b": two_municipalities["b"], "users": users}
