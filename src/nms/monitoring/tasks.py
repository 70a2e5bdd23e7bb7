"""Computing a period in the background (DESIGN.md §3): the «Пересчитать» of the pages and the
API start a job (nms.common.jobs) for a region with many organizations; its progress is the
indicators done. The command line computes synchronously (nms.monitoring.compute)."""

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
    try:
        written = compute(region, job.params["period"], progress=progress)
    except ValidationError as exc:
        raise jobs.JobFailed(" ".join(exc.messages)) from exc
    return jobs.JobOutcome(message=f"Рассчитано значений: {written}.")
