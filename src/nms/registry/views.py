"""Registry pages: each model declares its shape, the generic views of `common` do the rest.

Reads go through the selectors (the user's scope), writes through the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from nms.accounts.scope import get_visible_or_404
from nms.common.pagination import paginate
from nms.common.views import (
    ExtraForm,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    declared,
)
from nms.registry import exports, selectors, services
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet
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

    def get_context_data(self) -> dict:
        """Accounts in bulk, for whoever may change people: the checked rows, or everybody the
        list's filters find (the issue page resolves the same query over those they may
        change; `q=` stands for «no filter»)."""
        query = self.request.GET.copy()
        for key in ("page", "sort", "format"):
            query.pop(key, None)
        return {
            **super().get_context_data(),
            "can_issue": self.allowed(EDIT_PEOPLE),
            "issue_query": query.urlencode() or "q=",
        }


class PersonDetailView(ScopedDetailView):
    model = Person
    selector = staticmethod(selectors.people_for_list)
    template_name = "registry/person_detail.html"
    context_object_name = "person"
    edit_action = EDIT_PEOPLE
    edit_url_name = "person-edit"

    def get_context(self, person):
        return {"employments": person.employments.all()}


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

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = self.find_person()
        return super().dispatch(request, *args, **kwargs)

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

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = self.find_person()
        self.object = self.get_object()
        self.check(self.action, self.object)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            declared(self, "service")(request.user, self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message)
        return redirect(self.person)
