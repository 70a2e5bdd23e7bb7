"""The import page: choose what to import, upload XLSX, read the report. Logic is in importers.

The upload becomes a background job (DESIGN.md §3): the file is kept with the job, the page
redirects to the job's page, which shows the progress and then the report. The job runs the
importer as the user who uploaded the file, in one transaction. The commands (`nms import-staff`
and the like) call the importers synchronously.
"""

from io import BytesIO

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.views import require, xlsx_response
from nms.registry import importers

CHECKING = "Проверка и сохранение строк файла…"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем", widget=forms.RadioSelect)
    file = forms.FileField(
        label="Файл XLSX",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = kinds[0][0]


@login_required
def import_page(request):
    require(scope_of(request.user).can_edit_registry)
    kinds = importers.available_kinds(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind, file = form.cleaned_data["kind"], form.cleaned_data["file"]
        job = jobs.job_start(
            request.user,
            kind=f"import_{kind}",
            title=f"Импорт: {dict(kinds)[kind].lower()} из файла «{file.name}»",
            work=import_job,
            params={"kind": kind},
            upload=file.read(),
            upload_name=file.name,
        )
        return redirect(job)
    return render(request, "registry/import.html", {"form": form, "report": None, "kinds": kinds})


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


@login_required
def import_template(request, kind):
    kinds = dict(importers.available_kinds(request.user))
    if kind not in kinds:
        raise Http404("Страница не найдена")
    content = importers.import_template(request.user, kind)
    return xlsx_response(content, f"шаблон_{kinds[kind].lower()}.xlsx")
