"""The events API and its scope: the catalogue for everyone signed in, people's records by the
registry's rule (region for the ministry, the ЦНППМ and the methodists)."""

import pytest

from nms.events import services
from nms.events.models import Internship
from tests.api_helpers import client_for, ids

from .conftest import TODAY

API = "/api/v1/events"


@pytest.fixture
def records(users, seminar, site, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    mine = services.participation_record(users["cnppm"], seminar, {"person": a["teacher"]})
    director = services.participation_record(users["cnppm"], seminar, {"person": a["director"]})
    theirs = services.participation_record(users["cnppm"], seminar, {"person": b["teacher"]})
    internship = Internship.objects.create(
        site=site, person=b["teacher"], starts_on=TODAY, ends_on=TODAY
    )
    return {"mine": mine, "director": director, "theirs": theirs, "internship": internship}


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("admin", {"mine", "director", "theirs"}),
        ("ministry", {"mine", "director", "theirs"}),
        ("cnppm", {"mine", "director", "theirs"}),
        ("methodist", {"mine"}),  # the people in their care only (the registry's rule)
        ("municipal", {"mine", "director"}),
        ("school", {"mine", "director"}),
        ("teacher", {"mine"}),
        ("other_school", {"theirs"}),
    ],
)
def test_participation_scope(users, records, role, seen):
    client = client_for(users[role])
    assert ids(client.get(f"{API}/participations/")) == {records[k].pk for k in seen}
    for key in {"mine", "director", "theirs"} - seen:
        response = client.get(f"{API}/participations/{records[key].pk}/")
        assert response.status_code == 404


def test_catalogue_for_everyone_signed_in(users, records, seminar, site, client):
    for role in ("teacher", "expert", "other_school", "municipal"):
        api = client_for(users[role])
        assert ids(api.get(f"{API}/")) == {seminar.pk}
        assert ids(api.get(f"{API}/sites/")) == {site.pk}
    assert client.get(f"{API}/").status_code in (401, 403)


def test_internships_scope(users, records):
    assert ids(client_for(users["other_school"]).get(f"{API}/internships/")) == {
        records["internship"].pk
    }
    assert ids(client_for(users["school"]).get(f"{API}/internships/")) == set()
    url = f"{API}/internships/{records['internship'].pk}/"
    assert client_for(users["teacher"]).get(url).status_code == 404


def test_event_filters(users, seminar, contest):
    api = client_for(users["teacher"])
    assert ids(api.get(f"{API}/", {"kind": "contest"})) == {contest.pk}
    assert ids(api.get(f"{API}/", {"topic": "fgos"})) == {seminar.pk}
    assert ids(api.get(f"{API}/", {"q": "педагог"})) == {contest.pk}
    assert ids(api.get(f"{API}/", {"area": seminar.areas.get().pk})) == {seminar.pk}
    assert api.get(f"{API}/", {"area": "1e20"}).status_code == 400


def test_api_create_event_and_stale_update_is_409(users):
    api = client_for(users["cnppm"])
    data = {
        "title": "Вебинар", "kind": "webinar", "level": "regional",
        "starts_on": TODAY.strftime("%d.%m.%Y"), "ends_on": TODAY.isoformat(),
        "organizer_name": "ИРО", "topics": ["digital"],
    }  # fmt: skip
    response = api.post(f"{API}/", data, format="json")
    assert response.status_code == 201, response.content
    url = f"{API}/{response.json()['id']}/"
    assert (
        api.patch(url, {"title": "Первое"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    )
    response = api.patch(url, {"title": "Второе", "version": 1}, format="json")
    assert response.status_code == 409
    refused = client_for(users["teacher"]).post(f"{API}/", data, format="json")
    assert refused.status_code == 403


def test_api_record_participation(users, seminar, two_municipalities):
    api = client_for(users["school"])
    a, b = two_municipalities["a"], two_municipalities["b"]
    data = {"event": seminar.pk, "person": a["teacher"].pk, "role": "speaker"}
    response = api.post(f"{API}/participations/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["organization"] == a["school"].pk
    again = api.post(f"{API}/participations/", data, format="json")
    assert again.status_code == 400 and "уже отмечено" in str(again.json())
    outside = api.post(f"{API}/participations/", data | {"person": b["teacher"].pk}, format="json")
    assert outside.status_code == 400  # a person outside the scope reads as unknown
    url = f"{API}/participations/{response.json()['id']}/"
    assert api.patch(url, {"role": "jury"}, format="json").status_code == 200
    stale = api.patch(url, {"role": "participant", "version": 1}, format="json")
    assert stale.status_code == 409
    assert api.delete(url, HTTP_IF_MATCH='"2"').status_code == 204


def test_api_sites_and_internships(users, two_municipalities, area):
    cnppm = client_for(users["cnppm"])
    data = {
        "organization": two_municipalities["a"]["school"].pk, "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.replace(year=TODAY.year + 1).isoformat(), "order_number": "7-о",
        "order_date": TODAY.isoformat(), "topics": ["gifted"], "areas": [area.pk],
    }  # fmt: skip
    response = cnppm.post(f"{API}/sites/", data, format="json")
    assert response.status_code == 201, response.content
    site = response.json()["id"]
    url = f"{API}/sites/{site}/"
    assert cnppm.patch(url, {"order_number": "8"}, format="json").status_code == 200
    assert cnppm.patch(url, {"order_number": "9", "version": 1}, format="json").status_code == 409
    assert client_for(users["school"]).post(f"{API}/sites/", data, format="json").status_code == 403
    record = {
        "site": site, "person": two_municipalities["a"]["teacher"].pk,
        "starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat(), "completed": True,
    }  # fmt: skip
    response = client_for(users["school"]).post(f"{API}/internships/", record, format="json")
    assert response.status_code == 201, response.content
    url = f"{API}/internships/{response.json()['id']}/"
    school = client_for(users["school"])
    assert school.patch(url, {"programme": "А"}, format="json").status_code == 200
    assert school.patch(url, {"programme": "Б", "version": 1}, format="json").status_code == 409
