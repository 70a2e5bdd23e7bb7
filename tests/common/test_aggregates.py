"""Territory figures are kept for NMS_AGGREGATE_SECONDS, shown with their time, and recomputed
at once on «пересчитать сейчас»; a change of the user's assignments is never served old figures."""

import pytest
from django.core.cache import cache

from nms.accounts.models import Role, RoleAssignment
from nms.common import aggregates
from nms.deficits import maps

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.NMS_AGGREGATE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


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
