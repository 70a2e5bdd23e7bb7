"""«Документы ИОМ» in a browser: the route list's button starts a background job, the job page
shows a <progress> bar polled by htmx, then a link to the ZIP with one Word document per route.
The list's XLSX export, like the button, takes the filters chosen after the page was loaded.

The worker is the real database queue's worker loop in a thread (the `db_worker` fixture and
`wait_for_job` of tests/browser/test_jobs_flow.py, which explains how it shares the database).
"""

import zipfile
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.common.models import Job, JobStatus
from nms.routes import services
from tests.browser.conftest import wait_for_job
from tests.factories import EmploymentFactory, MunicipalityFactory, OrganizationFactory

PASSWORD = "Пароль-для-тестов-1"
ROUTES = 40


@pytest.mark.django_db(transaction=True)
def test_route_documents_button_gives_a_zip(page, login, make_user, region, db_worker):
    cnppm = make_user(Role.CNPPM, username="cnppm")
    school = OrganizationFactory(municipality=MunicipalityFactory(region=region))
    other = OrganizationFactory(municipality=MunicipalityFactory(region=region))
    today = date.today()
    people = [EmploymentFactory(organization=school).person for _ in range(ROUTES)]
    outsider = EmploymentFactory(organization=other).person
    for person in [*people, outsider]:
        services.route_create(cnppm, person, today, today + timedelta(days=90))
    login("cnppm", PASSWORD)

    # The list filtered by htmx to the first school's municipality: the button sends the filter.
    page.goto("/routes/")
    page.select_option("select[name=municipality]", str(school.municipality_id))
    page.wait_for_url(f"**municipality={school.municipality_id}**")
    page.wait_for_selector(f"#routes tbody tr:has-text('{people[-1].full_name}')")

    # «Выгрузить в XLSX» takes the filters the address has now (htmx changed it after the load).
    with page.expect_download() as download:
        page.click("#export-xlsx")
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {p.full_name for p in people}

    db_worker.start()
    page.click("#route-documents button")
    page.wait_for_url("**/jobs/*/")
    assert page.locator("#job-progress").count() == 1
    states = wait_for_job(page, "#job-file")
    assert states[0] in (JobStatus.QUEUED, JobStatus.RUNNING), states
    assert f"Документов ИОМ: {ROUTES}" in page.inner_text("#job-status")
    with page.expect_download() as download:
        page.click("#job-file")
    assert download.value.suggested_filename == f"Документы_ИОМ_{today:%d.%m.%Y}.zip"
    with zipfile.ZipFile(BytesIO(Path(download.value.path()).read_bytes())) as archive:
        names = archive.namelist()
    assert len(names) == ROUTES
    assert {name.split(",")[0] for name in names} == {p.full_name for p in people}
    db_worker.stop()
    job = Job.objects.get()
    assert (job.kind, job.status, job.total) == ("route_documents", JobStatus.DONE, ROUTES)
