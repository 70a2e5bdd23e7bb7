"""A big list export runs as a background job; a small one stays a direct download."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.common.models import Job, JobStatus
from tests.factories import EmploymentFactory, OrganizationFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(settings, region, make_user, two_municipalities, client):
    """Municipality «a»: two schools, seven people; a municipal coordinator logged in."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    municipality = two_municipalities["a"]["municipality"]
    other_school = OrganizationFactory(municipality=municipality)
    people = [two_municipalities["a"]["teacher"], two_municipalities["a"]["director"]]
    people += [EmploymentFactory(organization=other_school).person for _ in range(5)]
    user = make_user(Role.MUNICIPAL, municipality=municipality)
    client.force_login(user)
    return {"user": user, "people": people, "other_school": other_school, **two_municipalities}


def rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_people_export_above_the_limit_is_a_job_with_every_row(client, settings, world):
    settings.NMS_EXPORT_SYNC_LIMIT = 6

    response = client.get(reverse("person-list"), {"format": "xlsx", "page": "2"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.user, job.kind, job.status) == (world["user"], "export_people", JobStatus.DONE)
    assert (job.done, job.total) == (7, 7)
    file = client.get(f"/jobs/{job.pk}/file/")
    assert file["Content-Type"] == XLSX
    assert {row[0] for row in rows(file.content)} == {p.snils for p in world["people"]}
    assert world["b"]["teacher"].snils not in {row[0] for row in rows(file.content)}
    page = client.get(response["Location"]).text
    assert "Выгрузка работников в XLSX" in page and f"/jobs/{job.pk}/file/" in page


def test_the_job_exports_the_filtered_list(client, settings, world):
    settings.NMS_EXPORT_SYNC_LIMIT = 4
    school = world["other_school"]

    client.get(reverse("person-list"), {"format": "xlsx", "organization": school.pk})

    job = Job.objects.get()
    assert job.params["query"] == f"organization={school.pk}"
    snils = {row[0] for row in rows(client.get(f"/jobs/{job.pk}/file/").content)}
    assert snils == {p.snils for p in world["people"][2:]}


def test_people_export_at_the_limit_stays_synchronous(client, settings, world):
    settings.NMS_EXPORT_SYNC_LIMIT = 7

    response = client.get(reverse("person-list"), {"format": "xlsx"})

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert len(rows(response.content)) == 7
    assert not Job.objects.exists()


def test_organizations_export_above_the_limit_is_a_job(client, settings, world):
    settings.NMS_EXPORT_SYNC_LIMIT = 1

    response = client.get(reverse("organization-list"), {"format": "xlsx"})

    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "export_organizations" and job.status == JobStatus.DONE
    inns = [row[0] for row in rows(client.get(f"/jobs/{job.pk}/file/").content)]
    assert sorted(inns) == sorted([world["a"]["school"].inn, world["other_school"].inn])

    settings.NMS_EXPORT_SYNC_LIMIT = 2
    response = client.get(reverse("organization-list"), {"format": "xlsx"})
    assert response.status_code == 200 and len(rows(response.content)) == 2


def test_a_queued_export_waits_for_the_worker(client, settings, world):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NMS_EXPORT_SYNC_LIMIT = 6

    page = client.get(reverse("person-list"), {"format": "xlsx"}, follow=True)

    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert '<progress id="job-progress"' in page.text
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
