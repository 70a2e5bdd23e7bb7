"""Long monitoring work in the background (DESIGN.md §3), as jobs (nms.common.jobs):

- computing a period: the «Пересчитать» of the pages and the API start a job for a region with
  many organizations; its progress is the indicators done;
- the analytical report (DOCX or XLSX) of a unit and period: the dashboard's links start a job,
  its page shows the progress and then the file to download (also from the jobs page).

The command line computes and writes reports synchronously (nms.monitoring.compute, reports)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.monitoring.compute import compute, parse_period
from nms.registry.models import Organization, Region

KIND = "monitoring_compute"
NO_RIGHTS = "Рассчитывать показатели может ЦНППМ или министерство региона."


def sync_units() -> int:
    """Regions with more organizations than this are computed by a background job."""
    return getattr(settings, "NMS_MONITORING_SYNC_UNITS", 300)


def in_background(region) -> bool:
    return Organization.objects.filter(region=region).count() > sync_units()


def compute_now(region, period, *, scope_types=None, codes=None) -> int:
    kwargs = {"codes": codes}
    if scope_types:
        kwargs["scope_types"] = scope_types
    return compute(region, period, **kwargs)


def compute_start(user, region, period: str):
    """Start the job computing the region's indicators for the period (refused at once when the
    user may not or the period is not understood)."""
    if not scope_of(user).can("monitoring.compute", region):
        raise PermissionDenied(NO_RIGHTS)
    label, _, _ = parse_period(period)
    return jobs.job_start(
        user,
        kind=KIND,
        title=f"Расчёт показателей мониторинга за {label}",
        work=compute_job,
        params={"region": region.pk, "period": label},
    )


@jobs.job_work(phase="Расчёт показателей…")
def compute_job(job, progress) -> jobs.JobOutcome:
    region = Region.objects.filter(pk=job.params["region"]).first()
    if region is None or not scope_of(job.user).can("monitoring.compute", region):
        raise jobs.JobFailed(NO_RIGHTS)
    from nms.monitoring.decisions import mark_overdue

    mark_overdue(region=region)
    try:
        written = compute(region, job.params["period"], progress=progress)
    except ValidationError as exc:
        raise jobs.JobFailed(" ".join(exc.messages)) from exc
    return jobs.JobOutcome(message=f"Рассчитано значений: {written}.")


# -- the analytical report ----------------------------------------------------------------------
REPORT_KIND = "monitoring_report"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_REPORT = "Эта единица вам не видна или не существует."


def report_start(user, place, period: str, kind: str):
    """Start the job building the analytical report of a unit (a dashboards.Place the user may
    view) for a computed period, as DOCX or XLSX."""
    if kind not in ("docx", "xlsx"):
        raise ValidationError("Справка бывает в форматах DOCX и XLSX.")
    form = "DOCX" if kind == "docx" else "XLSX"
    return jobs.job_start(
        user,
        kind=REPORT_KIND,
        title=f"Аналитическая справка ({form}): {place.name}, {period}",
        work=report_job,
        params={"scope_type": place.scope_type, "pk": place.id, "period": period, "kind": kind},
    )


@jobs.job_work(atomic=False, phase="Чтение значений показателей…")
def report_job(job, progress) -> jobs.JobOutcome:
    from django.http import Http404

    from nms.monitoring import dashboards, reports

    params = job.params
    try:
        place = dashboards.place_or_404(job.user, params["scope_type"], params["pk"])
    except Http404:
        raise jobs.JobFailed(NO_REPORT) from None
    period, kind = params["period"], params["kind"]
    progress(1, 3, "Значения показателей прочитаны, составляется справка…")
    if kind == "xlsx":
        content = reports.analytical_report_xlsx(place.region, period, place)
        content_type = jobs.XLSX
    else:
        content = reports.analytical_report_docx(place.region, period, place)
        content_type = DOCX
    progress(3, 3, "Справка готова.")
    return jobs.JobOutcome(
        file=content,
        filename=report_filename(place, period, kind),
        content_type=content_type,
        message="Аналитическая справка составлена.",
    )


def report_filename(place, period: str, kind: str) -> str:
    return f"аналитическая_справка_{place.name}_{period}.{kind}".replace("/", "-")
