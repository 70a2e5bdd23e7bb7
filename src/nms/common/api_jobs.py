"""GET /api/v1/jobs/, /api/v1/jobs/{id}/ and /api/v1/jobs/{id}/file/: a background job's state,
progress, links and its file (for token clients too).

Scoped like the pages: a user sees only their own jobs (a superuser all); another user's job
answers 404. A one-time file (one-time passwords) goes to its author once, then 410.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from nms.common import jobs
from nms.common.jobs_views import file_response
from nms.common.models import Job


class JobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    is_finished = serializers.BooleanField(read_only=True)
    page_url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "kind", "title", "status", "status_display", "is_finished", "done", "total",
            "percent", "message", "error", "report", "result_name", "page_url", "file_url",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, job) -> str:
        return self._absolute(job.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, job) -> str | None:
        if not job.has_file:
            return None
        request = self.context.get("request")
        if jobs.job_file_once(job) and getattr(request, "user", None) != job.user:
            return None  # a one-time file is its author's alone
        return self._absolute(reverse("api-job-file", args=[job.pk]))


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's background jobs (imports, big exports), newest first."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()  # for the schema; requests read get_queryset()

    def get_queryset(self):
        return jobs.jobs_visible(self.request.user)

    def get_object(self):
        job = super().get_object()
        return jobs.job_check_task(job)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """Файл результата задачи (выгрузка, отчёт); разовый файл — только автору и один раз."""
        return file_response(request, self.get_object())


def job_accepted(request, job) -> Response:
    """202 Accepted with the job; its state and file at the address in Location."""
    data = JobSerializer(job, context={"request": request}).data
    location = reverse("api-job-detail", args=[job.pk])
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
