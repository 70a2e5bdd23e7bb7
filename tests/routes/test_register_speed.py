"""What the register's speed-ups must not change: a region's routes by their own region are the
routes of the region's people, «ждут моего шага» and «есть просрочка» pick the same routes, and
their pages run as many queries for 3 routes as for 30."""

from datetime import timedelta

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.routes import selectors, services
from nms.routes.models import Route
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    assign,
)
from tests.routes.conftest import TODAY, item_data

pytestmark = pytest.mark.django_db


def _route(actor, school, *, overdue=False):
    person = EmploymentFactory(organization=school, person__region=school.region).person
    start = TODAY - timedelta(days=60) if overdue else TODAY
    route = services.route_create(actor, person, start, TODAY + timedelta(days=90))
    dates = {"starts_on": start, "due_on": TODAY - timedelta(days=1)} if overdue else {}
    services.item_add(actor, route, item_data(**dates), None)
    return route


def test_region_wide_roles_see_the_routes_of_their_region_only(actors, two_municipalities):
    school = two_municipalities["a"]["school"]
    here = _route(actors["cnppm"], school)
    elsewhere_region = RegionFactory(name="Другая область")
    other_school = OrganizationFactory(
        municipality=MunicipalityFactory(region=elsewhere_region), region=elsewhere_region
    )
    other_cnppm = UserFactory(role=Role.CNPPM, region=elsewhere_region)
    there = _route(other_cnppm, other_school)
    for role in ("ministry", "cnppm"):
        visible = set(selectors.routes_visible(actors[role]).values_list("pk", flat=True))
        assert here.pk in visible and there.pk not in visible
        people = scope_of(actors[role]).people()
        assert visible == set(Route.objects.filter(person__in=people).values_list("pk", flat=True))


def test_a_region_wide_user_who_also_teaches_sees_their_own_route_too(actors, two_municipalities):
    school = two_municipalities["a"]["school"]
    region = two_municipalities["a"]["municipality"].region
    own_region = RegionFactory(name="Другая область")
    own_school = OrganizationFactory(
        municipality=MunicipalityFactory(region=own_region), region=own_region
    )
    teacher = EmploymentFactory(organization=own_school, person__region=own_region).person
    user = UserFactory(role=Role.TEACHER, person=teacher)
    assign(user, Role.CNPPM, region=region)
    own = _route(UserFactory(role=Role.CNPPM, region=own_region), own_school)
    own.person = teacher
    own.save()
    theirs = _route(actors["cnppm"], school)
    visible = set(selectors.routes_visible(user).values_list("pk", flat=True))
    assert {own.pk, theirs.pk} <= visible


def test_awaiting_and_overdue_filters_pick_the_same_routes(client, actors, two_municipalities):
    school = two_municipalities["a"]["school"]
    drafts = {_route(actors["cnppm"], school).pk for _ in range(2)}
    started = _route(actors["cnppm"], school, overdue=True)
    Route.objects.filter(pk=started.pk).update(status="in_progress")
    client.force_login(actors["cnppm"])
    page = client.get(reverse("route-list"), {"awaiting": Role.CNPPM})
    listed = {row.pk for row in page.context["page"].object_list}
    assert listed == set(
        selectors.awaiting_step(actors["cnppm"], Role.CNPPM).values_list("pk", flat=True)
    )
    assert drafts <= listed and started.pk not in listed
    page = client.get(reverse("route-list"), {"overdue": "true"})
    assert {row.pk for row in page.context["page"].object_list} == {started.pk}
    page = client.get(reverse("route-list"), {"overdue": "false"})
    assert started.pk not in {row.pk for row in page.context["page"].object_list}


def test_filtered_register_runs_as_many_queries_for_3_and_30_routes(
    client, actors, two_municipalities, count_queries
):
    school = two_municipalities["a"]["school"]
    url = reverse("route-list") + f"?awaiting={Role.CNPPM}&overdue=false"

    def queries() -> int:
        count, response = count_queries(client.get, url)
        assert response.status_code == 200
        return count

    client.force_login(actors["cnppm"])
    for _ in range(3):
        _route(actors["cnppm"], school)
    few = queries()
    for _ in range(27):
        _route(actors["cnppm"], school)
    assert queries() == few
