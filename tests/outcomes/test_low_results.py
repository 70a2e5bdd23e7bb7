"""ШНОР proposals from the results, confirmed by ЦНППМ through the registry's service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nms.outcomes import selectors, services
from nms.outcomes.models import LowResultsDecision
from tests.outcomes.conftest import result

pytestmark = pytest.mark.django_db


@pytest.fixture
def low(world):
    a, b = world["a"], world["b"]
    result(a["teacher"], a["school"], passing=30, participants=20)  # (20×30 + 10×90)/30 = 50
    result(a["director"], a["school"], kind="ege", passing=90, participants=10)
    result(a["teacher"], a["school"], kind="regional", passing=0, participants=50)  # not chosen
    result(b["teacher"], b["school"], passing=45, participants=5)  # too few participants
    return world


def test_proposals(low):
    a = low["a"]
    cnppm = low["users"]["cnppm"]
    assert selectors.low_results_proposals(cnppm, 2024) == []  # 50 % is not below 50 %
    proposals = selectors.low_results_proposals(cnppm, 2024, threshold=60)
    assert [(p.organization, p.participants, p.share_passing) for p in proposals] == [
        (a["school"], 30, 50)
    ]
    with_regional = selectors.low_results_proposals(cnppm, 2024, kinds=["oge", "regional"])
    assert [p.organization for p in with_regional] == [a["school"]]
    few = selectors.low_results_proposals(cnppm, 2024, threshold=60, min_participants=1)
    assert [p.organization for p in few] == [low["b"]["school"], a["school"]]  # lowest first
    assert selectors.low_results_proposals(low["users"]["other_school"], 2024, threshold=60) == []


def test_confirm_sets_the_registry_flag_once(low):
    school = low["a"]["school"]
    users = low["users"]
    with pytest.raises(PermissionDenied):
        services.decide_low_results(users["municipal"], school, 2024, confirm=True)
    services.decide_low_results(users["cnppm"], school, 2024, confirm=True, share_passing=50)
    school.refresh_from_db()
    assert school.is_low_results
    assert LowResultsDecision.objects.get().confirmed
    with pytest.raises(ValidationError):
        services.decide_low_results(users["cnppm"], school, 2024, confirm=False)
    proposals = selectors.low_results_proposals(users["cnppm"], 2024, threshold=60)
    assert proposals[0].decision is not None  # shown as decided


def test_page_confirms_and_rejects(client, low):
    users, school = low["users"], low["a"]["school"]
    client.force_login(users["municipal"])
    assert client.get(reverse("outcomes-low-results")).status_code == 404
    client.force_login(users["cnppm"])
    page = client.get(reverse("outcomes-low-results"), {"year": 2024, "threshold": 60})
    assert page.status_code == 200
    assert school.short_name in page.content.decode()
    answer = client.post(
        reverse("outcomes-low-results"),
        {"organization": school.pk, "year": 2024, "share": "50", "decision": "reject"},
    )
    assert answer.status_code == 302
    school.refresh_from_db()
    assert not school.is_low_results
    assert LowResultsDecision.objects.get().confirmed is False
