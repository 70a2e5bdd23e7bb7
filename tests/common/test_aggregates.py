"""Territory figures are kept for NMS_AGGREGATE_SECONDS, shown with their time, and recomputed
at once on «пересчитать сейчас»; a change of the user's assignments is never served old figures."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment
from nms.common import aggregates
from nms.deficits import maps

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.NMS_AGGREGATE_SECONDS = 300
    # A cache of this test's own (the settings' one is shared by the machine's processes).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-aggregates",
        }
    }
    cache.clear()
    aggregates._READ.clear()
    yield
    cache.clear()
    aggregates._READ.clear()


def test_a_value_is_kept_for_the_same_key_and_recomputed_on_refresh(kept):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = aggregates.kept("k", compute)
    again = aggregates.kept("k", compute)
    assert (first.value, again.value) == (1, 1)
    assert again.computed_at == first.computed_at
    assert aggregates.kept("other", compute).value == 2
    assert aggregates.kept("k", compute, refresh=True).value == 3
    assert aggregates.kept("k", compute).value == 3


def test_zero_seconds_computes_every_time(settings):
    settings.NMS_AGGREGATE_SECONDS = 0
    calls = []
    for _ in range(3):
        aggregates.kept("k", lambda: calls.append(1))
    assert len(calls) == 3


def test_the_deficit_map_is_kept_and_says_when(kept, client, users, count_queries):
    client.force_login(users["ministry"])
    first = client.get("/diagnostics/maps/")
    assert first.status_code == 200
    assert "Данные на" in first.content.decode()
    kept_queries, page = count_queries(client.get, "/diagnostics/maps/")
    fresh_queries, _ = count_queries(client.get, "/diagnostics/maps/?refresh=1")
    assert page.status_code == 200
    assert kept_queries < fresh_queries


def test_a_changed_assignment_is_not_served_the_kept_map(kept, users, region):
    """The key names the scope: the same user with another assignment gets another map."""
    user = users["municipal"]
    before = maps.deficit_map(user, maps.MapFilters(breakdown=maps.REGION))
    RoleAssignment.objects.create(user=user, role=Role.MINISTRY, region=region)
    user = type(user).objects.get(pk=user.pk)  # a new request reads the assignments again
    after = maps.deficit_map(user, maps.MapFilters(breakdown=maps.REGION))
    assert after.computed_at != before.computed_at


def test_home_figures_are_kept_and_say_when(kept, client, users):
    client.force_login(users["ministry"])
    page = client.get("/")
    assert "Данные на" in page.content.decode()
    assert "пересчитать сейчас" in page.content.decode()


# -- big counts ---------------------------------------------------------------------------------
def test_a_big_count_is_kept_a_small_one_is_not(kept, monkeypatch):
    from nms.registry.models import Organization
    from tests.factories import OrganizationFactory

    monkeypatch.setattr(aggregates, "KEEP_COUNT_FROM", 3)
    first = OrganizationFactory()
    OrganizationFactory(municipality=first.municipality)
    small = Organization.objects.filter(municipality=first.municipality)
    assert aggregates.kept_count(small) == 2
    OrganizationFactory(municipality=first.municipality)
    assert aggregates.kept_count(small) == 3  # under the threshold: counted afresh
    OrganizationFactory(municipality=first.municipality)
    assert aggregates.kept_count(small) == 3  # 3 rows or more: kept
    # Other filters (another scope, another search) are another query: counted by themselves.
    assert aggregates.kept_count(small.filter(short_name__icontains="")) == 4
    assert aggregates.kept_count(Organization.objects.none()) == 0


def test_counts_are_live_when_figures_are(settings, monkeypatch):
    from nms.registry.models import Organization
    from tests.factories import OrganizationFactory

    settings.NMS_AGGREGATE_SECONDS = 0
    monkeypatch.setattr(aggregates, "KEEP_COUNT_FROM", 1)
    OrganizationFactory()
    assert aggregates.kept_count(Organization.objects.all()) == 1
    OrganizationFactory()
    assert aggregates.kept_count(Organization.objects.all()) == 2


def test_list_pages_and_the_api_show_the_kept_count(kept, monkeypatch, client, users):
    from tests.factories import OrganizationFactory

    monkeypatch.setattr(aggregates, "KEEP_COUNT_FROM", 1)
    client.force_login(users["ministry"])
    before = client.get("/api/v1/organizations/").json()["count"]
    page = client.get("/registry/organizations/")
    assert page.context["page"].paginator.count == before
    OrganizationFactory(municipality=users["municipal"].assignments.first().municipality)
    assert client.get("/api/v1/organizations/").json()["count"] == before
    assert client.get("/registry/organizations/").context["page"].paginator.count == before


def test_a_read_only_value_is_handed_out_again_until_recomputed(kept):
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    first = aggregates.kept("ro", compute, read_only=True)
    again = aggregates.kept("ro", compute, read_only=True)
    assert again.value is first.value and again.computed_at == first.computed_at
    # Another worker recomputes it («пересчитать сейчас»): the cache gets its value and stamp,
    # and this process reads the new value instead of the one it holds.
    name = "nms:kept:" + hashlib.sha256(b"ro").hexdigest()
    assert name in aggregates._READ
    later = timezone.now() + timedelta(seconds=1)
    cache.set(name, ({"n": "other"}, later))
    cache.set(name + ":at", later)
    assert aggregates.kept("ro", compute, read_only=True).value == {"n": "other"}
    cache.clear()  # expired: computed again
    assert aggregates.kept("ro", compute, read_only=True).value == {"n": 2}
