"""Mentoring pages: thin — selectors read, services write and decide who may do what.

- The public mentor registry (`mentor_registry`, /mentoring/) answers anonymous visitors: name,
  organization, subjects and areas of published mentors only (selectors.PublicMentor).
- «Наставничество» for a signed-in user (`mentoring_home`): their profile, requests and pairs,
  matched mentors for their deficits, the administration's registers.
- Registers on the generic views (pairs, requests, programmes, profiles, curators, schools);
  creating and changing through the services; a request's decision, a pair's meetings,
  documents and completion are buttons and small forms on their pages.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.links import permits_with
from nms.common.pagination import paginate
from nms.common.table_export import table_xlsx
from nms.common.views import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    save_through_service,
)
from nms.mentoring import exports, selectors, services
from nms.mentoring.filters import (
    CuratorFilterSet,
    PairFilterSet,
    ProfileFilterSet,
    ProgramFilterSet,
    RequestFilterSet,
    SchoolFilterSet,
)
from nms.mentoring.forms import (
    CompleteForm,
    CuratorForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    PairForm,
    ProfileForm,
    ProgramForm,
    RegistryFilterForm,
    RequestForm,
    SchoolForm,
)
from nms.mentoring.models import (
    Curator,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairStatus,
    RequestStatus,
)
from nms.mentoring.tables import (
    CuratorTable,
    PairTable,
    ProfileTable,
    ProgramTable,
    RequestTable,
    SchoolTable,
)

TOOLS = "common.manager_tools"
REGISTRY_PAGE = 20


def _attempt(request, call) -> bool:
    """Run a service for a button; a refusal becomes an error message in Russian."""
    try:
        call()
    except PermissionDenied as error:
        messages.error(request, str(error) or services.NO_RIGHTS)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


# -- the public registry -----------------------------------------------------------------------
def mentor_registry(request):
    """The public mentor registry: anyone may search it, by name, subject, area, municipality."""
    form = RegistryFilterForm(
        request.GET or None, municipalities=selectors.registry_municipalities()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.registry_rows(
        q=filters.get("q") or "",
        subject=filters.get("subject"),
        area=filters.get("area"),
        municipality=filters.get("municipality"),
    )
    page = paginate(request, rows, REGISTRY_PAGE)
    user = request.user
    can_choose = user.is_authenticated and scope_of(user).can("mentoring.choose")
    return render(
        request,
        "mentoring/registry.html",
        {
            "form": form,
            "page": page,
            "mentors": selectors.public_page(page.object_list),
            "can_choose": can_choose,
        },
    )


# -- the signed-in user's mentoring ---------------------------------------------------------------
@login_required
def mentoring_home(request):
    user = request.user
    scope = scope_of(user)
    person_id = services.own_person_id(user)
    context = {"person_id": person_id, "manager": scope.can(TOOLS)}
    if person_id:
        context["profile"] = MentorProfile.objects.filter(person_id=person_id).first()
        context["incoming"] = list(
            selectors.pending_requests_for(person_id).select_related("mentee")
        )
        context["outgoing"] = list(
            MentorshipRequest.objects.filter(mentee_id=person_id)
            .select_related("mentor")
            .order_by("-created_at")[:20]
        )
        context["pairs"] = selectors.person_pairs(user, person_id)
        context["can_create_profile"] = services.can_create_profile(user)
    return render(request, "mentoring/home.html", context)


def _match_permits(request, person_pk=None, **kwargs) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if person_pk is None:
        return services.own_person_id(user) is not None
    return scope_of(user).can(TOOLS) and scope_of(user).people().filter(pk=person_pk).exists()


@login_required
@permits_with(_match_permits)
def mentor_match(request, person_pk=None):
    """Mentors matched to a mentee's deficits (one's own, or a person of the scope)."""
    require(_match_permits(request, person_pk))
    person_id = person_pk or services.own_person_id(request.user)
    person = scope_of(request.user).people().get(pk=person_id)
    return render(
        request,
        "mentoring/match.html",
        {
            "person": person,
            "deficits": selectors.deficit_areas(person.pk),
            "matches": selectors.match_mentors(person),
            "own": person_pk is None,
        },
    )


# -- mentor profiles ---------------------------------------------------------------------------
class ProfileListView(ScopedListView):
    model = MentorProfile
    selector = staticmethod(selectors.profiles_for_list)
    filterset_class = ProfileFilterSet
    table = ProfileTable
    title = "Наставники"
    view_action = TOOLS
    create_url_name = "mentor-create"
    create_action = "mentoring.manage"
    create_label = "Добавить наставника"
    export = staticmethod(exports.profiles_xlsx)
    export_filename = "наставники_{date}.xlsx"
    export_what = "наставников"


class ProfileDetailView(ScopedDetailView):
    model = MentorProfile
    template_name = "mentoring/profile_detail.html"
    context_object_name = "profile"

    def get_context(self, profile) -> dict:
        user = self.request.user
        places = selectors.places_of([profile.person_id]).get(profile.person_id, [])
        load = selectors.load_of([profile.person_id]).get(profile.person_id, 0)
        backed = selectors.backed_areas([profile.person_id]).get(profile.person_id, set())
        own = services.own_person_id(user)
        return {
            "places": places,
            "load": load,
            "free": max(profile.capacity - load, 0),
            "areas": [(a, a.pk in backed) for a in profile.areas.all()],
            "can_edit": services.can_edit_profile(user, profile),
            "can_request": bool(own) and own != profile.person_id and profile.active,
        }


class ProfileFormMixin:
    model = MentorProfile
    form_class = ProfileForm
    template_name = "common/edit.html"


class ProfileCreateView(ProfileFormMixin, ServiceFormView):
    service = staticmethod(services.profile_create)
    title = "Профиль наставника"
    success_message = "Профиль наставника сохранён."

    def authorize(self) -> None:
        require(services.can_create_profile(self.request.user))


class ProfileEditView(ProfileFormMixin, ServiceFormView):
    service = staticmethod(services.profile_update)
    title = "Профиль наставника: {object}"

    def authorize(self) -> None:
        self.object = get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not services.can_edit_profile(self.request.user, self.object):
            raise PermissionDenied(services.NO_RIGHTS)


def _request_permits(request, pk, **kwargs) -> bool:
    user = request.user
    if not user.is_authenticated or services.own_person_id(user) is None:
        return False
    profile = scope_of(user).visible(MentorProfile).filter(pk=pk).first()
    return profile is not None and profile.person_id != services.own_person_id(user)


@login_required
@permits_with(_request_permits)
def mentor_request(request, pk):
    """A teacher asks this mentor to be their mentor."""
    user = request.user
    profile = get_visible_or_404(
        scope_of(user).visible(MentorProfile).select_related("person"), pk=pk
    )
    require(_request_permits(request, pk))
    form = RequestForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        sent = save_through_service(
            form, lambda: services.request_create(user, profile, form.cleaned_data)
        )
        if sent is not None:
            messages.success(request, "Запрос отправлен наставнику. Ответ появится здесь.")
            return redirect(sent)
    return render(
        request,
        "mentoring/request_form.html",
        {"form": form, "profile": profile, "title": f"Запрос наставнику: {profile.person}"},
    )


# -- requests ----------------------------------------------------------------------------------
class RequestListView(ScopedListView):
    model = MentorshipRequest
    selector = staticmethod(selectors.requests_for_list)
    filterset_class = RequestFilterSet
    table = RequestTable
    title = "Запросы наставникам"
    export = staticmethod(table_xlsx(RequestTable, "Запросы наставникам"))
    export_filename = "запросы_наставникам_{date}.xlsx"


class RequestDetailView(ScopedDetailView):
    model = MentorshipRequest
    template_name = "mentoring/request_detail.html"
    context_object_name = "req"

    def get_context(self, req) -> dict:
        user = self.request.user
        pending = req.status == RequestStatus.PENDING
        return {
            "can_decide": pending and services.can_decide(user, req),
            "can_cancel": pending and services.can_cancel(user, req),
            "form": DecisionForm(initial={"version": req.version}),
            "pair": Pair.objects.filter(request=req).first(),
        }


DECISIONS = {
    "accept": (services.request_accept, "Запрос принят: пара создана."),
    "reject": (services.request_reject, "Запрос отклонён."),
    "cancel": (services.request_cancel, "Запрос отозван."),
}


@login_required
@require_POST
def request_decide(request, pk, decision):
    req = get_visible_or_404(scope_of(request.user).visible(MentorshipRequest), pk=pk)
    require(decision in DECISIONS)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Форма устарела: обновите страницу.")
        return redirect(req)
    service, message = DECISIONS[decision]
    version = form.cleaned_data["version"]
    kwargs = {"expected_version": version}
    if decision == "reject":
        kwargs["answer"] = form.cleaned_data.get("answer", "")
    result = {}

    def call():
        result["value"] = service(request.user, req, **kwargs)

    if _attempt(request, call):
        messages.success(request, message)
        if decision == "accept":
            return redirect(result["value"])
    return redirect(req)


# -- pairs -------------------------------------------------------------------------------------
class PairListView(ScopedListView):
    model = Pair
    selector = staticmethod(selectors.pairs_for_list)
    filterset_class = PairFilterSet
    table = PairTable
    title = "Наставнические пары"
    export = staticmethod(exports.pairs_xlsx)
    export_filename = "пары_наставничества_{date}.xlsx"
    export_what = "пар"


class PairDetailView(ScopedDetailView):
    model = Pair
    template_name = "mentoring/pair_detail.html"
    context_object_name = "pair"

    def get_context(self, pair) -> dict:
        user = self.request.user
        active = pair.status == PairStatus.ACTIVE
        can_edit = services.can_edit_pair(user, pair)
        return {
            "meetings": list(pair.meetings.all()),
            "documents": list(pair.documents.all()),
            "can_edit": active and can_edit,
            "can_log": active and services.can_log_meeting(user, pair),
            "can_upload": active
            and any(services.can_upload(user, pair, kind) for kind in ("plan", "feedback")),
            "meeting_form": MeetingForm(initial={"held_on": date.today()}),
            "document_form": DocumentForm(),
            "complete_form": CompleteForm(
                initial={"version": pair.version, "completed_on": date.today()}
            ),
        }


class PairEditView(ServiceFormView):
    model = Pair
    form_class = PairForm
    service = staticmethod(services.pair_update)
    title = "Пара: {object}"

    def authorize(self) -> None:
        self.object = get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not services.can_edit_pair(self.request.user, self.object):
            raise PermissionDenied(services.NO_RIGHTS)


def _pair(request, pk) -> Pair:
    return get_visible_or_404(scope_of(request.user).visible(Pair), pk=pk)


@login_required
@require_POST
def pair_complete(request, pk):
    pair = _pair(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            lambda: services.pair_complete(
                request.user, pair, data, expected_version=data["version"]
            ),
        ):
            messages.success(request, "Работа пары завершена.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(pair)


@login_required
@require_POST
def pair_meeting(request, pk):
    pair = _pair(request, pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        if _attempt(request, lambda: services.meeting_add(request.user, pair, form.cleaned_data)):
            messages.success(request, "Встреча записана в журнал.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(pair)


@login_required
@require_POST
def pair_document(request, pk):
    pair = _pair(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request, lambda: services.document_add(request.user, pair, data["kind"], data["file"])
        ):
            messages.success(request, "Документ загружен.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(pair)


@login_required
def pair_file(request, pk, doc_pk):
    """A pair's document, served only to users who see the pair (never from /media/)."""
    pair = _pair(request, pk)
    document = get_visible_or_404(pair.documents.all(), pk=doc_pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


# -- programmes, curators, schools -----------------------------------------------------------
def _with_rights(scope, action, rows) -> list:
    """A page's rows, each marked `can_edit` (the link to its edit page is shown then only)."""
    rows = list(rows)
    allowed = scope.can(action)
    for row in rows:
        row.can_edit = allowed and scope.can(action, row)
    return rows


class ProgramListView(ScopedListView):
    model = MentoringProgram
    selector = staticmethod(selectors.programs_for_list)
    filterset_class = ProgramFilterSet
    table = ProgramTable
    title = "Программы наставничества"
    export = staticmethod(table_xlsx(ProgramTable, "Программы наставничества"))
    export_filename = "программы_наставничества_{date}.xlsx"
    create_url_name = "mentoring-program-create"
    create_action = "mentoring.manage"
    create_label = "Добавить программу"


class ProgramDetailView(ScopedDetailView):
    model = MentoringProgram
    template_name = "mentoring/program_detail.html"
    context_object_name = "program"
    edit_action = "mentoring.manage"
    edit_url_name = "mentoring-program-edit"

    def get_context(self, program) -> dict:
        pairs = selectors.pairs_for_list(self.request.user).filter(program=program)
        return {"pairs": pairs[:50], "pairs_count": pairs.count()}


class ProgramCreateView(ServiceFormView):
    model = MentoringProgram
    form_class = ProgramForm
    service = staticmethod(services.program_create)
    action = "mentoring.manage"
    title = "Новая программа наставничества"


class ProgramEditView(ServiceFormView):
    model = MentoringProgram
    form_class = ProgramForm
    service = staticmethod(services.program_update)
    action = "mentoring.manage"
    title = "Программа: {object}"


class CuratorListView(ScopedListView):
    model = Curator
    filterset_class = CuratorFilterSet
    table = CuratorTable
    title = "Кураторы наставничества"
    export = staticmethod(table_xlsx(CuratorTable, "Кураторы"))
    export_filename = "кураторы_наставничества_{date}.xlsx"
    view_action = TOOLS
    create_url_name = "mentoring-curator-create"
    create_action = "mentoring.manage"
    create_label = "Добавить куратора"

    def make_table(self, rows):
        return super().make_table(_with_rights(self.scope, "mentoring.manage", rows))

    @classmethod
    def queryset_for(cls, user):
        return (
            scope_of(user)
            .visible(Curator)
            .select_related("person", "municipality", "organization")
            .order_by("municipality__name", "level", "id")
        )


class CuratorCreateView(ServiceFormView):
    model = Curator
    form_class = CuratorForm
    service = staticmethod(services.curator_create)
    action = "mentoring.manage"
    title = "Новый куратор наставничества"

    def get_success_url(self, saved) -> str:
        return reverse("mentoring-curator-list")


class CuratorEditView(CuratorCreateView):
    service = staticmethod(services.curator_update)
    title = "Куратор: {object}"


class SchoolListView(ScopedListView):
    model = MentoringSchool
    filterset_class = SchoolFilterSet
    table = SchoolTable
    title = "Муниципальные школы наставничества"
    export = staticmethod(table_xlsx(SchoolTable, "Школы наставничества"))
    export_filename = "школы_наставничества_{date}.xlsx"
    view_action = TOOLS
    create_url_name = "mentoring-school-create"
    create_action = "mentoring.schools"
    create_label = "Добавить школу наставничества"

    def make_table(self, rows):
        return super().make_table(_with_rights(self.scope, "mentoring.schools", rows))

    @classmethod
    def queryset_for(cls, user):
        return (
            scope_of(user)
            .visible(MentoringSchool)
            .select_related("municipality", "base")
            .order_by("municipality__name", "name", "id")
        )


class SchoolCreateView(ServiceFormView):
    model = MentoringSchool
    form_class = SchoolForm
    service = staticmethod(services.school_create)
    action = "mentoring.schools"
    title = "Новая школа наставничества"

    def get_success_url(self, saved) -> str:
        return reverse("mentoring-school-list")


class SchoolEditView(SchoolCreateView):
    service = staticmethod(services.school_update)
    title = "Школа наставничества: {object}"
