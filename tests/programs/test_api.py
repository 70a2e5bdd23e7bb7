"""API of the app programs: /api/v1/programs/, /runs/, /enrollments/ — scope, writes, actions."""

from datetime import timedelta

import pytest

from nms.programs.models import Enrollment, EnrollmentStatus
from nms.routes.models import ItemStatus
from tests.api_helpers import client_for, ids
from tests.programs.conftest import TODAY
from tests.programs.test_services import open_route, other_region_person

pytestmark = pytest.mark.django_db
API = "/api/v1/programs"


@pytest.fixture
def data(users, two_municipalities, make_programme, make_run):
    a, b = two_municipalities["a"], two_municipalities["b"]
    programme = make_programme("Каталожная", federal=True, topics=["fgos"])
    run = make_run(programme)
    mine = Enrollment.objects.create(run=run, person=a["teacher"], enrolled_on=TODAY)
    theirs = Enrollment.objects.create(run=run, person=b["teacher"], enrolled_on=TODAY)
    return {"programme": programme, "run": run, "mine": mine, "theirs": theirs}


def test_catalogue_is_readable_by_everyone_logged_in(users, data):
    for role in ("teacher", "school", "methodist", "expert"):
        assert ids(client_for(users[role]).get(f"{API}/")) == {data["programme"].pk}, role
        assert ids(client_for(users[role]).get(f"{API}/runs/")) == {data["run"].pk}, role
    filtered = client_for(users["teacher"]).get(f"{API}/", {"topic": "digital"})
    assert ids(filtered) == set()
    assert ids(client_for(users["teacher"]).get(f"{API}/", {"in_federal_registry": "true"}))


def test_catalogue_of_another_region_is_not_visible(users, data, region):
    stranger = other_region_person()
    from tests.factories import UserFactory

    outsider = UserFactory(role="teacher", person=stranger)
    assert ids(client_for(outsider).get(f"{API}/")) == set()
    response = client_for(outsider).get(f"{API}/{data['programme'].pk}/")
    assert response.status_code == 404


def test_catalogue_writes_by_cnppm_only_and_version_checked(users, data, areas):
    body = {"title": "Через API", "hours": 24, "topics": ["digital"], "areas": [areas["ict"].pk]}
    assert client_for(users["methodist"]).post(f"{API}/", body, format="json").status_code == 403
    response = client_for(users["cnppm"]).post(f"{API}/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["topics"] == ["digital"]
    url = f"{API}/{response.json()['id']}/"
    client = client_for(users["cnppm"])
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"hours": 48}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(url, {"hours": 72}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    bad = client.post(f"{API}/", {**body, "topics": ["nope"]}, format="json")
    assert bad.status_code == 400


def test_run_api(users, data):
    client = client_for(users["cnppm"])
    body = {"programme": data["programme"].pk, "starts_on": "01.02.2026", "ends_on": "2026-02-10"}
    response = client.post(f"{API}/runs/", body, format="json")
    assert response.status_code == 201, response.content
    wrong = client.post(f"{API}/runs/", {**body, "ends_on": "2026-01-01"}, format="json")
    assert wrong.status_code == 400 and "ends_on" in wrong.json()
    url = f"{API}/runs/{response.json()['id']}/"
    etag = client.get(url)["ETag"]
    assert (
        client.patch(url, {"group_name": "А"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )
    assert client.patch(url, {"place": "Б"}, format="json", HTTP_IF_MATCH=etag).status_code == 409


@pytest.mark.parametrize(
    "role, visible",
    [
        ("admin", {"mine", "theirs"}),
        ("ministry", {"mine", "theirs"}),
        ("cnppm", {"mine", "theirs"}),
        ("methodist", {"mine"}),  # the people in their care (the registry's rule)
        ("municipal", {"mine"}),
        ("school", {"mine"}),
        ("teacher", {"mine"}),
        ("colleague", set()),
        ("other_school", {"theirs"}),
        ("expert", {"theirs"}),
    ],
)
def test_enrollments_in_scope(users, data, role, visible):
    client = client_for(users[role])
    assert ids(client.get(f"{API}/enrollments/")) == {data[k].pk for k in visible}
    for key in {"mine", "theirs"} - visible:
        assert client.get(f"{API}/enrollments/{data[key].pk}/").status_code == 404


def test_enroll_complete_and_drop_through_the_api(users, two_municipalities, data):
    a = two_municipalities["a"]
    route = open_route(a["director"], f"run:{data['run'].pk}")
    client = client_for(users["cnppm"])
    body = {"run": data["run"].pk, "person": a["director"].pk}
    assert client_for(users["school"]).post(f"{API}/enrollments/", body).status_code == 403
    response = client.post(f"{API}/enrollments/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["chosen_from_diagnostics"] is True
    again = client.post(f"{API}/enrollments/", body, format="json")
    assert again.status_code == 400 and "уже зачислен" in str(again.json())
    url = f"{API}/enrollments/{response.json()['id']}/"
    done = client.post(
        f"{url}complete/",
        {"certificate_number": "API-1", "completed_on": f"{TODAY:%d.%m.%Y}"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == EnrollmentStatus.COMPLETED
    assert route.items.get().status == ItemStatus.DONE
    dropped = client.post(f"{url}drop/", {"reason": "поздно"}, format="json")
    assert dropped.status_code == 400
    drop = client.post(f"{API}/enrollments/{data['mine'].pk}/drop/", {"version": 5}, format="json")
    assert drop.status_code == 409
    drop = client.post(f"{API}/enrollments/{data['mine'].pk}/drop/", {}, format="json")
    assert drop.status_code == 200 and drop.json()["status"] == EnrollmentStatus.DROPPED
    # Outside the scope: 404 before anything else.
    stranger = other_region_person()
    response = client.post(f"{API}/enrollments/", {"run": data["run"].pk, "person": stranger.pk})
    assert response.status_code == 400
    assert (
        client_for(users["school"])
        .post(f"{API}/enrollments/{data['theirs'].pk}/drop/", {}, format="json")
        .status_code
        == 404
    )


def test_enrollment_filters(users, data):
    client = client_for(users["cnppm"])
    assert ids(client.get(f"{API}/enrollments/", {"status": "completed"})) == set()
    assert ids(client.get(f"{API}/enrollments/", {"person": data["mine"].person_id})) == {
        data["mine"].pk
    }
    assert len(ids(client.get(f"{API}/enrollments/", {"programme": data["programme"].pk}))) == 2
    assert client.get(f"{API}/enrollments/", {"person": "abc"}).status_code == 400
    assert (
        client.get(
            f"{API}/runs/", {"starts_after": f"{TODAY - timedelta(days=1):%Y-%m-%d}"}
        ).json()["count"]
        == 0
    )
