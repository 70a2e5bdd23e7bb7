"""Who sees what (pages and API alike; outside the scope: 404 and absent from lists), the API's
writes, the person card's panel and the navigation entry."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from nms.accounts.models import Role, RoleAssignment
from nms.support import services
from nms.support.models import ActiveMembership, ExpertRole, HelpRequest
from tests.api_helpers import client_for, ids
from tests.factories import EmploymentFactory
from tests.support.conftest import TODAY, make_eligible

pytestmark = pytest.mark.django_db
API = "/api/v1/support"


def page(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def requests_(world):
    mine = services.request_create(world["teacher"], {"topic": "Мой", "question": "?"})
    school_b = services.request_create(
        world["other_school"], {"requester_kind": "school", "topic": "Школы Б", "question": "?"}
    )
    return {"mine": mine, "school_b": school_b}


def test_requests_by_role(world, requests_):
    mine, school_b = requests_["mine"].pk, requests_["school_b"].pk
    seen = {
        "teacher": {mine},
        "colleague": set(),
        "school": {mine},
        "other_school": {school_b},
        "municipal": {mine},
        "cnppm": {mine, school_b},
        "ministry": {mine, school_b},
        "rma_methodist": {mine, school_b},  # both addressed to the only methodist
        "methodist": set(),  # a methodist account without a person: nothing addressed to it
    }
    for role, expected in seen.items():
        assert ids(client_for(world[role]).get(f"{API}/requests/")) == expected, role


def test_outside_the_scope_is_404_on_page_and_api(world, requests_):
    pk = requests_["mine"].pk
    assert page(world["colleague"]).get(reverse("support-request", args=[pk])).status_code == 404
    assert client_for(world["other_school"]).get(f"{API}/requests/{pk}/").status_code == 404
    assert page(world["teacher"]).get(reverse("support-request", args=[pk])).status_code == 200


def test_api_request_and_answer(world):
    response = client_for(world["teacher"]).post(
        f"{API}/requests/", {"topic": "Рабочая программа", "question": "Как?"}, format="json"
    )
    assert response.status_code == 201, response.content
    pk, version = response.json()["id"], response.json()["version"]
    refused = client_for(world["teacher"]).post(
        f"{API}/requests/{pk}/answer/", {"answer": "Так", "version": version}, format="json"
    )
    assert refused.status_code == 403
    answered = client_for(world["rma_methodist"]).post(
        f"{API}/requests/{pk}/answer/", {"answer": "Так", "version": version}, format="json"
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered" and answered.json()["answer_seconds"] >= 0
    stale = client_for(world["cnppm"]).post(
        f"{API}/requests/{pk}/answer/", {"answer": "Ещё", "version": version}, format="json"
    )
    assert stale.status_code == 409


def test_api_memberships_create_approve_and_role(world):
    person = make_eligible(EmploymentFactory(organization=world["a"]["school"]).person)
    client = client_for(world["cnppm"])
    response = client.post(
        f"{API}/memberships/",
        {"person": person.pk, "role": "methodist", "level": "regional",
         "starts_on": TODAY.isoformat(), "basis": "contract",
         "subjects": [world["maths"].pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk, version = response.json()["id"], response.json()["version"]
    refused = client_for(world["municipal"]).post(
        f"{API}/memberships/{pk}/approve/", {"version": version}, format="json"
    )
    assert refused.status_code == 403
    response = client.post(
        f"{API}/memberships/{pk}/approve/",
        {"version": version, "order_number": "12-о", "order_date": TODAY.strftime("%d.%m.%Y")},
        format="json",
    )
    assert response.status_code == 200, response.content
    assignment = RoleAssignment.objects.get(pk=response.json()["role_assignment"])
    assert assignment.role == Role.METHODIST and assignment.user.person == person
    assert assignment.valid_from == TODAY and assignment.is_active()
    response = client.post(
        f"{API}/memberships/{pk}/end/",
        {"version": response.json()["version"], "ends_on": (TODAY - timedelta(days=0)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    assignment.refresh_from_db()
    assert assignment.valid_to == TODAY
    eligibility = client.get(f"{API}/memberships/{pk}/eligibility/").json()
    assert eligibility["eligible"] is True


def test_municipal_coordinator_keeps_the_municipal_active_only(world):
    person = EmploymentFactory(organization=world["a"]["school"]).person
    data = {"person": person, "role": "methodist", "level": "municipal", "starts_on": TODAY,
            "municipality": world["a"]["municipality"]}  # fmt: skip
    membership = services.membership_create(world["municipal"], data)
    assert membership.level == "municipal"
    with pytest.raises(Exception, match="ЦНППМ"):
        services.membership_create(world["municipal"], {**data, "level": "regional"})
    with pytest.raises(Exception):  # noqa: B017 -- another municipality
        services.membership_create(
            world["municipal"], {**data, "municipality": world["b"]["municipality"]}
        )
    approved = services.membership_approve(world["municipal"], membership)
    assert approved.role_assignment.role == Role.MUNICIPAL
    # …and it is in the candidate bank of the institute.
    text = page(world["cnppm"]).get(reverse("support-candidates")).content.decode()
    assert person.last_name in text


def test_memberships_and_experts_visible_by_territory(world):
    b_teacher = world["b"]["teacher"]
    ExpertRole.objects.create(region=b_teacher.region, person=b_teacher, kind="jury",
                              level="regional", starts_on=TODAY)  # fmt: skip
    assert len(ids(client_for(world["ministry"]).get(f"{API}/experts/"))) == 1
    assert ids(client_for(world["municipal"]).get(f"{API}/experts/")) == set()
    assert len(ids(client_for(world["expert"]).get(f"{API}/experts/"))) == 1  # their own
    assert ids(client_for(world["teacher"]).get(f"{API}/memberships/")) == set()
    assert ActiveMembership.objects.count() == 1
    assert len(ids(client_for(world["methodist"]).get(f"{API}/memberships/"))) == 1  # region


def test_api_experts_write(world):
    client = client_for(world["cnppm"])
    response = client.post(
        f"{API}/experts/",
        {"person": world["a"]["teacher"].pk, "kind": "exam", "level": "regional",
         "rank": "leading", "starts_on": TODAY.isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk, version = response.json()["id"], response.json()["version"]
    response = client.patch(f"{API}/experts/{pk}/", {"level": "federal", "version": version},
                            format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["level"] == "federal"
    stale = client.patch(f"{API}/experts/{pk}/", {"level": "municipal", "version": version},
                         format="json")  # fmt: skip
    assert stale.status_code == 409
    assert (
        client_for(world["teacher"]).post(f"{API}/experts/", {}, format="json").status_code == 403
    )


def test_api_acts_and_caseloads(world):
    client = client_for(world["cnppm"])
    response = client.post(
        f"{API}/acts/",
        {"kind": "lesson_visit", "held_on": TODAY.isoformat(), "format": "in_person",
         "person": world["a"]["teacher"].pk, "topic": "Урок математики"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["source"] == f"support:{response.json()['id']}"
    assert len(ids(client_for(world["teacher"]).get(f"{API}/acts/"))) == 1
    assert ids(client_for(world["colleague"]).get(f"{API}/acts/")) == set()
    response = client.post(
        f"{API}/caseloads/",
        {"methodist": world["methodist_person"].pk, "teacher": world["a"]["teacher"].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    job = client.post(f"{API}/caseloads/assign/")
    assert job.status_code == 202, job.content
    assert len(ids(client_for(world["rma_methodist"]).get(f"{API}/caseloads/"))) >= 1
    assert ids(client_for(world["methodist"]).get(f"{API}/caseloads/")) == set()


def test_young_teachers_api(world):
    assert client_for(world["ministry"]).get(f"{API}/young-teachers/").status_code == 200
    assert client_for(world["teacher"]).get(f"{API}/young-teachers/").json() == []


@pytest.mark.parametrize(
    "role", ["admin", "ministry", "cnppm", "rma_methodist", "municipal", "school", "teacher"]
)
def test_pages_answer_every_role(world, requests_, role):
    client = page(world[role])
    home = client.get(reverse("support-home"))
    assert home.status_code == 200
    for name in ("support-requests", "support-acts", "support-experts", "support-memberships"):
        assert client.get(reverse(name)).status_code == 200, name
    nav = home.content.decode()
    assert "Сопровождение" in nav


def test_manager_pages_and_order(world):
    client = page(world["cnppm"])
    for name in ("support-methodists", "support-candidates", "support-young",
                 "support-membership-create", "support-expert-create", "support-act-create",
                 "support-caseload-add"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 200, name
    response = client.get(reverse("support-rma-order"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "состава регионального методического актива" in text
    for name in ("support-methodists", "support-candidates", "support-rma-order"):
        assert page(world["teacher"]).get(reverse(name)).status_code == 404


def test_person_card_panel(world, requests_):
    text = (
        page(world["teacher"])
        .get(reverse("person-detail", args=[world["a"]["teacher"].pk]))
        .content.decode()
    )
    assert 'id="support-panel"' in text and "Мой" in text
    text = (
        page(world["cnppm"])
        .get(reverse("person-detail", args=[world["methodist_person"].pk]))
        .content.decode()
    )
    assert "региональный методист" in text and "Сопровождает педагогов" in text


def test_request_flow_on_pages(world):
    teacher, methodist = page(world["teacher"]), page(world["rma_methodist"])
    response = teacher.post(
        reverse("support-request-create"),
        {"requester_kind": "teacher", "topic": "Функциональная грамотность",
         "question": "С чего начать?", "urgency": "normal"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    request = HelpRequest.objects.get()
    response = methodist.post(
        reverse("support-request-answer", args=[request.pk]),
        {"answer": "С диагностики.", "version": request.version},
    )
    assert response.status_code == 302
    text = teacher.get(reverse("support-request", args=[request.pk])).content.decode()
    assert "С диагностики." in text and 'id="answer-time"' in text
