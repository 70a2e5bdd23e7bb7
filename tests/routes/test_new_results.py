"""A new diagnostics result reaching an active route: who is told, and section 2 renewed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.accounts.models import Role
from nms.routes import selectors, services
from nms.routes.models import Status
from tests.factories import RegionFactory
from tests.routes.conftest import TODAY, item_data


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["cnppm"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=120)
    )


def _deficit_areas(route):
    return sorted(d["area"] for d in route.deficits if d["is_deficit"])


def test_newer_result_with_other_deficits_is_offered_to_the_route_methodists(
    route, actors, new_result
):
    assert not selectors.routes_with_new_results(actors["methodist"]).exists()
    result = new_result()
    for actor in ("methodist", "cnppm"):
        assert list(selectors.routes_with_new_results(actors[actor])) == [route]
    for actor in ("teacher", "school", "municipal", "ministry", "other_teacher", "other_school"):
        assert not selectors.routes_with_new_results(actors[actor]).exists(), actor
    assert selectors.new_result_for(route) == result


def test_out_of_scope_methodist_sees_nothing(route, actors, new_result, make_user):
    new_result()
    stranger = make_user(Role.METHODIST, region=RegionFactory())
    assert not selectors.routes_with_new_results(stranger).exists()
    with pytest.raises(PermissionDenied):
        services.update_deficits_from_result(route, selectors.new_result_for(route), stranger)


def test_route_of_another_methodist_is_not_offered(route, actors, new_result, make_user):
    new_result()
    other = make_user(Role.METHODIST)
    other.assigned_people.add(route.person)
    route.methodist = other
    route.save()
    assert not selectors.routes_with_new_results(actors["methodist"]).exists()
    assert list(selectors.routes_with_new_results(other)) == [route]
    assert not services.can_update_deficits(actors["methodist"], route)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"methodical": 3, "ict": 9},  # the same deficit (methodical) as section 2
        {"methodical": 9, "ict": 9},  # no deficits at all
        {"kind": "exit"},  # the exit diagnostics evaluates the route, it is not its basis
    ],
)
def test_results_that_change_nothing_are_not_offered(route, actors, new_result, kwargs):
    new_result(**kwargs)
    assert not selectors.routes_with_new_results(actors["methodist"]).exists()
    assert selectors.new_result_for(route) is None


def test_final_routes_are_not_offered(route, actors, new_result):
    new_result()
    services.transition(actors["methodist"], route, "close", "переезд", None)
    assert not selectors.routes_with_new_results(actors["methodist"]).exists()


def test_update_renews_section_2_as_a_new_version(route, actors, new_result):
    assert _deficit_areas(route) == ["методическая"]
    result = new_result()
    version = route.version
    route = services.update_deficits_from_result(route, result, actors["methodist"], version)
    assert _deficit_areas(route) == ["ИКТ", "методическая"]
    assert route.entry_result == result
    assert route.version == version + 1
    latest = route.versions.order_by("-number").first()
    assert latest.author == actors["methodist"]
    assert "раздел 2 обновлён" in latest.reason and f"{result.taken_on:%d.%m.%Y}" in latest.reason
    assert latest.snapshot["deficits"] == route.deficits
    assert not selectors.routes_with_new_results(actors["methodist"]).exists()
    with pytest.raises(ValidationError):  # already built on it
        services.update_deficits_from_result(route, result, actors["methodist"])


def test_update_on_a_stale_copy_is_refused(route, actors, new_result):
    result = new_result()
    stale = route.version
    services.item_add(actors["cnppm"], route, item_data(), stale)
    with pytest.raises(services.StaleRoute):
        services.update_deficits_from_result(route, result, actors["methodist"], stale)
    route.refresh_from_db()
    assert _deficit_areas(route) == ["методическая"]


@pytest.mark.parametrize("actor", ["teacher", "school", "municipal", "ministry"])
def test_only_methodists_update(route, actors, new_result, actor):
    result = new_result()
    with pytest.raises(PermissionDenied):
        services.update_deficits_from_result(route, result, actors[actor])


def test_older_result_is_refused(route, actors, new_result):
    older = new_result(days_ago=30)  # the entry result was taken 10 days ago
    with pytest.raises(ValidationError):
        services.update_deficits_from_result(route, older, actors["methodist"])
    assert route.status == Status.DRAFT


def test_selector_queries_do_not_grow_with_routes(route, actors, new_result, count_queries):
    new_result()
    from nms.accounts.scope import scope_of

    scope_of(actors["methodist"])
    queries, rows = count_queries(
        lambda: list(selectors.routes_with_new_results(actors["methodist"]))
    )
    assert len(rows) == 1 and queries <= 3
