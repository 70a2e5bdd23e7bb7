"""Registry pages: each model declares its shape, the generic views of `common` do the rest.

Reads go through the selectors (the user's scope), writes through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nms.accounts.scope import scope_of
from nms.common.pagination import paginate
from nms.common.views import (
    ExtraForm,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    save_through_service,
)
from nms.registry import exports, selectors, services
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet
from nms.registry.forms import EmploymentForm, OrganizationForm, PersonForm
from nms.registry.models import Organization, Person
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
@login_required
def employment_create(request, pk):
    person = selectors.person_get(request.user, pk)
    require(scope_of(request.user).can_edit_person(person))
    form = EmploymentForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if save_through_service(
            form, lambda: services.employment_create(request.user, person, data)
        ):
            messages.success(request, "Место работы добавлено.")
            return redirect("person-detail", person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": f"Новое место работы: {person.full_name}", "back": person},
    )


def _employment(request, pk, employment_pk):
    person = selectors.person_get(request.user, pk)
    employment = get_object_or_404(person.employments.all(), pk=employment_pk)
    require(
        scope_of(request.user)
        .editable_organizations()
        .filter(pk=employment.organization_id)
        .exists()
    )
    return person, employment


@login_required
def employment_edit(request, pk, employment_pk):
    person, employment = _employment(request, pk, employment_pk)
    form = EmploymentForm(request.POST or None, instance=employment, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if save_through_service(
            form, lambda: services.employment_update(request.user, employment, data)
        ):
            messages.success(request, "Изменения сохранены.")
            return redirect("person-detail", person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": f"Место работы: {person.full_name}", "back": person},
    )


@login_required
@require_POST
def employment_delete(request, pk, employment_pk):
    person, employment = _employment(request, pk, employment_pk)
    services.employment_delete(request.user, employment)
    messages.success(request, "Место работы удалено.")
    return redirect("person-detail", person.pk)
