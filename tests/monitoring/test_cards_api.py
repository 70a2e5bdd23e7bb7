"""The API of monitoring in use: a card opened, filled, submitted, returned, accepted through
/api/v1/monitoring/cards/ (409 on a stale version, 404 outside the scope); recommendations
published and marked done by the addressee; a decision with its effect."""

from datetime import date

import pytest

from nms.monitoring.models import Addressee, Indicator, InfoCard, Recommendation
from tests.api_helpers import client_for, ids
from tests.monitoring.m2_data import indicator, snap

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"


@pytest.fixture
def catalogue(region):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    return indicator(
        region, "K2", name="Число наставников", method="card", unit="count",
        card_scope="organization",
    )  # fmt: skip


def test_the_card_flow(users, two_municipalities, catalogue):
    school, municipal = client_for(users["school"]), client_for(users["municipal"])
    organization = two_municipalities["a"]["school"]
    opened = school.post(
        f"{API}/cards/", {"period": "2025", "organization": organization.pk}, format="json"
    )
    assert opened.status_code == 201, opened.content
    card = opened.json()
    url = f"{API}/cards/{card['id']}"
    answer = school.post(
        f"{url}/values/",
        {"version": card["version"], "values": [{"indicator": "K2", "number": "3"}]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    version = answer.json()["version"]
    assert school.post(f"{url}/submit/", {"version": version - 1}, format="json").status_code == 409
    version = school.post(f"{url}/submit/", {"version": version}, format="json").json()["version"]
    assert school.post(f"{url}/accept/", {"version": version}, format="json").status_code == 403
    returned = municipal.post(f"{url}/return/", {"version": version, "comment": ""}, format="json")
    assert returned.status_code == 400
    returned = municipal.post(
        f"{url}/return/", {"version": version, "comment": "Проверьте"}, format="json"
    )
    assert returned.json()["status"] == InfoCard.Status.RETURNED
    assert ids(client_for(users["other_school"]).get(f"{API}/cards/")) == set()
    assert client_for(users["other_school"]).get(f"{url}/").status_code == 404
    foreign = client_for(users["other_school"]).post(
        f"{API}/cards/", {"period": "2025", "organization": organization.pk}, format="json"
    )
    assert foreign.status_code == 400  # the organization is not theirs to name


def test_recommendations_and_decisions(users, region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    a = two_municipalities["a"]
    share = indicator(region, "T1")
    snap(share, a["school"], "2024", 10, 50)
    snap(share, a["school"], "2025", 60, 50)
    cnppm = client_for(users["cnppm"])
    rule = cnppm.post(
        f"{API}/recommendation-rules/",
        {"indicator": share.pk, "addressee": Addressee.ORGANIZATION, "text": "Составьте план"},
        format="json",
    )
    assert rule.status_code == 201, rule.content
    assert cnppm.post(f"{API}/recommendations/generate/", {"period": "2024"}).json() == {
        "created": 1
    }
    item = Recommendation.objects.get()
    published = cnppm.post(
        f"{API}/recommendations/{item.pk}/publish/", {"version": item.version}, format="json"
    )
    assert published.status_code == 200, published.content
    school = client_for(users["school"])
    done = school.post(
        f"{API}/recommendations/{item.pk}/done/",
        {"version": published.json()["version"]},
        format="json",
    )
    assert done.json()["status"] == "done"
    assert client_for(users["teacher"]).get(f"{API}/recommendations/{item.pk}/").status_code == 404

    decision = client_for(users["ministry"]).post(
        f"{API}/decisions/",
        {
            "title": "План", "decided_on": "2025-01-10", "measures": "Меры",
            "indicators": [share.pk], "organizations": [a["school"].pk], "base_period": "2024",
            "responsible": "ИМЦ", "deadline": "2025-12-31",
        },
        format="json",
    )  # fmt: skip
    assert decision.status_code == 201, decision.content
    body = decision.json()
    assert body["compared_period"] == "2025"
    assert body["effect"][0]["change"] == "50.00"
    assert date.fromisoformat(body["decided_on"]) == date(2025, 1, 10)


def test_the_institute_accepts_a_municipal_card(users, region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    indicator(
        region, "M1", name="Наличие муниципальной программы", method="card", unit="yes_no",
        card_scope="municipality",
    )  # fmt: skip
    municipal = client_for(users["municipal"])
    municipality = two_municipalities["a"]["municipality"]
    card = municipal.post(
        f"{API}/cards/", {"period": "2025", "municipality": municipality.pk}, format="json"
    ).json()
    url = f"{API}/cards/{card['id']}"
    version = municipal.post(
        f"{url}/values/",
        {"version": card["version"], "values": [{"indicator": "M1", "yes": True}]},
        format="json",
    ).json()["version"]
    version = municipal.post(f"{url}/submit/", {"version": version}, format="json").json()[
        "version"
    ]
    assert municipal.post(f"{url}/accept/", {"version": version}, format="json").status_code == 403
    accepted = client_for(users["cnppm"]).post(
        f"{url}/accept/", {"version": version}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == InfoCard.Status.ACCEPTED
