"""Roadmap pages: thin — selectors read, services write, the access registry decides.

- Roadmaps: list, detail (directions → measures → activities with this year's state, A1 by
  year), create and edit, import from XLSX (a background job) and export to XLSX.
- Directions and measures: added, edited and deleted (only when nothing belongs to them) by the
  roadmap's editors; the roadmap's page lists them all for the editors.
- Activities: list, detail with the reporting periods and the status entry with evidence,
  create and edit; «Исполнение» — the statuses by period, filtered by state (overdue too).
- Agreements and the documents register: lists, detail, forms, files (served only to users who
  see the record).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views import View

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.concurrency import VersionField
from nms.common.table_export import table_xlsx
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    declared,
    require,
    save_through_service,
    xlsx_response,
)
from nms.roadmap import exports, importers, selectors, services
from nms.roadmap.filters import (
    ActivityFilterSet,
    AgreementFilterSet,
    DocumentFilterSet,
    PeriodFilterSet,
    RoadmapFilterSet,
)
from nms.roadmap.forms import (
    ActivityForm,
    AgreementForm,
    DirectionForm,
    DocumentForm,
    MeasureForm,
    RoadmapForm,
    StatusForm,
    VersionForm,
)
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    Direction,
    Document,
    DocumentVersion,
    EvidenceFile,
    Measure,
    Roadmap,
)
from nms.roadmap.tables import (
    ActivityTable,
    AgreementTable,
    DocumentTable,
    PeriodTable,
    RoadmapTable,
)

VIEW = "roadmap.view"
EDIT = "roadmap.edit"
LIST_TEMPLATE = "roadmap/list.html"


def _file(field, name):
    if not field:
        raise Http404("Файла нет")
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


# -- roadmaps ----------------------------------------------------------------------------------
class RoadmapListView(ScopedListView):
    model = Roadmap
    selector = staticmethod(selectors.roadmaps_for_list)
    filterset_class = RoadmapFilterSet
    table = RoadmapTable
    template_name = LIST_TEMPLATE
    title = "Дорожные карты"
    view_action = VIEW
    create_url_name = "roadmap-create"
    create_action = EDIT
    create_label = "Новая дорожная карта"


class RoadmapDetailView(ScopedDetailView):
    model = Roadmap
    template_name = "roadmap/roadmap_detail.html"
    context_object_name = "roadmap"
    edit_action = EDIT
    edit_url_name = "roadmap-edit"

    def get_context(self, roadmap) -> dict:
        user = self.request.user
        today = selectors.today()
        year = today.year if today.year in roadmap.years else roadmap.ends_year
        activities = list(
            selectors.activities_for_list(user).filter(roadmap=roadmap).select_related(None)
            .select_related("measure", "responsible_organization", "responsible_municipality")
        )  # fmt: skip
        periods = {
            p.activity_id: p
            for p in selectors.with_state(
                ActivityPeriod.objects.filter(activity__in=[a.pk for a in activities], year=year),
                today,
            )
        }
        by_measure = {}
        for activity in activities:
            activity.period = periods.get(activity.pk)
            by_measure.setdefault(activity.measure_id, []).append(activity)
        tree = []
        for direction in roadmap.directions.all():
            measures = [
                (m, by_measure[m.pk])
                for m in Measure.objects.filter(direction=direction).order_by("position", "id")
                if m.pk in by_measure
            ]
            if measures:
                tree.append((direction, measures))
        can_edit = self.allowed(EDIT, roadmap)
        return {
            "tree": tree,
            "structure": selectors.roadmap_structure(roadmap) if can_edit else None,
            "year": year,
            "on_time": selectors.on_time_counts(
                roadmap, today, selectors.activities_for_list(user)
            ),
            "can_import": can_edit,
        }


class RoadmapCreateView(ServiceFormView):
    model = Roadmap
    form_class = RoadmapForm
    service = staticmethod(services.roadmap_create)
    action = EDIT
    hide_refusals = True
    title = "Новая дорожная карта"
    success_message = "Дорожная карта создана. Загрузите мероприятия из XLSX или добавьте их."


class RoadmapEditView(ServiceFormView):
    model = Roadmap
    form_class = RoadmapForm
    service = staticmethod(services.roadmap_update)
    action = EDIT
    title = "Дорожная карта: {object}"


class RoadmapImportView(ImportView):
    spec = ImportSpec(kinds=lambda user: [], work=importers.import_job)
    action = EDIT
    hide_refusals = True
    hide_single_kind = True
    template_name = "roadmap/import.html"
    title = "Загрузка дорожной карты из XLSX"

    def authorize(self) -> None:
        self.roadmap = get_visible_or_404(
            selectors.roadmaps_for_list(self.request.user), pk=self.kwargs["pk"]
        )
        self.check(self.action, self.roadmap)

    def kinds(self):
        return [(f"roadmap-{self.roadmap.pk}", f"мероприятия дорожной карты «{self.roadmap}»")]

    def get_context(self) -> dict:
        return {"roadmap": self.roadmap, "columns": importers.COLUMNS}


@login_required
def roadmap_export(request, pk):
    roadmap = get_visible_or_404(selectors.roadmaps_for_list(request.user), pk=pk)
    require(scope_of(request.user).can(VIEW))
    visible = selectors.activities_for_list(request.user)
    content = importers.export_roadmap(roadmap, visible)
    return xlsx_response(content, f"дорожная_карта_{roadmap.pk}.xlsx")


# -- activities --------------------------------------------------------------------------------
class ActivityListView(ScopedListView):
    model = Activity
    selector = staticmethod(selectors.activities_for_list)
    filterset_class = ActivityFilterSet
    table = ActivityTable
    template_name = LIST_TEMPLATE
    title = "Мероприятия дорожных карт"
    view_action = VIEW
    export = staticmethod(table_xlsx(ActivityTable, "Мероприятия"))
    export_filename = "мероприятия_дорожных_карт_{date}.xlsx"
    export_action = VIEW


class PeriodListView(ScopedListView):
    model = ActivityPeriod
    selector = staticmethod(selectors.periods_for_list)
    filterset_class = PeriodFilterSet
    table = PeriodTable
    template_name = LIST_TEMPLATE
    title = "Исполнение мероприятий по периодам"
    view_action = VIEW
    export = staticmethod(exports.periods_xlsx)
    export_filename = "исполнение_дорожной_карты_{date}.xlsx"
    export_what = "строк"
    export_action = VIEW


class ActivityDetailView(ScopedDetailView):
    model = Activity
    selector = staticmethod(selectors.activities_for_list)
    template_name = "roadmap/activity_detail.html"
    context_object_name = "activity"
    edit_action = EDIT
    edit_url_name = "roadmap-activity-edit"

    def get_context(self, activity) -> dict:
        scope = self.scope
        periods = selectors.activity_periods(activity)
        can_status = scope.can("roadmap.status", activity)
        for period in periods:
            period.can_report = can_status
        return {"periods": periods, "today": selectors.today()}


class ActivityCreateView(ServiceFormView):
    model = Activity
    form_class = ActivityForm
    service = staticmethod(services.activity_create)
    action = EDIT
    hide_refusals = True
    title = "Новое мероприятие"
    pk_url_kwarg = "pk"

    def authorize(self) -> None:
        self.require_view()
        self.roadmap = get_visible_or_404(
            selectors.roadmaps_for_list(self.request.user), pk=self.kwargs["roadmap_pk"]
        )
        self.check(self.action, self.roadmap)

    def form_kwargs(self) -> dict:
        return {"roadmap": self.roadmap}

    def get_context(self, form) -> dict:
        return {"back": self.roadmap}


class _InRoadmap(ServiceFormView):
    """A create page under a roadmap (/roadmap/<roadmap_pk>/…/new/); back to the roadmap."""

    action = EDIT
    hide_refusals = True

    def authorize(self) -> None:
        self.require_view()
        self.roadmap = get_visible_or_404(
            selectors.roadmaps_for_list(self.request.user), pk=self.kwargs["roadmap_pk"]
        )
        self.check(self.action, self.roadmap)

    def get_context(self, form) -> dict:
        return {"back": self.roadmap}

    def get_success_url(self, saved) -> str:
        return self.roadmap.get_absolute_url()


class DirectionCreateView(_InRoadmap):
    model = Direction
    form_class = DirectionForm
    title = "Новое направление"

    def call_service(self, form, extras):
        return services.direction_create(self.request.user, form.cleaned_data, self.roadmap)


class MeasureCreateView(_InRoadmap):
    model = Measure
    form_class = MeasureForm
    service = staticmethod(services.measure_create)
    title = "Новое системообразующее мероприятие"

    def form_kwargs(self) -> dict:
        return {"roadmap": self.roadmap}


class DirectionEditView(ServiceFormView):
    model = Direction
    selector = staticmethod(selectors.directions_for_list)
    form_class = DirectionForm
    service = staticmethod(services.direction_update)
    action = EDIT
    title = "Направление {object.number}: изменение"
    success_message = "Направление сохранено."

    def get_context(self, form) -> dict:
        return {"back": self.object.roadmap}


class MeasureEditView(ServiceFormView):
    model = Measure
    selector = staticmethod(selectors.measures_for_list)
    form_class = MeasureForm
    service = staticmethod(services.measure_update)
    action = EDIT
    title = "Системообразующее мероприятие {object.number}: изменение"
    success_message = "Системообразующее мероприятие сохранено."

    def get_context(self, form) -> dict:
        return {"back": self.object.direction.roadmap}


class _DeleteView(ScopedObjectMixin, View):
    """POST deletes the object through the service (with the version the page showed) and goes
    back to the roadmap; a refusal — something still belongs to it — is a message, and nothing
    is deleted. Outside the scope 404, without the right 403, whatever the method."""

    service: Callable
    success_message = ""

    def authorize(self) -> None:
        super().authorize()
        self.check(EDIT, self.get_object())

    def roadmap(self, obj) -> Roadmap:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        back = self.roadmap(obj).get_absolute_url() + "#structure"
        try:
            version = VersionField().clean(request.POST.get("version"))
            declared(self, "service")(request.user, obj, expected_version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message.format(object=obj))
        return redirect(back)


class DirectionDeleteView(_DeleteView):
    model = Direction
    selector = staticmethod(selectors.directions_for_list)
    service = staticmethod(services.direction_delete)
    success_message = "Направление {object.number} удалено."

    def roadmap(self, obj) -> Roadmap:
        return obj.roadmap


class MeasureDeleteView(_DeleteView):
    model = Measure
    selector = staticmethod(selectors.measures_for_list)
    service = staticmethod(services.measure_delete)
    success_message = "Системообразующее мероприятие {object.number} удалено."

    def roadmap(self, obj) -> Roadmap:
        return obj.direction.roadmap


class ActivityEditView(ServiceFormView):
    model = Activity
    form_class = ActivityForm
    service = staticmethod(services.activity_update)
    action = EDIT
    title = "Мероприятие {object.number}"


@login_required
def period_status(request, pk):
    """The status of an activity in a period with its evidence."""
    period = get_visible_or_404(
        scope_of(request.user).visible(ActivityPeriod).select_related("activity__roadmap"), pk=pk
    )
    if not scope_of(request.user).can("roadmap.status", period):
        raise PermissionDenied(services.NO_RIGHTS)
    initial = {
        "version": period.version, "status": period.status, "done_on": period.done_on,
        "evidence": period.evidence, "links": period.links,
    }  # fmt: skip
    form = StatusForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        upload = data.pop("file")
        saved = save_through_service(
            form,
            lambda: services.status_set(
                request.user, period, data, [upload] if upload else [], expected_version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Статус мероприятия сохранён.")
            return redirect(period.activity)
    return render(
        request,
        "roadmap/status_form.html",
        {"form": form, "period": period, "activity": period.activity},
    )


@login_required
def evidence_file(request, pk):
    evidence = get_visible_or_404(scope_of(request.user).visible(EvidenceFile), pk=pk)
    return _file(evidence.file, evidence.filename)


# -- agreements --------------------------------------------------------------------------------
class AgreementListView(ScopedListView):
    model = Agreement
    selector = staticmethod(selectors.agreements_for_list)
    filterset_class = AgreementFilterSet
    table = AgreementTable
    template_name = LIST_TEMPLATE
    title = "Соглашения"
    view_action = VIEW
    create_url_name = "roadmap-agreement-create"
    create_action = "roadmap.agreements"
    create_label = "Добавить соглашение"
    export = staticmethod(exports.agreements_xlsx)
    export_filename = "соглашения_{date}.xlsx"
    export_what = "соглашений"
    export_action = VIEW

    def get_context_data(self) -> dict:
        context = super().get_context_data()
        region = self.scope.default_region()
        if region is not None and self.scope.is_region:
            context["coverage"] = selectors.tripartite_coverage(region)
        return context


class AgreementDetailView(ScopedDetailView):
    model = Agreement
    selector = staticmethod(selectors.agreements_for_list)
    template_name = "roadmap/agreement_detail.html"
    context_object_name = "agreement"
    edit_action = "roadmap.agreements"
    edit_url_name = "roadmap-agreement-edit"

    def get_context(self, agreement) -> dict:
        return {"current": agreement.is_current(selectors.today())}


class AgreementCreateView(ServiceFormView):
    model = Agreement
    form_class = AgreementForm
    service = staticmethod(services.agreement_create)
    action = "roadmap.agreements"
    hide_refusals = True
    title = "Новое соглашение"


class AgreementEditView(ServiceFormView):
    model = Agreement
    form_class = AgreementForm
    service = staticmethod(services.agreement_update)
    action = "roadmap.agreements"
    title = "{object}"


@login_required
def agreement_file(request, pk):
    agreement = get_visible_or_404(scope_of(request.user).visible(Agreement), pk=pk)
    return _file(agreement.file, agreement.filename)


# -- documents ---------------------------------------------------------------------------------
class DocumentListView(ScopedListView):
    """Teachers read this list too: the published documents of the system."""

    model = Document
    selector = staticmethod(selectors.documents_for_list)
    filterset_class = DocumentFilterSet
    table = DocumentTable
    template_name = LIST_TEMPLATE
    title = "Документы системы"
    create_url_name = "roadmap-document-create"
    create_action = "roadmap.documents"
    create_label = "Добавить документ"
    export = staticmethod(exports.documents_xlsx)
    export_filename = "документы_{date}.xlsx"
    export_what = "документов"
    export_action = VIEW


class DocumentDetailView(ScopedDetailView):
    model = Document
    selector = staticmethod(selectors.documents_for_list)
    template_name = "roadmap/document_detail.html"
    context_object_name = "document"
    edit_action = "roadmap.documents"
    edit_url_name = "roadmap-document-edit"

    def get_context(self, document) -> dict:
        versions = list(document.versions.all())
        can_edit = self.allowed("roadmap.documents", document)
        return {
            "versions": versions,
            "current": versions[0] if versions else None,
            "version_form": VersionForm() if can_edit else None,
        }


class DocumentCreateView(ServiceFormView):
    model = Document
    form_class = DocumentForm
    service = staticmethod(services.document_create)
    action = "roadmap.documents"
    hide_refusals = True
    title = "Новый документ"


class DocumentEditView(ServiceFormView):
    model = Document
    form_class = DocumentForm
    service = staticmethod(services.document_update)
    action = "roadmap.documents"
    title = "Документ: {object}"


@login_required
def document_version(request, pk):
    document = get_visible_or_404(selectors.documents_for_list(request.user), pk=pk)
    if request.method != "POST":
        return redirect(document)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid() and save_through_service(
        form, lambda: services.version_add(request.user, document, form.cleaned_data)
    ):
        messages.success(request, "Редакция документа загружена.")
        return redirect(document)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(document)


@login_required
def version_file(request, pk):
    version = get_visible_or_404(scope_of(request.user).visible(DocumentVersion), pk=pk)
    return _file(version.file, version.filename)
