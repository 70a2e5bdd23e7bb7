"""The API: roadmaps, activities with the computed state and the status action, agreements,
documents; scope and conflicts."""

import pytest
from rest_framework.test import APIClient

from nms.roadmap.models import Status
from tests.roadmap.conftest import period

pytestmark = pytest.mark.django_db
API = "/api/v1/roadmap"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _states(payload):
    return {(a["number"], p["year"]): p["state"] for a in payload["results"] for p in a["periods"]}


def test_activities_with_their_state(world):
    response = api(world.users["ministry"]).get(f"{API}/activities/")
    assert response.status_code == 200
    states = _states(response.json())
    assert states[("1.2.1", 2025)] == "overdue" and states[("1.1.1", 2025)] == "done"
    assert states[("2.1.1", 2026)] == "planned"
    school = _states(api(world.users["school"]).get(f"{API}/activities/").json())
    assert set(school) == {("2.1.1", 2025), ("2.1.1", 2026)}
    assert api(world.users["teacher"]).get(f"{API}/activities/").json()["results"] == []
    assert api(world.users["teacher"]).get(f"{API}/roadmaps/").json()["results"] == []


def test_status_action_by_the_responsible(world):
    activity = world.activity["1.2.1"]
    url = f"{API}/activities/{activity.pk}/status/"
    body = {"year": 2025, "status": "done", "evidence": "План утверждён"}
    response = api(world.users["municipal"]).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert _states({"results": [response.json()]})[("1.2.1", 2025)] == "done"
    assert period(world.roadmap, "1.2.1", 2025).status == Status.DONE
    missing = api(world.users["municipal"]).post(url, {"year": 2025, "status": "done"})
    assert missing.status_code == 200  # evidence already there
    stale = api(world.users["municipal"]).post(url, {**body, "version": 1}, format="json")
    assert stale.status_code == 409
    none = api(world.users["municipal"]).post(url, {**body, "year": 2030}, format="json")
    assert none.status_code == 404
    regional = f"{API}/activities/{world.activity['1.1.2'].pk}/status/"
    refused = api(world.users["municipal"]).post(regional, {**body, "year": 2026}, format="json")
    assert refused.status_code == 403
    hidden = api(world.users["other_school"]).post(url, body, format="json")
    assert hidden.status_code == 404
    no_evidence = api(world.users["cnppm"]).post(
        regional, {"year": 2026, "status": "done"}, format="json"
    )
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()


def test_editors_change_activities_and_roadmaps(world):
    activity = world.activity["1.1.1"]
    url = f"{API}/activities/{activity.pk}/"
    changed = api(world.users["cnppm"]).patch(url, {"deadline_text": "ежегодно"}, format="json")
    assert changed.status_code == 200 and changed.json()["deadline_kind"] == "annual"
    bad = api(world.users["cnppm"]).patch(url, {"deadline_text": "июнь"}, format="json")
    assert bad.status_code == 400 and "deadline_text" in bad.json()
    refused = api(world.users["municipal"]).patch(url, {"title": "x"}, format="json")
    assert refused.status_code == 403
    created = api(world.users["ministry"]).post(
        f"{API}/roadmaps/", {"title": "ДК 2027", "starts_year": 2027, "ends_year": 2028},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["region"] == world.region.pk


def test_agreements_and_documents(world):
    body = {
        "kind": "tripartite", "subject": "О взаимодействии", "municipality":
        world.a["municipality"].pk, "signed_on": "2025-02-01", "valid_from": "2025-02-01",
        "organizations": [],
    }  # fmt: skip
    created = api(world.users["cnppm"]).post(f"{API}/agreements/", body, format="json")
    assert created.status_code == 201, created.json()
    assert api(world.users["municipal"]).get(f"{API}/agreements/").json()["count"] == 1
    assert api(world.users["other_school"]).get(f"{API}/agreements/").json()["count"] == 0
    document = {"kind": "rma_order", "title": "О составе РМА", "adopted_on": "2025-03-01",
                "level": "regional", "published": True}  # fmt: skip
    made = api(world.users["cnppm"]).post(f"{API}/documents/", document, format="json")
    assert made.status_code == 201 and made.json()["current_version"] is None
    assert api(world.users["teacher"]).get(f"{API}/documents/").json()["count"] == 1
    refused = api(world.users["teacher"]).post(f"{API}/documents/", document, format="json")
    assert refused.status_code == 403


def test_activities_created_and_moved_between_measures(world):
    from nms.roadmap.models import Activity, Direction, Measure, Roadmap
    from tests.factories import OrganizationFactory, RegionFactory

    measures = {m.number: m for m in Measure.objects.filter(direction__roadmap=world.roadmap)}
    body = {"measure": measures["1.1"].pk, "number": "1.1.3", "title": "Новый порядок",
            "responsible_kind": "cnppm", "deadline_text": "ежегодно до 31 марта"}  # fmt: skip
    editor = api(world.users["cnppm"])
    created = editor.post(f"{API}/activities/", body, format="json")
    assert created.status_code == 201, created.json()
    activity = Activity.objects.get(pk=created.json()["id"])
    assert activity.roadmap == world.roadmap and activity.measure == measures["1.1"]
    assert activity.periods.count() == 2  # «ежегодно»: each reporting year of the roadmap
    taken = editor.post(f"{API}/activities/", body, format="json")
    assert taken.status_code == 400 and "number" in taken.json()
    no_deadline = editor.post(
        f"{API}/activities/", {**body, "number": "1.1.4", "deadline_text": None}, format="json"
    )
    assert no_deadline.status_code == 400 and "deadline_text" in no_deadline.json()
    refused = api(world.users["municipal"]).post(
        f"{API}/activities/", {**body, "number": "1.1.5"}, format="json"
    )
    assert refused.status_code in (400, 403)
    assert not Activity.objects.filter(number__in=["1.1.4", "1.1.5"]).exists()

    url = f"{API}/activities/{activity.pk}/"
    moved = editor.patch(url, {"measure": measures["2.1"].pk}, format="json")
    assert moved.status_code == 200, moved.json()
    activity.refresh_from_db()
    assert activity.measure == measures["2.1"]

    other_roadmap = Roadmap.objects.create(
        region=world.region, title="Другая ДК", starts_year=2025, ends_year=2026
    )
    direction = Direction.objects.create(roadmap=other_roadmap, number="1", title="Другое")
    other = Measure.objects.create(direction=direction, number="1.1", title="Другое")
    foreign = editor.patch(url, {"measure": other.pk}, format="json")
    assert foreign.status_code == 400 and "measure" in foreign.json()
    elsewhere = OrganizationFactory(
        municipality__region=RegionFactory(name="Другая область", code="98")
    )
    outside = editor.patch(
        url, {"responsible_kind": "organization", "responsible_organization": elsewhere.pk},
        format="json",
    )  # fmt: skip
    assert outside.status_code == 400 and "responsible_organization" in outside.json()
    activity.refresh_from_db()
    assert activity.measure == measures["2.1"] and activity.responsible_organization is None
