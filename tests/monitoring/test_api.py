"""The monitoring API: a region's indicator created without code and computed; built-ins
read-only except targets/parameters (kept as the region's override); the compute action;
snapshots filtered and scoped."""

import pytest

from nms.accounts.models import Role
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator, Snapshot
from tests.api_helpers import client_for, ids

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/monitoring/indicators/"
SNAPSHOTS = "/api/v1/monitoring/snapshots/"
COMPUTE = INDICATORS + "compute/"
NEW = {
    "name": "Доля учителей с высшей категорией",
    "unit": "share",
    "targets": {"2025": 40},
    "numerator": {"population": "teachers", "filters": {"category": "highest"}},
    "denominator": {"population": "teachers"},
}


def test_region_indicator_created_through_the_api_is_computed(users, region):
    cnppm = client_for(users["cnppm"])
    answer = cnppm.post(INDICATORS, NEW, format="json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["code"] == "Р1" and created["builtin"] is False
    computed = cnppm.post(COMPUTE, {"period": "2025", "codes": ["Р1"]}, format="json")
    assert computed.status_code == 200, computed.content
    rows = cnppm.get(SNAPSHOTS, {"period": "2025", "code": "Р1", "scope_type": "region"}).json()
    (row,) = rows["results"]
    # The two_municipalities world: four teachers (directors teach too), none of the highest
    # category.
    assert (row["numerator"], row["denominator"], row["value"]) == ("0.00", "4.00", "0.00")
    assert row["target"] == "40.00" and row["met"] is False


def test_definitions_are_validated_in_russian(users):
    cnppm = client_for(users["cnppm"])
    wrong = {**NEW, "numerator": {"population": "teachers", "filters": {"salary": 1}}}
    answer = cnppm.post(INDICATORS, wrong, format="json")
    assert answer.status_code == 400
    assert "нет фильтра «salary»" in str(answer.json())


def test_who_may_define_and_compute(users):
    for role in ("municipal", "school", "teacher"):
        answer = client_for(users[role]).post(INDICATORS, NEW, format="json")
        assert answer.status_code == 403, role
    ministry = client_for(users["ministry"])
    assert ministry.post(INDICATORS, NEW, format="json").status_code == 403
    assert (
        ministry.post(INDICATORS + "compute/", {"period": "2025"}, format="json").status_code == 200
    )
    school = client_for(users["school"])
    assert (
        school.post(INDICATORS + "compute/", {"period": "2025"}, format="json").status_code == 403
    )
    bad = client_for(users["cnppm"]).post(
        INDICATORS + "compute/", {"period": "вчера"}, format="json"
    )
    assert bad.status_code == 400 and "не распознан" in str(bad.json())


def test_builtin_indicators_change_only_targets_as_an_override(users, region):
    cnppm = client_for(users["cnppm"])
    a3 = Indicator.objects.get(region__isnull=True, code="A3")
    refused = cnppm.patch(f"{INDICATORS}{a3.pk}/", {"name": "другое"}, format="json")
    assert refused.status_code == 400 and "только цели" in str(refused.json())
    changed = cnppm.patch(f"{INDICATORS}{a3.pk}/", {"targets": {"2025": 35}}, format="json")
    assert changed.status_code == 200, changed.content
    override = Indicator.objects.get(region=region, code="A3")
    assert override.targets == {"2025": 35} and override.method == "function"
    a3.refresh_from_db()
    assert a3.targets == {"2023": 20, "2024": 30}  # the catalogue stays
    assert cnppm.delete(f"{INDICATORS}{a3.pk}/").status_code == 400
    compute(region, "2025", codes=["A3"])
    snapshot = Snapshot.objects.get(indicator__code="A3", scope_type="region")
    assert snapshot.indicator_id == override.pk and snapshot.target == 35


def test_snapshots_follow_the_territory(users, region, two_municipalities):
    compute(region, "2025", codes=["D1"])
    a, b = two_municipalities["a"], two_municipalities["b"]
    everything = ids(client_for(users["ministry"]).get(SNAPSHOTS, {"code": "D1"}))
    assert len(everything) == 5  # the region, two municipalities, two schools
    municipal = client_for(users["municipal"]).get(SNAPSHOTS, {"code": "D1"}).json()["results"]
    assert {(r["scope_type"], r["scope_id"]) for r in municipal} == {
        ("municipality", a["municipality"].pk),
        ("organization", a["school"].pk),
    }
    school = client_for(users["school"]).get(SNAPSHOTS, {"code": "D1"}).json()["results"]
    assert [(r["scope_type"], r["scope_id"]) for r in school] == [("organization", a["school"].pk)]
    assert ids(client_for(users["teacher"]).get(SNAPSHOTS)) == set()
    other = Snapshot.objects.get(scope_type="organization", scope_id=b["school"].pk)
    assert client_for(users["school"]).get(f"{SNAPSHOTS}{other.pk}/").status_code == 404


def test_region_indicators_of_another_region_are_not_seen(users, make_user):
    from tests.factories import RegionFactory

    other = RegionFactory(name="Другая область", code="98")
    theirs = Indicator.objects.create(
        region=other, code="Р1", name="чужой", indicator_set="R", method="records",
        numerator={"population": "teachers"}, unit="count",
    )  # fmt: skip
    seen = ids(client_for(users["cnppm"]).get(INDICATORS, {"code": "Р1"}))
    assert theirs.pk not in seen
    assert client_for(users["cnppm"]).get(f"{INDICATORS}{theirs.pk}/").status_code == 404
    assert client_for(make_user(Role.MINISTRY)).get(INDICATORS).json()["count"] >= 183


def test_a_stale_indicator_is_refused_and_nothing_is_saved(users):
    """Two people edit one indicator: the second, saving over an older version, gets 409."""
    cnppm = client_for(users["cnppm"])
    created = cnppm.post(INDICATORS, NEW, format="json").json()
    url = f"{INDICATORS}{created['id']}/"
    first = cnppm.patch(
        url, {"name": "Первая правка", "version": created["version"]}, format="json"
    )
    assert first.status_code == 200, first.content
    stale = cnppm.patch(
        url, {"name": "Вторая правка", "version": created["version"]}, format="json"
    )
    assert stale.status_code == 409, stale.content
    assert Indicator.objects.get(pk=created["id"]).name == "Первая правка"
    gone = cnppm.delete(url, HTTP_IF_MATCH=f'"{created["version"]}"')
    assert gone.status_code == 409 and Indicator.objects.filter(pk=created["id"]).exists()
