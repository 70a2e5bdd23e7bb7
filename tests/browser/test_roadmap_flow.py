"""The roadmap in a browser: the ЦНППМ creates a roadmap and imports it from XLSX (a background
job), renames a direction, marks an activity done with evidence, and sees an overdue one on the
home page."""

from datetime import date

import pytest
from openpyxl import Workbook

from nms.accounts.models import Role
from nms.roadmap import importers
from nms.roadmap.models import ActivityPeriod, Status
from tests.browser.conftest import wait_for_job

PASSWORD = "Пароль-для-тестов-1"


def roadmap_file(path, year):
    N, M, T = importers.NUMBER, importers.MEASURE, importers.TITLE
    R, D, RES = importers.RESPONSIBLE, importers.DEADLINE, importers.RESULT
    rows = [
        {M: "Направление 1 «Управление системой научно-методического сопровождения»"},
        {N: "1.1", M: "Сопровождение разработки документации"},
        {N: "1.1.1", T: "Разработка положения о РС НМС", R: "ЦНППМ", D: f"31.01.{year - 1}",
         RES: "Положение утверждено"},
        {N: "1.1.2", T: "Обновление состава методического актива", R: "ЦНППМ",
         D: "до 1 февраля ежегодно", RES: "Приказ о составе РМА"},
    ]  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.append(["Комплекс мер («дорожная карта»)"])
    sheet.append(list(importers.COLUMNS))
    for row in rows:
        sheet.append([row.get(h) for h in importers.COLUMNS])
    book.save(path)


@pytest.mark.django_db(transaction=True)
def test_cnppm_imports_marks_done_and_sees_overdue_at_home(
    page, login, make_user, region, db_worker, tmp_path
):
    year = date.today().year
    make_user(Role.CNPPM, username="cnppm")
    path = tmp_path / "дорожная_карта.xlsx"
    roadmap_file(path, year)
    login("cnppm", PASSWORD)
    db_worker.start()

    page.click("nav >> text=Дорожная карта")
    page.click("text=Новая дорожная карта")
    page.fill("input[name=title]", "Комплекс мер до конца периода")
    page.fill("input[name=starts_year]", str(year - 1))
    page.fill("input[name=ends_year]", str(year))
    page.click("button:has-text('Сохранить')")
    page.click("#roadmap-import")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Загрузить')")
    page.wait_for_url("**/jobs/*/")
    wait_for_job(page, "#import-report")
    assert "Добавлено: 2" in page.inner_text("#import-report")

    page.click("nav >> text=Дорожная карта")
    page.click("text=Комплекс мер до конца периода")
    page.click("#roadmap-structure tr.direction >> text=изменить")
    page.fill("input[name=title]", "Управление системой НМС региона")
    page.click("button:has-text('Сохранить')")
    assert "Управление системой НМС региона" in page.inner_text("#roadmap-structure")
    page.click("text=1.1.1")
    assert "просрочено" in page.inner_text(f"#period-{year - 1}")
    page.click(f"#period-{year - 1} >> text=Отметить исполнение")
    page.select_option("select[name=status]", "done")
    page.fill("textarea[name=evidence]", "Положение утверждено приказом № 12")
    page.fill("textarea[name=links]", "https://example.org/polozhenie")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector("#periods")
    assert "выполнено" in page.inner_text(f"#period-{year - 1} .period-state")
    assert "Положение утверждено приказом" in page.inner_text("#periods")
    assert ActivityPeriod.objects.get(activity__number="1.1.1").status == Status.DONE

    page.click("nav >> text=Главная")
    block = page.inner_text("#home-roadmap-overdue")
    assert "Обновление состава методического актива" in block
    assert "Разработка положения" not in block
