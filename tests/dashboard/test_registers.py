"""Registers sort what needs work first (issue 10, item 5): the ИОМ register shows routes being
agreed and under way before drafts, and the completed and closed ones last; the filters the
home page's to-do figures open the register with."""

from datetime import timedelta

from django.urls import reverse

from nms.accounts.models import Role
from nms.routes.models import ItemReport, Status
from tests.dashboard.world import make_route
from tests.routes.conftest import TODAY


def register_rows(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("route-list") + query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_register_shows_work_first_and_finished_last(client, actors, two_municipalities):
    a = two_municipalities["a"]
    # Created in the order a «newest first» register would have shown the wrong way round.
    made = {
        status: make_route(a["teacher"], status)
        for status in (
            Status.IN_PROGRESS,
            Status.DRAFT,
            Status.AGREED_SCHOOL,
            Status.COMPOSED,
            Status.AUDIT,
            Status.AGREED_METHODIST,
            Status.CLOSED,
            Status.COMPLETED,
        )
    }
    rows = register_rows(client, actors["cnppm"])
    assert [r.status for r in rows] == [
        Status.COMPOSED,
        Status.AGREED_SCHOOL,
        Status.AGREED_METHODIST,
        Status.AUDIT,
        Status.IN_PROGRESS,
        Status.DRAFT,
        Status.COMPLETED,
        Status.CLOSED,
    ]
    assert {r.pk for r in rows} == {r.pk for r in made.values()}


def test_within_a_state_the_nearest_end_first(client, actors, two_municipalities):
    a = two_municipalities["a"]
    later = make_route(a["teacher"], Status.IN_PROGRESS, ends_in=200)
    sooner = make_route(a["director"], Status.IN_PROGRESS, ends_in=20)
    assert [r.pk for r in register_rows(client, actors["cnppm"])] == [sooner.pk, later.pk]


def test_a_header_sort_still_wins(client, actors, two_municipalities):
    a = two_municipalities["a"]
    make_route(a["teacher"], Status.COMPLETED)
    make_route(a["director"], Status.COMPOSED)
    rows = register_rows(client, actors["cnppm"], "?sort=status")
    assert [r.status for r in rows] == sorted(r.status for r in rows)


def test_register_filters_what_waits_for_the_user(client, actors, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    methodist = actors["methodist"]
    for_school = make_route(a["teacher"], Status.COMPOSED)
    make_route(b["teacher"], Status.COMPOSED)  # another school's
    for_methodist = make_route(a["teacher"], Status.AGREED_SCHOOL, methodist=methodist)
    reported = make_route(a["teacher"], Status.IN_PROGRESS, methodist=methodist)
    ItemReport.objects.create(item=reported.items.first(), author=actors["teacher"], text="Готово")
    audit = make_route(a["director"], Status.IN_PROGRESS, ends_in=10)
    started = make_route(a["director"], Status.DRAFT, starts_ago=0)

    def pks(user, query):
        return {r.pk for r in register_rows(client, user, query)}

    assert pks(actors["school"], "?awaiting=school") == {for_school.pk}
    assert pks(methodist, "?awaiting=methodist") == {for_methodist.pk}
    assert pks(methodist, "?reports=true") == {reported.pk}
    assert reported.pk not in pks(methodist, "?reports=false")
    assert pks(actors["cnppm"], "?audit_due=true") == {audit.pk}
    month = f"{TODAY:%m.%Y}"
    assert started.pk in pks(actors["cnppm"], f"?started={month}")
    earlier = TODAY - timedelta(days=400)
    assert pks(actors["cnppm"], f"?started={earlier:%m.%Y}") == set()
    assert pks(actors["cnppm"], "?started=13.2026") == set()  # not a month: nothing


def test_school_staff_without_results_or_route(client, actors, two_municipalities):
    a = two_municipalities["a"]
    make_route(a["teacher"], Status.DRAFT)
    client.force_login(actors["school"])
    url = reverse("person-list") + f"?organization={a['school'].pk}&has_route=false"
    people = list(client.get(url).context["page"].object_list)
    assert people == [a["director"]]
    assert actors["school"].assignments.get().role == Role.SCHOOL
