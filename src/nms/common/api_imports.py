"""An import endpoint's answer, the same for every app: the report of
`nms.common.importing.ImportReport`, or a background job for a big file (nms.common.jobs)."""

from django.conf import settings
from rest_framework import serializers, status
from rest_framework.response import Response

from nms.common import jobs
from nms.common.api import ImportErrorSerializer
from nms.common.api_jobs import job_accepted
from nms.common.importing import ImportReport, data_rows


class ImportReportSerializer(serializers.Serializer):
    """`nms.common.importing.ImportReport.as_dict()`."""

    created = serializers.IntegerField(help_text="добавлено строк файла")
    updated = serializers.IntegerField(help_text="изменено строк файла")
    unchanged = serializers.IntegerField(help_text="строк файла без изменений")
    errors = ImportErrorSerializer(many=True)
    error_count = serializers.IntegerField(help_text="всего найдено ошибок (в errors — первые)")
    summary = serializers.CharField()


def import_response(
    request,
    *,
    run,
    job_kind: str,
    job_title: str,
    job_work,
    job_params,
    report_class=ImportReport,
    before_job=None,
):
    """The answer of an import endpoint to a file in the multipart field `file`: 200 with the
    report when saved, 400 with every error when rejected (nothing saved); a file over
    NMS_EXPORT_SYNC_LIMIT rows is imported in the background as the page does (202, the job).
    `run(upload)` imports now; `job_title` may name the file as «{name}»; `report_class` is the
    importer's report (for a request without a file); `before_job()` may refuse a job to a user
    who may not import (PermissionDenied: 403) — the importer itself refuses in its report."""
    upload = request.FILES.get("file")
    if upload is None:
        report = report_class.rejected("Приложите файл XLSX в поле file.", "file")
    elif data_rows(upload) > settings.NMS_EXPORT_SYNC_LIMIT:
        if before_job is not None:
            before_job()
        job = jobs.job_start(
            request.user,
            kind=job_kind,
            title=job_title.format(name=upload.name),
            work=job_work,
            params=job_params,
            upload=upload.read(),
            upload_name=upload.name,
        )
        return job_accepted(request, job)
    else:
        report = run(upload)
    return Response(
        report.as_dict(),
        status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST,
    )
