"""Pages of diagnostic procedures, online testing and the results import: thin — selectors read,
services write."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nms.accounts.scope import scope_of
from nms.common import concurrency, jobs
from nms.common.pagination import paginate
from nms.common.table_export import table_xlsx
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    require,
    save_through_service,
    xlsx_response,
)
from nms.diagnostics import exports, importers, selectors, services
from nms.diagnostics.filters import ProcedureFilterSet
from nms.diagnostics.follow_ups import follow_ups
from nms.diagnostics.forms import (
    AnswerForm,
    BlueprintForm,
    GroupForm,
    ProcedureEditForm,
    ProcedureForm,
    ProcedureResultsFilterForm,
    questions,
)
from nms.diagnostics.models import AttemptStatus, Procedure, Result
from nms.diagnostics.tables import ProcedureResultsTable, ProcedureTable
from nms.diagnostics.variants import overlap_report
from nms.itembank.forms import key_text
from nms.registry.selectors import person_get

VIEW_PROCEDURES = "diagnostics.view_procedures"
MANAGE = "diagnostics.manage"


def _can_view_procedures(user) -> bool:
    return scope_of(user).can(VIEW_PROCEDURES)


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    links = []
    if _can_view_procedures(user):
        links.append((reverse("procedure-list"), "Диагностические процедуры"))
    if scope.can_see_item_bank:
        links.append((reverse("bank-list"), "Банк заданий"))
    if scope.can_edit_item_bank:
        links.append((reverse("area-list"), "Области компетенций"))
    # The maps are the deficits app's (built on this one): its action, and people to count.
    if scope.can("deficits.view_maps") and scope.people().exists():
        links.append((reverse("map-deficits"), "Карты дефицитов"))
    return render(
        request,
        "diagnostics/home.html",
        {
            "mine": selectors.my_diagnostics(user),
            "results": selectors.person_results(user, user.person_id) if user.person_id else [],
            "links": links,
        },
    )


# -- procedures ------------------------------------------------------------------------------
class ProcedureListView(ScopedListView):
    model = Procedure
    selector = staticmethod(selectors.procedures_for_list)
    view_action = VIEW_PROCEDURES
    filterset_class = ProcedureFilterSet
    table = ProcedureTable
    template_name = "diagnostics/procedure_list.html"
    title = "Диагностические процедуры"
    export = staticmethod(table_xlsx(ProcedureTable, "Процедуры"))
    export_filename = "диагностические_процедуры_{date}.xlsx"
    context_object_name = "procedures"
    create_url_name = "procedure-create"
    create_action = MANAGE
    create_label = "Создать процедуру"


@login_required
def procedure_create(request):
    require(scope_of(request.user).can_manage_diagnostics)
    form = ProcedureForm(request.POST or None, user=request.user)
    blueprint = BlueprintForm(request.POST or None, prefix="bp")
    if all([form.is_valid(), blueprint.is_valid()]):
        procedure = save_through_service(
            form,
            lambda: services.procedure_create(
                request.user, form.cleaned_data, blueprint.blueprint()
            ),
        )
        if procedure:
            messages.success(request, "Процедура создана. Добавьте группы и соберите варианты.")
            return redirect("procedure-detail", procedure.pk)
    return render(
        request,
        "diagnostics/procedure_form.html",
        {"form": form, "blueprint": blueprint, "title": "Новая диагностическая процедура"},
    )


class ProcedureDetailView(ScopedDetailView):
    model = Procedure
    selector = staticmethod(selectors.procedures_visible)
    view_action = VIEW_PROCEDURES
    template_name = "diagnostics/procedure_detail.html"
    context_object_name = "procedure"

    def get_context(self, procedure):
        blueprint = list(procedure.blueprint.select_related("area"))
        return {
            "blueprint": blueprint,
            "blueprint_total": sum(row.total for row in blueprint),
            "groups": selectors.procedure_groups(self.request.user, procedure),
            "overlap": overlap_report(procedure),
            "can_manage": services.can_manage(self.request.user, procedure),
        }


@login_required
def procedure_edit(request, pk):
    procedure = selectors.procedure_get(request.user, pk)
    require(services.can_manage(request.user, procedure))
    title = f"Изменение: {procedure.name}"  # before the form puts the posted name on it
    form = ProcedureEditForm(request.POST or None, instance=procedure)
    concurrency.add_version_field(form, procedure)  # the version the user saw
    if form.is_valid():
        data = form.cleaned_data
        version = data["version"]
        recomputed = save_through_service(
            form, lambda: services.procedure_update(request.user, procedure, data, version)
        )
        if recomputed is not None:
            message = "Изменения сохранены."
            if recomputed:
                message += " Порог дефицита изменён: дефициты всех результатов пересчитаны."
            messages.success(request, message)
            return redirect("procedure-detail", procedure.pk)
    return render(
        request,
        "diagnostics/procedure_form.html",
        {"form": form, "title": title, "back": procedure},
    )


@jobs.job_work(atomic=False, phase="Подготовка выгрузки…")
def results_export_job(job, progress) -> jobs.JobOutcome:
    """A big export of a procedure's results: the list again as the user who asked saw it."""
    kwargs = job.params.get("kwargs") or {}
    request = SimpleNamespace(user=job.user)
    procedure = selectors.procedure_get(job.user, kwargs.get("pk"))
    _, results = ProcedureResultsView.rows(
        request, QueryDict(job.params.get("query", "")), **kwargs
    )
    areas = selectors.procedure_areas(procedure)
    content = exports.procedure_results_xlsx(results, areas, progress)
    return jobs.JobOutcome(
        file=content,
        filename=job.params.get("filename", "результаты.xlsx"),
        message=f"Файл готов. Выгружено результатов: {job.total}.",
    )


class ProcedureResultsView(ScopedListView):
    """The procedure's results in the user's scope: filters (a form: its choices depend on the
    procedure), pages, the table alone for htmx, one column per competency area, XLSX export
    (a background job above NMS_EXPORT_SYNC_LIMIT rows)."""

    model = Result
    view_action = VIEW_PROCEDURES
    template_name = "diagnostics/procedure_results.html"
    context_object_name = "results"
    table = ProcedureResultsTable
    export_filename = "результаты_диагностики_{date}.xlsx"
    export_kind = "export_results"
    export_title = "Выгрузка результатов диагностики в XLSX"
    export_what = "результатов"
    export_job = staticmethod(results_export_job)

    @classmethod
    def rows(cls, request, query, **kwargs):
        """(the filter form, the results) of the procedure named by the URL; outside the
        scope, 404."""
        procedure = selectors.procedure_get(request.user, kwargs["pk"])
        form = ProcedureResultsFilterForm(
            query, user=request.user, areas=selectors.procedure_areas(procedure)
        )
        if form.is_valid():
            results = selectors.procedure_results(request.user, procedure, **form.filters())
        else:
            results = selectors.results_visible(request.user).none()
        return form, results

    def get(self, request, *args, **kwargs):
        self.procedure = selectors.procedure_get(request.user, kwargs["pk"])
        self.areas = list(selectors.procedure_areas(self.procedure))
        return super().get(request, *args, **kwargs)

    def can_export(self) -> bool:
        return True

    def export_response(self, queryset):
        if queryset.count() <= settings.NMS_EXPORT_SYNC_LIMIT:
            content = exports.procedure_results_xlsx(queryset, self.areas)
            return xlsx_response(content, self.export_name())
        return super().export_response(queryset)

    def make_table(self, rows):
        lines = [selectors.result_row(result, self.areas) for result in rows]
        return self.table.for_areas(self.areas)(lines, self.request)

    def get_context_data(self):
        return {**super().get_context_data(), "procedure": self.procedure, "areas": self.areas}


@login_required
def procedure_blueprint(request, pk):
    procedure = selectors.procedure_get(request.user, pk)
    require(services.can_manage(request.user, procedure))
    blueprint = BlueprintForm(
        request.POST or None, prefix="bp", initial_rows=procedure.blueprint.all()
    )
    if blueprint.is_valid():
        try:
            services.blueprint_update(request.user, procedure, blueprint.blueprint())
        except ValidationError as error:
            blueprint.add_error(None, error.messages)
        else:
            messages.success(request, "Спецификация сохранена. Соберите варианты заново.")
            return redirect("procedure-detail", procedure.pk)
    return render(
        request,
        "diagnostics/procedure_form.html",
        {"blueprint": blueprint, "title": f"Спецификация: {procedure.name}", "back": procedure},
    )


@login_required
@require_POST
def procedure_assemble(request, pk):
    procedure = selectors.procedure_get(request.user, pk)
    require(services.can_manage(request.user, procedure))
    try:
        report = services.variants_assemble(request.user, procedure)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            "Варианты собраны. Наибольшая доля общих заданий у двух вариантов: "
            f"{report.max_share:g} %.",
        )
    return redirect("procedure-detail", procedure.pk)


# -- groups ----------------------------------------------------------------------------------
@login_required
def group_create(request, pk):
    """The form posts `preview` (htmx, on every change) to count the people it would take."""
    procedure = selectors.procedure_get(request.user, pk)
    require(services.can_manage(request.user, procedure))
    form = GroupForm(request.POST or None, user=request.user)
    preview = None
    if form.is_valid():
        if "preview" in request.POST:
            preview = services.group_preview(request.user, procedure, form.criteria()).count()
        else:
            group = save_through_service(
                form,
                lambda: services.group_create(
                    request.user, procedure, form.cleaned_data["name"], form.criteria()
                ),
            )
            if group:
                messages.success(request, f"Группа «{group.name}» добавлена.")
                return redirect("procedure-detail", procedure.pk)
    return render(
        request,
        "diagnostics/group_form.html",
        {"form": form, "procedure": procedure, "preview": preview},
    )


@login_required
def group_detail(request, pk):
    require(_can_view_procedures(request.user))
    group = selectors.group_get(request.user, pk)
    scope = scope_of(request.user)
    can_manage = services.can_manage(request.user, group.procedure)
    items = None
    if can_manage or scope.can_see_item_bank:
        items = [
            (row, key_text(row.item) if scope.can_see_item_bank else None)
            for row in selectors.variant_items(group)
        ]
    return render(
        request,
        "diagnostics/group_detail.html",
        {
            "group": group,
            "procedure": group.procedure,
            "page": paginate(request, selectors.group_members(request.user, group), 50),
            "items": items,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def group_delete(request, pk):
    group = selectors.group_get(request.user, pk)
    require(services.can_manage(request.user, group.procedure))
    try:
        services.group_delete(request.user, group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("group-detail", group.pk)
    messages.success(request, f"Группа «{group.name}» удалена. Соберите варианты заново.")
    return redirect("procedure-detail", group.procedure_id)


# -- testing ---------------------------------------------------------------------------------
@login_required
@require_POST
def attempt_start(request, pk):
    procedure = selectors.procedure_to_take(request.user, pk)
    try:
        attempt = services.attempt_start(request.user, procedure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("diagnostics-home")
    return redirect("attempt-detail", attempt.pk)


@login_required
def attempt_detail(request, pk):
    """The answer sheet; a finished attempt (or one whose time ran out) leads to the result."""
    attempt = services.expire_if_due(selectors.own_attempt_get(request.user, pk))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _to_result(request, attempt)
    return _answer_sheet(request, attempt)


def _to_result(request, attempt):
    result = selectors.attempt_result(request.user, attempt)
    require(result is not None)
    if attempt.status == AttemptStatus.EXPIRED:
        messages.info(request, "Время тестирования истекло: засчитаны ответы, сохранённые вовремя.")
    return redirect("result-detail", result.pk)


def unanswered_text(positions: list[int]) -> str:
    """«Не отвечены задания 3, 7, 12.» (attempt.js words it the same way)."""
    if not positions:
        return ""
    listed = ", ".join(str(p) for p in positions)
    return (
        f"Не отвечено задание {listed}."
        if len(positions) == 1
        else (f"Не отвечены задания {listed}.")
    )


def _answer_sheet(request, attempt, *, confirm=False):
    """The sheet with its progress (answered, the unanswered with jumps); with `confirm`, the
    submission's confirmation naming the unanswered items first (no JavaScript needed)."""
    rows = selectors.attempt_questions(attempt)
    progress = selectors.attempt_progress(rows)
    remaining = None
    if attempt.deadline:
        remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "diagnostics/attempt_detail.html",
        {
            "attempt": attempt,
            "procedure": attempt.procedure,
            "questions": questions(rows),
            "progress": progress,
            "unanswered_text": unanswered_text([p for p, _ in progress.unanswered]),
            "confirm": confirm,
            "remaining": remaining,
        },
    )


@login_required
@require_POST
def attempt_answer(request, pk):
    """Save one answer. attempt.js posts with X-Requested-With: fetch and shows the fragment;
    a page without JavaScript posts the item's form and comes back to the sheet."""
    attempt = selectors.own_attempt_get(request.user, pk)
    form = AnswerForm(request.POST, attempt=attempt)
    answer = None
    if form.is_valid():
        data = form.cleaned_data
        answer = save_through_service(
            form,
            lambda: services.answer_save(request.user, attempt, data["item"].pk, data["response"]),
        )
    closed = attempt.status != AttemptStatus.IN_PROGRESS
    if request.headers.get("X-Requested-With") != "fetch":
        if answer:
            messages.success(request, "Ответ сохранён.")
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        anchor = f"#item-{form.cleaned_data['item'].pk}" if answer else ""
        return redirect(reverse("attempt-detail", args=[attempt.pk]) + anchor)
    status = 200 if answer else 409 if closed else 400
    return render(
        request,
        "diagnostics/_save_status.html",
        {"answer": answer, "form": form, "closed": closed, "attempt": attempt},
        status=status,
    )


@login_required
@require_POST
def attempt_submit(request, pk):
    """Submit the sheet. With items unanswered, the submission is confirmed first: attempt.js
    asks and sends `confirmed`; without it the sheet comes back with the confirmation on top."""
    attempt = services.expire_if_due(selectors.own_attempt_get(request.user, pk))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _to_result(request, attempt)
    if not request.POST.get("confirmed"):
        progress = selectors.attempt_progress(selectors.attempt_questions(attempt))
        if progress.unanswered:
            return _answer_sheet(request, attempt, confirm=True)
    result = services.attempt_submit(request.user, attempt)
    messages.success(request, "Тестирование завершено.")
    return redirect("result-detail", result.pk)


# -- results ---------------------------------------------------------------------------------
@login_required
def result_detail(request, pk):
    result = selectors.result_get(request.user, pk)
    scores = result.area_scores.all()
    return render(
        request,
        "diagnostics/result_detail.html",
        {
            "result": result,
            "procedure": result.procedure,
            "scores": scores,
            "deficits": [s.area.name for s in scores if s.is_deficit],
            "own": result.person_id == request.user.person_id,
            "follow_ups": follow_ups(request.user, result),
        },
    )


@login_required
def person_results(request, person_pk):
    """A person's results over time; the latest entry and exit results compared per area."""
    person = person_get(request.user, person_pk)
    results = selectors.person_results(request.user, person)
    return render(
        request,
        "diagnostics/person_results.html",
        {"person": person, "table": selectors.results_comparison(results)},
    )


# -- the results import ------------------------------------------------------------------------
class ResultsImportView(ImportView):
    """The upload becomes a background job; its page shows the progress and then the report."""

    spec = ImportSpec(kinds=importers.import_kinds, work=importers.import_job)
    action = MANAGE
    hide_refusals = True  # the page is not there for those who may not import (404)
    hide_single_kind = True
    template_name = "diagnostics/import_results.html"
    title = "Загрузка результатов внешней диагностики"

    def get_context(self):
        return {"columns": importers.COLUMNS}


@login_required
def results_import_template(request):
    require(importers.can_import(request.user))
    return xlsx_response(importers.import_template(request.user), "шаблон_результаты.xlsx")
