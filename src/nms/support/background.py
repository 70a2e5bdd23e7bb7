"""The automatic assignment of teachers to methodists as a background job (DESIGN.md §3): the
page and the API start it, the job page shows its progress, its file lists who is left
unassigned and why. The command line calls `caseloads.assign_automatically` directly."""

from datetime import date

from django.core.exceptions import PermissionDenied

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.support import caseloads, exports

KIND = "support_caseloads"


def caseload_job_start(user, region):
    if not scope_of(user).can("support.manage_actives"):
        raise PermissionDenied(caseloads.NO_RIGHTS)
    return jobs.job_start(
        user,
        kind=KIND,
        title=f"Закрепление педагогов за методистами: {region.name}",
        work=caseload_job,
        params={"region": region.pk},
    )


@jobs.job_work(phase="Подбор методистов…")
def caseload_job(job, progress) -> jobs.JobOutcome:
    region = scope_of(job.user).regions().filter(pk=job.params["region"]).first()
    if region is None:
        raise jobs.JobFailed("Регион больше не доступен: закрепление не выполнено.")
    report = caseloads.assign_automatically(job.user, region, progress=progress)
    return jobs.JobOutcome(
        file=exports.unassigned_xlsx(report),
        filename=f"Закрепление_{date.today():%d.%m.%Y}.xlsx",
        message=report.as_text(),
    )
