"""Pages of the app programs: the catalogue, runs, enrollments, the person card's panel —
by role and territory (outside the scope: 404)."""

from datetime import timedelta

import pytest
from django.test import Client

from nms.programs.models import Enrollment, EnrollmentStatus, Programme
from nms.routes.models import Route, RouteType
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data(two_municipalities, make_programme, make_run):
    a, b = two_municipalities["a"], two_municipalities["b"]
    programme = make_programme("Функциональная грамотность", federal=True, topics=["literacy"])
    run = make_run(programme)
    mine = Enrollment.objects.create(
        run=run, person=a["teacher"], enrolled_on=TODAY, organization=a["school"]
    )
    theirs = Enrollment.objects.create(
        run=run, person=b["teacher"], enrolled_on=TODAY, organization=b["school"]
    )
    return {"programme": programme, "run": run, "mine": mine, "theirs": theirs}


def test_catalogue_pages_for_every_role(users, data):
    programme, run = data["programme"], data["run"]
    for role in ("admin", "cnppm", "methodist", "municipal", "school", "teacher"):
        client = page(users[role])
        listing = client.get("/programs/")
        assert listing.status_code == 200 and "Функциональная грамотность" in listing.text, role
        assert client.get(f"/programs/{programme.pk}/").status_code == 200
        assert client.get(f"/programs/runs/{run.pk}/").status_code == 200
        editable = role in ("admin", "cnppm")
        assert client.get(f"/programs/{programme.pk}/edit/").status_code == (
            200 if editable else 403
        )
    assert page(users["teacher"]).get("/programs/?topic=digital").text.count("Функциональная") == 0
    export = page(users["teacher"]).get("/programs/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_programme_create_and_edit_pages(users, areas):
    client = page(users["cnppm"])
    body = {
        "title": "Новая ДПП",
        "kind": "pk",
        "hours": "36",
        "format": "distance",
        "audience": "teachers",
        "origin": "own",
        "status": "active",
        "topics": ["fgos", "inclusion"],
        "areas": [areas["ict"].pk],
    }
    response = client.post("/programs/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(title="Новая ДПП")
    assert programme.topics == ["fgos", "inclusion"]
    stale = {**body, "title": "Другое", "version": programme.version}
    assert client.post(f"/programs/{programme.pk}/edit/", stale).status_code == 302
    again = client.post(f"/programs/{programme.pk}/edit/", {**stale, "title": "Третье"})
    assert again.status_code == 200 and "Запись изменили" in again.text
    programme.refresh_from_db()
    assert programme.title == "Другое"
    bad = client.post("/programs/new/", {**body, "title": "ФР", "in_federal_registry": "on"})
    assert "Укажите номер программы в ФР ДПП" in bad.text


def test_run_pages(users, data):
    client = page(users["cnppm"])
    url = f"/programs/{data['programme'].pk}/runs/new/"
    response = client.post(
        url,
        {
            "starts_on": "01.03.2026",
            "ends_on": "10.03.2026",
            "tutor_snils": data["mine"].person.snils,
        },
    )
    assert response.status_code == 302
    assert data["programme"].runs.filter(tutor=data["mine"].person).exists()
    assert page(users["methodist"]).get(url).status_code == 403
    wrong = client.post(url, {"starts_on": "10.03.2026", "ends_on": "01.03.2026"})
    assert "Окончание не может быть раньше начала" in wrong.text


@pytest.mark.parametrize(
    "role, visible",
    [
        ("cnppm", {"mine", "theirs"}),
        ("methodist", {"mine"}),  # the people in their care (the registry's rule)
        ("municipal", {"mine"}),
        ("school", {"mine"}),
        ("teacher", {"mine"}),
        ("other_school", {"theirs"}),
    ],
)
def test_enrollments_by_scope(users, data, role, visible):
    client = page(users[role])
    listing = client.get("/programs/enrollments/")
    for key in ("mine", "theirs"):
        shown = f"/programs/enrollments/{data[key].pk}/" in listing.text
        assert shown == (key in visible), key
        detail = client.get(f"/programs/enrollments/{data[key].pk}/")
        assert detail.status_code == (200 if key in visible else 404)
        run_page = client.get(f"/programs/runs/{data['run'].pk}/").text
        assert (f"/programs/enrollments/{data[key].pk}/" in run_page) == (key in visible)


def test_enroll_complete_on_the_pages_and_see_it_on_the_card(users, two_municipalities, data):
    director = two_municipalities["a"]["director"]
    client = page(users["cnppm"])
    run_url = f"/programs/runs/{data['run'].pk}/"
    assert 'id="enroll-form"' in client.get(run_url).text
    assert 'id="enroll-form"' not in page(users["school"]).get(run_url).text
    response = client.post(f"{run_url}enroll/", {"snils": director.snils})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(person=director)
    bad = client.post(
        f"/programs/enrollments/{enrollment.pk}/complete/",
        {"certificate_number": "", "completed_on": "1.1.2026", "version": enrollment.version},
    )
    assert bad.status_code == 400 and "ДД.ММ.ГГГГ" in bad.text
    done = client.post(
        f"/programs/enrollments/{enrollment.pk}/complete/",
        {
            "certificate_number": "П-77",
            "completed_on": f"{TODAY:%d.%m.%Y}",
            "version": enrollment.version,
        },
    )
    assert done.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    card = page(users["school"]).get(f"/registry/people/{director.pk}/").text
    assert 'id="training-history"' in card and "П-77" in card
    # A stranger to the director sees no such panel rows.
    assert "П-77" not in page(users["other_school"]).get(f"/registry/people/{director.pk}/").text


def test_post_course_button(users, data):
    enrollment = data["mine"]
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED, completed_on=TODAY, certificate_number="X-1"
    )
    url = f"/programs/enrollments/{enrollment.pk}/"
    assert 'id="post-course-form"' in page(users["cnppm"]).get(url).text
    assert 'id="post-course-form"' not in page(users["methodist"]).get(url).text
    assert page(users["methodist"]).post(f"{url}post-course/").status_code == 403
    response = page(users["cnppm"]).post(f"{url}post-course/")
    route = Route.objects.get(person=enrollment.person)
    assert response.status_code == 302 and response.url == f"/routes/{route.pk}/"
    assert route.route_type == RouteType.POST_COURSE
    again = page(users["cnppm"]).post(f"{url}post-course/", follow=True)
    assert "уже есть действующий маршрут" in again.text


def test_team_and_drop_pages(users, two_municipalities, data):
    client = page(users["cnppm"])
    school = two_municipalities["b"]["school"]
    response = client.post(f"/programs/runs/{data['run'].pk}/team/", {"organization": school.pk})
    assert response.status_code == 302
    assert Enrollment.objects.get(person=two_municipalities["b"]["director"]).team is not None
    url = f"/programs/enrollments/{data['mine'].pk}/drop/"
    assert (
        client.post(url, {"reason": "болезнь", "version": data["mine"].version}).status_code == 302
    )
    data["mine"].refresh_from_db()
    assert data["mine"].status == EnrollmentStatus.DROPPED
    listing = client.get("/programs/enrollments/?status=dropped&format=xlsx")
    assert listing.status_code == 200
    assert (
        client.get(
            f"/programs/enrollments/?completed_after={TODAY - timedelta(days=3):%Y-%m-%d}"
        ).status_code
        == 200
    )


def test_a_providers_own_list(users, two_municipalities, data, make_programme):
    school = two_municipalities["a"]["school"]
    own = make_programme("Своя программа школы", provider=school)
    client = page(users["school"])
    listing = client.get("/programs/")
    assert f"?provider={school.pk}" in listing.text
    mine = client.get(f"/programs/?provider={school.pk}").text
    assert own.title in mine and data["programme"].title not in mine
