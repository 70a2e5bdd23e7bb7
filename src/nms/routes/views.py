"""ИОМ pages: thin — selectors read, services write and decide who may do what."""

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nms.common import jobs
from nms.common.pagination import paginate
from nms.common.views import require, save_through_service, xlsx_response
from nms.routes import exports, selectors, services, suggestions, workflow
from nms.routes.access import roles_on
from nms.routes.filters import RouteFilterSet
from nms.routes.forms import (
    GeneralInfoForm,
    ItemForm,
    ReportForm,
    RouteCreateForm,
    TemplateApplyForm,
    TemplateForm,
    TemplateItemFormSet,
    TextsForm,
    TransitionForm,
    VersionedForm,
)
from nms.routes.models import Level, Status
from nms.routes.services import ITEM_FIELDS

DASHBOARD_ROWS = 30
PREVIEW_ROWS = 50
STALE_HINT = "Форма уже привязана к текущей версии: проверьте маршрут и сохраните ещё раз."
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _save(form, call, route=None):
    """Run a service for a valid form; a refusal becomes the form's error.

    After a save on a stale copy the user's values stay in the form and its hidden version moves
    to the current one, so they can look at the route as it is now and send them again.
    """

    def guarded():
        try:
            return call()
        except services.StaleRoute as error:
            route.refresh_from_db(fields=["version"])
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = route.version
            raise ValidationError([*error.messages, STALE_HINT]) from error
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error

    return save_through_service(form, guarded)


def _attempt(request, call) -> bool:
    """Run a service for a button; a refusal becomes an error message in Russian."""
    try:
        call()
    except PermissionDenied as error:
        messages.error(request, str(error) or "Недостаточно прав.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


def _routes_created(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return f"Создан {count} маршрут."
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return f"Создано {count} маршрута."
    return f"Создано {count} маршрутов."


# -- the register and the dashboard ------------------------------------------------------------
@login_required
def route_list(request):
    user = request.user
    filterset = RouteFilterSet(request.GET, queryset=selectors.register(user), request=request)
    if request.GET.get("format") == "xlsx":
        # Above the limit the export is a background job with a progress bar (DESIGN.md §3).
        filename = f"ИОМ_{date.today():%d.%m.%Y}.xlsx"
        if filterset.qs.count() <= settings.NMS_EXPORT_SYNC_LIMIT:
            return xlsx_response(exports.register_xlsx(filterset.qs), filename)
        return redirect(exports.register_export_start(user, request.GET, filename))
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "routes": page.object_list,
        "can_create": services.can_create(user),
        "can_templates": services.can_manage_templates(user),
    }
    template = "routes/_route_table.html" if request.htmx else "routes/route_list.html"
    return render(request, template, context)


@login_required
@require_POST
def route_documents(request):
    """«Документы ИОМ»: the Word documents of the register (the list's filters are in the query)
    as one ZIP — always a background job; the job's page shows the progress and the link."""
    return redirect(exports.documents_start(request.user, request.GET))


@login_required
def route_dashboard(request):
    user = request.user
    due = selectors.due_for(user)
    return render(
        request,
        "routes/dashboard.html",
        {
            "overdue_items": due["overdue_items"][:DASHBOARD_ROWS],
            "audits_due": due["audits_due"][:DASHBOARD_ROWS],
            "awaiting": selectors.awaiting_step(user)[:DASHBOARD_ROWS],
            "reports": selectors.reports_pending(user)[:DASHBOARD_ROWS],
            "own": selectors.own_routes(user),
        },
    )


# -- one route ---------------------------------------------------------------------------------
@login_required
def route_create(request):
    user = request.user
    require(services.can_create(user))
    form = RouteCreateForm(request.POST or None, user=user)
    if form.is_valid():
        data = form.cleaned_data
        route = _save(
            form,
            lambda: services.route_create(
                user,
                data.get("person") or user.person,
                data["starts_on"],
                data["ends_on"],
                methodist=data.get("methodist"),
            ),
        )
        if route:
            messages.success(request, "Маршрут создан. Составьте карту профессионального развития.")
            return redirect("route-detail", route.pk)
    return render(request, "routes/form.html", {"form": form, "title": "Новый ИОМ"})


@login_required
def route_detail(request, pk):
    user = request.user
    route = selectors.route_get(user, pk)
    steps = [
        (step, TransitionForm(initial={"version": route.version}, prefix=step.name))
        for step in workflow.available(roles_on(user, route), route.status)
    ]
    return render(
        request,
        "routes/route_detail.html",
        {
            "route": route,
            "info": route.general_info,
            "levels": selectors.map_by_level(route),
            "events": selectors.history(route),
            "steps": steps,
            "can_edit_map": services.can_edit_map(user, route),
            "can_fill_texts": bool(services.fillable_texts(user, route)),
            "can_fill_general_info": services.can_fill_general_info(user, route),
            "outcome": selectors.outcome(route) if route.status == Status.COMPLETED else [],
        },
    )


@login_required
def route_docx(request, pk):
    route = selectors.route_get(request.user, pk)
    response = HttpResponse(exports.route_docx(route), content_type=DOCX)
    filename = f"ИОМ_{route.person.last_name}_{date.today():%d.%m.%Y}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def route_transition(request, pk, name):
    user = request.user
    route = selectors.route_get(user, pk)
    form = TransitionForm(request.POST, prefix=name)
    if not form.is_valid():
        messages.error(request, "Добавьте комментарий к шагу.")
    elif _attempt(
        request,
        lambda: services.transition(
            user, route, name, form.cleaned_data["comment"], form.cleaned_data["version"]
        ),
    ):
        messages.success(request, f"Выполнено: {workflow.TRANSITIONS[name].label}.")
    return redirect("route-detail", route.pk)


@login_required
def route_general_info(request, pk):
    user = request.user
    route = selectors.route_get(user, pk)
    require(services.can_fill_general_info(user, route))
    form = GeneralInfoForm(request.POST or None, route=route, initial={"version": route.version})
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.GENERAL_INFO_FIELDS}
        version = form.cleaned_data["version"]
        if _save(form, lambda: services.general_info_update(user, route, data, version), route):
            messages.success(request, "Раздел 1 сохранён.")
            return redirect("route-detail", route.pk)
    return render(
        request,
        "routes/form.html",
        {
            "form": form,
            "title": f"Раздел 1. Общие сведения: {route.person.full_name}",
            "back": route,
        },
    )


@login_required
def route_texts(request, pk):
    user = request.user
    route = selectors.route_get(user, pk)
    fields = services.fillable_texts(user, route)
    require(bool(fields))
    form = TextsForm(
        request.POST or None, route=route, fields=fields, initial={"version": route.version}
    )
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        version = form.cleaned_data["version"]
        if _save(form, lambda: services.texts_update(user, route, data, version), route):
            messages.success(request, "Сохранено.")
            return redirect("route-detail", route.pk)
    return render(
        request,
        "routes/form.html",
        {"form": form, "title": f"Оценка и предложения: {route.person.full_name}", "back": route},
    )


# -- the development map -----------------------------------------------------------------------
def _editable(request, pk):
    route = selectors.route_get(request.user, pk)
    require(services.can_edit_map(request.user, route))
    return route


def _map_page(request, route, form, title, item=None):
    levels = dict(Level.choices)
    proposals = {
        area: [(s, levels.get(s.level, s.level)) for s in found]
        for area, found in suggestions.suggest(route).items()
    }
    return render(
        request,
        "routes/map_edit.html",
        {
            "route": route,
            "form": form,
            "title": title,
            "item": item,
            "levels": selectors.map_by_level(route),
            "suggestions": proposals,
        },
    )


@login_required
def item_add(request, pk):
    user = request.user
    route = _editable(request, pk)
    initial = {"version": route.version, "starts_on": route.starts_on, "due_on": route.ends_on}
    initial.update({f: request.GET[f] for f in ITEM_FIELDS if f in request.GET})
    form = ItemForm(request.POST or None, initial=initial)
    if form.is_valid():
        data, version = form.item_data(), form.cleaned_data["version"]
        if _save(form, lambda: services.item_add(user, route, data, version), route):
            messages.success(request, "Пункт добавлен в карту.")
            return redirect("route-item-add", route.pk)
    return _map_page(request, route, form, "Карта профессионального развития")


@login_required
def item_edit(request, pk, item_pk):
    user = request.user
    route = _editable(request, pk)
    item = selectors.item_get(route, item_pk)
    initial = {"version": route.version, **{f: getattr(item, f) for f in ITEM_FIELDS}}
    form = ItemForm(request.POST or None, initial=initial)
    if form.is_valid():
        data, version = form.item_data(), form.cleaned_data["version"]
        if _save(form, lambda: services.item_update(user, item, data, version), route):
            messages.success(request, "Пункт изменён.")
            return redirect("route-item-add", route.pk)
    return _map_page(request, route, form, "Изменение пункта карты", item)


@login_required
@require_POST
def item_delete(request, pk, item_pk):
    user = request.user
    route = selectors.route_get(user, pk)
    item = selectors.item_get(route, item_pk)
    form = VersionedForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    if _attempt(request, lambda: services.item_delete(user, item, version)):
        messages.success(request, f"Пункт «{item.title}» удалён.")
    return redirect("route-item-add" if services.can_edit_map(user, route) else "route-detail", pk)


# -- reports on items --------------------------------------------------------------------------
@login_required
def item_detail(request, pk, item_pk):
    user = request.user
    route = selectors.route_get(user, pk)
    item = selectors.item_get(route, item_pk)
    can_report = services.can_report(user, item)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(form, lambda: services.report_submit(user, item, **data)):
            messages.success(request, "Отчёт отправлен региональному методисту.")
            return redirect("route-item", route.pk, item.pk)
    return render(
        request,
        "routes/item_detail.html",
        {
            "route": route,
            "item": item,
            "reports": selectors.item_reports(item),
            "form": form if can_report or request.method == "POST" else None,
            "can_decide": services.can_decide_reports(user, route),
        },
    )


@login_required
@require_POST
def report_decide(request, pk, report_pk):
    user = request.user
    route = selectors.route_get(user, pk)
    report = selectors.report_get(route, report_pk)
    comment = request.POST.get("comment", "")
    accept = request.POST.get("decision") == "accept"
    if _attempt(
        request, lambda: services.report_decide(user, report, accept=accept, comment=comment)
    ):
        messages.success(request, "Отчёт принят." if accept else "Отчёт возвращён на доработку.")
    return redirect("route-item", route.pk, report.item_id)


# -- versions ----------------------------------------------------------------------------------
@login_required
def route_versions(request, pk):
    route = selectors.route_get(request.user, pk)
    return render(
        request,
        "routes/versions.html",
        {"route": route, "versions": selectors.versions(route)},
    )


@login_required
def route_version_detail(request, pk, number):
    route = selectors.route_get(request.user, pk)
    version = selectors.version_get(route, number)
    return render(
        request,
        "routes/version_detail.html",
        {"route": route, "version": version, "data": selectors.snapshot_view(version.snapshot)},
    )


# -- templates ---------------------------------------------------------------------------------
@login_required
def template_list(request):
    require(services.can_manage_templates(request.user))
    page = paginate(request, selectors.templates_for_list(request.user))
    return render(
        request, "routes/template_list.html", {"page": page, "templates": page.object_list}
    )


@login_required
def template_create(request):
    user = request.user
    require(services.can_manage_templates(user))
    form = TemplateForm(request.POST or None)
    items = TemplateItemFormSet(request.POST or None, prefix="items")
    if all([form.is_valid(), items.is_valid()]):
        data = form.cleaned_data
        rows = [row.cleaned_data for row in items if row.cleaned_data]
        template = _save(
            form,
            lambda: services.template_create(
                user, data["name"], rows, description=data["description"], areas=data["areas"]
            ),
        )
        if template:
            messages.success(request, f"Шаблон «{template}» сохранён.")
            return redirect("template-apply", template.pk)
    return render(request, "routes/template_form.html", {"form": form, "items": items})


@login_required
def template_apply(request, pk):
    user = request.user
    require(services.can_manage_templates(user))
    template = selectors.template_get(user, pk)
    form = TemplateApplyForm(request.POST or None, user=user)
    people = None
    if form.is_valid():
        data = form.cleaned_data
        people = _candidates(user, template, data)
        if "create" in request.POST and people.count() > _sync_routes_limit():
            job = _save(form, lambda: _template_job_start(request, template, data))
            if job:
                return redirect(job)
        elif "create" in request.POST:
            routes = _save(
                form,
                lambda: services.routes_from_template(
                    user,
                    template,
                    people,
                    data["starts_on"],
                    data["ends_on"],
                    methodist=data["methodist"],
                ),
            )
            if routes:
                messages.success(request, _routes_created(len(routes)))
                return redirect("route-list")
    return render(
        request,
        "routes/template_apply.html",
        {
            "template": template,
            "template_items": template.items.select_related("area"),
            "form": form,
            "people": people[:PREVIEW_ROWS] if people is not None else None,
            "people_count": people.count() if people is not None else 0,
            "sync_limit": _sync_routes_limit(),
        },
    )


@login_required
def route_file(request, pk, kind, object_pk):
    """Evidence and report files, served only to users who see the route (never from /media/)."""
    route = selectors.route_get(request.user, pk)
    require(kind in ("evidence", "report"))
    if kind == "evidence":
        file = selectors.item_get(route, object_pk).evidence_file
    else:
        file = selectors.report_get(route, object_pk).file
    require(bool(file))
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


# -- templates for many people: a background job -------------------------------------------------
TEMPLATE_FIELDS = (
    "profile", "municipality", "organization", "subject", "only_deficit", "starts_on", "ends_on",
    "methodist",
)  # fmt: skip
SKIPPED_SHOWN = 400  # characters of the names of those skipped in the job's message


def _sync_routes_limit() -> int:
    """Routes from a template for more people than this are created by a background job."""
    return settings.NMS_SYNC_ROUTES_LIMIT


def _candidates(user, template, data: dict):
    return selectors.template_candidates(
        user,
        template,
        profile=data["profile"],
        municipality=data["municipality"],
        organization=data["organization"],
        subject=data["subject"],
        only_deficit=data["only_deficit"],
    )


def _template_job_start(request, template, data: dict):
    """The form is kept with the job as it was sent; the job checks it again as its user."""
    services.template_apply_check(request.user, data["starts_on"], data["ends_on"])
    form = {name: request.POST[name] for name in TEMPLATE_FIELDS if name in request.POST}
    return jobs.job_start(
        request.user,
        kind="routes_from_template",
        title=f"ИОМ по шаблону «{template.name}»",
        work=template_job,
        params={"template": template.pk, "form": form},
    )


@jobs.job_work(phase="Отбор работников…")
def template_job(job, progress) -> jobs.JobOutcome:
    """Routes from a template as a job: one transaction (nothing is created if it fails); the
    result is a message with the counts and a file listing who got a route and who was skipped."""
    user = job.user
    template = selectors.template_get(user, job.params["template"])
    form = TemplateApplyForm(job.params["form"], user=user)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        raise jobs.JobFailed(f"Условия отбора больше не подходят: {errors}")
    data = form.cleaned_data
    progress.phase("Создание маршрутов…")
    applied = services.template_apply(
        user,
        template,
        _candidates(user, template, data),
        data["starts_on"],
        data["ends_on"],
        methodist=data["methodist"],
        progress=progress,
    )
    return jobs.JobOutcome(
        file=exports.template_applied_xlsx(applied),
        filename=f"ИОМ_по_шаблону_{date.today():%d.%m.%Y}.xlsx",
        message=_applied_message(applied),
    )


def _applied_message(applied) -> str:
    text = _routes_created(len(applied.routes))
    if not applied.skipped:
        return f"{text} Пропущенных нет."
    names = ", ".join(person.full_name for person, _ in applied.skipped)
    if len(names) > SKIPPED_SHOWN:
        names = names[:SKIPPED_SHOWN].rsplit(", ", 1)[0] + " и другие"
    return (
        f"{text} Пропущено: {len(applied.skipped)} ({services.BUSY}): {names}. "
        "Полный список — в файле."
    )
