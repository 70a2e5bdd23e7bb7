"""The home page: one section per role, each over that role's scope; figures equal their lists."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import resolve, reverse

from nms.accounts.models import Role
from nms.dashboard import selectors
from nms.diagnostics.models import Group, Membership, Procedure, ResultSource, Variant
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.routes.models import ItemReport, Route, RouteItem, Status
from tests.factories import EmploymentFactory, UserFactory, assign
from tests.routes.conftest import TODAY

PAST = TODAY - timedelta(days=5)
TILE = re.compile(r'<a class="tile" href="([^"]+)"><div class="value" id="([^"]+)">([^<]+)<')


def make_route(person, status=Status.IN_PROGRESS, *, overdue=False, methodist=None, items=2):
    """A route of the person in a given state; with `overdue`, its first item is past due."""
    route = Route.objects.create(
        person=person,
        region=person.region,
        route_type="deficits",
        status=status,
        starts_on=TODAY - timedelta(days=60),
        ends_on=TODAY + timedelta(days=120),
        methodist=methodist,
    )
    for n in range(items):
        RouteItem.objects.create(
            route=route,
            position=n + 1,
            level="regional",
            activity_kind="program",
            title=f"Курс повышения квалификации № {n + 1}",
            starts_on=route.starts_on,
            due_on=PAST if overdue and n == 0 else TODAY + timedelta(days=30),
            result_form="удостоверение",
        )
    return route


def open_procedure(region, person, name="Региональная входная диагностика"):
    procedure = Procedure.objects.create(
        region=region,
        name=name,
        level="regional",
        kind="entry",
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=10),
    )
    group = Group.objects.create(procedure=procedure, number=1, name="Группа 1")
    Membership.objects.create(group=group, person=person, procedure=procedure)
    Variant.objects.create(group=group)
    return procedure


def roles_of(response):
    return [section.role for section in response.context["sections"]]


def tiles(response):
    """Every figure of the page that links to a list: (url, element id, value)."""
    page = response.content.decode()
    return [
        (unescape(url), dom_id, int(value.replace("\xa0", "").replace(" ", "")))
        for url, dom_id, value in TILE.findall(page)
    ]


def list_count(client, url) -> int:
    """The number of rows the list behind a tile holds."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def map_totals(client, url):
    """The «Всего» row of the deficit map behind a tile."""
    response = client.get(url)
    assert response.status_code == 200, url
    total = response.context["map"].total
    return {"diagnosed": total.people, "with-deficits": total.with_deficit}


def assert_figures_equal_lists(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    found = tiles(response)
    assert found, "no figures on the page"
    for url, dom_id, value in found:
        key = dom_id.removeprefix("count-")
        if resolve(url.split("?")[0]).url_name == "map-deficits":
            key = re.sub(r"-\d+$", "", key)
            assert map_totals(client, url)[key] == value, (dom_id, url)
        else:
            assert list_count(client, url) == value, (dom_id, url)
    return {dom_id: value for _, dom_id, value in found}


@pytest.fixture
def routes_world(actors, two_municipalities, region):
    """Routes in every state for teachers of both municipalities, some of them overdue."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    methodist = actors["methodist"]
    make_route(a["teacher"], Status.IN_PROGRESS, overdue=True, methodist=methodist)
    make_route(a["director"], Status.IN_PROGRESS)
    make_route(b["teacher"], Status.IN_PROGRESS, overdue=True)
    make_route(b["director"], Status.COMPLETED, overdue=True)  # final: not overdue
    make_route(EmploymentFactory(organization=a["school"]).person, Status.COMPOSED)
    make_route(EmploymentFactory(organization=b["school"]).person, Status.DRAFT)
    result_record(
        a["teacher"].pk,
        Procedure.objects.create(
            region=region, name="Входная", level="regional", kind="entry",
            starts_on=PAST, ends_on=PAST, is_external=True,
        ),
        PAST,
        {CompetencyArea.objects.get(code="ict"): (Decimal(4), Decimal(10))},
        ResultSource.IMPORT,
    )  # fmt: skip
    return actors


# -- access ----------------------------------------------------------------------------------
def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_without_roles_is_told_so(client, db):
    user = UserFactory(role=Role.TEACHER)
    user.assignments.all().delete()
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "не назначена ни одна роль" in page


def test_home_counts_only_scope(client, make_user, two_municipalities):
    """Figures stay within the user's scope."""
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="count-people">2<' in page
    assert 'id="count-organizations">1<' in page
    assert two_municipalities["b"]["municipality"].name not in page


# -- sections by role ------------------------------------------------------------------------
def test_teacher_and_methodist_sees_both_sections(client, actors, region, two_municipalities):
    a = two_municipalities["a"]
    person = EmploymentFactory(organization=a["school"]).person
    user = UserFactory(role=Role.TEACHER, person=person)
    assign(user, Role.METHODIST, region=region)
    user.assigned_people.add(a["teacher"])
    own = make_route(person, Status.IN_PROGRESS, overdue=True)
    other = make_route(a["teacher"], Status.AGREED_SCHOOL, methodist=user)

    client.force_login(user)
    response = client.get(reverse("home"))
    assert roles_of(response) == [Role.METHODIST, Role.TEACHER]
    methodist, teacher = response.context["sections"]
    assert [r.pk for r in methodist.todos[0].rows] == [other.pk]  # awaiting their agreement
    assert methodist.todos[2].rows == []  # their own overdue item is the teacher's business
    assert [o.route.pk for o in teacher.own_routes] == [own.pk]
    page = response.content.decode()
    assert "Региональный методист" in page and "Педагог" in page
    assert reverse("route-detail", args=[other.pk]) in page
    assert reverse("route-detail", args=[own.pk]) in page


def test_teacher_sees_open_diagnostic_and_overdue_item(client, actors, region, two_municipalities):
    teacher = actors["teacher"]
    person = two_municipalities["a"]["teacher"]
    open_procedure(region, person)
    route = make_route(person, Status.IN_PROGRESS, overdue=True)
    late = route.items.get(due_on=PAST)

    client.force_login(teacher)
    response = client.get(reverse("home"))
    assert roles_of(response) == [Role.TEACHER]
    (section,) = response.context["sections"]
    assert [d.procedure.name for d in section.diagnostics] == ["Региональная входная диагностика"]
    (own,) = section.own_routes
    assert own.overdue == [late]
    page = response.content.decode()
    assert "Региональная входная диагностика" in page and "не начата" in page
    assert reverse("route-item", args=[route.pk, late.pk]) in page
    assert "просрочено пунктов: 1" in page


def test_teacher_without_route_may_open_one(client, actors):
    client.force_login(actors["teacher"])
    page = client.get(reverse("home")).content.decode()
    assert "Действующего ИОМ у вас нет" in page and reverse("route-create") in page


def test_school_sees_routes_awaiting_agreement_and_staff(client, actors, two_municipalities):
    a = two_municipalities["a"]
    composed = make_route(a["teacher"], Status.COMPOSED)
    make_route(two_municipalities["b"]["teacher"], Status.COMPOSED)  # another school's
    client.force_login(actors["school"])
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    assert [r.pk for r in section.todos[0].rows] == [composed.pk]
    figures = {t.key: t.value for b in section.blocks for t in b.tiles}
    assert figures["people"] == 2 and figures["managers"] == 1


def test_methodist_sees_reports_to_decide(client, actors, two_municipalities):
    methodist = actors["methodist"]
    route = make_route(two_municipalities["a"]["teacher"], Status.IN_PROGRESS, methodist=methodist)
    item = route.items.first()
    ItemReport.objects.create(item=item, author=actors["teacher"], text="Прошёл курс")
    client.force_login(methodist)
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    assert section.todos[1].count == 1
    assert reverse("route-item", args=[route.pk, item.pk]) in response.content.decode()


def test_expert_sees_item_bank(client, make_user, two_municipalities):
    expert = make_user(Role.EXPERT, person=two_municipalities["a"]["teacher"])
    client.force_login(expert)
    response = client.get(reverse("home"))
    assert roles_of(response) == [Role.EXPERT]
    assert reverse("bank-list") in response.content.decode()


def test_each_role_of_a_person_gets_its_own_figures(client, make_user, two_municipalities):
    """A municipal coordinator of A who also runs school B: each section counts its own."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    user = make_user(Role.MUNICIPAL, municipality=a["municipality"])
    assign(user, Role.SCHOOL, organization=b["school"])
    make_route(a["teacher"], Status.IN_PROGRESS, overdue=True)
    make_route(b["teacher"], Status.IN_PROGRESS)
    figures = assert_figures_equal_lists(client, user)
    assert figures["count-people"] == 2 and figures["count-people-2"] == 2
    assert figures["count-routes-overdue"] == 1 and figures["count-routes-overdue-2"] == 0


# -- figures equal the lists they open -------------------------------------------------------
@pytest.mark.parametrize(
    "actor", ["municipal", "ministry", "cnppm", "school", "methodist", "other_school"]
)
def test_figures_equal_list_counts(client, routes_world, actor):
    figures = assert_figures_equal_lists(client, routes_world[actor])
    assert "count-routes-active" in figures or "count-methodist-routes" in figures


def test_routes_active_and_overdue_count_their_lists(client, routes_world, make_user):
    admin = make_user(Role.ADMIN)
    figures = assert_figures_equal_lists(client, admin)
    assert figures["count-routes-active"] == 3
    assert figures["count-routes-overdue"] == 2
    assert figures["count-routes-completed"] == 1
    assert figures["count-diagnosed"] == 1


# -- bounded queries -------------------------------------------------------------------------
def test_queries_do_not_grow_with_routes(client, actors, region, two_municipalities, count_queries):
    def _queries(client, user) -> int:
        client.force_login(user)
        count, response = count_queries(client.get, reverse("home"))
        assert response.status_code == 200
        return count

    a = two_municipalities["a"]
    user = actors["methodist"]
    user.person = EmploymentFactory(organization=a["school"]).person
    user.save()
    assign(user, Role.TEACHER)
    assign(user, Role.CNPPM, region=region)
    make_route(user.person, Status.IN_PROGRESS, overdue=True)

    def more_routes(n):
        for _ in range(n):
            person = EmploymentFactory(organization=a["school"]).person
            user.assigned_people.add(person)
            route = make_route(person, Status.IN_PROGRESS, overdue=True, methodist=user)
            ItemReport.objects.create(item=route.items.first(), author=user, text="отчёт")
            make_route(person, Status.AGREED_SCHOOL, methodist=user)
            make_route(person, Status.DRAFT)

    more_routes(selectors.TODO_ROWS + 1)  # every to-do list full: its count is asked too
    few = _queries(client, user)
    more_routes(10)
    assert _queries(client, user) == few
