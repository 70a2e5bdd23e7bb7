"""Routes from a template for many people as a background job (DESIGN.md §3, «Long work in the
background»): the page's selection (its form, above NMS_SYNC_ROUTES_LIMIT candidates) and the
API's list of people (above NMS_SYNC_ROUTES_LIMIT ids) alike.

Starting checks what can be refused before any person is looked at (the rights and the dates);
the job keeps what was asked and the work checks it again as the user who asked: one transaction
(nothing is created if it fails), a message with the counts and a file listing who got a route
and who was skipped. The command line and small selections call `services.template_apply`
synchronously.
"""

from datetime import date

from django.conf import settings
from django.http import Http404

from nms.common import jobs
from nms.registry.models import Person
from nms.routes import exports, selectors, services
from nms.routes.forms import TemplateApplyForm

KIND = "routes_from_template"
# The page's form fields kept with the job (as sent: the work validates them again).
TEMPLATE_FIELDS = (
    "profile", "municipality", "organization", "subject", "only_deficit", "starts_on", "ends_on",
    "methodist",
)  # fmt: skip
SKIPPED_SHOWN = 400  # characters of the names of those skipped in the job's message


def sync_routes_limit() -> int:
    """Routes from a template for more people than this are created by a background job."""
    return settings.NMS_SYNC_ROUTES_LIMIT


def routes_created(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return f"Создан {count} маршрут."
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return f"Создано {count} маршрута."
    return f"Создано {count} маршрутов."


def candidates(user, template, data: dict):
    """The people the page's selection (TemplateApplyForm's cleaned data) names."""
    return selectors.template_candidates(
        user,
        template,
        profile=data["profile"],
        municipality=data["municipality"],
        organization=data["organization"],
        subject=data["subject"],
        only_deficit=data["only_deficit"],
    )


def _start(user, template, params: dict, work):
    return jobs.job_start(
        user,
        kind=KIND,
        title=f"ИОМ по шаблону «{template.name}»",
        work=work,
        params={"template": template.pk, **params},
    )


def _template(job):
    try:
        return selectors.template_get(job.user, job.params["template"])
    except Http404 as exc:
        raise jobs.JobFailed("Шаблон больше не доступен: маршруты не созданы.") from exc


def _outcome(applied: services.TemplateApplied) -> jobs.JobOutcome:
    return jobs.JobOutcome(
        file=exports.template_applied_xlsx(applied),
        filename=f"ИОМ_по_шаблону_{date.today():%d.%m.%Y}.xlsx",
        message=applied_message(applied),
    )


def applied_message(applied: services.TemplateApplied) -> str:
    text = routes_created(len(applied.routes))
    if not applied.skipped:
        return f"{text} Пропущенных нет."
    names = ", ".join(person.full_name for person, _ in applied.skipped)
    if len(names) > SKIPPED_SHOWN:
        names = names[:SKIPPED_SHOWN].rsplit(", ", 1)[0] + " и другие"
    return (
        f"{text} Пропущено: {len(applied.skipped)} ({services.BUSY}): {names}. "
        "Полный список — в файле."
    )


# -- the page: the selection of its form ------------------------------------------------------
def template_job_start(user, template, data: dict, form: dict):
    """`data` is the valid form's cleaned data, `form` what was sent (kept with the job)."""
    services.template_apply_check(user, data["starts_on"], data["ends_on"])
    kept = {name: form[name] for name in TEMPLATE_FIELDS if name in form}
    return _start(user, template, {"form": kept}, template_job)


@jobs.job_work(phase="Отбор работников…")
def template_job(job, progress) -> jobs.JobOutcome:
    user = job.user
    template = _template(job)
    form = TemplateApplyForm(job.params["form"], user=user)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        raise jobs.JobFailed(f"Условия отбора больше не подходят: {errors}")
    data = form.cleaned_data
    progress.phase("Создание маршрутов…")
    applied = services.template_apply(
        user,
        template,
        candidates(user, template, data),
        data["starts_on"],
        data["ends_on"],
        methodist=data["methodist"],
        progress=progress,
    )
    return _outcome(applied)


# -- the API: a list of people ---------------------------------------------------------------
def template_people_job_start(user, template, people, starts_on, ends_on, *, methodist=None):
    """`people`: ids (those outside the scope are left out by the work, as at once)."""
    services.template_apply_check(user, starts_on, ends_on)
    params = {
        "people": sorted(set(people)),
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "methodist": methodist.pk if methodist else None,
    }
    return _start(user, template, params, template_people_job)


@jobs.job_work(phase="Отбор работников…")
def template_people_job(job, progress) -> jobs.JobOutcome:
    user, params = job.user, job.params
    template = _template(job)
    methodist = None
    if params.get("methodist"):
        methodist = selectors.methodists_visible(user).filter(pk=params["methodist"]).first()
        if methodist is None:
            raise jobs.JobFailed("Региональный методист больше не доступен: маршруты не созданы.")
    progress.phase("Создание маршрутов…")
    applied = services.template_apply(
        user,
        template,
        Person.objects.filter(pk__in=params["people"]).only("pk"),
        date.fromisoformat(params["starts_on"]),
        date.fromisoformat(params["ends_on"]),
        methodist=methodist,
        progress=progress,
    )
    return _outcome(applied)
