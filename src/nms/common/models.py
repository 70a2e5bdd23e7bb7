"""What every app shares in the database: background jobs (see jobs.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "готово"
    FAILED = "failed", "ошибка"


class Job(models.Model):
    """Long work run in the background (an import, a big export) and what it produced.

    The input file and the result are kept in the database, not on a disk, so any web node that
    shares the database can serve them and any worker can run the job. `report` is the import
    report as JSON (`ImportReport.as_dict()`); `error` is the Russian reason a failed job gives.
    """

    FINISHED = (JobStatus.DONE, JobStatus.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name="кто"
    )
    kind = models.CharField("вид", max_length=50)
    title = models.CharField("название", max_length=300)
    status = models.CharField(
        "состояние", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField("сделано", default=0)
    total = models.PositiveIntegerField("всего", default=0)
    message = models.CharField("сообщение", max_length=500, blank=True)
    params = models.JSONField("параметры", default=dict, blank=True)
    upload = models.BinaryField("загруженный файл", null=True, blank=True)
    upload_name = models.CharField("имя загруженного файла", max_length=255, blank=True)
    result = models.BinaryField("файл результата", null=True, blank=True)
    result_name = models.CharField("имя файла результата", max_length=255, blank=True)
    result_content_type = models.CharField("тип файла результата", max_length=200, blank=True)
    report = models.JSONField("отчёт об импорте", null=True, blank=True)
    error = models.TextField("причина ошибки", blank=True)
    task_id = models.CharField("задача в очереди", max_length=64, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    started_at = models.DateTimeField("начата", null=True, blank=True)
    finished_at = models.DateTimeField("завершена", null=True, blank=True)

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="common_job_user_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def has_file(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_name)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the amount of work is unknown."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def import_report(self):
        """The stored import report as an ImportReport (for common/import_report.html)."""
        if self.report is None:
            return None
        from nms.common.importing import ImportReport, RowError

        data = self.report
        return ImportReport(
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            municipalities_created=data.get("municipalities_created", 0),
            errors=[RowError(**error) for error in data.get("errors", [])],
            error_count=data.get("error_count", 0),
        )
