"""Query counts of the registry's pages and API lists do not grow with the rows, for every kind
of scope (a region, a municipality, a school with its head's own teacher role, a methodist's
caseload); and the scope of several roles is the union of theirs."""

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from tests.factories import (
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    assign,
)

API = "/api/v1"


@pytest.fixture
def places(region):
    school = OrganizationFactory(municipality__region=region)
    other = OrganizationFactory(municipality__region=region)
    return {"school": school, "other": other, "municipality": school.municipality}


def add_staff(places, n, surname="Кузнецова"):
    """n people at the school (a part of them also at another school), n elsewhere."""
    people = []
    for i in range(n):
        person = PersonFactory(region=places["school"].region, last_name=f"{surname}{i}")
        EmploymentFactory(person=person, organization=places["school"])
        if i % 3 == 0:
            EmploymentFactory(person=person, organization=places["other"])
        EmploymentFactory(
            person=PersonFactory(region=places["school"].region),
            organization=OrganizationFactory(municipality__region=places["school"].region),
        )
        people.append(person)
    return people


@pytest.fixture
def actors(make_user, places):
    head = PersonFactory(region=places["school"].region, last_name="Директорова")
    EmploymentFactory(person=head, organization=places["school"])
    school = make_user(Role.SCHOOL, organization=places["school"], person=head)
    assign(school, Role.TEACHER, person=head)
    methodist = make_user(Role.METHODIST)
    return {
        "cnppm": make_user(Role.CNPPM),
        "municipal": make_user(Role.MUNICIPAL, municipality=places["municipality"]),
        "school": school,
        "methodist": methodist,
    }


PAGES = [
    reverse("person-list"),
    reverse("person-list") + "?q=кузнецова",
    reverse("person-list") + "?young=false&sort=-birth_date",
    reverse("organization-list"),
    reverse("organization-list") + "?q=школа",
    f"{API}/people/",
    f"{API}/people/?q=кузнецова",
    f"{API}/organizations/",
    f"{API}/employments/",
]


def queries(client, count_queries) -> list[int]:
    counts = []
    for url in PAGES:
        count, response = count_queries(client.get, url)
        assert response.status_code == 200, url
        counts.append(count)
    return counts


@pytest.mark.parametrize("role", ["cnppm", "municipal", "school", "methodist"])
def test_pages_run_as_many_queries_for_5_and_50_people(role, actors, places, client, count_queries):
    user = actors[role]
    client.force_login(user)  # pages and API lists alike, signed in by the session
    people = add_staff(places, 5)
    user.assigned_people.add(*people)
    few = queries(client, count_queries)
    people = add_staff(places, 45, surname="Кузнецов")
    user.assigned_people.add(*people)
    assert queries(client, count_queries) == few


def test_a_school_head_who_teaches_sees_the_school_and_themself(actors, places):
    staff = add_staff(places, 4)
    outsider = PersonFactory(region=places["school"].region)
    EmploymentFactory(person=outsider, organization=places["other"])
    scope = scope_of(actors["school"])
    head = actors["school"].person
    assert set(scope.people()) == {*staff, head}
    assert set(scope.organizations()) == {places["school"]}


def test_a_methodist_who_teaches_sees_the_caseload_themself_and_their_employers(make_user, places):
    staff = add_staff(places, 3)
    own = PersonFactory(region=places["school"].region)
    EmploymentFactory(person=own, organization=places["other"])
    methodist = make_user(Role.METHODIST, person=own)
    assign(methodist, Role.TEACHER, person=own)
    methodist.assigned_people.add(staff[1])  # works at the school only
    scope = scope_of(methodist)
    assert set(scope.people()) == {staff[1], own}
    assert set(scope.organizations()) == {places["school"], places["other"]}
    assert set(scope.municipalities()) == {
        places["school"].municipality,
        places["other"].municipality,
    }
    assert set(scope.employments()) == {*staff[1].employments.all(), *own.employments.all()}


def test_staff_counts_of_the_organization_list(client, actors, places):
    add_staff(places, 6)  # 6 at the school (and its head), 2 of them also at the other one
    client.force_login(actors["cnppm"])
    rows = client.get(reverse("organization-list"), {"sort": "-staff_count"}).context["page"]
    counts = {o.pk: o.staff_count for o in rows.object_list}
    assert counts[places["school"].pk] == 7
    assert counts[places["other"].pk] == 2
    assert rows.object_list[0] == places["school"]
