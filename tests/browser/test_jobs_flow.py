"""Long work in the background, in a browser: a staff import and the export of the region's
people, both of more than NMS_EXPORT_SYNC_LIMIT rows (lowered here to keep the test short; the
10 000-row import is measured by bench/bench_import.py), run as jobs; the job page shows a
<progress> bar, polls its status with htmx and then shows the report or the download link.

The worker: the real database queue (django-tasks-db's DatabaseBackend) and its real worker loop
(`db_worker`'s `Worker`), run in a thread of the test process against the live server's
database, and stopped at the end of the test before the database is emptied.

- PostgreSQL: the thread opens its own connection to the test database, like the live server's
  threads do; the job's transaction and its progress are seen by the pages as in production.
- SQLite: the test database is in memory and every thread of the live server shares the test's
  one connection (pytest-django passes it to them). The worker thread takes that connection too —
  a second connection could not see the in-memory database's data. The worker is started only
  after the login (the session is saved in a transaction of that shared connection) and the test
  itself does not touch the database while a job runs.
"""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from nms.accounts.models import Role
from nms.common.identifiers import snils_with_checksum
from nms.common.models import Job, JobStatus
from nms.registry.importers import STAFF_COLUMNS
from nms.registry.models import Person
from tests.browser.conftest import wait_for_job
from tests.factories import MunicipalityFactory, OrganizationFactory

PASSWORD = "Пароль-для-тестов-1"
ROWS = 1_200
SYNC_LIMIT = 500  # NMS_EXPORT_SYNC_LIMIT for this test: the file and the export are over it


def staff_file(path: Path, inns: list[str]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Работники")
    headers = [column.header for column in STAFF_COLUMNS]
    sheet.append(headers)
    for n in range(ROWS):
        values = {
            "СНИЛС": snils_with_checksum(f"{600000000 + n:09d}"),
            "Фамилия": f"Фоновая{n}",
            "Имя": "Анна" if n % 2 else "Пётр",
            "Отчество": "Сергеевна" if n % 2 else "Иванович",
            "Дата рождения": f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1960 + n % 40}",
            "Пол": "ж" if n % 2 else "м",
            "ИНН организации": inns[n % len(inns)],
            "Должность": "учитель",
            "Предметы": "математика; физика" if n % 3 else "русский язык",
            "Квалификационная категория": "первая",
            "Дата присвоения категории": "15.03.2021",
            "Педагогический стаж (лет)": f"{n % 40},5",
            "Дата приема на работу": "01.09.2015",
            "Уровень образования": "высшее",
            "Педагогическое образование": "да",
            "Совместитель": "нет",
            "Учебная нагрузка (ч/нед)": 18,
            "Email": f"person{n}@example.org",
        }
        sheet.append([values.get(header) for header in headers])
    workbook.save(path)


@pytest.mark.django_db(transaction=True)
def test_import_and_big_export_run_as_jobs(
    page, login, make_user, region, db_worker, tmp_path, settings
):
    settings.NMS_EXPORT_SYNC_LIMIT = SYNC_LIMIT
    municipality = MunicipalityFactory(region=region)
    inns = [OrganizationFactory(municipality=municipality).inn for _ in range(20)]
    make_user(Role.CNPPM, username="cnppm")
    path = tmp_path / "staff.xlsx"
    staff_file(path, inns)
    login("cnppm", PASSWORD)
    db_worker.start()

    # The import: upload, then the job page with a bar, then the report.
    page.goto("/registry/import/")
    page.check("input[name=kind][value=staff]")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Загрузить')")
    page.wait_for_url("**/jobs/*/")
    states = wait_for_job(page, "#import-report")
    assert states[0] in (JobStatus.QUEUED, JobStatus.RUNNING), states
    assert states[-1] == JobStatus.DONE
    assert f"Добавлено: {ROWS}" in page.inner_text("#import-report")
    assert "staff.xlsx" in page.inner_text("h1")

    # The export of the region's people (more than NMS_EXPORT_SYNC_LIMIT): a job, then the file.
    page.goto("/registry/people/")
    page.click("#export-xlsx")
    page.wait_for_url("**/jobs/*/")
    states = wait_for_job(page, "#job-file")
    assert states[0] in (JobStatus.QUEUED, JobStatus.RUNNING), states
    with page.expect_download() as download:
        page.click("#job-file")
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    rows = list(sheet.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == ROWS
    assert rows[0][1].startswith("Фоновая")

    page.goto("/jobs/")
    assert page.locator("#job-table tbody tr").count() == 2
    db_worker.stop()
    assert Person.objects.filter(last_name__startswith="Фоновая").count() == ROWS
    assert set(Job.objects.values_list("kind", "status")) == {
        ("import_staff", JobStatus.DONE),
        ("export_people", JobStatus.DONE),
    }
