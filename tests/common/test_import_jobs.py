"""The import page runs the import as a background job: upload → job page → report."""

import pytest

from nms.accounts.models import Role
from nms.common.models import Job, JobStatus
from nms.registry.models import Person
from tests.registry.test_import import SNILS_A, staff_file, staff_rows, staff_values

URL = "/registry/import/"


@pytest.fixture(autouse=True)
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client, kind, file, **kwargs):
    file.name = "list.xlsx"
    return client.post(URL, {"kind": kind, "file": file}, **kwargs)


def test_upload_becomes_a_job_of_the_uploader(client, make_user, two_municipalities):
    user = make_user(Role.CNPPM)
    client.force_login(user)

    response = upload(client, "staff", staff_file(*staff_rows(two_municipalities)))

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.user, job.kind, job.status, job.upload_name) == (
        user,
        "import_staff",
        JobStatus.DONE,
        "list.xlsx",
    )
    assert job.report["created"] == 3 and job.report["errors"] == []
    assert Person.objects.filter(snils=SNILS_A).exists()
    page = client.get(response["Location"]).text
    assert "Добавлено: 3" in page and 'id="import-report"' in page


def test_the_report_lists_every_error_and_nothing_is_saved(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    school = two_municipalities["a"]["school"]
    rows = [staff_values(SNILS_A, school.inn, **{"Дата рождения": "31.02.2020"})]

    page = upload(client, "staff", staff_file(*rows), follow=True)

    assert "несуществующая дата" in page.text
    assert "<td>2</td><td>Дата рождения</td><td>31.02.2020</td>" in page.text
    assert not Person.objects.filter(snils=SNILS_A).exists()
    assert Job.objects.get().status == JobStatus.DONE  # the job ran; the file was refused


def test_the_job_imports_within_the_uploaders_scope(client, make_user, two_municipalities):
    """A school user's job cannot reach another school: the ИНН is simply not found."""
    school_a = two_municipalities["a"]["school"]
    client.force_login(make_user(Role.SCHOOL, organization=school_a))
    rows = [staff_values(SNILS_A, two_municipalities["b"]["school"].inn)]

    page = upload(client, "staff", staff_file(*rows), follow=True)

    assert "Файл не загружен" in page.text
    assert not Person.objects.filter(snils=SNILS_A).exists()


def test_a_job_that_lost_its_rights_fails_with_the_reason(client, make_user, two_municipalities):
    from nms.common import jobs
    from nms.registry.import_views import import_job

    user = make_user(Role.MINISTRY)  # reads everything, may import nothing
    job = jobs.job_start(
        user,
        kind="import_staff",
        title="Импорт",
        work=import_job,
        params={"kind": "staff"},
        upload=staff_file(*staff_rows(two_municipalities)).getvalue(),
    )
    assert job.status == JobStatus.FAILED
    assert job.error == "У вас нет прав на изменение реестра."
    assert not Person.objects.filter(snils=SNILS_A).exists()
