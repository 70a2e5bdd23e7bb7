"""Young teachers (the registry's rule): the forms of support each receives, those with none for
the municipal coordinator, and A6/C25 per municipality equal to a count made by hand."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from nms.routes.models import Route
from nms.support import selectors
from nms.support.models import SupportAct
from tests.factories import EmploymentFactory
from tests.support.conftest import TODAY

pytestmark = pytest.mark.django_db


def young(school, **person):
    """Born 25 years ago, one year of experience: young by the registry's rule."""
    birth = TODAY.replace(year=TODAY.year - 25) - timedelta(days=3)
    return EmploymentFactory(
        organization=school, person__birth_date=birth, experience_years=1,
        experience_as_of=TODAY, **{f"person__{k}": v for k, v in person.items()},
    ).person  # fmt: skip


@pytest.fixture
def cohort(world):
    a, b = world["a"]["school"], world["b"]["school"]
    people = {
        "route_a": young(a), "act_a": young(a), "none_a": young(a), "mentee_b": young(b),
        "event_b": young(b), "none_b": young(b), "both": young(a),
    }  # fmt: skip
    EmploymentFactory(person=people["both"], organization=b, is_part_time=True,
                      experience_years=1, experience_as_of=TODAY)  # fmt: skip
    old = EmploymentFactory(organization=a, person__birth_date=date(1970, 1, 1)).person
    region = a.region
    Route.objects.create(person=people["route_a"], region=region, route_type="deficits",
                         starts_on=TODAY, ends_on=TODAY + timedelta(days=90))  # fmt: skip
    Route.objects.create(person=old, region=region, route_type="deficits",
                         starts_on=TODAY, ends_on=TODAY + timedelta(days=90))  # fmt: skip
    SupportAct.objects.create(region=region, kind="consultation", held_on=TODAY,
                              person=people["act_a"], topic="Первые уроки")  # fmt: skip
    SupportAct.objects.create(region=region, kind="consultation", held_on=TODAY,
                              person=people["both"], topic="Первые уроки")  # fmt: skip
    apps.get_model("mentoring", "Pair").objects.create(
        mentor=old, mentee=people["mentee_b"], form="teacher_teacher", starts_on=TODAY
    )
    event = apps.get_model("events", "Event").objects.create(
        region=region, title="Слёт молодых педагогов", kind="forum", level="regional",
        starts_on=TODAY, ends_on=TODAY,
    )  # fmt: skip
    apps.get_model("events", "Participation").objects.create(
        event=event, person=people["event_b"], role="participant"
    )
    return people


def test_the_share_per_municipality_equals_a_count_by_hand(world, cohort):
    a, b = world["a"]["municipality"], world["b"]["municipality"]
    # By hand: A has route_a, act_a, none_a, both (+ the fixtures' older staff, not young);
    # B has mentee_b, event_b, none_b and `both` (part-time there).
    expected = {a.pk: (4, 3), b.pk: (4, 3)}
    rows = selectors.young_teachers_support(world["ministry"])
    got = {r["municipality_id"]: (r["young"], r["supported"]) for r in rows}
    assert got == expected
    assert {r["share"] for r in rows} == {75.0}
    # The same from the rule of the registry person by person (an independent count).
    for municipality in (a, b):
        people = {
            e.person for e in
            apps.get_model("registry", "Employment").objects.filter(
                organization__municipality=municipality
            ).select_related("person")
        }  # fmt: skip
        youngs = [p for p in people if p.is_young_teacher(TODAY)]
        supported = [p for p in youngs if p not in (cohort["none_a"], cohort["none_b"])]
        assert (len(youngs), len(supported)) == expected[municipality.pk]


def test_those_without_support_for_the_municipal_coordinator(world, cohort):
    found = set(selectors.young_without_support(world["municipal"]))
    assert found == {cohort["none_a"]}  # municipality A only
    client = Client()
    client.force_login(world["municipal"])
    page = client.get(reverse("support-young"))
    assert page.status_code == 200
    text = page.content.decode()
    assert cohort["none_a"].last_name in text and cohort["none_b"].last_name not in text


def test_each_young_teacher_with_the_forms(world, cohort):
    rows = {p.pk: p for p in selectors.young_teachers(world["ministry"])}
    assert rows[cohort["mentee_b"].pk].has_mentoring and not rows[cohort["mentee_b"].pk].has_route
    assert rows[cohort["event_b"].pk].has_events
    assert rows[cohort["both"].pk].has_acts


def test_a_teacher_has_no_such_page(world, cohort):
    client = Client()
    client.force_login(world["teacher"])
    assert client.get(reverse("support-young")).status_code == 404


def test_a_mentee_of_a_group_pair_is_supported(world, cohort):
    """A group pair's other mentees (its members) receive mentoring as its first mentee does."""
    pair = apps.get_model("mentoring", "Pair").objects.get(mentee=cohort["mentee_b"])
    pair.members.add(cohort["none_b"])
    rows = {p.pk: p for p in selectors.young_teachers(world["ministry"])}
    assert rows[cohort["none_b"].pk].has_mentoring
    assert not rows[cohort["none_a"].pk].has_mentoring
    assert set(selectors.young_without_support(world["ministry"])) == {cohort["none_a"]}
