"""The import page (the generic `ImportView` of common with the registry's import spec): choose
what to import, upload XLSX, read the report. Logic is in importers.

The upload becomes a background job (DESIGN.md §3): the file is kept with the job, the page
redirects to the job's page, which shows the progress and then the report. The job runs the
importer as the user who uploaded the file, in one transaction. The commands (`nms import-staff`
and the like) call the importers synchronously.
"""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404

from nms.common import jobs
from nms.common.views import ImportSpec, ImportView, xlsx_response
from nms.registry import importers

CHECKING = "Проверка и сохранение строк файла…"


@jobs.job_work(phase=CHECKING)
def import_job(job, progress) -> jobs.JobOutcome:
    """The import as a job: the importer reads the stored file as the user who uploaded it and
    reports its progress — rows checked, then records saved batch by batch, each step named.

    The work runs in one transaction: on PostgreSQL the progress goes through a second
    connection; on SQLite it cannot be written inside the transaction, so the page shows the
    phase (an indeterminate bar) until the report is ready (see nms.common.jobs).
    """
    upload = BytesIO(bytes(job.upload))
    report = importers.run_import(job.user, job.params["kind"], upload, progress)
    data = report.as_dict()
    data["municipalities_created"] = report.municipalities_created
    return jobs.JobOutcome(report=data, message=report.summary)


class RegistryImportView(ImportView):
    """The generic upload page with the registry's templates; the kinds are those the user may
    import (a school administration: its staff). A role that may not change the registry does
    not have the page at all (404, like the menu item it does not see)."""

    spec = ImportSpec(
        kinds=importers.available_kinds, work=import_job, template=importers.import_template
    )
    action = view_action = "registry.edit_people"
    template_name = "registry/import.html"


@login_required
def import_template(request, kind):
    kinds = dict(importers.available_kinds(request.user))
    if kind not in kinds:
        raise Http404("Страница не найдена")
    content = RegistryImportView.spec.template(request.user, kind)
    return xlsx_response(content, f"шаблон_{kinds[kind].lower()}.xlsx")
