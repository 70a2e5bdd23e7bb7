"""A school administrator loads students' results: a file with a «ФИО ученика» column is
refused with the message naming it and nothing is saved; the proper file is loaded and the
teacher's card shows the results."""

import pytest
from openpyxl import Workbook

from nms.accounts.models import Role
from nms.outcomes.models import StudentResult
from tests.outcomes.conftest import HEADERS, row

PASSWORD = "Пароль-для-тестов-1"


def _save(path, rows, headers=HEADERS):
    book = Workbook()
    book.active.append(list(headers))
    for values in rows:
        book.active.append(list(values))
    book.save(path)
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_school_imports_results_and_the_card_shows_them(
    page, login, two_municipalities, make_user, tmp_path
):
    a = two_municipalities["a"]
    teacher = a["teacher"]
    make_user(Role.SCHOOL, organization=a["school"], username="school_admin")
    refused = _save(
        tmp_path / "with_pupils.xlsx",
        [row(teacher) + ["Иванов Иван Иванович"]],
        headers=[*HEADERS, "ФИО ученика"],
    )
    proper = _save(
        tmp_path / "results.xlsx",
        [row(teacher), row(teacher, **{"Класс (группа)": "9Б", "Доля справившихся, %": 85})],
    )

    login("school_admin", PASSWORD)
    page.click("nav >> text=Результаты обучающихся")
    page.click("text=Загрузить результаты")
    page.set_input_files("input[name=file]", refused)
    page.click("button:has-text('Загрузить')")
    page.wait_for_selector("#import-report")
    report = page.inner_text("#import-report")
    assert "ФИО ученика" in report and "персональных данных обучающихся" in report
    assert not StudentResult.objects.exists()

    page.goto("/outcomes/import/")
    page.set_input_files("input[name=file]", proper)
    page.click("button:has-text('Загрузить')")
    page.wait_for_selector("#import-report")
    assert "Добавлено: 2" in page.inner_text("#import-report")
    assert StudentResult.objects.filter(teacher=teacher).count() == 2

    page.goto(f"/registry/people/{teacher.pk}/")
    panel = page.locator("#outcomes-results")
    assert "9А" in panel.inner_text() and "9Б" in panel.inner_text()
    assert "ОГЭ" in panel.inner_text()
