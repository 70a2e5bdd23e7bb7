"""Imports: a staff schedule and diplomas from XLSX; a bad file saves nothing and names each
row."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from nms.staffing import importers
from nms.staffing.models import Diploma, ScheduleRow, StaffSchedule
from tests.staffing.conftest import HISTORY, MATHS_INFORMATICS, workbook

pytestmark = pytest.mark.django_db

SCHEDULE = [c.header for c in importers.SCHEDULE_COLUMNS]
DIPLOMAS = [c.header for c in importers.DIPLOMA_COLUMNS]


def _run(user, kind, headers, rows):
    return importers.run_import(user, kind, workbook(headers, rows))


def _errors(report):
    return {(e.row, e.column): e.message for e in report.errors}


def test_schedule_import_creates_and_then_replaces(world):
    inn = world.a["school"].inn
    rows = [
        (inn, "2025/26", "учитель", "математика", 3, "2,5"),
        (inn, "2025/26", "учитель", "физика", 1, 1),
        (inn, "2025/26", "директор", None, 1, 1),
    ]
    report = _run(world.users["school"], "schedule", SCHEDULE, rows)
    assert report.ok and report.created == 3
    schedule = StaffSchedule.objects.get()
    assert (schedule.organization, schedule.year) == (world.a["school"], 2025)
    assert ScheduleRow.objects.filter(schedule=schedule).count() == 3
    maths = ScheduleRow.objects.get(subject__name="математика")
    assert (maths.rates, maths.filled, maths.vacant) == (3, Decimal("2.5"), Decimal("0.5"))
    again = _run(world.users["school"], "schedule", SCHEDULE, rows[:1])
    assert again.ok and again.updated == 1
    assert ScheduleRow.objects.count() == 1


def test_bad_schedule_file_saves_nothing_and_names_each_row(world):
    inn_a, inn_b = world.a["school"].inn, world.b["school"].inn
    rows = [
        (inn_a, "2025/26", "учитель", "математика", 2, 1),  # row 2: fine
        ("7700000000", "2025/26", "учитель", "математика", 1, 0),  # 3: unknown organization
        (inn_b, "2025/26", "учитель", "математика", 1, 0),  # 4: another school's
        (inn_a, "2025/26", "космонавт", None, 1, 0),  # 5: unknown position
        (inn_a, "2025/26", "учитель", "астрология", 1, 0),  # 6: unknown subject
        (inn_a, "2025/26", "учитель", "физика", -1, 0),  # 7: negative
        (inn_a, "2025/26", "учитель", "химия", "много", 0),  # 8: not a number
        (inn_a, "2025/26", "учитель", "биология", 1, 2),  # 9: filled over the rates
        (inn_a, "2025/26", "учитель", "математика", 1, 1),  # 10: a duplicate of row 2
        (inn_a, "2025", "учитель", "география", None, 0),  # 11: rates missing
    ]
    report = _run(world.users["school"], "schedule", SCHEDULE, rows)
    errors = _errors(report)
    assert errors[(3, "ИНН организации")] == importers.UNKNOWN_ORGANIZATION
    assert errors[(4, "ИНН организации")] == importers.UNKNOWN_ORGANIZATION
    assert errors[(5, "Должность")] == importers.UNKNOWN_POSITION
    assert errors[(6, "Предмет")] == importers.UNKNOWN_SUBJECT
    assert errors[(7, "Ставок по штату")] == importers.NEGATIVE
    assert errors[(8, "Ставок по штату")] == "ожидается число"
    assert errors[(9, "Занято ставок")] == importers.FILLED_OVER
    assert "строке 2" in errors[(10, "Должность")]
    assert errors[(11, "Ставок по штату")] == "обязательное поле не заполнено"
    assert {row for row, _ in errors} == set(range(3, 12))
    assert "ничего не сохранено" in report.summary
    assert not StaffSchedule.objects.exists() and not ScheduleRow.objects.exists()


def test_teacher_may_not_import(world):
    with pytest.raises(PermissionDenied):
        _run(world.users["teacher"], "schedule", SCHEDULE, [])


def test_diploma_import(world):
    far = world.far
    rows = [
        (far.snils, "высшее", "УрФУ", 2015, HISTORY, "учитель истории", "да"),
        (far.snils, "высшее", "Уральский государственный педагогический университет", 2010,
         MATHS_INFORMATICS, "", None),  # already recorded: unchanged
    ]  # fmt: skip
    report = _run(world.users["municipal"], "diplomas", DIPLOMAS, rows)
    assert report.ok and (report.created, report.unchanged) == (1, 1), report.errors
    assert Diploma.objects.filter(person=far).count() == 2


def test_bad_diploma_file_saves_nothing_and_names_each_row(world):
    far, other = world.far, world.b["teacher"]
    before = Diploma.objects.count()
    rows = [
        (far.snils, "высшее", "УрФУ", 2015, HISTORY, None, None),  # 2: fine
        ("112-233-445 95", "высшее", "УрФУ", 2015, HISTORY, None, None),  # 3: unknown СНИЛС
        (other.snils, "высшее", "УрФУ", 2015, HISTORY, None, None),  # 4: outside the scope
        (far.snils, "высшее", "УрФУ", 1850, HISTORY, None, None),  # 5: bad year
        (far.snils, "высшее", "УрФУ", 2016, "Астрология", None, None),  # 6: unknown specialty
        (far.snils, None, None, 2017, HISTORY, None, None),  # 7: missing fields
        (far.snils, "начальное", "УрФУ", 2018, HISTORY, None, None),  # 8: unknown level
    ]
    report = _run(world.users["municipal"], "diplomas", DIPLOMAS, rows)
    errors = _errors(report)
    assert errors[(3, "СНИЛС")] == importers.UNKNOWN_SNILS
    assert errors[(4, "СНИЛС")] == importers.OUT_OF_SCOPE
    assert "год окончания" in errors[(5, "Год окончания")]
    assert errors[(6, "Специальность")] == importers.UNKNOWN_SPECIALTY
    assert errors[(7, "Уровень образования")] == "обязательное поле не заполнено"
    assert errors[(7, "Образовательная организация")] == "обязательное поле не заполнено"
    assert errors[(8, "Уровень образования")] == importers.UNKNOWN_LEVEL
    assert {row for row, _ in errors} == set(range(3, 9))
    assert Diploma.objects.count() == before


def test_templates(world):
    for kind in ("schedule", "diplomas"):
        content = importers.import_template(world.users["school"], kind)
        assert content[:2] == b"PK"
