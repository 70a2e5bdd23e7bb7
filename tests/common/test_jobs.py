"""Background jobs: starting, progress, finishing and failing, and who may see a job."""

import pytest
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from nms.accounts.models import Role
from nms.common import jobs
from nms.common.jobs import JobFailed, JobOutcome, job_work
from nms.common.models import Job, JobStatus
from nms.registry.models import Region
from tests.factories import UserFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HERE = __name__


@pytest.fixture(autouse=True)
def _tests_may_define_work(monkeypatch):
    monkeypatch.setattr(jobs, "WORK_PACKAGES", ("nms.", "tests."))


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE


# -- work functions the tests run --------------------------------------------------------------
@job_work(atomic=False, phase="Считаю…")
def count_to_ten(job, progress):
    for done in range(1, 11):
        progress(done, 10)
    return JobOutcome(file=b"1..10", filename="счёт.txt", content_type="text/plain")


@job_work()
def save_then_break(job, progress):
    Region.objects.create(name="Регион, которого не будет", code="77")
    raise RuntimeError("boom")


@job_work()
def save_then_refuse(job, progress):
    Region.objects.create(name="Регион, которого не будет", code="77")
    raise JobFailed("В файле нет ни одной строки.")


@job_work()
def save_region(job, progress):
    Region.objects.create(name=job.params["name"], code="78")
    return JobOutcome(message="Регион создан.")


@job_work(atomic=False)
def secret_file(job, progress):
    return JobOutcome(file=b"secret", filename="пароли.xlsx", once=True, message="Готово.")


def start(user, work, **kwargs):
    return jobs.job_start(user, kind="test", title="Проверка", work=work, **kwargs)


# -- running -----------------------------------------------------------------------------------
def test_immediate_job_runs_to_the_end_with_its_file(db, immediate):
    user = UserFactory()
    job = start(user, count_to_ten)

    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (10, 10, 100)
    assert job.started_at and job.finished_at and job.task_id
    assert job.has_file and job.result_name == "счёт.txt"
    assert jobs.job_result(job) == b"1..10"


def test_progress_is_written_at_most_every_half_second(db, monkeypatch):
    job = Job.objects.create(user=UserFactory(), kind="test", title="x", status=JobStatus.RUNNING)
    clock = [100.0]
    monkeypatch.setattr(jobs, "monotonic", lambda: clock[0])
    progress = jobs.Progress(job)

    def stored():
        return Job.objects.values_list("done", "total").get(pk=job.pk)

    progress(1, 100)
    assert stored() == (1, 100)  # the first call writes
    progress(2, 100)
    clock[0] += 0.2
    progress(3, 100)
    assert stored() == (1, 100)  # too soon: kept in memory
    clock[0] += 0.4
    progress(4, 100)
    assert stored() == (4, 100)
    progress(100, 100)
    assert stored() == (100, 100)  # the end is always written


def test_progress_every_n_rows(db, monkeypatch):
    job = Job.objects.create(user=UserFactory(), kind="test", title="x", status=JobStatus.RUNNING)
    monkeypatch.setattr(jobs, "monotonic", lambda: 100.0)
    progress = jobs.Progress(job, every=10)
    for done in range(1, 26):
        progress(done, 1000)
    assert Job.objects.get(pk=job.pk).done == 21  # written at 1, 11 and 21


def test_phase_makes_the_bar_indeterminate(db, client):
    user = UserFactory()
    job = Job.objects.create(user=user, kind="test", title="x", status=JobStatus.RUNNING, total=5)
    jobs.Progress(job).phase("Проверка строк…")
    job.refresh_from_db()
    assert (job.total, job.percent, job.message) == (0, None, "Проверка строк…")
    client.force_login(user)
    text = client.get(reverse("job-status", args=[job.pk])).text
    assert '<progress id="job-progress" class="full">' in text
    assert 'hx-trigger="every 1s"' in text


def test_failed_work_saves_nothing_and_records_a_russian_reason(db, immediate):
    job = start(UserFactory(), save_then_break)

    assert job.status == JobStatus.FAILED
    assert not Region.objects.filter(code="77").exists()
    assert job.error.startswith("Внутренняя ошибка при выполнении задачи; ничего не сохранено.")
    assert str(job.pk) in job.error
    assert "boom" not in job.error  # no traceback for the user


def test_a_failure_the_user_can_act_on_is_shown_as_is(db, immediate):
    job = start(UserFactory(), save_then_refuse)
    assert job.status == JobStatus.FAILED
    assert job.error == "В файле нет ни одной строки."
    assert not Region.objects.filter(code="77").exists()


def test_database_queue_runs_the_job_in_the_worker(db, database_queue, monkeypatch):
    # The worker closes stale connections between tasks; here that would end the transaction
    # the test runs in (on PostgreSQL), so it keeps the connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    job = start(UserFactory(), save_region, params={"name": "Регион из очереди"})
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    assert not Region.objects.filter(name="Регион из очереди").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.message == "Регион создан."
    assert Region.objects.filter(name="Регион из очереди").exists()


def test_a_task_the_queue_failed_fails_the_job(db, database_queue, client):
    user = UserFactory()
    job = start(user, save_region, params={"name": "—"})
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")
    client.force_login(user)

    client.get(reverse("job-status", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == jobs.WORKER_FAILED


def test_only_functions_of_the_project_may_be_work(db, monkeypatch):
    monkeypatch.setattr(jobs, "WORK_PACKAGES", ("nms.",))
    with pytest.raises(ValueError):
        start(UserFactory(), count_to_ten)
    with pytest.raises(ValueError):
        jobs.run_job.call(1, "os.system")


# -- pages -------------------------------------------------------------------------------------
def test_job_page_polls_until_done_then_links_the_file(db, client, immediate):
    user = UserFactory()
    running = Job.objects.create(
        user=user, kind="test", title="Идёт", status=JobStatus.RUNNING, done=3, total=12
    )
    client.force_login(user)

    page = client.get(reverse("job-detail", args=[running.pk]))
    assert page.status_code == 200
    assert '<progress id="job-progress" class="full" max="12" value="3">' in page.text
    assert f'hx-get="/jobs/{running.pk}/status/"' in page.text
    assert "django_htmx/htmx-2.min.js" in page.text

    done = start(user, count_to_ten)
    status = client.get(reverse("job-status", args=[done.pk])).text
    assert "hx-trigger" not in status  # polling stops
    assert f'href="/jobs/{done.pk}/file/"' in status
    response = client.get(reverse("job-file", args=[done.pk]))
    assert response.content == b"1..10"
    assert response["Content-Type"] == "text/plain"
    assert "attachment" in response["Content-Disposition"]


def test_failed_job_page_shows_the_reason(db, client, immediate):
    user = UserFactory()
    job = start(user, save_then_refuse)
    client.force_login(user)
    text = client.get(reverse("job-detail", args=[job.pk])).text
    assert "В файле нет ни одной строки." in text
    assert client.get(reverse("job-file", args=[job.pk])).status_code == 404


def test_job_list_shows_only_ones_own_jobs(db, client):
    owner, other = UserFactory(), UserFactory()
    Job.objects.create(user=owner, kind="test", title="Моя выгрузка")
    Job.objects.create(user=other, kind="test", title="Чужая выгрузка")
    client.force_login(owner)
    text = client.get(reverse("job-list")).text
    assert "Моя выгрузка" in text and "Чужая выгрузка" not in text


# -- scope -------------------------------------------------------------------------------------
def test_another_users_job_is_not_found_anywhere(db, client, immediate, make_user):
    owner = make_user(Role.CNPPM)
    job = start(owner, count_to_ten)
    client.force_login(make_user(Role.CNPPM))

    for name in ("job-detail", "job-status", "job-file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert client.get("/api/v1/jobs/").json()["count"] == 0

    client.force_login(owner)
    data = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert data["status"] == "done" and data["percent"] == 100
    assert data["page_url"].endswith(f"/jobs/{job.pk}/")
    assert data["file_url"].endswith(f"/jobs/{job.pk}/file/")
    assert client.get(reverse("job-file", args=[job.pk])).status_code == 200


def test_superuser_sees_every_job(db, client, immediate):
    job = start(UserFactory(), count_to_ten)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 200
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(db, client):
    job = Job.objects.create(user=UserFactory(), kind="test", title="x")
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 302
    assert jobs.jobs_visible(None).count() == 0


# -- one-time files -------------------------------------------------------------------------------
def test_a_one_time_file_goes_to_its_author_once(db, immediate, make_user):
    author, other = UserFactory(), UserFactory()
    job = start(author, secret_file)
    assert jobs.job_file_once(job) and job.has_file
    assert not jobs.job_file_once(start(author, count_to_ten))

    with pytest.raises(Http404):
        jobs.job_result(job)  # only through job_take_result
    for stranger in (other, make_user(Role.ADMIN)):
        with pytest.raises(Http404):
            jobs.job_take_result(job, stranger)
    assert Job.objects.get(pk=job.pk).result is not None

    assert jobs.job_take_result(job, author) == b"secret"
    assert not job.has_file and jobs.job_file_taken(job)["name"] == "пароли.xlsx"
    stored = Job.objects.get(pk=job.pk)
    assert stored.result is None and stored.result_name == "" and jobs.job_file_taken(stored)
    assert jobs.job_take_result(job, author) is None
    # a second copy of the job loaded before the download (a second tab) gets nothing either
    assert jobs.job_take_result(jobs.job_get(author, job.pk), author) is None


def test_a_one_time_file_page_then_410(db, client, immediate):
    author = UserFactory()
    job = start(author, secret_file)
    client.force_login(author)
    status = client.get(reverse("job-status", args=[job.pk])).text
    assert 'id="job-file"' in status and "только один раз" in status

    first = client.get(reverse("job-file", args=[job.pk]))
    assert first.status_code == 200 and first.content == b"secret"
    assert first["Cache-Control"] == "no-store"
    second = client.get(reverse("job-file", args=[job.pk]))
    assert second.status_code == 410
    assert jobs.FILE_TAKEN in second.text
    status = client.get(reverse("job-status", args=[job.pk])).text
    assert 'id="job-file"' not in status and "«пароли.xlsx» уже скачан" in status
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["file_url"] is None


def test_a_token_client_downloads_its_file_through_the_api(db, immediate):
    from rest_framework.test import APIClient

    from nms.accounts.models import ApiToken

    author, stranger = UserFactory(), UserFactory()
    job = start(author, secret_file)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(author, 'тест')[1]}")
    url = api.get(f"/api/v1/jobs/{job.pk}/").json()["file_url"]
    assert url.endswith(f"/api/v1/jobs/{job.pk}/file/")
    first = api.get(url)
    assert first.status_code == 200 and first.content == b"secret"
    assert api.get(url).status_code == 410  # a one-time file
    other = APIClient()
    other.force_authenticate(stranger)
    assert other.get(url).status_code == 404
