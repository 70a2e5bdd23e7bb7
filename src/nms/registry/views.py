"""Registry pages: each model declares its shape, the generic views of `common` do the rest.

Reads go through the selectors (the user's scope), writes through the services.
"""

import secrets
import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views import View

from nms.accounts.scope import get_visible_or_404
from nms.common.concurrency import VersionField
from nms.common.pagination import paginate
from nms.common.views import (
    ExtraForm,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    declared,
)
from nms.registry import cards, exports, selectors, services
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet, looks_like_snils
from nms.registry.forms import EmploymentForm, OrganizationForm, PersonForm
from nms.registry.models import Employment, Organization, Person
from nms.registry.tables import OrganizationTable, PersonTable

EDIT_PEOPLE = "registry.edit_people"
EDIT_ORGANIZATIONS = "registry.edit_organizations"


# -- organizations -----------------------------------------------------------------------------
class OrganizationListView(ScopedListView):
    model = Organization
    selector = staticmethod(selectors.organizations_for_list)
    filterset_class = OrganizationFilterSet
    table = OrganizationTable
    title = "Организации"
    context_object_name = "organizations"
    create_url_name = "organization-create"
    create_action = EDIT_ORGANIZATIONS
    create_label = "Добавить организацию"
    export = staticmethod(exports.organizations_xlsx)
    export_filename = "организации_{date}.xlsx"
    export_kind = "export_organizations"
    export_title = "Выгрузка организаций в XLSX"
    export_what = "организаций"


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    selector = staticmethod(selectors.organizations_for_list)
    template_name = "registry/organization_detail.html"
    context_object_name = "organization"
    edit_action = EDIT_ORGANIZATIONS
    edit_url_name = "organization-edit"

    def get_context(self, organization):
        user = self.request.user
        staff = selectors.organization_staff(user, organization)
        return {
            "staff": paginate(self.request, staff, 50),
            "team": selectors.management_team(user, organization),
            "can_issue_accounts": self.allowed(EDIT_PEOPLE, organization),
        }


class OrganizationFormView(ServiceFormView):
    model = Organization
    selector = staticmethod(selectors.organizations_for_list)
    form_class = OrganizationForm
    action = EDIT_ORGANIZATIONS


class OrganizationCreateView(OrganizationFormView):
    service = staticmethod(services.organization_create)
    title = "Новая организация"
    success_message = "Организация добавлена."


class OrganizationEditView(OrganizationFormView):
    service = staticmethod(services.organization_update)
    title = "Изменение: {object.short_name}"


# -- people ------------------------------------------------------------------------------------
class PersonListView(ScopedListView):
    model = Person
    selector = staticmethod(selectors.people_for_list)
    filterset_class = PersonFilterSet
    table = PersonTable
    template_name = "registry/person_list.html"
    title = "Работники"
    context_object_name = "people"
    create_url_name = "person-create"
    create_action = EDIT_PEOPLE
    create_label = "Добавить работника"
    export = staticmethod(exports.people_xlsx)
    export_filename = "работники_{date}.xlsx"
    export_kind = "export_people"
    export_title = "Выгрузка работников в XLSX"
    export_what = "работников"
    partial_template_name = "registry/person_table.html"  # the table with its selection form

    # A search that looks like a СНИЛС never goes into an address (browser history, access logs):
    # the search form posts it (app.js, data-snils-post), the POST keeps it in the session under a
    # short random key and redirects to ?sk=<key>; a GET with such a ?q= still works, but the
    # page's links (pagination, sorting, export, accounts) carry ?sk= instead.
    def get(self, request, *args, **kwargs):
        shown = hide_snils_search(request, request.GET)
        hidden = shown is not request.GET
        request.GET = shown  # what the page's links are built from
        response = super().get(request, *args, **kwargs)
        if hidden and getattr(request, "htmx", False):  # the address htmx pushes: the key
            response["HX-Push-Url"] = f"{request.path}?{shown.urlencode()}"
        return response

    def post(self, request, *args, **kwargs):
        query = QueryDict(mutable=True)
        for key in (*PersonFilterSet.base_filters, "sort"):
            values = [v for v in request.POST.getlist(key) if v.strip()]
            if values and key != "q":
                query.setlist(key, values)
        text = (request.POST.get("q") or "").strip()
        if text:
            query["sk"] = search_store(request, text)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    @classmethod
    def rows(cls, request, query, **kwargs):
        resolved = search_resolve(request, query)
        if resolved is None:  # an unknown or expired key: nothing rather than everybody
            query = query.copy()
            query.pop("sk", None)
            filterset, queryset = super().rows(request, query, **kwargs)
            return filterset, queryset.none()
        return super().rows(request, resolved, **kwargs)

    def export_response(self, queryset):
        # A big export runs as a job without the session: it keeps the search in its parameters
        # (the database), never in an address.
        resolved = search_resolve(self.request, self.request.GET)
        if resolved is not None:
            self.request.GET = resolved
        return super().export_response(queryset)

    def get_context_data(self) -> dict:
        """Accounts in bulk, for whoever may change people: the checked rows, or everybody the
        list's filters find (the issue page resolves the same query over those they may
        change; `q=` stands for «no filter»). A search kept in the session is passed on as the
        people it found (the issue page knows no session keys)."""
        query = self.request.GET.copy()
        for key in ("page", "sort", "format"):
            query.pop(key, None)
        if "sk" in query:
            _, found = self.rows(self.request, self.request.GET)
            ids = list(found.values_list("pk", flat=True)[:ISSUE_MAX_PEOPLE])
            query = QueryDict(mutable=True)
            query.setlist("person", [str(pk) for pk in ids])
            issue_query = query.urlencode()  # "" when nobody is found: no link
        else:
            issue_query = query.urlencode() or "q="
        return {
            **super().get_context_data(),
            "can_issue": self.allowed(EDIT_PEOPLE),
            "issue_query": issue_query,
        }


# -- searches kept out of addresses ------------------------------------------------------------
SEARCHES_SESSION_KEY = "nms_searches"
SEARCH_TTL = 3600  # seconds a search key lives
SEARCHES_KEPT = 20  # keys one session holds
ISSUE_MAX_PEOPLE = 5000


def search_store(request, text: str) -> str:
    """Keep a search in the session; returns its short random key."""
    now = time.time()
    searches = {
        key: entry
        for key, entry in request.session.get(SEARCHES_SESSION_KEY, {}).items()
        if now - entry.get("t", 0) < SEARCH_TTL
    }
    key = secrets.token_urlsafe(6)
    searches[key] = {"q": text, "t": now}
    if len(searches) > SEARCHES_KEPT:
        searches = dict(sorted(searches.items(), key=lambda kv: kv[1]["t"])[-SEARCHES_KEPT:])
    request.session[SEARCHES_SESSION_KEY] = searches
    return key


def search_resolve(request, query) -> QueryDict | None:
    """The query with ?sk= replaced by the search it stands for (`query` itself without one);
    None when the key is unknown or expired (or there is no session: a job)."""
    key = query.get("sk")
    if not key:
        return query
    session = getattr(request, "session", None)
    entry = session.get(SEARCHES_SESSION_KEY, {}).get(key) if session is not None else None
    if not entry or time.time() - entry.get("t", 0) >= SEARCH_TTL:
        return None
    resolved = query.copy()
    resolved.pop("sk", None)
    resolved["q"] = entry["q"]
    return resolved


def hide_snils_search(request, query):
    """A query whose СНИЛС-looking ?q= is replaced by a key (`query` itself otherwise)."""
    text = query.get("q") or ""
    if not looks_like_snils(text):
        return query
    shown = query.copy()
    shown.pop("q", None)
    shown["sk"] = search_store(request, text.strip())
    return shown


class PersonDetailView(ScopedDetailView):
    model = Person
    selector = staticmethod(selectors.people_for_list)
    template_name = "registry/person_detail.html"
    context_object_name = "person"
    edit_action = EDIT_PEOPLE
    edit_url_name = "person-edit"

    def get_context(self, person):
        return {
            "employments": person.employments.all(),
            "panels": cards.panels(self.request.user, person),
        }


class PersonHistoryView(ScopedDetailView):
    model = Person
    selector = staticmethod(selectors.people_visible)
    template_name = "registry/person_history.html"
    context_object_name = "person"

    def get_context(self, person):
        return {"entries": selectors.person_history(person)}


class PersonCreateView(ServiceFormView):
    model = Person
    form_class = PersonForm
    form_prefix = "person"
    extra_forms = {"employment": ExtraForm("Место работы", EmploymentForm, prefix="job")}
    service = staticmethod(services.person_create)
    action = EDIT_PEOPLE
    title = "Новый работник"
    success_message = "Работник добавлен."


class PersonEditView(ServiceFormView):
    model = Person
    selector = staticmethod(selectors.people_for_list)
    form_class = PersonForm
    service = staticmethod(services.person_update)
    action = EDIT_PEOPLE
    title = "Изменение: {object.full_name}"


# -- employments -------------------------------------------------------------------------------
class EmploymentMixin:
    """A person's place of work: the person is looked up in the scope first (outside it, 404),
    then the place of work among theirs; a user who sees them but may not change this place of
    work (the person, or the organization it is in) is refused with 403."""

    model = Employment
    action = EDIT_PEOPLE
    pk_url_kwarg = "employment_pk"
    person_url_kwarg = "pk"

    def find_person(self) -> Person:
        return get_visible_or_404(
            selectors.people_visible(self.request.user), pk=self.kwargs[self.person_url_kwarg]
        )

    def get_queryset(self):
        return selectors.employments_for_list(self.request.user).filter(person=self.person)

    def check(self, action, obj=None):
        super().check(action, self.person)
        if (
            obj is not None
            and not self.scope.editable_organizations().filter(pk=obj.organization_id).exists()
        ):
            raise PermissionDenied("У вас нет прав менять это место работы.")


class EmploymentFormView(EmploymentMixin, ServiceFormView):
    form_class = EmploymentForm

    def authorize(self) -> None:
        self.person = self.find_person()
        super().authorize()

    def get_success_url(self, saved) -> str:
        return self.person.get_absolute_url()

    def render_forms(self, form, extras):
        context = {
            "form": form,
            "title": self.title.format(person=self.person),
            "back": self.person,
        }
        return render(self.request, self.template_name, context)


class EmploymentCreateView(EmploymentFormView):
    service = staticmethod(services.employment_create)
    title = "Новое место работы: {person.full_name}"
    success_message = "Место работы добавлено."

    def call_service(self, form, extras):
        service = declared(self, "service")  # service(user, person, data)
        return service(self.request.user, self.person, form.cleaned_data)


class EmploymentEditView(EmploymentFormView):
    service = staticmethod(services.employment_update)
    title = "Место работы: {person.full_name}"


class EmploymentDeleteView(EmploymentMixin, ScopedObjectMixin, View):
    """POST removes the place of work through the service; the object is looked up (404) and the
    right checked (403) before the method is, so every method answers alike outside the scope."""

    service = staticmethod(services.employment_delete)  # service(user, object)
    success_message = "Место работы удалено."

    def authorize(self) -> None:
        self.person = self.find_person()
        self.object = self.get_object()
        self.check(self.action, self.object)

    def post(self, request, *args, **kwargs):
        # The version the page showed (nms.common.concurrency): none, or a stale one, is refused.
        try:
            version = VersionField().clean(request.POST.get("version"))
            declared(self, "service")(request.user, self.object, expected_version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message)
        return redirect(self.person)
