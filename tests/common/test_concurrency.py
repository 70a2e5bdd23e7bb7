"""No lost updates on any editable record (nms.common.concurrency, issue 8 item 3).

Deterministic cases (any database): two clients read version N, the first saves, the second
gets 409 (API) or a Russian refusal with its input kept (page). On PostgreSQL the same pairs
also run at once: two threads, their own connections, a barrier — 0 lost updates.
"""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from nms.diagnostics.models import Procedure
from nms.itembank.models import CompetencyArea, ItemKind
from nms.registry.models import Employment, Organization, Person
from nms.routes import services as routes
from nms.routes.models import ItemReport, ReportDecision, RouteItem
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
}


@pytest.mark.parametrize("name", list(PAGE_CASES))
def test_page_second_save_is_refused_and_keeps_input(name, users, records):
    role, url_name, field, mine, theirs = PAGE_CASES[name]
    url = reverse(url_name, args=[records[name].pk])
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
