"""The generic views of `common` (lists, details, forms) on the registry's models: pagination,
filters, search, sorting, htmx, XLSX export (in the request and as a job), the scope (404) and
the rights (403) — and the small table declaration they render."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.common.identifiers import inn_with_checksum
from nms.common.jobs import XLSX
from nms.common.models import Job, JobStatus
from nms.common.tables import Column, Table, display
from nms.common.views import ImportSpec, ImportView, ScopedListView
from nms.registry import import_views, importers, services
from nms.registry.models import Organization, Person
from nms.registry.views import OrganizationCreateView
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory
from tests.registry.test_import import organization_file, organization_values


@pytest.fixture
def crowd(two_municipalities):
    """Municipality «a» gets a second school with 26 more people (34 in the region)."""
    a = two_municipalities["a"]
    school = OrganizationFactory(municipality=a["municipality"], short_name="Гимназия № 1")
    people = [
        EmploymentFactory(organization=school, person__last_name=f"Жуков{n:02}").person
        for n in range(26)
    ]
    return {**two_municipalities, "gymnasium": school, "crowd": people}


@pytest.fixture
def cnppm(client, make_user):
    user = make_user(Role.CNPPM)
    client.force_login(user)
    return user


def rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


# -- lists ---------------------------------------------------------------------------------------
def test_a_list_is_paginated(client, cnppm, crowd):
    first = client.get(reverse("person-list"))
    assert "Найдено: 30" in first.text and "стр. 1 из 2" in first.text
    assert len(first.context["people"]) == 25
    assert first.text.split("<tbody>")[1].count("<tr>") == 25
    second = client.get(reverse("person-list"), {"page": 2})
    assert "стр. 2 из 2" in second.text and len(second.context["people"]) == 5
    # A page number out of range gives the nearest page, not an error.
    assert "стр. 2 из 2" in client.get(reverse("person-list"), {"page": 99}).text


def test_a_list_is_filtered_and_searched(client, cnppm, crowd):
    gymnasium = crowd["gymnasium"]
    page = client.get(reverse("person-list"), {"organization": gymnasium.pk}).content.decode()
    assert "Найдено: 26" in page
    assert crowd["a"]["teacher"].last_name not in page
    page = client.get(reverse("person-list"), {"q": "жуков07"}).content.decode()
    assert "Найдено: 1" in page and "Жуков07" in page
    page = client.get(reverse("organization-list"), {"q": "гимназ"}).content.decode()
    assert "Найдено: 1" in page and "Гимназия №\xa01" in page  # «№ 1» does not break
    # The filter form is on the page with the chosen value.
    assert (
        f'<option value="{gymnasium.pk}" selected>'
        in client.get(reverse("person-list"), {"organization": gymnasium.pk}).content.decode()
    )


def test_a_list_sorts_by_a_declared_column_only(client, cnppm, crowd):
    def names(query):
        page = client.get(reverse("person-list"), {"organization": crowd["gymnasium"].pk, **query})
        return [p.last_name for p in page.context["people"]]

    ascending = names({"sort": "full_name"})
    assert ascending == sorted(ascending) and ascending[0] == "Жуков00"
    assert names({"sort": "-full_name"})[0] == "Жуков25"
    # Not a sortable column, or no column at all: the selector's order.
    assert names({"sort": "employments"}) == names({}) == names({"sort": "drop table"})
    page = client.get(reverse("person-list"), {"sort": "full_name"}).content.decode()
    assert 'href="?sort=-full_name"' in page and "sorted-asc" in page


def test_htmx_gets_the_table_alone(client, cnppm, crowd):
    response = client.get(reverse("person-list"), {"q": "жуков01"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "Найдено: 1" in page and "Жуков01" in page
    assert 'class="filters"' not in page


def test_a_list_exports_xlsx_in_the_request_under_the_limit(client, cnppm, crowd):
    response = client.get(reverse("person-list"), {"format": "xlsx", "q": "жуков"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert {row[0] for row in rows(response.content)} == {p.snils for p in crowd["crowd"]}
    response = client.get(reverse("organization-list"), {"format": "xlsx"})
    assert len(rows(response.content)) == 3
    assert not Job.objects.exists()


def test_a_list_exports_xlsx_as_a_job_above_the_limit(client, settings, cnppm, crowd):
    settings.NMS_EXPORT_SYNC_LIMIT = 10
    query = {"format": "xlsx", "organization": crowd["gymnasium"].pk, "page": "2"}
    response = client.get(reverse("person-list"), query)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.params["view"] == "nms.registry.views.PersonListView"
    assert job.params["query"] == f"organization={crowd['gymnasium'].pk}"
    assert (job.kind, job.status, job.total) == ("export_people", JobStatus.DONE, 26)
    assert job.message == "Файл готов. Выгружено работников: 26."
    snils = {row[0] for row in rows(client.get(f"/jobs/{job.pk}/file/").content)}
    assert snils == {p.snils for p in crowd["crowd"]}


def test_a_view_with_its_own_search(rf: RequestFactory, cnppm, crowd):
    """A list whose filter set has no `q` (here: none at all) searches with its `search`."""

    class PeopleByName(ScopedListView):
        model = Person  # no selector: the access registry's set
        search = staticmethod(lambda queryset, text: queryset.filter(last_name__istartswith=text))
        context_object_name = "people"

    request = rf.get("/", {"q": "Жуков1"})
    request.user = cnppm
    page = PeopleByName.as_view()(request).content.decode()
    assert "Найдено: 10" in page and 'name="q"' in page
    request = rf.get("/", {"q": "Жуков1", "format": "xlsx"})
    request.user = cnppm
    response = PeopleByName.as_view()(request)
    assert response["Content-Type"].startswith("text/html")  # no export declared: the page


# -- one object ----------------------------------------------------------------------------------
@pytest.fixture
def municipal(client, make_user, two_municipalities):
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    client.force_login(user)
    return user


def test_a_detail_outside_the_scope_is_404(client, municipal, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    for name, inside, outside in [
        ("person-detail", a["teacher"], b["teacher"]),
        ("person-history", a["teacher"], b["teacher"]),
        ("organization-detail", a["school"], b["school"]),
    ]:
        assert client.get(reverse(name, args=[inside.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[outside.pk])).status_code == 404, name
    assert client.get(reverse("person-detail", args=[10**6])).status_code == 404


def test_an_edit_without_the_action_is_403_outside_the_scope_404(
    client, make_user, two_municipalities
):
    a, b = two_municipalities["a"], two_municipalities["b"]
    # A school administration changes its staff, not organizations.
    client.force_login(make_user(Role.SCHOOL, organization=a["school"]))
    assert client.get(reverse("person-edit", args=[a["teacher"].pk])).status_code == 200
    assert client.get(reverse("person-edit", args=[b["teacher"].pk])).status_code == 404
    assert client.post(reverse("person-edit", args=[b["teacher"].pk]), {}).status_code == 404
    assert client.get(reverse("organization-edit", args=[a["school"].pk])).status_code == 403
    assert client.post(reverse("organization-edit", args=[a["school"].pk]), {}).status_code == 403
    assert client.get(reverse("organization-edit", args=[b["school"].pk])).status_code == 404
    assert client.post(reverse("organization-edit", args=[b["school"].pk]), {}).status_code == 404
    assert client.get(reverse("organization-create")).status_code == 403
    # The ministry sees everyone in the region and changes nothing.
    client.force_login(make_user(Role.MINISTRY))
    assert client.get(reverse("person-detail", args=[b["teacher"].pk])).status_code == 200
    assert client.post(reverse("person-edit", args=[b["teacher"].pk]), {}).status_code == 403
    assert client.get(reverse("person-create")).status_code == 403


def test_an_edit_saves_through_the_service(client, municipal, two_municipalities):
    school = two_municipalities["a"]["school"]
    data = {
        "full_name": school.full_name,
        "short_name": "МБОУ «Новое имя»",
        "inn": school.inn,
        "kind": school.kind,
        "municipality": school.municipality_id,
        "is_low_results": "on",
        "version": school.version,
    }
    response = client.post(reverse("organization-edit", args=[school.pk]), data)
    assert response.status_code == 302 and response["Location"] == school.get_absolute_url()
    school.refresh_from_db()
    assert (school.short_name, school.is_low_results) == ("МБОУ «Новое имя»", True)
    history = school.history.order_by("-history_date").first()
    assert history.history_user == municipal


def test_a_service_error_is_on_the_form_and_nothing_is_half_saved(rf, make_user, region):
    """A (transactional, as every service is) service wrote, then refused: its message is on the
    form, its write is undone."""

    @transaction.atomic
    def create_then_refuse(user, data):
        services.organization_create(user, data)
        raise ValidationError({"short_name": "Такое наименование уже занято.", "x": "Ошибка."})

    class Refusing(OrganizationCreateView):
        service = staticmethod(create_then_refuse)

    municipality = OrganizationFactory().municipality
    request = rf.post(
        "/",
        {
            "full_name": "Школа",
            "short_name": "Школа",
            "inn": OrganizationFactory.build().inn,
            "kind": "general",
            "municipality": municipality.pk,
        },
    )
    request.user = make_user(Role.CNPPM)
    response = Refusing.as_view()(request)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Такое наименование уже занято." in page and "Ошибка." in page
    assert not Organization.objects.filter(short_name="Школа").exists()


# -- the table declaration -----------------------------------------------------------------------
class _Table(Table):
    name = Column("Фамилия", "last_name", link="person-detail", sort="last_name")
    born = Column("Родился", "birth_date", css_class="nowrap")
    age = Column("Возраст")
    main = Column("Место работы", "main_employment.organization.short_name", empty="—")


def test_a_table_shows_values_as_the_pages_do(rf, db, region):
    person = PersonFactory(last_name="Ёлкин", birth_date=date(1990, 3, 7))
    table = _Table([person], rf.get("/", {"sort": "name", "page": "3", "q": "ё"}))
    [row] = table.body()
    assert [str(cell.content) for cell in row] == [
        f'<a href="{reverse("person-detail", args=[person.pk])}">Ёлкин</a>',
        "07.03.1990",
        str(person.age()),
        "—",
    ]
    assert [cell.css_class for cell in row] == ["", "nowrap", "", ""]
    [name, born, _, _] = table.headers()
    assert name.sorted_as == "asc" and name.sort_url == "?sort=-name&q=%D1%91"
    assert born.sort_url == ""
    assert (display(True), display(False), display(None, "—"), display("")) == (
        "да",
        "нет",
        "—",
        "",
    )
    assert list(_Table.columns) == ["name", "born", "age", "main"]


# -- import ----------------------------------------------------------------------------------------
def test_an_import_view_takes_a_file_as_a_job(rf, make_user, two_municipalities):
    """The registry's organizations through the generic import page: 403 without the right,
    the kinds the user may import, then a job that saves the file and keeps its report."""

    class RegistryImport(ImportView):
        spec = ImportSpec(kinds=importers.available_kinds, work=import_views.import_job)
        action = "registry.edit_people"

    def call(user, method="get", data=None):
        request = getattr(rf, method)("/", data or {})
        request.user = user
        return RegistryImport.as_view()(request)

    with pytest.raises(PermissionDenied):
        call(make_user(Role.MINISTRY))
    cnppm = make_user(Role.CNPPM)
    page = call(cnppm).content.decode()
    assert 'value="staff"' in page and 'value="organizations"' in page

    inn = inn_with_checksum("190000301")
    oktmo = two_municipalities["a"]["municipality"].oktmo
    content = organization_file(organization_values(inn, oktmo)).getvalue()
    upload = SimpleUploadedFile("организации.xlsx", content, content_type=XLSX)
    response = call(cnppm, "post", {"kind": "organizations", "file": upload})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.upload_name) == (
        "import_organizations",
        JobStatus.DONE,
        "организации.xlsx",
    )
    assert job.report["created"] == 1
    assert Organization.objects.filter(inn=inn, municipality__oktmo=oktmo).exists()


# -- pages a role lacks entirely, one kind of import ----------------------------------------------
def test_a_page_without_its_view_action_or_write_is_404(rf, make_user):
    """`view_action`: any method of the page answers 404 without it; `hide_refusals`: a refused
    write is 404 too (the item bank's pages for a role without the bank)."""
    from nms.itembank.views import ItemCreateView, ItemListView

    def status(view, user):
        request = rf.get("/")
        request.user = user
        try:
            return view.as_view()(request).status_code
        except Http404:
            return 404

    expert, teacher = make_user(Role.EXPERT), make_user(Role.TEACHER)
    assert status(ItemListView, expert) == 200
    assert status(ItemListView, teacher) == 404
    assert status(ItemCreateView, expert) == 404  # may read the bank, not write it
    assert status(ItemCreateView, make_user(Role.CNPPM)) == 200


def test_an_import_view_of_one_kind_needs_no_choice(rf, make_user, two_municipalities):
    class OneKind(ImportView):
        spec = ImportSpec(
            kinds=lambda user: [("organizations", "Организации")], work=import_views.import_job
        )
        action = "registry.edit_people"
        hide_single_kind = True

    def call(method="get", data=None):
        request = getattr(rf, method)("/", data or {})
        request.user = make_user(Role.CNPPM)
        return OneKind.as_view()(request)

    assert 'type="hidden" name="kind"' in call().content.decode()
    inn = inn_with_checksum("190000302")
    oktmo = two_municipalities["a"]["municipality"].oktmo
    content = organization_file(organization_values(inn, oktmo)).getvalue()
    upload = SimpleUploadedFile("организации.xlsx", content, content_type=XLSX)
    response = call("post", {"file": upload})  # no kind posted: the only one
    job = Job.objects.get()
    assert response.status_code == 302 and job.params == {"kind": "organizations"}
    assert job.report["created"] == 1
