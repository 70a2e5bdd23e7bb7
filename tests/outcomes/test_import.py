"""The students' results import: all or nothing, each bad row named, no pupil's personal data."""

import pytest
from django.core.exceptions import PermissionDenied

from nms.common.identifiers import snils_with_checksum
from nms.outcomes import importers
from nms.outcomes.importers import import_results, personal_header, personal_value
from nms.outcomes.models import StudentResult
from tests.outcomes.conftest import HEADERS, row, workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "header, personal",
    [
        ("ФИО ученика", True), ("ФИО обучающегося", True), ("Фамилия", True), ("Имя", True),
        ("Отчество", True), ("СНИЛС", True), ("СНИЛС ученика", True), ("Дата рождения", True),
        ("Обучающийся", True), ("Ученик", True), ("СНИЛС учителя", False), ("ФИО учителя", False),
        ("Количество обучающихся", False), ("Участников", False), ("Класс (группа)", False),
        ("Наименование ОО", False), ("Доля справившихся, %", False), ("Список учеников", True),
        ("Учащиеся", True), ("Число учащихся", False), ("Доля обучающихся ниже порога", False),
    ],
)  # fmt: skip
def test_personal_headers(header, personal):
    assert personal_header(header) is personal


@pytest.mark.parametrize(
    "text, personal",
    [
        ("7Б", False), ("10 профиль", False), ("группа 2", False), ("11-А", False),
        ("Иванов Иван", True), ("Петрова А.", True), ("Сидоров И. П.", True),
        ("123-456-789 01", True), ("12345678901", True),
    ],
)  # fmt: skip
def test_personal_cells(text, personal):
    assert personal_value(text) is personal


def test_school_imports_its_teachers_results(world):
    a = world["a"]
    school = world["users"]["school"]
    file = workbook(
        [
            row(a["teacher"], a["school"]),
            row(a["teacher"], None, **{"Класс (группа)": "9Б", "Средний балл": None}),
            row(a["director"], a["school"], **{"Оценочная процедура": "ВПР", "Учебный год": 2024}),
        ]
    )
    report = import_results(school, file)
    assert report.ok, report.errors
    assert report.created == 3
    saved = StudentResult.objects.get(group_label="9Б")
    assert saved.organization == a["school"]  # the teacher's place of work
    assert saved.school_year == 2024 and saved.region == a["school"].region
    assert saved.average_score is None and saved.share_passing == 92
    # The same file again changes nothing; a changed figure updates the row.
    file.seek(0)
    assert import_results(school, file).unchanged == 3
    changed = workbook([row(a["teacher"], a["school"], **{"Участников": 26})])
    report = import_results(school, changed)
    assert (report.updated, report.created) == (1, 0)
    assert StudentResult.objects.get(group_label="9А", kind="oge").version == 2


def test_a_column_naming_a_pupil_refuses_the_file(world):
    a = world["a"]
    file = workbook(
        [row(a["teacher"], a["school"]) + ["Иванов Иван Иванович"]],
        headers=[*HEADERS, "ФИО ученика"],
    )
    report = import_results(world["users"]["school"], file)
    assert not report.ok
    assert StudentResult.objects.count() == 0
    assert [(e.column, e.row) for e in report.errors] == [("ФИО ученика", None)]
    assert "персональных данных обучающихся" in report.errors[0].message
    assert "ФИО ученика" in str(report.errors[0])


def test_bad_rows_are_each_named_and_nothing_is_saved(world):
    a, b = world["a"], world["b"]
    unknown = snils_with_checksum("987654321")
    file = workbook(
        [
            row(a["teacher"], a["school"]),  # 2: good
            row(a["teacher"], a["school"], **{"СНИЛС учителя": unknown}),  # 3
            row(b["teacher"], None),  # 4: another school's teacher
            row(a["teacher"], a["school"], **{"Класс (группа)": "9В", "Доля справившихся, %": 120}),
            row(a["teacher"], a["school"], **{"Класс (группа)": "9Г", "Участников": 0}),  # 6
            row(a["teacher"], a["school"], **{"Предмет": "алхимия"}),  # 7
            row(a["teacher"], a["school"]),  # 8: the same as row 2
            row(a["teacher"], a["school"], **{"Класс (группа)": "Петров Пётр"}),  # 9
            row(a["teacher"], b["school"], **{"Класс (группа)": "9Д"}),  # 10
            row(a["teacher"], a["school"], **{"Класс (группа)": "9Е", "Средний балл": None,
                                              "Доля справившихся, %": None}),  # 11
        ]
    )  # fmt: skip
    report = import_results(world["users"]["school"], file)
    assert not report.ok
    assert StudentResult.objects.count() == 0
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(3, "СНИЛС учителя")] == importers.UNKNOWN_SNILS
    assert found[(4, "СНИЛС учителя")] == importers.OUT_OF_SCOPE
    assert "от 0 до 100" in found[(5, "Доля справившихся, %")]
    assert "больше 0" in found[(6, "Участников")]
    assert found[(7, "Предмет")] == importers.UNKNOWN_SUBJECT
    assert found[(8, "Класс (группа)")].endswith("строке 2")
    assert "ФИО или СНИЛС" in found[(9, "Класс (группа)")]
    assert found[(10, "ИНН организации")] == importers.ORGANIZATION_OUT
    assert found[(11, "Доля справившихся, %")] == importers.NO_FIGURES
    assert 2 not in {e.row for e in report.errors}


def test_missing_columns_and_rights(world):
    a = world["a"]
    file = workbook([["ОГЭ", "2024/2025"]], headers=HEADERS[:2])
    report = import_results(world["users"]["cnppm"], file)
    assert {e.column for e in report.errors} >= {"Предмет", "СНИЛС учителя", "Участников"}
    with pytest.raises(PermissionDenied):
        import_results(world["users"]["teacher"], workbook([row(a["teacher"], a["school"])]))


def test_school_year_forms(world):
    from nms.common.xlsx import CellError

    assert importers.parse_school_year("2024/25") == 2024
    assert importers.parse_school_year("2024-2025") == 2024
    assert importers.parse_school_year(2023) == 2023
    for bad in ("2024/2026", "24/25", "учебный"):
        with pytest.raises(CellError):
            importers.parse_school_year(bad)


def test_template_lists_the_columns(world):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(importers.results_template(world["users"]["school"])))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == HEADERS


def test_queries_do_not_grow_with_rows(world, count_queries):
    from nms.accounts.scope import scope_of

    a = world["a"]
    school = world["users"]["school"]
    scope_of(school)

    def rows(n, offset=0):
        return [
            row(a["teacher"], a["school"], **{"Класс (группа)": f"{i + offset}А"}) for i in range(n)
        ]

    few, _ = count_queries(import_results, school, workbook(rows(1)))
    many, report = count_queries(import_results, school, workbook(rows(20, 100)))
    assert report.created == 20 and many == few
