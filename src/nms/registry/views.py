"""Registry pages: thin — reads through selectors, writes through services."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.pagination import paginate
from nms.common.views import require, save_through_service, xlsx_response
from nms.registry import exports, selectors, services
from nms.registry.filters import OrganizationFilterSet, PersonFilterSet
from nms.registry.forms import EmploymentForm, OrganizationForm, PersonForm

EXPORT_TITLES = {
    "people": "Выгрузка работников в XLSX",
    "organizations": "Выгрузка организаций в XLSX",
}


def _list(request, filterset, template, partial, export, filename, context_name, export_job):
    """A list page; with ?format=xlsx its export — a background job when the list is big."""
    if request.GET.get("format") == "xlsx":
        queryset = filterset.qs
        if queryset.count() <= settings.NMS_EXPORT_SYNC_LIMIT:
            return xlsx_response(export(queryset), filename)
        query = request.GET.copy()
        query.pop("format", None)
        query.pop("page", None)
        job = jobs.job_start(
            request.user,
            kind=f"export_{context_name}",
            title=EXPORT_TITLES[context_name],
            work=export_job,
            params={"query": query.urlencode(), "filename": filename},
        )
        return redirect(job)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, context_name: page.object_list}
    return render(request, partial if request.htmx else template, context)


# -- organizations -----------------------------------------------------------------------------
@login_required
def organization_list(request):
    filterset = OrganizationFilterSet(
        request.GET, queryset=selectors.organizations_for_list(request.user), request=request
    )
    return _list(
        request,
        filterset,
        "registry/organization_list.html",
        "registry/_organization_table.html",
        exports.organizations_xlsx,
        f"организации_{date.today():%d.%m.%Y}.xlsx",
        "organizations",
        exports.organizations_export_job,
    )


@login_required
def organization_detail(request, pk):
    organization = selectors.organization_get(request.user, pk)
    staff = paginate(request, selectors.organization_staff(request.user, organization), 50)
    return render(
        request,
        "registry/organization_detail.html",
        {
            "organization": organization,
            "staff": staff,
            "team": selectors.management_team(request.user, organization),
            "can_edit": scope_of(request.user).can_edit_organization(organization),
            "can_issue_accounts": scope_of(request.user).can("registry.edit_people", organization),
        },
    )


@login_required
def organization_create(request):
    require(scope_of(request.user).can_edit_organizations)
    form = OrganizationForm(request.POST or None, user=request.user)
    if form.is_valid():
        organization = save_through_service(
            form, lambda: services.organization_create(request.user, form.cleaned_data)
        )
        if organization:
            messages.success(request, "Организация добавлена.")
            return redirect("organization-detail", organization.pk)
    return render(request, "registry/form.html", {"form": form, "title": "Новая организация"})


@login_required
def organization_edit(request, pk):
    organization = selectors.organization_get(request.user, pk)
    require(scope_of(request.user).can_edit_organization(organization))
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if save_through_service(
            form, lambda: services.organization_update(request.user, organization, data)
        ):
            messages.success(request, "Изменения сохранены.")
            return redirect("organization-detail", organization.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": f"Изменение: {organization.short_name}", "back": organization},
    )


# -- people ------------------------------------------------------------------------------------
@login_required
def person_list(request):
    filterset = PersonFilterSet(
        request.GET, queryset=selectors.people_for_list(request.user), request=request
    )
    return _list(
        request,
        filterset,
        "registry/person_list.html",
        "registry/_person_table.html",
        exports.people_xlsx,
        f"работники_{date.today():%d.%m.%Y}.xlsx",
        "people",
        exports.people_export_job,
    )


@login_required
def person_detail(request, pk):
    person = selectors.person_get(request.user, pk)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "employments": person.employments.all(),
            "can_edit": scope_of(request.user).can_edit_person(person),
        },
    )


@login_required
def person_history(request, pk):
    person = selectors.person_get(request.user, pk)
    return render(
        request,
        "registry/person_history.html",
        {"person": person, "entries": selectors.person_history(person)},
    )


@login_required
def person_create(request):
    require(scope_of(request.user).can_edit_registry)
    form = PersonForm(request.POST or None, prefix="person")
    employment_form = EmploymentForm(request.POST or None, user=request.user, prefix="job")
    if form.is_valid() and employment_form.is_valid():
        person = save_through_service(
            form,
            lambda: services.person_create(
                request.user, form.cleaned_data, employment=employment_form.cleaned_data
            ),
        )
        if person:
            messages.success(request, "Работник добавлен.")
            return redirect("person-detail", person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "extra_form": employment_form, "title": "Новый работник"},
    )


@login_required
def person_edit(request, pk):
    person = selectors.person_get(request.user, pk)
    require(scope_of(request.user).can_edit_person(person))
    form = PersonForm(request.POST or None, instance=person)
    if form.is_valid():
        data = form.cleaned_data
        if save_through_service(form, lambda: services.person_update(request.user, person, data)):
            messages.success(request, "Изменения сохранены.")
            return redirect("person-detail", person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": f"Изменение: {person.full_name}", "back": person},
    )


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
