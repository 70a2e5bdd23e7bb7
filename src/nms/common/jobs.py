"""Long work in the background (DESIGN.md §3): a `Job` row the pages show, a django-tasks task
that runs it, and the progress the work reports while it runs.

A use case starts a job with `job_start(user, kind=..., title=..., work=some_function)`. The
work is a module-level function `work(job, progress) -> JobOutcome`, declared with `@job_work`:

    @job_work(atomic=False, phase="Подготовка файла…")
    def people_export(job, progress):
        ...
        progress(done, total)
        return JobOutcome(file=content, filename="работники.xlsx", content_type=XLSX)

The task (`run_job`) runs the work as the user who started the job (the work reads `job.user`),
inside one transaction unless it is declared read-only (`atomic=False`): work that fails saves
nothing, and the job records the reason in Russian. The command line calls the same services
synchronously and never goes through a job.

A result holding secrets (the one-time passwords of new accounts) is a one-time file,
`JobOutcome(once=True)`: only the user who started the job may download it, once —
`job_take_result` wipes it as it hands it over, and the job page then says it was downloaded.

Progress is written at most every PROGRESS_INTERVAL seconds (and every `every` items when
asked). Inside the work's transaction other connections cannot see what it writes, so there
progress goes through a second connection — except on SQLite, which has one writer at a time:
there the page shows the phase the work declared until the transaction ends.
"""

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from time import monotonic

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.db.utils import load_backend
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from nms.accounts.scope import scope_of
from nms.common.models import Job, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
WORK_PACKAGES = ("nms.",)  # a job's work is a function of these packages only
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUEUED_MESSAGE = "Задача ждёт очереди."
NOT_FOUND = "Задача не найдена"
NO_RIGHTS = "Недостаточно прав для выполнения задачи."
REFRESHED = ("status", "done", "total", "message", "task_id", "error", "report", "result_name")
REFRESHED += ("result_content_type", "started_at", "finished_at", "params")
WORKER_FAILED = "Задача прервана обработчиком очереди. Запустите её ещё раз."
ONCE = "file_once"  # params: the result is a one-time file (see job_take_result)
TAKEN = "file_taken"  # params: when and as what it was downloaded (it is gone since)
FILE_TAKEN = "Файл уже скачан и больше не хранится: его можно скачать только один раз."


class JobFailed(Exception):
    """A failure the user can act on; the message (in Russian) is shown on the job page."""


@dataclass
class JobOutcome:
    """What finished work leaves: a file to download and/or an import report, and a message."""

    file: bytes | None = None
    filename: str = ""
    content_type: str = XLSX
    report: dict | None = None
    message: str = ""
    once: bool = False  # a one-time file: its author downloads it once, then it is wiped


def job_work(*, atomic: bool = True, phase: str = "Выполняется…"):
    """Declare a work function: whether it runs in one transaction (work that writes must), and
    the message the job page shows when it starts (before any progress is reported)."""

    def declare(function):
        function.job_atomic = atomic
        function.job_phase = phase
        return function

    return declare


def _work_path(work) -> str:
    if isinstance(work, str):
        return work
    return f"{work.__module__}.{work.__qualname__}"


# -- starting ----------------------------------------------------------------------------------
def job_start(
    user,
    *,
    kind: str,
    title: str,
    work,
    params: dict | None = None,
    upload: bytes | None = None,
    upload_name: str = "",
) -> Job:
    """Create the job and put it in the task queue; returns the job (its page shows progress).

    With the immediate backend (tests, NMS_TASKS_BACKEND=immediate) the work runs right here.
    """
    path = _work_path(work)
    if not path.startswith(WORK_PACKAGES):
        raise ValueError(f"work must be a function of {WORK_PACKAGES}, not {path!r}")
    job = Job.objects.create(
        user=user,
        kind=kind,
        title=title[:300],
        params=params or {},
        upload=upload,
        upload_name=upload_name[:255],
        message=QUEUED_MESSAGE,
    )
    result = run_job.enqueue(job.pk, path)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db(fields=[*REFRESHED])
    return job


# -- running -----------------------------------------------------------------------------------
@task()
def run_job(job_id: int, work_path: str) -> str:
    """The django-tasks task: run one job's work and record how it ended (never raises for a
    failure of the work itself — the job records it)."""
    if not work_path.startswith(WORK_PACKAGES):
        raise ValueError(f"refusing to run {work_path!r}")
    job = Job.objects.select_related("user").defer("result").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # run already (a task delivered twice)
    work = import_string(work_path)
    atomic = getattr(work, "job_atomic", True)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.message = getattr(work, "job_phase", "Выполняется…")
    Job.objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, message=job.message
    )
    progress = Progress(job, in_transaction=atomic)
    try:
        with transaction.atomic() if atomic else nullcontext():
            outcome = work(job, progress)
    except Exception as exc:
        job_fail(job, _reason(exc, job))
        return JobStatus.FAILED
    finally:
        progress.close()
    job_finish(job, outcome or JobOutcome())
    return JobStatus.DONE


def _reason(exc: Exception, job: Job) -> str:
    if isinstance(exc, JobFailed) and str(exc):
        return str(exc)
    if isinstance(exc, PermissionDenied):
        return str(exc) or NO_RIGHTS
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    logger.exception("Job %s (%s) failed", job.pk, job.kind)
    return (
        "Внутренняя ошибка при выполнении задачи; ничего не сохранено. "
        f"Сообщите администратору номер задачи: {job.pk}."
    )


def job_finish(job: Job, outcome: JobOutcome) -> None:
    fields = {
        "status": JobStatus.DONE,
        "finished_at": timezone.now(),
        "message": (outcome.message or "Готово.")[:500],
        "report": outcome.report,
    }
    if job.total:
        fields.update(done=job.total, total=job.total)
    if outcome.file is not None:
        fields.update(
            result=outcome.file,
            result_name=outcome.filename[:255],
            result_content_type=outcome.content_type[:200],
        )
        if outcome.once:
            fields["params"] = {**(job.params or {}), ONCE: True}
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def job_fail(job: Job, reason: str) -> None:
    job.status, job.error, job.finished_at = JobStatus.FAILED, reason, timezone.now()
    job.message = "Задача завершилась ошибкой."
    Job.objects.filter(pk=job.pk).update(
        status=job.status, error=job.error, finished_at=job.finished_at, message=job.message
    )


# -- progress ----------------------------------------------------------------------------------
class Progress:
    """The `progress(done, total)` callback handed to the work; cheap to call for every row.

    Writes when PROGRESS_INTERVAL has passed since the last write, when `every` items were done
    since it (if given), and when done reaches total. `phase(message)` shows a step of work
    whose amount is unknown (the page shows an indeterminate bar).
    """

    def __init__(self, job: Job, *, in_transaction: bool = False, every: int | None = None):
        self.job = job
        self.every = every
        self.in_transaction = in_transaction  # the work runs in one transaction
        self.written_at = 0.0
        self.written_done = 0
        self._side = None
        self._alias = DEFAULT_DB_ALIAS

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        job = self.job
        job.done = max(0, int(done))
        if total is not None:
            job.total = max(0, int(total))
        if message is not None:
            job.message = message[:500]
        now = monotonic()
        due = (
            now - self.written_at >= PROGRESS_INTERVAL
            or (self.every and job.done - self.written_done >= self.every)
            or (job.total and job.done >= job.total)
            or message is not None
        )
        if due:
            self.write(now)

    def phase(self, message: str) -> None:
        """A step whose amount of work is unknown: the bar becomes indeterminate."""
        self.job.done = self.job.total = 0
        self(0, 0, message)

    def write(self, now: float | None = None) -> None:
        self.written_at = monotonic() if now is None else now
        self.written_done = self.job.done
        alias = self._connection_alias()
        if alias is None:
            return  # SQLite inside the work's transaction: the phase shown stays until the end
        Job.objects.using(alias).filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            done=self.job.done, total=self.job.total, message=self.job.message
        )

    def _connection_alias(self) -> str | None:
        default = connections[DEFAULT_DB_ALIAS]
        if not self.in_transaction:
            return DEFAULT_DB_ALIAS
        if default.vendor == "sqlite":
            return None
        if self._side is None:
            self._alias = f"jobs-progress-{id(self)}"
            settings_dict = dict(default.settings_dict)
            self._side = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
                settings_dict, alias=self._alias
            )
            connections[self._alias] = self._side
        return self._alias

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            del connections[self._alias]
            self._side = None


# -- reading -----------------------------------------------------------------------------------
def jobs_visible(user) -> QuerySet[Job]:
    """The jobs a user may see: their own (a superuser: all); the files are not loaded."""
    return scope_of(user).visible(Job).defer("upload", "result").select_related("user")


def job_get(user, pk) -> Job:
    """One visible job, or 404 (another user's job is not found, never forbidden)."""
    try:
        job = jobs_visible(user).get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc
    return job_check_task(job)


def job_result(job: Job) -> bytes:
    """The result file (a one-time file only through `job_take_result`)."""
    if job_file_once(job):
        raise Http404(NOT_FOUND)
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).first()
    if data is None:
        raise Http404(NOT_FOUND)
    return bytes(data)


def job_file_once(job: Job) -> bool:
    """Whether the job's result is a one-time file (downloaded already or not)."""
    return bool((job.params or {}).get(ONCE))


def job_file_taken(job: Job) -> dict | None:
    """{"at": «ДД.ММ.ГГГГ ЧЧ:ММ», "name": file name} once a one-time file was downloaded."""
    return (job.params or {}).get(TAKEN)


def job_take_result(job: Job, user) -> bytes | None:
    """A one-time file, wiped as it is handed over: to the job's author only (anyone else: 404,
    the superuser too), the first time only — later, and to the loser of two downloads at once,
    None. The job (also in memory) keeps when and as what it was taken."""
    if not job_file_once(job) or job.user_id != getattr(user, "pk", None):
        raise Http404(NOT_FOUND)
    name = job.result_name
    taken = {"at": f"{timezone.localtime():%d.%m.%Y %H:%M}", "name": name}
    with transaction.atomic():
        pending = Job.objects.filter(pk=job.pk, result__isnull=False)
        data = pending.values_list("result", flat=True).first()
        # The update decides who takes it: a second one waits for the first and finds nothing.
        if data is None or not pending.update(
            result=None, result_name="", params={**(job.params or {}), TAKEN: taken}
        ):
            data = None
    job.refresh_from_db(fields=["params", "result_name"])
    return None if data is None else bytes(data)


def job_check_task(job: Job) -> Job:
    """A job whose task the queue reports as failed (the task crashed before the job could
    record it, e.g. the worker could not import the work) is marked failed."""
    if job.is_finished or not job.task_id:
        return job
    backend = run_job.get_backend()
    if not backend.supports_get_result:
        return job
    try:
        result = run_job.get_result(job.task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, ValueError, ImportError):
        return job
    if result.status == TaskResultStatus.FAILED:
        job_fail(job, WORKER_FAILED)
    return job
