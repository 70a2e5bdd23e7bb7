"""Pages of the app outcomes: the students' results list, a result, the import, the dynamics of
teachers after their routes and the proposals of ШНОР. Reads through the selectors (the user's
scope), writes through the import and the services."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common import jobs
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    xlsx_response,
)
from nms.outcomes import dynamics, exports, importers, selectors, services
from nms.outcomes.access import IMPORT, LOW_RESULTS, VIEW
from nms.outcomes.filters import StudentResultFilterSet
from nms.outcomes.models import ResultKind, StudentResult, school_year_label
from nms.outcomes.tables import StudentResultTable


class ResultListView(ScopedListView):
    model = StudentResult
    selector = staticmethod(selectors.results_for_list)
    view_action = VIEW
    filterset_class = StudentResultFilterSet
    table = StudentResultTable
    template_name = "outcomes/result_list.html"
    title = "Результаты обучающихся"
    export = staticmethod(exports.results_xlsx)
    export_filename = "результаты_обучающихся_{date}.xlsx"
    export_kind = "export_student_results"
    export_title = "Выгрузка результатов обучающихся в XLSX"
    export_what = "строк результатов"

    def get_context_data(self) -> dict:
        return {
            **super().get_context_data(),
            "can_import": self.allowed(IMPORT),
            "can_low_results": self.allowed(LOW_RESULTS),
        }


class ResultDetailView(ScopedDetailView):
    model = StudentResult
    selector = staticmethod(selectors.results_for_list)
    view_action = VIEW
    template_name = "outcomes/result_detail.html"
    context_object_name = "result"


# -- import --------------------------------------------------------------------------------------
@jobs.job_work(phase="Проверка и сохранение строк файла…")
def import_job(job, progress) -> jobs.JobOutcome:
    from io import BytesIO

    report = importers.import_results(job.user, BytesIO(bytes(job.upload)), progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


class ResultsImportView(ImportView):
    spec = ImportSpec(
        kinds=importers.available_kinds, work=import_job, template=importers.results_template
    )
    template_name = "outcomes/import.html"
    title = "Импорт результатов обучающихся"
    hide_single_kind = True

    def authorize(self) -> None:
        if not importers.can_import(self.request.user):
            raise Http404("Страница не найдена")


@login_required
def import_template(request):
    if not importers.can_import(request.user):
        raise Http404("Страница не найдена")
    return xlsx_response(
        importers.results_template(request.user), "шаблон_результаты_обучающихся.xlsx"
    )


# -- dynamics after routes -----------------------------------------------------------------------
def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _decimal_param(request, name: str, default: Decimal) -> Decimal:
    try:
        value = Decimal((request.GET.get(name) or str(default)).replace(",", "."))
    except InvalidOperation:
        return default
    return value if value.is_finite() and -100 <= value <= 100 else default


class DynamicsView(ScopedMixin, View):
    """Teachers whose routes were completed in a calendar year, with their results before and
    after (the rule: nms.outcomes.dynamics)."""

    view_action = VIEW

    def get(self, request):
        year = _year_param(request, date.today().year)
        rise = _decimal_param(request, "rise", dynamics.DEFAULT_RISE)
        rows = selectors.dynamics_rows(request.user, date(year, 1, 1), date(year, 12, 31), rise)
        context = {
            "title": "Динамика результатов обучающихся после ИОМ",
            "year": year,
            "rise": rise,
            "rows": rows,
            "summary": selectors.dynamics_summary(rows),
        }
        return render(request, "outcomes/dynamics.html", context)


# -- ШНОР ----------------------------------------------------------------------------------------
class LowResultsView(ScopedMixin, View):
    """Proposals of schools with low results; ЦНППМ confirms (the registry's flag) or rejects."""

    view_action = LOW_RESULTS

    def params(self, source):
        latest = selectors.latest_year(self.request.user) or date.today().year - 1
        try:
            year = int(source.get("year") or latest)
        except ValueError:
            year = latest
        threshold = _decimal_param(self.request, "threshold", selectors.LOW_RESULTS_THRESHOLD)
        kinds = [k for k in source.getlist("kind") if k in ResultKind.values] or list(
            selectors.LOW_RESULTS_KINDS
        )
        return year, threshold, kinds

    def get(self, request):
        year, threshold, kinds = self.params(request.GET)
        proposals = selectors.low_results_proposals(
            request.user, year, kinds=kinds, threshold=threshold
        )
        context = {
            "title": "Школы с низкими образовательными результатами (ШНОР): предложения",
            "year": year,
            "year_label": school_year_label(year),
            "years": selectors.school_years(request.user),
            "threshold": threshold,
            "kinds": kinds,
            "kind_choices": ResultKind.choices,
            "proposals": proposals,
        }
        return render(request, "outcomes/low_results.html", context)

    def post(self, request):
        from nms.registry.models import Organization

        organization = get_visible_or_404(
            scope_of(request.user).organizations(), pk=request.POST.get("organization") or 0
        )
        try:
            year = int(request.POST.get("year", ""))
            share = Decimal(request.POST.get("share") or "0")
        except (ValueError, InvalidOperation):
            raise Http404("Страница не найдена") from None
        confirm = request.POST.get("decision") == "confirm"
        try:
            services.decide_low_results(
                request.user,
                Organization.objects.get(pk=organization.pk),
                year,
                confirm=confirm,
                share_passing=share,
                note=request.POST.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                f"{organization.short_name}: статус ШНОР подтверждён и отмечен в реестре."
                if confirm
                else f"{organization.short_name}: предложение отклонено.",
            )
        return redirect(f"{reverse('outcomes-low-results')}?year={year}")
