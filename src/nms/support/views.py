"""Pages of the app support: thin — selectors read, services write and decide who may do what.

Lists are `ScopedListView`s (filters, search, pages, XLSX); edit pages `ServiceFormView`s; the
steps on one record (approve, end, answer, release) are POST buttons with the version the page
showed; the automatic assignment runs as a background job (its page shows the progress).
"""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nms.accounts.models import Role
from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.links import permits_with
from nms.common.table_export import table_xlsx
from nms.common.views import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    save_through_service,
)
from nms.registry.models import Person
from nms.support import background, caseloads, exports, selectors, services
from nms.support.background import caseload_job  # noqa: F401 -- the work of jobs queued here
from nms.support.eligibility import eligibility, eligibility_for
from nms.support.filters import (
    ActFilterSet,
    CandidateFilterSet,
    CaseloadFilterSet,
    ExpertFilterSet,
    MembershipFilterSet,
    RequestFilterSet,
    YoungFilterSet,
)
from nms.support.forms import (
    ActForm,
    AnswerForm,
    ApproveForm,
    CaseloadForm,
    EndForm,
    ExpertForm,
    MembershipForm,
    RequestForm,
)
from nms.support.models import (
    ActiveLevel,
    ActiveMembership,
    Caseload,
    ExpertRole,
    MembershipStatus,
    RequestStatus,
    SupportAct,
)
from nms.support.tables import (
    ActTable,
    CandidateTable,
    CaseloadTable,
    ExpertTable,
    MembershipTable,
    RequestTable,
    YoungTable,
    answer_time_text,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _region(user):
    region = scope_of(user).default_region()
    if region is None:
        raise Http404("Регион не определён")
    return region


def _can_view(request, **kwargs) -> bool:
    return request.user.is_authenticated and scope_of(request.user).can("support.view")


def _ratio(numerator: int, denominator: int):
    return round(numerator / denominator, 1) if denominator else None


# -- home ------------------------------------------------------------------------------------
@login_required
@permits_with(_can_view)
def home(request):
    scope = scope_of(request.user)
    require(scope.can("support.view"))
    region = scope.default_region()
    context = {"region": region}
    requests = selectors.requests_for_list(request.user)
    context["requests_open"] = requests.filter(status=RequestStatus.OPEN).count()
    context["requests_overdue"] = requests.filter(selectors.overdue_q()).count()
    if region is not None and scope.has(Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST):
        workers, methodists = caseloads.workers_per_methodist(region)
        context["a5"] = {"workers": workers, "methodists": methodists,
                         "ratio": _ratio(workers, methodists)}  # fmt: skip
        context["rma_count"] = (
            selectors.memberships_for_list(request.user)
            .filter(level=ActiveLevel.REGIONAL, status=MembershipStatus.APPROVED)
            .exclude(ends_on__lt=date.today())
            .count()
        )
        inside, total = selectors.expert_share(region)
        context["c37"] = {"inside": inside, "total": total, "share": _percent(inside, total)}
    if scope.person_id and scope.has(Role.METHODIST):
        context["my_caseload"] = Caseload.objects.filter(methodist_id=scope.person_id).count()
    return render(request, "support/home.html", context)


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


# -- actives --------------------------------------------------------------------------------
class MembershipListView(ScopedListView):
    selector = staticmethod(selectors.memberships_for_list)
    view_action = "support.view"
    filterset_class = MembershipFilterSet
    table = MembershipTable
    export = staticmethod(exports.memberships_xlsx)
    export_filename = "методический_актив_{date}.xlsx"
    title = "Методический актив"
    create_url_name = "support-membership-create"
    create_action = "support.propose_candidates"
    create_label = "Внести участника"
    template_name = "support/membership_list.html"


class MembershipDetailView(ScopedDetailView):
    selector = staticmethod(selectors.memberships_for_list)
    template_name = "support/membership_detail.html"
    context_object_name = "membership"

    def get_context(self, obj) -> dict:
        manage = self.scope.can("support.manage_actives") or (
            obj.level == ActiveLevel.MUNICIPAL and self.scope.can("support.propose_candidates")
        )
        check = eligibility(obj.person) if obj.level == ActiveLevel.REGIONAL or manage else None
        return {
            "can_manage": manage,
            "check": check,
            "approve_form": ApproveForm(
                initial={
                    "version": obj.version,
                    "order_number": obj.order_number,
                    "order_date": obj.order_date,
                }  # fmt: skip
            ),
            "end_form": EndForm(initial={"version": obj.version, "ends_on": date.today()}),
            "training": selectors.training_of([obj.person_id]).get(obj.person_id, []),
        }


class MembershipCreateView(ServiceFormView):
    form_class = MembershipForm
    service = staticmethod(services.membership_create)
    action = "support.propose_candidates"
    view_action = "support.propose_candidates"
    hide_refusals = True
    title = "Новый участник методического актива"
    success_message = "Участник внесён."


class MembershipEditView(ServiceFormView):
    model = ActiveMembership
    selector = staticmethod(selectors.memberships_for_list)
    form_class = MembershipForm
    service = staticmethod(services.membership_update)
    action = "support.propose_candidates"
    hide_refusals = True
    title = "Изменение: {object}"


def _post_step(request, call, success: str):
    try:
        call()
    except PermissionDenied:
        raise
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def membership_approve(request, pk):
    membership = selectors.membership_get(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Проверьте номер и дату приказа (ДД.ММ.ГГГГ).")
    else:
        data = form.cleaned_data
        _post_step(
            request,
            lambda: services.membership_approve(
                request.user,
                membership,
                order_number=data["order_number"],
                order_date=data["order_date"],
                expected_version=data["version"],
            ),  # fmt: skip
            "Участие утверждено; роль назначена на период участия.",
        )
    return redirect(membership)


@login_required
@require_POST
def membership_end(request, pk):
    membership = selectors.membership_get(request.user, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите дату выбытия (ДД.ММ.ГГГГ).")
    else:
        data = form.cleaned_data
        _post_step(
            request,
            lambda: services.membership_end(
                request.user, membership, data["ends_on"], expected_version=data["version"]
            ),
            "Участие завершено; роль действует по дату выбытия.",
        )
    return redirect(membership)


def _manages(request, **kwargs) -> bool:
    return request.user.is_authenticated and scope_of(request.user).can("support.manage_actives")


def _with_checks(rows) -> list:
    """Rows of the candidate bank, each with its eligibility check (`check`)."""
    rows = list(rows)
    checks = eligibility_for([m.person_id for m in rows])
    for m in rows:
        m.check = checks.get(m.person_id)
    return rows


class CandidateListView(ScopedListView):
    """The candidate bank: members of the municipal actives, each with the eligibility check."""

    selector = staticmethod(selectors.candidate_bank)
    view_action = "support.manage_actives"
    filterset_class = CandidateFilterSet
    table = CandidateTable
    export = staticmethod(table_xlsx(CandidateTable, "Кандидаты в РМА", prepare=_with_checks))
    export_filename = "банк_кандидатов_РМА_{date}.xlsx"
    export_what = "кандидатов"
    template_name = "support/candidates.html"
    title = "Банк кандидатов в региональный методический актив"

    def make_table(self, rows):
        return super().make_table(_with_checks(rows))


@login_required
@permits_with(_manages)
def rma_order(request):
    """The yearly order on the РМА's composition (DOCX)."""
    require(scope_of(request.user).can("support.manage_actives"))
    region = _region(request.user)
    try:
        year = int(request.GET.get("year") or date.today().year)
    except ValueError:
        year = date.today().year
    if not 2000 <= year <= 2100:
        year = date.today().year
    on = date(year, 1, 1) if year != date.today().year else date.today()
    members = selectors.rma_composition(request.user, region, on)
    training = selectors.training_of([m.person_id for m in members])
    content = exports.rma_order_docx(region, members, year=year, training=training)
    response = HttpResponse(content, content_type=DOCX)
    filename = exports.order_filename(year)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# -- caseloads ------------------------------------------------------------------------------
def _sees_methodists(request, **kwargs) -> bool:
    if not request.user.is_authenticated:
        return False
    return scope_of(request.user).has(Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST)


@login_required
@permits_with(_sees_methodists)
def methodists(request):
    """Each regional methodist with the number in their care; A5 for the region."""
    require(_sees_methodists(request))
    region = _region(request.user)
    rows = selectors.methodists_overview(request.user, region)
    workers, count = caseloads.workers_per_methodist(region)
    assigned = Caseload.objects.filter(region=region).count()
    from nms.support import conf

    context = {
        "rows": rows,
        "region": region,
        "cap": conf.caseload_cap(region),
        "workers": workers,
        "count": count,
        "ratio": _ratio(workers, count),
        "assigned": assigned,
        "unassigned": max(workers - assigned, 0),
        "can_manage": scope_of(request.user).can("support.manage_actives"),
    }
    return render(request, "support/methodists.html", context)


class MethodistCaseloadView(ScopedListView):
    """One methodist's caseload (the methodist's person id in the URL)."""

    selector = staticmethod(selectors.caseloads_for_list)
    filterset_class = CaseloadFilterSet
    table = CaseloadTable
    export = staticmethod(exports.caseloads_xlsx)
    export_filename = "закреплённые_педагоги_{date}.xlsx"
    template_name = "support/caseload.html"

    @classmethod
    def rows(cls, request, query, **kwargs):
        filterset, queryset = super().rows(request, query)
        return filterset, queryset.filter(methodist_id=kwargs.get("pk"))

    def authorize(self):
        super().authorize()
        scope, pk = self.scope, self.kwargs["pk"]
        if scope.person_id == pk and scope.has(Role.METHODIST):
            return
        region_wide = scope.has(Role.ADMIN, Role.MINISTRY, Role.CNPPM)
        require(region_wide and scope.people().filter(pk=pk).exists())

    def get_context_data(self):
        context = super().get_context_data()
        person = get_object_or_404(Person, pk=self.kwargs["pk"])
        context["title"] = f"Педагоги в сопровождении: {person.full_name}"
        context["methodist"] = person
        return context


@login_required
@permits_with(_sees_methodists)
def my_caseload(request):
    scope = scope_of(request.user)
    require(scope.person_id is not None and scope.has(Role.METHODIST))
    return redirect("support-caseload", pk=scope.person_id)


@login_required
@require_POST
def caseloads_assign(request):
    """Start the automatic assignment (a background job)."""
    require(scope_of(request.user).can("support.manage_actives"))
    job = background.caseload_job_start(request.user, _region(request.user))
    return redirect(job)


@login_required
@permits_with(_manages)
def caseload_add(request):
    require(scope_of(request.user).can("support.manage_actives"))
    region = _region(request.user)
    methodist_ids = caseloads.active_methodists(region).values("person_id")
    people = Person.objects.filter(pk__in=methodist_ids).order_by("last_name", "first_name")
    form = CaseloadForm(request.POST or None, user=request.user, methodists=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_through_service(
            form, lambda: caseloads.caseload_assign(request.user, data["methodist"], data["person"])
        )
        if saved is not None:
            messages.success(request, "Педагог закреплён за методистом.")
            return redirect("support-caseload", pk=saved.methodist_id)
    return render(
        request, "common/edit.html", {"form": form, "title": "Закрепить педагога вручную"}
    )


@login_required
@require_POST
def caseload_release(request, pk):
    caseload = get_visible_or_404(selectors.caseloads_for_list(request.user), pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    _post_step(
        request,
        lambda: caseloads.caseload_remove(request.user, caseload, version),
        "Педагог откреплён.",
    )
    return redirect("support-caseload", pk=caseload.methodist_id)


# -- requests -------------------------------------------------------------------------------
class RequestListView(ScopedListView):
    selector = staticmethod(selectors.requests_for_list)
    view_action = "support.view"
    filterset_class = RequestFilterSet
    table = RequestTable
    export = staticmethod(exports.requests_xlsx)
    export_filename = "запросы_на_помощь_{date}.xlsx"
    title = "Запросы на методическую помощь"
    create_url_name = "support-request-create"
    create_action = "support.ask"
    create_label = "Задать вопрос методисту"


class RequestCreateView(ServiceFormView):
    form_class = RequestForm
    service = staticmethod(services.request_create)
    action = "support.ask"
    view_action = "support.ask"
    hide_refusals = True
    title = "Запрос на методическую помощь"
    success_message = "Запрос отправлен методисту."


class RequestDetailView(ScopedDetailView):
    selector = staticmethod(selectors.requests_for_list)
    template_name = "support/request_detail.html"
    context_object_name = "help_request"

    def get_context(self, obj) -> dict:
        return {
            "can_answer": obj.status == RequestStatus.OPEN
            and self.scope.can("support.answer", obj),
            "answer_form": AnswerForm(initial={"version": obj.version}),
            "answer_time": answer_time_text(obj.answer_time) if obj.answer_time else "",
            "overdue": obj.is_overdue(),
            "acts": list(obj.acts.all()),
        }


@login_required
@require_POST
def request_answer(request, pk):
    help_request = selectors.request_get(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите ответ.")
    else:
        _post_step(
            request,
            lambda: services.request_answer(
                request.user,
                help_request,
                form.cleaned_data["answer"],
                expected_version=form.cleaned_data["version"],
            ),  # fmt: skip
            "Ответ отправлен.",
        )
    return redirect(help_request)


@login_required
def request_attachment(request, pk):
    help_request = selectors.request_get(request.user, pk)
    if not help_request.attachment:
        raise Http404("Вложения нет")
    from django.http import FileResponse

    return FileResponse(help_request.attachment.open("rb"), as_attachment=True)


# -- support acts ---------------------------------------------------------------------------
class ActListView(ScopedListView):
    selector = staticmethod(selectors.acts_for_list)
    view_action = "support.view"
    filterset_class = ActFilterSet
    table = ActTable
    export = staticmethod(exports.acts_xlsx)
    export_filename = "акты_поддержки_{date}.xlsx"
    title = "Акты методической поддержки"
    create_url_name = "support-act-create"
    create_action = "support.record_acts"
    create_label = "Внести акт"


class ActDetailView(ScopedDetailView):
    selector = staticmethod(selectors.acts_for_list)
    template_name = "support/act_detail.html"
    context_object_name = "act"
    edit_action = "support.record_acts"
    edit_url_name = "support-act-edit"


class ActCreateView(ServiceFormView):
    form_class = ActForm
    service = staticmethod(services.act_create)
    action = "support.record_acts"
    view_action = "support.record_acts"
    hide_refusals = True
    title = "Новый акт методической поддержки"
    success_message = "Акт внесён."

    def get_forms(self):
        form, extras = super().get_forms()
        request_id = self.request.GET.get("request")
        if request_id and request_id.isdigit() and not form.is_bound:
            found = selectors.requests_for_list(self.request.user).filter(pk=request_id).first()
            if found is not None:
                form.initial.update(
                    {"topic": found.topic, "kind": "consultation",
                     "person": found.person.snils if found.person_id else "",
                     "organization": found.organization_id, "held_on": date.today()}
                )  # fmt: skip
        return form, extras

    def call_service(self, form, extras):
        data = dict(form.cleaned_data)
        request_id = self.request.GET.get("request")
        if request_id and request_id.isdigit():
            data["request"] = (
                selectors.requests_for_list(self.request.user).filter(pk=request_id).first()
            )
        return services.act_create(self.request.user, data)


class ActEditView(ServiceFormView):
    model = SupportAct
    selector = staticmethod(selectors.acts_for_list)
    form_class = ActForm
    service = staticmethod(services.act_update)
    action = "support.record_acts"
    hide_refusals = True
    title = "Изменение: {object}"


# -- young teachers -------------------------------------------------------------------------
class YoungTeachersView(ScopedListView):
    """A6/C25 per municipality and the young teachers with no form of support (for the
    municipal coordinator)."""

    selector = staticmethod(selectors.young_without_support_for_list)
    view_action = "support.young_teachers"
    filterset_class = YoungFilterSet
    table = YoungTable
    export = staticmethod(table_xlsx(YoungTable, "Без поддержки"))
    export_filename = "молодые_педагоги_без_поддержки_{date}.xlsx"
    export_what = "педагогов"
    template_name = "support/young.html"
    title = "Молодые педагоги: формы поддержки"

    def get_context_data(self):
        return {
            **super().get_context_data(),
            "shares": selectors.young_teachers_support(self.request.user),
            "forms": selectors.FORM_LABELS,
        }


# -- experts --------------------------------------------------------------------------------
class ExpertListView(ScopedListView):
    selector = staticmethod(selectors.experts_for_list)
    view_action = "support.view"
    filterset_class = ExpertFilterSet
    table = ExpertTable
    export = staticmethod(exports.experts_xlsx)
    export_filename = "реестр_экспертов_{date}.xlsx"
    title = "Региональный реестр экспертов"
    create_url_name = "support-expert-create"
    create_action = "support.manage_actives"
    create_label = "Внести эксперта"
    template_name = "support/expert_list.html"

    def get_context_data(self):
        context = super().get_context_data()
        region = scope_of(self.request.user).default_region()
        if region is not None and scope_of(self.request.user).has(
            Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST
        ):
            inside, total = selectors.expert_share(region)
            context["c37"] = {"inside": inside, "total": total, "share": _percent(inside, total)}
        return context


class ExpertCreateView(ServiceFormView):
    form_class = ExpertForm
    service = staticmethod(services.expert_create)
    action = "support.manage_actives"
    view_action = "support.manage_actives"
    hide_refusals = True
    title = "Новая роль эксперта"
    success_message = "Эксперт внесён в реестр."

    def get_success_url(self, saved):
        return reverse("support-experts")


class ExpertEditView(ServiceFormView):
    model = ExpertRole
    selector = staticmethod(selectors.experts_for_list)
    form_class = ExpertForm
    service = staticmethod(services.expert_update)
    action = "support.manage_actives"
    hide_refusals = True
    title = "Изменение: {object}"

    def get_success_url(self, saved):
        return reverse("support-experts")
