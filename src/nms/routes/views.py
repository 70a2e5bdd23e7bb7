"""ИОМ pages: thin — selectors read, services write and decide who may do what.

On the generic views of `nms.common.views` (the model declares its shape, see tables.py):
- the register (`RouteListView`): filters, table, pages, htmx, XLSX export (a background job
  above NMS_EXPORT_SYNC_LIMIT rows); «Документы ИОМ» (`route_documents`) posts its filters;
- a route's read pages (`RouteDetailView`, `RouteVersionsView`, `RouteVersionDetailView`): the
  route looked up in the scope, the rest is context;
- the templates' list and the new template (`TemplateListView`, `TemplateCreateView`, its map a
  formset as the extra form), for the institute only (`view_action`: others get 404).

Function views stay where the generic ones would need bending:
- the writes on one route (steps, section 1, texts, the map, reports, deciding them): who may
  do them is decided per route by the roles that apply to it (`roles_on`, the services'
  `can_*`), not by one action of the scope as `ServiceFormView.action` asks; they carry the
  version the user saw (a stale save keeps the values and moves the form's hidden version —
  `_save`); the map's form is rendered with the map and the proposals; a step and a decision
  are buttons that answer with a message and a redirect, not a form page;
- opening a route (`route_create`): a teacher opens their own, the institute anyone's — not one
  action of the scope either, and the form changes with the role;
- applying a template (`template_apply`): a preview and a create from one form, at once or as a
  job by the number of people (`background`);
- the dashboard (several lists of different models) and the files (`route_docx`, `route_file`).
"""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nms.common.views import (
    ExtraForm,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    save_through_service,
)
from nms.routes import background, exports, selectors, services, suggestions, workflow
from nms.routes.access import roles_on
from nms.routes.background import template_job  # noqa: F401 -- the work of jobs queued here
from nms.routes.filters import RouteFilterSet, TemplateFilterSet
from nms.routes.forms import (
    DeficitsUpdateForm,
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
from nms.routes.models import ItemStatus, Level, Route, RouteTemplate, Status
from nms.routes.services import ITEM_FIELDS
from nms.routes.tables import RouteTable, TemplateTable

DASHBOARD_ROWS = 30
PREVIEW_ROWS = 50
DUE_NEXT = 3  # open items shown first on a route under way (on a phone: the first screen)
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


# -- the register and the dashboard ------------------------------------------------------------
class RouteListView(ScopedListView):
    """The register: the generic list (filters, table, pages, htmx) with an XLSX export — a
    background job above NMS_EXPORT_SYNC_LIMIT rows, the same job as the API's (the register
    filtered again as the user saw it) — and the «Документы ИОМ» button (`route_documents`)."""

    model = Route
    selector = staticmethod(selectors.register_rows)
    filterset_class = RouteFilterSet
    table = RouteTable
    template_name = "routes/route_list.html"
    title = "Индивидуальные образовательные маршруты"
    context_object_name = "routes"
    export = staticmethod(exports.register_xlsx)
    export_job = staticmethod(exports.register_export_job)
    export_filename = "ИОМ_{date}.xlsx"
    export_kind = exports.REGISTER_EXPORT_KIND
    export_title = exports.REGISTER_EXPORT_TITLE
    export_what = "маршрутов"

    def get_context_data(self) -> dict:
        user = self.request.user
        return {
            **super().get_context_data(),
            # Who may open a route is not one action of the scope: a teacher opens their own.
            "can_create": services.can_create(user),
            "can_templates": services.can_manage_templates(user),
        }


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


class RouteView(ScopedDetailView):
    """A route's read pages: the route looked up in the scope (outside it, 404). What the user
    may do with it is decided by the roles that apply to this route (`roles_on`, the services'
    `can_*`), not by one action of the scope, so the generic `can_edit` is not used."""

    model = Route
    selector = staticmethod(selectors.route_for_page)
    context_object_name = "route"


class RouteDetailView(RouteView):
    template_name = "routes/route_detail.html"

    def get_context(self, route) -> dict:
        user = self.request.user
        steps = workflow.available(roles_on(user, route), route.status)
        new_result = (
            selectors.new_result_for(route) if services.can_update_deficits(user, route) else None
        )
        levels = selectors.map_by_level(route)
        open_items = [i for _, items in levels for i in items if i.status != ItemStatus.DONE]
        due_next = (
            sorted(open_items, key=lambda i: (i.due_on, i.position, i.pk))[:DUE_NEXT]
            if route.status in selectors.UNDER_WAY
            else []
        )
        return {
            "info": route.general_info,
            "levels": levels,
            "due_next": [(item, services.can_report(user, item)) for item in due_next],
            "overdue_count": sum(item.is_overdue for _, items in levels for item in items),
            "events": selectors.history(route),
            "steps": steps,
            "step_form": TransitionForm(initial={"version": route.version}) if steps else None,
            "new_result": new_result,
            "new_deficits": [s.area.name for s in new_result.area_scores.all() if s.is_deficit]
            if new_result
            else [],
            "deficits_form": DeficitsUpdateForm(
                initial={"version": route.version, "result": new_result.pk}
            )
            if new_result
            else None,
            "can_edit_map": services.can_edit_map(user, route),
            "can_fill_texts": bool(services.fillable_texts(user, route)),
            "can_fill_general_info": services.can_fill_general_info(user, route),
            "outcome": selectors.outcome(route) if route.status == Status.COMPLETED else [],
        }


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
    form = TransitionForm(request.POST)
    if not form.is_valid():  # no version: the page must send the one it showed
        messages.error(request, "Страница устарела: обновите её и выполните шаг снова.")
    elif _attempt(
        request,
        lambda: services.transition(
            user, route, name, form.cleaned_data["comment"], form.cleaned_data["version"]
        ),
    ):
        messages.success(request, f"Выполнено: {workflow.TRANSITIONS[name].label}.")
    return redirect("route-detail", route.pk)


@login_required
@require_POST
def route_update_deficits(request, pk):
    """Section 2 renewed from the newer diagnostics result the route page offered."""
    user = request.user
    route = selectors.route_get(user, pk)
    form = DeficitsUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Страница устарела: обновите её и повторите.")
        return redirect("route-detail", route.pk)
    result = get_object_or_404(
        selectors.results_of_route_person(route), pk=form.cleaned_data["result"]
    )
    if _attempt(
        request,
        lambda: services.update_deficits_from_result(
            route, result, user, form.cleaned_data["version"]
        ),
    ):
        messages.success(
            request,
            f"Раздел 2 обновлён по результату диагностики от {result.taken_on:%d.%m.%Y}; "
            "сохранена новая версия маршрута.",
        )
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
    if not form.is_valid():  # no version, no stale check: the page must send the one it showed
        messages.error(request, "Страница устарела: обновите её и удалите пункт снова.")
    elif _attempt(request, lambda: services.item_delete(user, item, form.cleaned_data["version"])):
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
class RouteVersionsView(RouteView):
    template_name = "routes/versions.html"

    def get_context(self, route) -> dict:
        return {"versions": selectors.versions(route)}


class RouteVersionDetailView(RouteView):
    template_name = "routes/version_detail.html"

    def get_context(self, route) -> dict:
        version = selectors.version_get(route, self.kwargs["number"])
        return {"version": version, "data": selectors.snapshot_view(version.snapshot)}


# -- templates ---------------------------------------------------------------------------------
# The template pages are the institute's: for other roles they do not exist (404).
TEMPLATES = "routes.templates"


class TemplateListView(ScopedListView):
    model = RouteTemplate
    view_action = TEMPLATES
    selector = staticmethod(selectors.templates_for_list)
    filterset_class = TemplateFilterSet
    table = TemplateTable
    template_name = "routes/template_list.html"
    title = "Шаблоны ИОМ"
    context_object_name = "templates"
    create_url_name = "template-create"
    create_action = TEMPLATES
    create_label = "Новый шаблон"


def template_create_from_forms(user, data: dict, items: list[dict]) -> RouteTemplate:
    """The template form's data and its map's rows (a row without a title is left out)."""
    return services.template_create(
        user,
        data["name"],
        [row for row in items if row],
        description=data["description"],
        areas=data["areas"],
    )


class TemplateCreateView(ServiceFormView):
    model = RouteTemplate
    view_action = TEMPLATES
    form_class = TemplateForm
    extra_forms = {"items": ExtraForm("Карта развития", TemplateItemFormSet, prefix="items")}
    service = staticmethod(template_create_from_forms)
    action = TEMPLATES
    template_name = "routes/template_form.html"
    title = "Новый шаблон ИОМ"

    def get_success_message(self, saved) -> str:
        return f"Шаблон «{saved}» сохранён."

    def get_success_url(self, saved) -> str:
        return reverse("template-apply", args=[saved.pk])


@login_required
def template_apply(request, pk):
    user = request.user
    require(services.can_manage_templates(user))
    template = selectors.template_get(user, pk)
    form = TemplateApplyForm(request.POST or None, user=user)
    people = None
    if form.is_valid():
        data = form.cleaned_data
        people = background.candidates(user, template, data)
        if "create" in request.POST and people.count() > background.sync_routes_limit():
            job = _save(
                form, lambda: background.template_job_start(user, template, data, request.POST)
            )
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
                messages.success(request, background.routes_created(len(routes)))
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
            "sync_limit": background.sync_routes_limit(),
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
