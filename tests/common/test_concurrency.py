"""No lost updates on any editable record (nms.common.concurrency, issue 8 item 3).

Deterministic cases (any database): two clients read version N, the first saves, the second
gets 409 (API) or a Russian refusal with its input kept (page). On PostgreSQL the same pairs
also run at once: two threads, their own connections, a barrier — 0 lost updates.
"""

import importlib
import threading
from datetime import timedelta
from functools import partial

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role, RoleAssignment, User
from nms.common.concurrency import (
    StaleRecord,
    VersionCheckedInlineFormSet,
    VersionCheckedModelForm,
    is_versioned,
)
from nms.common.views import ServiceFormView
from nms.diagnostics.models import Procedure
from nms.itembank import services as itembank
from nms.itembank.models import CompetencyArea, ItemKind
from nms.registry.models import Employment, Organization, Person
from nms.routes import services as routes
from nms.routes.models import ItemReport, ReportDecision, RouteItem
from tests.factories import EmploymentFactory
from tests.itembank.conftest import make_item
from tests.routes.conftest import TODAY, entry_result, item_data  # noqa: F401 -- a fixture

API = "/api/v1"
STALE = "Запись изменили, пока вы её редактировали"
WALK = [("compose", "cnppm"), ("agree_school", "school"), ("agree_methodist", "methodist")]
WALK += [("start", "methodist")]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(users, two_municipalities, region):
    a = two_municipalities["a"]
    area = CompetencyArea.objects.get(code="ict")
    procedure = Procedure.objects.create(
        region=region, name="Входная", level="regional", kind="entry",
        starts_on=TODAY, ends_on=TODAY + timedelta(days=10), created_by=users["cnppm"],
    )  # fmt: skip
    return {
        "person": a["teacher"],
        "organization": a["school"],
        "employment": Employment.objects.get(person=a["teacher"]),
        "item": make_item(area, "c1", 1, kind=ItemKind.SINGLE),
        "procedure": procedure,
        "area": area,
        "subcompetency": area.subcompetencies.first(),
        "assignment": RoleAssignment.objects.get(user=users["school"]),
    }


# resource: (user, URL, first change, second change, a read of the two fields)
API_CASES = {
    "person": ("admin", "people", {"email": "a@example.ru"}, {"middle_name": "Б"}),
    "organization": ("admin", "organizations", {"short_name": "А"}, {"full_name": "Б"}),
    "employment": ("admin", "employments", {"category": "first"}, {"is_part_time": True}),
    "item": ("cnppm", "diagnostics/items", {"text": "Первый текст"}, {"points": 2}),
}
MODELS = {"person": Person, "organization": Organization, "employment": Employment}


def _stored(records, name, field):
    record = records[name]
    record.refresh_from_db()
    return getattr(record, field)


@pytest.mark.parametrize("name", list(API_CASES))
def test_api_second_save_on_the_same_version_is_409(name, users, records):
    role, prefix, first, second = API_CASES[name]
    url = f"{API}/{prefix}/{records[name].pk}/"
    one, two = api(users[role]), api(users[role])
    response = one.get(url)
    etag = response["ETag"]
    version = records[name].version
    assert etag == f'"{version}"'
    response = one.patch(url, first, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{version + 1}"'
    response = two.patch(url, {**second, "version": version}, format="json")
    assert response.status_code == 409, response.content
    assert STALE in response.json()["detail"] and response.json()["version"] == version + 1
    [(field, value)] = first.items()
    [(other, unchanged)] = second.items()
    assert _stored(records, name, field) == value
    assert _stored(records, name, other) != unchanged
    # With the current version the second client saves, over the first's change.
    response = two.patch(url, second, format="json", HTTP_IF_MATCH=f'"{version + 1}"')
    assert response.status_code == 200, response.content
    assert _stored(records, name, field) == value and _stored(records, name, other) == unchanged


def test_api_bad_if_match_is_400(users, records):
    url = f"{API}/people/{records['person'].pk}/"
    response = api(users["admin"]).patch(url, {"email": "x@example.ru"}, HTTP_IF_MATCH='"abc"')
    assert response.status_code == 400


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list):
            data[bound.html_name] = [str(v) for v in value]
        elif hasattr(value, "strftime"):
            data[bound.html_name] = value.strftime("%d.%m.%Y")
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(value)
    return data


PAGE_CASES = {
    "person": ("admin", "person-edit", "middle_name", "Первое", "Второе"),
    "organization": ("admin", "organization-edit", "short_name", "Первая", "Вторая"),
    "item": ("cnppm", "bank-edit", "text", "Первая формулировка", "Вторая формулировка"),
    "procedure": ("cnppm", "procedure-edit", "name", "Первое имя", "Второе имя"),
    "area": ("cnppm", "area-edit", "name", "Первая область", "Вторая область"),
    "subcompetency": ("cnppm", "sub-edit", "name", "Первая компетенция", "Вторая компетенция"),
}


def _page_url(name, records) -> str:
    record = records[name]
    args = [record.area_id, record.pk] if name == "subcompetency" else [record.pk]
    return reverse(PAGE_CASES[name][1], args=args)


@pytest.mark.parametrize("name", list(PAGE_CASES))
def test_page_second_save_is_refused_and_keeps_input(name, users, records):
    role, url_name, field, mine, theirs = PAGE_CASES[name]
    url = _page_url(name, records)
    one, two = page(users[role]), page(users[role])
    form_one, form_two = _form_data(one.get(url)), _form_data(two.get(url))
    assert form_one["version"] == str(records[name].version)
    response = one.post(url, {**form_one, field: mine})
    assert response.status_code == 302, response.context["form"].errors
    response = two.post(url, {**form_two, field: theirs})
    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text and theirs in text  # the loser's input is on the form
    assert _stored(records, name, field) == mine


def test_employment_page_refused_on_stale_version(users, records):
    employment = records["employment"]
    url = reverse("employment-edit", args=[employment.person_id, employment.pk])
    one, two = page(users["admin"]), page(users["admin"])
    form_one, form_two = _form_data(one.get(url)), _form_data(two.get(url))
    assert one.post(url, {**form_one, "teaching_load": "12"}).status_code == 302
    response = two.post(url, {**form_two, "teaching_load": "20"})
    assert response.status_code == 200 and STALE in response.content.decode()
    employment.refresh_from_db()
    assert employment.teaching_load == 12


def test_employment_delete_with_a_stale_version_is_refused(users, records):
    employment = records["employment"]
    version = employment.version
    url = f"{API}/employments/{employment.pk}/"
    assert api(users["admin"]).patch(url, {"category": "first"}, format="json").status_code == 200
    response = api(users["admin"]).delete(url, HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 409 and STALE in response.json()["detail"]
    assert Employment.objects.filter(pk=employment.pk).exists()

    page_url = reverse("employment-delete", args=[employment.person_id, employment.pk])
    client = page(users["admin"])
    for data in ({}, {"version": version}):  # no version, a stale one: refused, nothing deleted
        response = client.post(page_url, data, follow=True)
        assert "Место работы удалено" not in response.content.decode()
        assert Employment.objects.filter(pk=employment.pk).exists()
    assert STALE in response.content.decode()
    response = client.post(page_url, {"version": version + 1}, follow=True)
    assert "Место работы удалено" in response.content.decode()
    assert not Employment.objects.filter(pk=employment.pk).exists()


def test_employment_api_delete_with_the_current_version(users, records):
    employment = records["employment"]
    url = f"{API}/employments/{employment.pk}/"
    etag = api(users["admin"]).get(url)["ETag"]
    assert api(users["admin"]).delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert not Employment.objects.filter(pk=employment.pk).exists()


# -- role assignments: edited in the admin only -----------------------------------------------
@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="Пароль-для-тестов-1")


def _admin_form(response) -> dict:
    """The fields of the admin's change page (its form and its inline formsets) as posted."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for formset in response.context.get("inline_admin_formsets", []):
        forms_.extend(formset.formset.forms)
        management = formset.formset.management_form
        forms_.append(management)
    for form in forms_:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list):
                data[bound.html_name] = [str(v) for v in value]
            elif hasattr(value, "hour"):  # a split date and time
                data[f"{bound.html_name}_0"] = value.strftime("%d.%m.%Y")
                data[f"{bound.html_name}_1"] = value.strftime("%H:%M:%S")
            elif hasattr(value, "strftime"):
                data[bound.html_name] = value.strftime("%d.%m.%Y")
            elif value is True:
                data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)
    return data


def test_role_assignment_admin_second_save_is_refused_and_keeps_input(root, records):
    assignment = records["assignment"]
    url = reverse("admin:accounts_roleassignment_change", args=[assignment.pk])
    one, two = page(root), page(root)
    form_one, form_two = _admin_form(one.get(url)), _admin_form(two.get(url))
    assert form_one["seen_version"] == str(assignment.version)
    response = one.post(url, {**form_one, "valid_from": "01.09.2026"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = two.post(url, {**form_two, "valid_to": "31.05.2027"})
    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text and "31.05.2027" in text  # the loser's input is on the page
    assignment.refresh_from_db()
    assert str(assignment.valid_from) == "2026-09-01" and assignment.valid_to is None
    # Sent again (the hidden version is now the current one): a deliberate save goes through.
    form_two = _admin_form(response)
    response = two.post(url, form_two)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.valid_to) == "2027-05-31"


def test_role_assignment_inline_stale_change_and_delete_are_refused(root, users, records):
    assignment = records["assignment"]
    url = reverse("admin:accounts_user_change", args=[users["school"].pk])
    stale = _admin_form(page(root).get(url))
    RoleAssignment.objects.filter(pk=assignment.pk).update(version=assignment.version + 1)
    prefix = next(k[: -len("-id")] for k, v in stale.items() if k.endswith("-id"))
    for change in ({f"{prefix}-valid_to": "31.05.2027"}, {f"{prefix}-DELETE": "on"}):
        response = page(root).post(url, {**stale, **change})
        assert response.status_code == 200 and STALE in response.content.decode()
        assert RoleAssignment.objects.get(pk=assignment.pk).valid_to is None
    fresh = _admin_form(page(root).get(url))
    response = page(root).post(url, {**fresh, f"{prefix}-DELETE": "on"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert Role.SCHOOL not in {a.role for a in users["school"].assignments.all()}


# -- routes: the map, the item delete, report decisions ------------------------------------
@pytest.fixture
def route(actors, entry_result, two_municipalities):  # noqa: F811 -- the imported fixture
    return routes.route_create(
        actors["teacher"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=180)
    )


@pytest.fixture
def actors(users):
    return {**users, "other_teacher": users["colleague"]}


def test_route_map_item_second_save_is_refused(route, actors):
    item = routes.item_add(actors["cnppm"], route, item_data(), None)
    route.refresh_from_db()
    version = route.version
    routes.item_update(actors["cnppm"], item, {"title": "Первое"}, version)
    with pytest.raises(routes.StaleRoute):
        routes.item_update(actors["cnppm"], item, {"title": "Второе"}, version)
    item.refresh_from_db()
    assert item.title == "Первое"


def test_map_item_delete_from_the_page_needs_the_version(route, actors):
    item = routes.item_add(actors["cnppm"], route, item_data(), None)
    url = reverse("route-item-delete", args=[route.pk, item.pk])
    client = page(actors["cnppm"])
    client.post(url, {})  # no version: refused, nothing deleted
    assert RouteItem.objects.filter(pk=item.pk).exists()
    client.post(url, {"version": route.version})  # a stale version: refused
    assert RouteItem.objects.filter(pk=item.pk).exists()
    route.refresh_from_db()
    client.post(url, {"version": route.version})
    assert not RouteItem.objects.filter(pk=item.pk).exists()


@pytest.fixture
def report(route, actors):
    item = routes.item_add(actors["cnppm"], route, item_data(), None)
    for name, actor in WALK:
        routes.transition(actors[actor], route, name, "ок", None)
    return routes.report_submit(actors["teacher"], item, text="Прошла курс")


def test_report_cannot_be_decided_twice(report, actors):
    decide = f"{API}/routes/reports/{report.pk}/decision/"
    stale = ItemReport.objects.get(pk=report.pk)  # read by the second methodist before
    response = api(actors["methodist"]).post(decide, {"accept": True}, format="json")
    assert response.status_code == 200
    with pytest.raises(routes.StaleRecord, match="уже принято решение"):
        routes.report_decide(actors["methodist"], stale, accept=False, comment="Доработать")
    response = api(actors["methodist"]).post(
        decide, {"accept": False, "comment": "Доработать"}, format="json"
    )
    assert response.status_code == 409 and "уже принято решение" in response.json()["detail"]
    report.refresh_from_db()
    assert report.decision == ReportDecision.ACCEPTED
    assert RouteItem.objects.get(pk=report.item_id).status == "done"


# -- the staff import over a person edited meanwhile -----------------------------------------
def test_import_bumps_the_version_so_a_stale_page_save_is_refused(users, records):
    from nms.registry import services

    person = records["person"]
    version = person.version
    Person.objects.filter(pk=person.pk).update(email="import@example.ru", version=version + 1)
    with pytest.raises(services.ValidationError, match=STALE):
        services.person_update(users["admin"], person, {"middle_name": "Х"}, version)
    person.refresh_from_db()
    assert person.email == "import@example.ru" and person.middle_name != "Х"


# -- truly at once, on PostgreSQL ------------------------------------------------------------
def _at_once(*calls):
    """Run the calls in threads (their own connections) released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 -- reported to the test
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads at once need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", list(API_CASES))
def test_paired_concurrent_patches_lose_nothing(name, users, records):
    role, prefix, first, second = API_CASES[name]
    url = f"{API}/{prefix}/{records[name].pk}/"
    [(field, value)] = first.items()
    [(other, other_value)] = second.items()
    for _ in range(5):
        answers = _at_once(
            lambda first=first: api(users[role]).patch(url, first, format="json"),
            lambda second=second: api(users[role]).patch(url, second, format="json"),
        )
        codes = sorted(a.status_code for a in answers)
        assert codes in ([200, 200], [200, 409]), [a.content for a in answers]
        if answers[0].status_code == 200:
            assert _stored(records, name, field) == value
        if answers[1].status_code == 200:
            assert _stored(records, name, other) == other_value
        # reset for the next pair
        api(users[role]).patch(url, {field: value, other: other_value}, format="json")
        first, second = second, first
        (field, value), (other, other_value) = (other, other_value), (field, value)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_report_decisions_decide_once(report, actors):
    decide = f"{API}/routes/reports/{report.pk}/decision/"
    answers = _at_once(
        lambda: api(actors["methodist"]).post(decide, {"accept": True}, format="json"),
        lambda: api(actors["methodist"]).post(
            decide, {"accept": False, "comment": "Доработать"}, format="json"
        ),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    report.refresh_from_db()
    winner = answers[0] if answers[0].status_code == 200 else answers[1]
    assert report.decision == winner.json()["decision"]


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_import_and_page_save_lose_nothing(users, records):
    from nms.registry import importers, services

    person = records["person"]
    version = person.version
    row_update = {"email": "import@example.ru"}

    def import_like():
        # What the staff import does for a known person: read under the lock, bump, write.
        from django.db import transaction

        with transaction.atomic():
            [stored] = importers._people_by_snils([person.snils]).values()
            stored.email = row_update["email"]
            stored.version += 1
            stored.save(update_fields=["email", "version"])
        return "imported"

    def page_save():
        fresh = Person.objects.get(pk=person.pk)
        try:
            services.person_update(users["admin"], fresh, {"middle_name": "Страничное"}, version)
        except services.ValidationError as exc:
            return exc
        return "saved"

    answers = _at_once(import_like, page_save)
    person.refresh_from_db()
    assert person.email == "import@example.ru"
    if answers[1] == "saved":
        assert person.middle_name == "Страничное"
    else:
        assert STALE in str(answers[1]) and person.middle_name != "Страничное"


# -- every editable resource is versioned, and covered here -----------------------------------
# Records written through a form or the API that carry no version of their own, and why.
NOT_VERSIONED = {
    # Reference data only the administrator keeps, in the admin (the API's writes answer 405).
    "registry.Region": "справочник администратора",
    "registry.Municipality": "справочник администратора",
    "registry.Position": "справочник администратора",
    "registry.Subject": "справочник администратора",
    # The administrator's change of a login (names, activity); the roles are versioned.
    "accounts.User": "учётная запись в админке",
    # A token is issued and revoked, never edited (revoking twice is revoking).
    "accounts.ApiToken": "выдаётся и отзывается",
    # A staff schedule's row is added, changed and deleted under its schedule's version
    # (nms.staffing.services.row_*: a stale schedule refuses the change).
    "staffing.ScheduleRow": "под версией штатного расписания",
}
# Versioned records guarded by another record's version: a map item by its route's.
GUARDED_BY = {"routes.RouteItem": "routes.Route"}
# Each versioned editable record: the cases above that show a stale save refused.
COVERED = {
    "registry.Person": "API_CASES, PAGE_CASES",
    "registry.Organization": "API_CASES, PAGE_CASES",
    "registry.Employment": "API_CASES, test_employment_*",
    "itembank.Item": "API_CASES, PAGE_CASES",
    "diagnostics.Procedure": "PAGE_CASES",
    "itembank.CompetencyArea": "PAGE_CASES, SERVICE_CASES",
    "itembank.SubCompetency": "PAGE_CASES, SERVICE_CASES",
    "accounts.RoleAssignment": "test_role_assignment_*",
    "monitoring.Indicator": "tests/monitoring/test_api.py::test_a_stale_indicator_*",
    "routes.Route": "test_route_map_*, test_map_item_*",
    **dict.fromkeys(
        ("programs.Programme", "programs.Run"),
        "tests/programs: test_programme_stale_*, test_run_stale_*, test_api",
    ),  # noqa: E501
    **dict.fromkeys(
        ("events.Event", "events.Participation", "events.InternshipSite", "events.Internship"),
        "tests/events: test_stale_*, test_api_*",
    ),  # noqa: E501
    **dict.fromkeys(
        (
            "support.ActiveMembership",
            "support.ExpertRole",
            "support.SupportAct",
            "support.HelpRequest",
            "support.Caseload",
        ),
        "tests/support/test_concurrency.py",
    ),  # noqa: E501
    **dict.fromkeys(
        (
            "mentoring.MentorProfile",
            "mentoring.Pair",
            "mentoring.MentoringProgram",
            "mentoring.Curator",
            "mentoring.MentoringSchool",
        ),
        "tests/mentoring/test_concurrency.py",
    ),  # noqa: E501
    **dict.fromkeys(
        (
            "monitoring.InfoCard",
            "monitoring.Recommendation",
            "monitoring.RecommendationRule",
            "monitoring.Decision",
        ),
        "tests/monitoring: test_cards*, test_recommendations*, test_decisions*",
    ),  # noqa: E501
    **dict.fromkeys(
        ("catalogs.Practice", "catalogs.Material", "catalogs.Item"),
        "tests/catalogs: test_services, test_api (stale versions)",
    ),
    **dict.fromkeys(
        (
            "roadmap.Roadmap",
            "roadmap.Direction",
            "roadmap.Measure",
            "roadmap.Activity",
            "roadmap.ActivityPeriod",
            "roadmap.Agreement",
            "roadmap.Document",
        ),
        "tests/roadmap: test_concurrency, test_api, test_structure",
    ),
    **dict.fromkeys(
        ("portal.InnovationSite", "portal.Community", "portal.Resource", "portal.News"),
        "tests/portal: test_services, test_api (stale versions)",
    ),
    **dict.fromkeys(
        (
            "staffing.StaffSchedule",
            "staffing.Vacancy",
            "staffing.Diploma",
            "staffing.Specialty",
            "staffing.TargetContract",
            "staffing.PedagogicalClass",
        ),
        "tests/staffing: test_services, test_api, test_views (stale versions)",
    ),
}


def _label(model) -> str:
    return model._meta.label


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _url_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_patterns(pattern.url_patterns)
        else:
            yield pattern


def _viewset_model(cls):
    model = getattr(cls, "model", None) or getattr(getattr(cls, "queryset", None), "model", None)
    for name in ("write_serializer_class", "serializer_class", "read_serializer_class"):
        serializer = getattr(cls, name, None)
        if model is None and serializer is not None and hasattr(serializer, "Meta"):
            model = serializer.Meta.model
    return model


def editable_models() -> dict[str, str]:
    """Every model of the project a user can change: the model forms of the apps, the API views
    answering PUT, PATCH or DELETE, the edit pages (`ServiceFormView`) and the admin."""
    for config in apps.get_app_configs():
        if config.name.startswith("nms."):
            for module in ("forms", "views", "api", "admin"):
                if importlib.util.find_spec(f"{config.name}.{module}"):
                    importlib.import_module(f"{config.name}.{module}")
    found = {}
    for form in _subclasses(forms.ModelForm):
        model = getattr(form._meta, "model", None)
        if form.__module__.startswith("nms.") and model is not None:
            found[_label(model)] = f"форма {form.__name__}"
    for pattern in _url_patterns(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None) or getattr(
            pattern.callback, "view_class", None
        )
        actions = getattr(pattern.callback, "actions", None) or {}
        allowed = set(getattr(view, "http_method_names", ()))
        if actions and set(actions) & {"put", "patch", "delete"} & allowed:
            model = _viewset_model(view)
            assert model is not None, f"the model of {view.__name__} is not found"
            found[_label(model)] = f"API {pattern.pattern}"
        elif (
            view is not None
            and issubclass(view, ServiceFormView)
            and view.model is not None
            and view.pk_url_kwarg in pattern.pattern.regex.groupindex  # an edit, not a creation
        ):
            found[_label(view.model)] = f"страница {view.__name__}"
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_config.name.startswith("nms."):
            found[_label(model)] = f"админка {type(model_admin).__name__}"
            for inline in model_admin.inlines:
                found[_label(inline.model)] = f"админка {inline.__name__}"
    return found


def test_every_editable_resource_is_versioned_and_covered():
    """A new editable record fails here until it has a version (nms.common.concurrency) and a
    case above, or a reason in NOT_VERSIONED."""
    found = editable_models()
    assert {"accounts.RoleAssignment", "itembank.CompetencyArea", "registry.Employment"} <= set(
        found
    )  # the discovery finds the admin, the forms and the API
    unversioned = {
        label: where
        for label, where in found.items()
        if not is_versioned(apps.get_model(label)) and label not in NOT_VERSIONED
    }
    assert unversioned == {}, "editable without a version (nms.common.concurrency)"
    uncovered = {
        label: where
        for label, where in found.items()
        if label not in NOT_VERSIONED and GUARDED_BY.get(label, label) not in COVERED
    }
    assert uncovered == {}, "no case of a stale save in this module"
    for label in GUARDED_BY:
        assert is_versioned(apps.get_model(GUARDED_BY[label]))


def test_every_admin_of_a_versioned_record_checks_the_version():
    """The admin saves outside the services: its form checks the version the page showed."""
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [(i.model, i) for i in model_admin.inlines]
        for admin_model, each in admins:
            if is_versioned(admin_model) and admin_model._meta.app_label != "routes":
                assert issubclass(each.form, VersionCheckedModelForm), each
                if isinstance(each, type) and issubclass(each, admin.options.InlineModelAdmin):
                    assert issubclass(each.formset, VersionCheckedInlineFormSet), each


# -- the services of the records edited on pages only, at once -------------------------------
def _area_save(user, record, value, version):
    data = {"name": value, "code": record.code, "order": record.order}
    data |= {"is_subject": record.is_subject, "for_managers": record.for_managers}
    return itembank.area_save(user, record, data, version)


def _sub_save(user, record, value, version):
    return itembank.subcompetency_save(user, record.area, record, value, version)


SERVICE_CASES = {"area": _area_save, "subcompetency": _sub_save}


@pytest.mark.parametrize("name", list(SERVICE_CASES))
def test_service_second_save_on_the_same_version_is_refused(name, users, records):
    save, record = SERVICE_CASES[name], records[name]
    version = record.version
    save(users["cnppm"], record, "Первое", version)
    with pytest.raises(StaleRecord, match=STALE):
        save(users["cnppm"], type(record).objects.get(pk=record.pk), "Второе", version)
    assert _stored(records, name, "name") == "Первое"


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", list(SERVICE_CASES))
def test_paired_concurrent_service_saves_lose_nothing(name, users, records):
    save, model = SERVICE_CASES[name], type(records[name])
    for attempt in range(5):
        record = model.objects.get(pk=records[name].pk)
        mine, theirs = f"Первое {attempt}", f"Второе {attempt}"
        one, two = (model.objects.get(pk=record.pk) for _ in range(2))
        answers = _at_once(
            partial(save, users["cnppm"], one, mine, record.version),
            partial(save, users["cnppm"], two, theirs, record.version),
        )
        refused = [a for a in answers if isinstance(a, Exception)]
        assert len(refused) == 1 and STALE in str(refused[0]), answers
        [saved] = [a for a in answers if not isinstance(a, Exception)]
        assert _stored(records, name, "name") == saved.name


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_employment_change_and_delete(users, records):
    from nms.registry import services

    for _ in range(3):
        employment = EmploymentFactory(organization=records["organization"])
        version = employment.version
        one, two = (Employment.objects.get(pk=employment.pk) for _ in range(2))
        answers = _at_once(
            partial(services.employment_update, users["admin"], one, {"teaching_load": 7}, version),
            partial(services.employment_delete, users["admin"], two, version),
        )
        refused = [a for a in answers if isinstance(a, Exception)]
        assert len(refused) == 1, answers
        assert STALE in str(refused[0]) or "Запись удалили" in str(refused[0]), answers
        # Either the change was saved and the deletion refused, or the other way round.
        exists = Employment.objects.filter(pk=employment.pk).exists()
        assert exists == isinstance(answers[1], Exception)


def test_role_assignment_admin_delete_needs_the_version_shown(root, records):
    assignment = records["assignment"]
    url = reverse("admin:accounts_roleassignment_delete", args=[assignment.pk])
    client = page(root)
    shown = client.get(url).context["seen_version"]
    assert f'name="seen_version" value="{shown}"' in client.get(url).content.decode()
    RoleAssignment.objects.filter(pk=assignment.pk).update(valid_to=TODAY)  # changed meanwhile
    RoleAssignment.objects.filter(pk=assignment.pk).update(version=shown + 1)
    for data in ({"post": "yes"}, {"post": "yes", "seen_version": shown}):
        response = client.post(url, data, follow=True)
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert STALE in response.content.decode()
    response = client.post(url, {"post": "yes", "seen_version": shown + 1})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    changelist = client.get(reverse("admin:accounts_roleassignment_changelist"))
    assert "delete_selected" not in changelist.content.decode()
