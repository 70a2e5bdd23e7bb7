"""The home page: one section per role, each over that role's scope; figures equal their lists."""

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.dashboard import selectors
from nms.routes.models import ItemReport, ItemStatus, Status
from tests.dashboard.figures import page_figures
from tests.dashboard.test_tiles import assert_figures_equal_lists
from tests.dashboard.world import PAST, make_route, open_procedure, populate
from tests.factories import EmploymentFactory, UserFactory, assign


def roles_of(response):
    return [section.role for section in response.context["sections"]]


def figures_of(response) -> dict[str, int]:
    """Every number of the page that links to a list, by its element id."""
    return {f.dom_id: f.value for f in page_figures(response.content.decode())}


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
    response = client.get(reverse("home"))
    figures = figures_of(response)
    assert figures["count-people"] == 2
    assert figures["count-organizations"] == 1
    assert two_municipalities["b"]["municipality"].name not in response.content.decode()


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
    todos = {t.figure.key: t for t in methodist.todos}
    assert [r.pk for r in todos["methodist-awaiting"].rows] == [other.pk]  # their agreement
    assert todos["methodist-overdue"].rows == []  # their own route is the teacher's business
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
    assert "1 пункт просрочен" in page


def test_teacher_sees_items_returned_for_rework_first(client, actors, two_municipalities):
    route = make_route(two_municipalities["a"]["teacher"], Status.IN_PROGRESS, items=3)
    returned = route.items.order_by("position").last()
    returned.status = ItemStatus.RETURNED
    returned.save(update_fields=["status"])
    client.force_login(actors["teacher"])
    response = client.get(reverse("home"))
    (own,) = response.context["sections"][0].own_routes
    assert own.rows[0] == (returned, True, False)
    assert "1 пункт возвращён на доработку" in response.content.decode()


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
    todos = {t.figure.key: t for t in section.todos}
    assert todos["school-no-results"].count == 2  # nobody has a result yet
    assert todos["school-no-route"].count == 1  # the director


def test_methodist_sees_reports_to_decide(client, actors, two_municipalities):
    methodist = actors["methodist"]
    route = make_route(two_municipalities["a"]["teacher"], Status.IN_PROGRESS, methodist=methodist)
    item = route.items.first()
    ItemReport.objects.create(item=item, author=actors["teacher"], text="Прошёл курс")
    client.force_login(methodist)
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    reports = next(t for t in section.todos if t.kind == "reports")
    assert reports.count == 1 and [r.item for r in reports.rows] == [item]
    assert reverse("route-item", args=[route.pk, item.pk]) in response.content.decode()
    assert reports.figure.url == reverse("route-list") + "?reports=true"


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
def _queries(client, count_queries, user) -> int:
    client.force_login(user)
    count, response = count_queries(client.get, reverse("home"))
    assert response.status_code == 200
    return count


def test_queries_do_not_grow_with_routes(client, actors, region, two_municipalities, count_queries):
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
    few = _queries(client, count_queries, user)
    more_routes(10)
    assert _queries(client, count_queries, user) == few


@pytest.mark.parametrize("actor", ["ministry", "cnppm", "municipal", "school", "methodist"])
def test_home_runs_the_same_queries_for_5_and_50_workers(
    client, actors, region, two_municipalities, count_queries, actor
):
    """A fixed number of queries: grouped counts, one per chart, none per row."""
    schools = [two_municipalities[k]["school"] for k in ("a", "b")]
    user = actors[actor]
    populate(schools, region, actors["methodist"], 5, actors["teacher"])
    few = _queries(client, count_queries, user)
    populate(schools, region, actors["methodist"], 45, actors["teacher"], batch="2")
    assert _queries(client, count_queries, user) == few
