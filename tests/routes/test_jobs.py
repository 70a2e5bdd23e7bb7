"""Long work on routes in the background (DESIGN.md §3): the big register export, routes from a
template for many people, the Word documents of the register as one ZIP — page and API.

Jobs run at once here (tests/conftest.py: ImmediateBackend); the browser test of «Документы ИОМ»
runs a real worker (tests/browser/test_route_documents.py).
"""

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common import jobs
from nms.common.models import Job, JobStatus
from nms.routes import services
from nms.routes.models import Route, RouteEvent, RouteItem, RouteVersion
from tests.factories import EmploymentFactory, RegionFactory
from tests.routes.conftest import TODAY


def _d(day) -> str:
    return f"{day:%d.%m.%Y}"


def _job(response) -> Job:
    assert response.status_code == 302, response.status_code
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    return job


def _file(client, job: Job) -> bytes:
    response = client.get(reverse("job-file", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response) if response.streaming else response.content


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


@pytest.fixture
def routes(cnppm, two_municipalities):
    """Routes of both municipalities: three in A, two in B."""
    made = {"a": [], "b": []}
    for key, extra in (("a", 1), ("b", 0)):
        school = two_municipalities[key]["school"]
        people = [two_municipalities[key]["teacher"], two_municipalities[key]["director"]]
        people += [EmploymentFactory(organization=school).person for _ in range(extra)]
        for person in people:
            route = services.route_create(cnppm, person, TODAY, TODAY + timedelta(days=90))
            made[key].append(route)
    return made


# -- the register export -----------------------------------------------------------------------
def test_register_export_above_the_limit_is_a_job_with_every_row(client, cnppm, routes, settings):
    client.force_login(cnppm)
    settings.NMS_EXPORT_SYNC_LIMIT = 5
    small = client.get(reverse("route-list"), {"format": "xlsx"})
    assert small["Content-Type"].endswith("spreadsheetml.sheet") and not Job.objects.exists()

    settings.NMS_EXPORT_SYNC_LIMIT = 2
    job = _job(client.get(reverse("route-list"), {"format": "xlsx", "page": "2"}))
    assert (job.kind, job.status, job.user) == ("export_routes", JobStatus.DONE, cnppm)
    assert (job.done, job.total) == (5, 5) and "Выгружено маршрутов: 5" in job.message
    sheet = load_workbook(BytesIO(_file(client, job)), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = {r.person.full_name for key in ("a", "b") for r in routes[key]}
    assert len(rows) == 5 and {row[0] for row in rows} == expected


def test_register_export_job_keeps_the_filters(client, cnppm, routes, two_municipalities, settings):
    settings.NMS_EXPORT_SYNC_LIMIT = 1
    client.force_login(cnppm)
    municipality = two_municipalities["a"]["municipality"]
    job = _job(
        client.get(reverse("route-list"), {"format": "xlsx", "municipality": municipality.pk})
    )
    sheet = load_workbook(BytesIO(_file(client, job)), read_only=True).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {r.person.full_name for r in routes["a"]}


# -- routes from a template for many people ----------------------------------------------------
@pytest.fixture
def template(cnppm):
    return services.template_create(
        cnppm,
        "Общий шаблон",
        [
            {"level": "regional", "activity_kind": "program", "title": "ДПП ПК «Урок»",
             "start_offset_days": 0, "duration_days": 30, "result_form": "удостоверение"},
            {"level": "personal", "activity_kind": "self_study", "title": "Самообразование",
             "start_offset_days": 10, "duration_days": 40, "result_form": "конспект"},
        ],
    )  # fmt: skip


@pytest.fixture
def crowd(two_municipalities):
    """Municipality A: the teacher and the director of the fixture and five more teachers."""
    school = two_municipalities["a"]["school"]
    return [EmploymentFactory(organization=school).person for _ in range(5)]


def _apply(client, template, municipality, **extra):
    data = {
        "municipality": municipality.pk,
        "starts_on": _d(TODAY),
        "ends_on": _d(TODAY + timedelta(days=120)),
        "create": "1",
        **extra,
    }
    return client.post(reverse("template-apply", args=[template.pk]), data)


def test_template_for_many_is_a_job_creating_every_route(
    client, cnppm, template, crowd, two_municipalities, settings, monkeypatch
):
    settings.NMS_SYNC_ROUTES_LIMIT = 3
    monkeypatch.setattr(services, "TEMPLATE_BATCH", 2)  # several batches
    a = two_municipalities["a"]
    busy = services.route_create(cnppm, a["director"], TODAY, TODAY + timedelta(days=30))
    client.force_login(cnppm)

    job = _job(_apply(client, template, a["municipality"]))
    assert (job.kind, job.status) == ("routes_from_template", JobStatus.DONE), job.error
    created = Route.objects.filter(template=template)
    assert created.count() == 6  # the teacher and the five, not the director
    assert set(created.values_list("person", flat=True)) == {
        a["teacher"].pk,
        *(p.pk for p in crowd),
    }
    assert RouteItem.objects.filter(route__template=template).count() == 12
    assert RouteVersion.objects.filter(route__template=template, number=1).count() == 6
    assert RouteEvent.objects.filter(route__template=template).count() == 6
    assert (job.done, job.total) == (6, 6)
    assert "Создано 6 маршрутов." in job.message
    assert f"Пропущено: 1 (уже есть действующий маршрут): {a['director'].full_name}" in job.message
    book = load_workbook(BytesIO(_file(client, job)), read_only=True)
    made = list(book["Созданы"].iter_rows(min_row=2, values_only=True))
    skipped = list(book["Пропущены"].iter_rows(min_row=2, values_only=True))
    assert len(made) == 6 and made[0][2] == _d(TODAY)
    assert skipped == [(a["director"].full_name, a["director"].snils, services.BUSY)]
    assert busy.template is None

    page = client.get(job.get_absolute_url()).content.decode()
    assert "Создано 6 маршрутов." in page and a["director"].full_name in page
    assert 'id="job-file"' in page


def test_template_for_few_stays_at_once(
    client, cnppm, template, crowd, two_municipalities, settings
):
    settings.NMS_SYNC_ROUTES_LIMIT = 200
    client.force_login(cnppm)
    response = _apply(client, template, two_municipalities["a"]["municipality"])
    assert response.status_code == 302 and response["Location"] == reverse("route-list")
    assert not Job.objects.exists()
    assert Route.objects.filter(template=template).count() == 7


def test_template_job_failing_midway_creates_nothing(
    client, cnppm, template, crowd, two_municipalities, settings, monkeypatch
):
    settings.NMS_SYNC_ROUTES_LIMIT = 3
    monkeypatch.setattr(services, "TEMPLATE_BATCH", 2)
    latest, calls = services._latest_results, []

    def breaks_on_the_third_batch(person_ids):
        calls.append(person_ids)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return latest(person_ids)

    monkeypatch.setattr(services, "_latest_results", breaks_on_the_third_batch)
    client.force_login(cnppm)
    job = _job(_apply(client, template, two_municipalities["a"]["municipality"]))
    assert job.status == JobStatus.FAILED and len(calls) == 3
    assert "ничего не сохранено" in job.error and str(job.pk) in job.error
    assert not Route.objects.exists()
    assert not RouteItem.objects.exists() and not RouteVersion.objects.exists()
    assert not RouteEvent.objects.exists()


def test_template_job_refused_before_it_starts(
    client, cnppm, template, crowd, two_municipalities, settings
):
    settings.NMS_SYNC_ROUTES_LIMIT = 3
    client.force_login(cnppm)
    response = _apply(client, template, two_municipalities["a"]["municipality"], ends_on=_d(TODAY))
    assert response.status_code == 200
    assert "Окончание должно быть позже начала." in response.content.decode()
    assert not Job.objects.exists() and not Route.objects.exists()


# -- «Документы ИОМ» ---------------------------------------------------------------------------
def _zip_names(content: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        names = archive.namelist()
        assert all(archive.read(name)[:2] == b"PK" for name in names)  # each a DOCX
    return names


def test_documents_zip_has_one_docx_per_visible_route(
    client, make_user, routes, two_municipalities
):
    a = two_municipalities["a"]
    municipal = make_user(Role.MUNICIPAL, municipality=a["municipality"])
    client.force_login(municipal)
    assert "Документы ИОМ" in client.get(reverse("route-list")).content.decode()
    assert client.get(reverse("route-documents")).status_code == 405

    job = _job(client.post(reverse("route-documents")))
    assert (job.kind, job.status, job.user) == ("route_documents", JobStatus.DONE, municipal)
    assert job.result_name == f"Документы_ИОМ_{_d(TODAY)}.zip"
    assert (job.done, job.total) == (3, 3)
    names = _zip_names(_file(client, job))
    period = f"{_d(TODAY)}–{_d(TODAY + timedelta(days=90))}"
    assert sorted(names) == sorted(f"{r.person.full_name}, ИОМ {period}.docx" for r in routes["a"])
    for route in routes["b"]:  # another municipality's routes are not there
        assert not any(route.person.full_name in name for name in names)


def test_documents_keep_the_filters_and_name_twins_apart(client, cnppm, routes, two_municipalities):
    a = two_municipalities["a"]
    teacher = a["teacher"]
    Route.objects.filter(person=teacher).update(status="closed")
    services.route_create(cnppm, teacher, TODAY, TODAY + timedelta(days=90))
    client.force_login(cnppm)
    url = f"{reverse('route-documents')}?municipality={a['municipality'].pk}&page=3"
    job = _job(client.post(url))
    names = _zip_names(_file(client, job))
    assert len(names) == 4
    stem = f"{teacher.full_name}, ИОМ {_d(TODAY)}–{_d(TODAY + timedelta(days=90))}"
    assert {f"{stem}.docx", f"{stem} (2).docx"} <= set(names)


def test_documents_of_an_empty_register_fail_with_the_reason(client, cnppm, routes):
    client.force_login(cnppm)
    job = _job(client.post(reverse("route-documents") + "?status=completed"))
    assert job.status == JobStatus.FAILED and "нет маршрутов" in job.error


# -- the API and whose job it is ---------------------------------------------------------------
def test_api_documents_answers_202_with_the_job(make_user, cnppm, routes, two_municipalities):
    a = two_municipalities["a"]
    api = APIClient()
    api.force_login(cnppm)
    url = reverse("api-route-documents")
    assert api.get(url).status_code == 405
    response = api.post(f"{url}?municipality={a['municipality'].pk}")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.data["id"])
    assert job.user == cnppm and job.kind == "route_documents"
    assert response.data["page_url"].endswith(job.get_absolute_url())
    assert response["Location"].endswith(reverse("api-job-detail", args=[job.pk]))
    state = api.get(reverse("api-job-detail", args=[job.pk])).data
    assert state["status"] == JobStatus.DONE and state["file_url"]
    file = api.get(state["file_url"])
    assert len(_zip_names(b"".join(file) if file.streaming else file.content)) == 3
    assert api.post(f"{url}?municipality=nonsense").status_code == 400
    assert Job.objects.count() == 1

    # Another user's job is not found: the page, its status, its file and the API.
    other = APIClient()
    other.force_login(make_user(Role.CNPPM))
    for name in ("job-detail", "job-status", "job-file", "api-job-detail"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_api_documents_only_of_visible_routes(make_user, routes, two_municipalities):
    api = APIClient()
    api.force_authenticate(
        make_user(Role.MUNICIPAL, municipality=two_municipalities["b"]["municipality"])
    )
    response = api.post(reverse("api-route-documents"))
    assert response.status_code == 202
    job = Job.objects.get(pk=response.data["id"])
    names = _zip_names(bytes(Job.objects.values_list("result", flat=True).get(pk=job.pk)))
    assert sorted(n.split(",")[0] for n in names) == sorted(r.person.full_name for r in routes["b"])


# -- the API: routes from a template for many people -------------------------------------------
def _api(user) -> APIClient:
    api = APIClient()
    api.force_login(user)  # the job's file is served by the jobs' page (a session)
    return api


def _api_apply(api, template, people, **extra):
    payload = {
        "people": [person.pk for person in people],
        "starts_on": _d(TODAY),
        "ends_on": _d(TODAY + timedelta(days=120)),
        **extra,
    }
    return api.post(reverse("api-route-template-apply", args=[template.pk]), payload, "json")


def _accepted(response) -> Job:
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.data["id"])
    assert response["Location"].endswith(reverse("api-job-detail", args=[job.pk]))
    assert response.data["page_url"].endswith(job.get_absolute_url())
    return job


def test_api_template_for_many_is_a_job_creating_every_route(
    make_user, cnppm, template, crowd, two_municipalities, settings, monkeypatch
):
    settings.NMS_SYNC_ROUTES_LIMIT = 3
    monkeypatch.setattr(services, "TEMPLATE_BATCH", 2)  # several batches
    a = two_municipalities["a"]
    busy = services.route_create(cnppm, a["director"], TODAY, TODAY + timedelta(days=30))
    methodist = make_user(Role.METHODIST)
    api = _api(cnppm)

    people = [a["teacher"], a["director"], *crowd]
    job = _accepted(_api_apply(api, template, people, methodist=methodist.pk))
    assert (job.kind, job.status, job.user) == ("routes_from_template", JobStatus.DONE, cnppm)
    assert job.title == f"ИОМ по шаблону «{template.name}»"
    created = Route.objects.filter(template=template)
    expected = {a["teacher"].pk, *(p.pk for p in crowd)}
    assert set(created.values_list("person", flat=True)) == expected
    assert {route.methodist_id for route in created} == {methodist.pk}
    assert {(r.starts_on, r.ends_on) for r in created} == {(TODAY, TODAY + timedelta(days=120))}
    assert RouteItem.objects.filter(route__template=template).count() == 12
    assert RouteVersion.objects.filter(route__template=template, number=1).count() == 6
    assert (job.done, job.total) == (6, 6) and "Создано 6 маршрутов." in job.message
    assert f"Пропущено: 1 (уже есть действующий маршрут): {a['director'].full_name}" in job.message
    busy.refresh_from_db()
    assert busy.template is None

    state = api.get(reverse("api-job-detail", args=[job.pk])).data
    assert state["status"] == JobStatus.DONE and state["file_url"]
    file = api.get(state["file_url"])
    book = load_workbook(BytesIO(b"".join(file) if file.streaming else file.content))
    made = list(book["Созданы"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in made} == {a["teacher"].full_name, *(p.full_name for p in crowd)}

    # Another user's job is not found: its state, its page and its file.
    other = _api(make_user(Role.CNPPM))
    for name in ("api-job-detail", "job-detail", "job-status", "job-file"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name

    # Nobody left to get a route: the job fails with the reason and creates nothing.
    job = _accepted(_api_apply(api, template, people))
    assert job.status == JobStatus.FAILED and "Ни для кого из выбранных" in job.error
    assert Route.objects.filter(template=template).count() == 6


def test_api_template_for_few_stays_at_once(cnppm, template, crowd, settings):
    settings.NMS_SYNC_ROUTES_LIMIT = len(crowd)
    response = _api_apply(_api(cnppm), template, crowd)
    assert response.status_code == 201, response.content
    routes = Route.objects.filter(template=template)
    assert response.data["count"] == 5 and set(response.data["ids"]) == set(
        routes.values_list("pk", flat=True)
    )
    assert not Job.objects.exists()


def test_api_template_job_refused_before_it_starts(
    make_user, cnppm, template, crowd, two_municipalities, settings
):
    settings.NMS_SYNC_ROUTES_LIMIT = 3
    a = two_municipalities["a"]
    school = make_user(Role.SCHOOL, organization=a["school"])
    response = _api_apply(_api(school), template, crowd)
    assert response.status_code == 403
    assert response.data["detail"] == "Маршруты по шаблону создаёт методист института."
    response = _api_apply(_api(cnppm), template, crowd, ends_on=_d(TODAY))
    assert response.status_code == 400
    assert response.data == {"ends_on": ["Окончание должно быть позже начала."]}
    assert not Job.objects.exists() and not Route.objects.exists()


def test_api_template_job_checks_again_as_its_user(make_user, cnppm, template, crowd):
    """The work looks the template and the methodist up again: gone since the request, the job
    fails with the reason and creates nothing."""
    methodist = make_user(Role.METHODIST)
    params = {
        "template": template.pk,
        "people": [person.pk for person in crowd],
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=120)).isoformat(),
        "methodist": methodist.pk,
    }
    work = "nms.routes.background.template_people_job"
    methodist.assignments.update(valid_to=TODAY - timedelta(days=1))
    job = Job.objects.create(user=cnppm, kind="routes_from_template", params=params)
    jobs.run_job.call(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "методист больше не доступен" in job.error

    other_region = make_user(Role.CNPPM, region=RegionFactory(name="Другая область", code="98"))
    job = Job.objects.create(user=other_region, kind="routes_from_template", params=params)
    jobs.run_job.call(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Шаблон больше не доступен" in job.error
    assert not Route.objects.exists()


# -- the API: the register export --------------------------------------------------------------
def _sheet_names(content: bytes) -> list:
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_api_export_post_is_a_job_with_every_row(make_user, cnppm, routes, settings):
    settings.NMS_EXPORT_SYNC_LIMIT = 2
    api = _api(cnppm)
    url = reverse("api-route-export")
    job = _accepted(api.post(url))
    assert (job.kind, job.status, job.user) == ("export_routes", JobStatus.DONE, cnppm)
    assert (job.done, job.total) == (5, 5) and "Выгружено маршрутов: 5" in job.message
    state = api.get(reverse("api-job-detail", args=[job.pk])).data
    assert state["result_name"] == "Реестр ИОМ.xlsx"
    file = api.get(state["file_url"])
    names = _sheet_names(b"".join(file) if file.streaming else file.content)
    assert sorted(names) == sorted(r.person.full_name for key in ("a", "b") for r in routes[key])

    # Another user's job is not found.
    other = _api(make_user(Role.CNPPM))
    for name in ("api-job-detail", "job-detail", "job-status", "job-file"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_api_export_job_keeps_the_filters_sorting_and_scope(
    make_user, cnppm, routes, two_municipalities
):
    a = two_municipalities["a"]
    job = _accepted(
        _api(cnppm).post(f"{reverse('api-route-export')}?municipality={a['municipality'].pk}")
    )
    names = _sheet_names(bytes(Job.objects.values_list("result", flat=True).get(pk=job.pk)))
    assert sorted(names) == sorted(r.person.full_name for r in routes["a"])

    municipal = make_user(Role.MUNICIPAL, municipality=two_municipalities["b"]["municipality"])
    job = _accepted(_api(municipal).post(f"{reverse('api-route-export')}?sort=-person"))
    names = _sheet_names(bytes(Job.objects.values_list("result", flat=True).get(pk=job.pk)))
    people = sorted((r.person for r in routes["b"]), key=lambda p: (p.last_name, p.first_name))
    assert names == [p.full_name for p in reversed(people)]


def test_api_export_get_at_once_up_to_the_limit_refused_above(
    cnppm, routes, two_municipalities, settings
):
    api = _api(cnppm)
    url = reverse("api-route-export")
    settings.NMS_EXPORT_SYNC_LIMIT = 5
    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    assert len(_sheet_names(response.content)) == 5

    settings.NMS_EXPORT_SYNC_LIMIT = 4
    response = api.get(url)
    assert response.status_code == 400
    assert (response.data["count"], response.data["limit"]) == (5, 4)
    assert "POST" in response.data["detail"]
    assert api.head(url).status_code == 400  # HEAD is GET: no job either
    filtered = api.get(url, {"municipality": two_municipalities["a"]["municipality"].pk})
    assert filtered.status_code == 200 and len(_sheet_names(filtered.content)) == 3
    assert api.post(f"{url}?municipality=nonsense").status_code == 400
    assert not Job.objects.exists()


# -- the register page: its table sorts, the export job keeps the order ------------------------
def test_register_page_sorts_and_its_export_job_keeps_the_order(client, cnppm, routes, settings):
    settings.NMS_EXPORT_SYNC_LIMIT = 1
    client.force_login(cnppm)
    people = sorted(
        (r.person for key in ("a", "b") for r in routes[key]),
        key=lambda p: (p.last_name, p.first_name, p.middle_name, p.pk),
    )
    page = client.get(reverse("route-list"), {"sort": "person"}).content.decode()
    positions = [page.index(p.full_name) for p in people]
    assert positions == sorted(positions)
    assert 'href="?sort=-person"' in page  # the header sorts backwards next

    job = _job(client.get(reverse("route-list"), {"sort": "-person", "format": "xlsx"}))
    names = _sheet_names(_file(client, job))
    assert names == [p.full_name for p in reversed(people)]
