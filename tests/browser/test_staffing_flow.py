"""A school administrator imports the staff schedule, opens a vacancy from a vacant row and
publishes it; an anonymous visitor finds it on the public vacancy list."""

import pytest
from openpyxl import Workbook

from nms.accounts.models import Role
from nms.staffing.models import ScheduleRow, Vacancy
from tests.browser.conftest import wait_for_job

PASSWORD = "Пароль-для-тестов-1"
HEADERS = [
    "ИНН организации",
    "Учебный год",
    "Должность",
    "Предмет",
    "Ставок по штату",
    "Занято ставок",
]


@pytest.mark.django_db(transaction=True)
def test_school_imports_a_schedule_and_publishes_a_vacancy(
    page, login, two_municipalities, make_user, db_worker, tmp_path
):
    school = two_municipalities["a"]["school"]
    make_user(Role.SCHOOL, organization=school, username="school")
    path = tmp_path / "штатное.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([school.inn, "2025/26", "учитель", "химия", 2, 1])
    sheet.append([school.inn, "2025/26", "учитель", "математика", 3, 3])
    book.save(path)

    login("school", PASSWORD)
    db_worker.start()
    page.click("nav >> text=Кадры")
    page.click("#staffing-import")
    page.check("input[name=kind][value=schedule]")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Загрузить')")
    page.wait_for_url("**/jobs/*/")
    wait_for_job(page, "#import-report")
    assert "Добавлено: 2" in page.inner_text("#import-report")
    db_worker.stop()
    assert ScheduleRow.objects.count() == 2

    page.click("nav >> text=Кадры")
    page.click("#staffing-links >> text=Штатные расписания")
    page.click(f"#results table >> text={school.short_name}")
    assert page.inner_text("#vacant-total").strip() == "1,00"
    page.click("#schedule-rows >> text=Открыть вакансию")
    page.fill("textarea[name=requirements]", "Высшее педагогическое образование (химия)")
    page.check("input[name=published]")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("#vacancy-published")
    assert page.inner_text("#vacancy-published") == "опубликована"
    vacancy = Vacancy.objects.get()
    assert vacancy.subject.name == "химия" and vacancy.organization == school
    page.click("header form button")  # Выйти

    page.goto("/staffing/vacancies/public/")
    rows = page.locator("#public-vacancies tbody tr")
    assert rows.count() == 1
    text = rows.first.inner_text().replace("\xa0", " ")
    assert "химия" in text and school.short_name in text and "Высшее педагогическое" in text
