"""Services of the app programs: the catalogue, enrollments, completions, teams, post-course
support, and the route integration (items closed by a completion, suggestions)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.common.concurrency import StaleRecord
from nms.programs import selectors, services
from nms.programs.models import Enrollment, EnrollmentStatus, Programme
from nms.routes.models import ItemStatus, Route, RouteItem, RouteType, Status
from nms.routes.suggestions import SOURCES, Suggestion, suggest
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
)
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def other_region_person():
    other = RegionFactory(name="Другая область", code="98")
    school = OrganizationFactory(municipality=MunicipalityFactory(region=other))
    return EmploymentFactory(organization=school, person=PersonFactory(region=other)).person


def open_route(person, *sources, status=Status.IN_PROGRESS, area=None):
    route = Route.objects.create(
        person=person,
        region_id=person.region_id,
        route_type=RouteType.DEFICITS,
        status=status,
        starts_on=TODAY - timedelta(days=90),
        ends_on=TODAY + timedelta(days=90),
    )
    for number, source in enumerate(sources, start=1):
        RouteItem.objects.create(
            route=route,
            position=number,
            level="regional",
            activity_kind="program",
            title=f"Пункт {number}",
            source=source,
            area=area,
            starts_on=TODAY,
            due_on=TODAY + timedelta(days=30),
            result_form="удостоверение",
        )
    return route


# -- the catalogue -------------------------------------------------------------------------------
def test_programme_create_and_rules(users, region, areas):
    data = {"title": "Новая", "hours": 36, "topics": ["fgos", "digital"], "areas": [areas["ict"]]}
    programme = services.programme_create(users["cnppm"], data)
    assert programme.region == region and programme.topic_labels[0] == "обновлённые ФГОС"
    assert list(programme.areas.all()) == [areas["ict"]]
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            users["cnppm"], {"title": "Ф", "hours": 36, "in_federal_registry": True}
        )
    assert "federal_number" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.programme_create(users["cnppm"], {"title": "Т", "hours": 36, "topics": ["xx"]})
    with pytest.raises(PermissionDenied):
        services.programme_create(users["methodist"], data)
    assert Programme.objects.count() == 1


def test_programme_stale_update_is_refused(users, make_programme):
    programme = make_programme("Старая")
    version = programme.version
    services.programme_update(users["cnppm"], programme, {"title": "Первая"}, version)
    with pytest.raises(StaleRecord):
        services.programme_update(
            users["cnppm"], Programme.objects.get(pk=programme.pk), {"hours": 72}, version
        )
    programme.refresh_from_db()
    assert programme.title == "Первая" and programme.hours == 36


def test_run_stale_update_is_refused(users, make_programme, make_run):
    run = make_run(make_programme())
    version = run.version
    services.run_update(users["cnppm"], run, {"group_name": "А"}, version)
    with pytest.raises(StaleRecord):
        services.run_update(
            users["cnppm"], type(run).objects.get(pk=run.pk), {"place": "Б"}, version
        )
    run.refresh_from_db()
    assert (run.group_name, run.place) == ("А", "")
    with pytest.raises(ValidationError):
        services.run_update(users["cnppm"], run, {"ends_on": run.starts_on - timedelta(days=1)})


# -- enrollments and «chosen from diagnostics» -------------------------------------------------
def test_enroll_records_workplace_and_refuses_twice(
    users, two_municipalities, make_programme, make_run
):
    teacher = two_municipalities["a"]["teacher"]
    run = make_run(make_programme())
    enrollment = services.enroll(users["methodist"], run, teacher)
    assert enrollment.organization == two_municipalities["a"]["school"]
    assert enrollment.status == EnrollmentStatus.ENROLLED and not enrollment.chosen_from_diagnostics
    with pytest.raises(ValidationError, match="уже зачислен"):
        services.enroll(users["methodist"], run, teacher)
    for role in ("school", "municipal", "teacher", "ministry"):
        with pytest.raises(PermissionDenied):
            services.enroll(users[role], run, two_municipalities["a"]["director"])


def test_enroll_outside_the_region_is_refused(users, make_programme, make_run):
    stranger = other_region_person()
    with pytest.raises(ValidationError, match="вне вашей области"):
        services.enroll(users["cnppm"], make_run(make_programme()), stranger)


def test_chosen_from_diagnostics(users, two_municipalities, make_programme, make_run, diagnose):
    a = two_municipalities["a"]
    methodical = make_programme("Методическая", codes=("methodical",))
    ict = make_programme("ИКТ", codes=("ict",))
    diagnose(a["teacher"], methodical=30, ict=90)
    assert services.enroll(
        users["cnppm"], make_run(methodical), a["teacher"]
    ).chosen_from_diagnostics
    assert not services.enroll(users["cnppm"], make_run(ict), a["teacher"]).chosen_from_diagnostics
    # An older deficit does not count: the latest result decides.
    diagnose(a["director"], TODAY - timedelta(days=300), methodical=20)
    diagnose(a["director"], TODAY - timedelta(days=30), methodical=90)
    assert not services.enroll(
        users["cnppm"], make_run(methodical), a["director"]
    ).chosen_from_diagnostics
    # Proposed in the route (an item pointing at the programme) is chosen too.
    open_route(a["director"], f"program:{ict.pk}")
    assert services.enroll(users["cnppm"], make_run(ict), a["director"]).chosen_from_diagnostics


# -- completion ---------------------------------------------------------------------------------
def test_completion_closes_the_route_item(users, two_municipalities, make_programme, make_run):
    teacher = two_municipalities["a"]["teacher"]
    programme = make_programme()
    run = make_run(programme)
    route = open_route(teacher, f"program:{programme.pk}", "free text", f"run:{run.pk + 100}")
    enrollment = services.enroll(users["methodist"], run, teacher)
    services.enrollment_complete(
        users["methodist"],
        enrollment,
        completed_on=run.ends_on,
        certificate_number="77-001",
        expected_version=enrollment.version,
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.certificate_number == "77-001"
    statuses = dict(route.items.values_list("position", "status"))
    assert statuses == {1: ItemStatus.DONE, 2: ItemStatus.PLANNED, 3: ItemStatus.PLANNED}
    report = route.items.get(position=1).reports.get()
    assert f"удостоверение № 77-001 от {run.ends_on:%d.%m.%Y}" == report.text


def test_completion_rules(users, two_municipalities, make_programme, make_run):
    a = two_municipalities["a"]
    run = make_run(make_programme())
    first = services.enroll(users["cnppm"], run, a["teacher"])
    second = services.enroll(users["cnppm"], run, a["director"])
    services.enrollment_complete(
        users["cnppm"], first, completed_on=run.ends_on, certificate_number="A-1"
    )
    with pytest.raises(ValidationError, match="уже записано"):
        services.enrollment_complete(
            users["cnppm"], second, completed_on=run.ends_on, certificate_number="A-1"
        )
    with pytest.raises(ValidationError) as error:
        services.enrollment_complete(
            users["cnppm"],
            second,
            completed_on=run.starts_on - timedelta(days=1),
            certificate_number="A-2",
        )
    assert "completed_on" in error.value.message_dict
    with pytest.raises(ValidationError, match="состоянии"):
        services.enrollment_complete(
            users["cnppm"],
            Enrollment.objects.get(pk=first.pk),
            completed_on=run.ends_on,
            certificate_number="A-3",
        )
    with pytest.raises(StaleRecord):
        services.enrollment_complete(
            users["cnppm"],
            second,
            completed_on=run.ends_on,
            certificate_number="A-4",
            expected_version=99,
        )
    services.enrollment_drop(users["cnppm"], Enrollment.objects.get(pk=second.pk), reason="болезнь")
    second.refresh_from_db()
    assert (second.status, second.drop_reason) == (EnrollmentStatus.DROPPED, "болезнь")
    with pytest.raises(PermissionDenied):
        services.enrollment_drop(users["school"], first)


# -- teams ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, expected", [("any", True), ("all", False)])
def test_team_participation_rule(
    settings, rule, expected, users, two_municipalities, make_programme, make_run
):
    settings.NMS_TEAM_PARTICIPATION = rule
    school = two_municipalities["a"]["school"]
    deputy = EmploymentFactory(organization=school, manager_kind="deputy").person
    run = make_run(make_programme("Команды"))
    team = services.team_enroll(users["cnppm"], run, school)
    members = {e.person_id: e for e in team.members.all()}
    assert set(members) == {two_municipalities["a"]["director"].pk, deputy.pk}
    assert not selectors.team_participated(team)
    services.enrollment_complete(
        users["cnppm"], members[deputy.pk], completed_on=run.ends_on, certificate_number="T-1"
    )
    assert selectors.team_participated(team) is expected
    assert (
        type(team).objects.filter(selectors.teams_participated_q(), pk=team.pk).exists() is expected
    )
    services.enrollment_complete(
        users["cnppm"],
        Enrollment.objects.get(person=two_municipalities["a"]["director"], run=run),
        completed_on=run.ends_on,
        certificate_number="T-2",
    )
    assert selectors.team_participated(team)
    with pytest.raises(ValidationError, match="уже зачислена"):
        services.team_enroll(users["cnppm"], run, school)


# -- post-course support ---------------------------------------------------------------------
def test_post_course_route(users, two_municipalities, make_programme, make_run):
    teacher = two_municipalities["a"]["teacher"]
    run = make_run(make_programme())
    enrollment = services.enroll(users["cnppm"], run, teacher)
    with pytest.raises(ValidationError, match="после завершения"):
        services.open_post_course_route(users["cnppm"], enrollment)
    services.enrollment_complete(
        users["cnppm"], enrollment, completed_on=run.ends_on, certificate_number="P-1"
    )
    enrollment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.open_post_course_route(users["methodist"], enrollment)
    route = services.open_post_course_route(users["cnppm"], enrollment)
    assert route.route_type == RouteType.POST_COURSE and route.person == teacher
    assert route.versions.get().snapshot["route_type"] == RouteType.POST_COURSE


# -- suggestions -------------------------------------------------------------------------------
def test_suggestions_offer_federal_registry_programmes_first(region, areas, make_programme):
    own = make_programme("А собственная", codes=("ict",))
    federal = make_programme("Я федеральная", federal=True, codes=("ict",), federal_number="2024-7")
    make_programme("Другая область", federal=True, codes=("methodical",))
    found = selectors.suggestion_source(areas["ict"], [], region.pk)
    assert [s.source for s in found] == [f"program:{federal.pk}", f"program:{own.pk}"]
    assert found[0].why == "ФР ДПП № 2024-7" and isinstance(found[0], Suggestion)
    assert selectors.suggestion_source in SOURCES


def test_route_suggest_offers_the_registry_programme_for_a_deficit(
    users, two_municipalities, areas, make_programme
):
    federal = make_programme("Цифровая школа", federal=True, codes=("ict",))
    route = open_route(two_municipalities["a"]["teacher"])
    route.deficits = [
        {
            "area_id": areas["ict"].pk,
            "area": areas["ict"].name,
            "score": "2",
            "max_score": "10",
            "share": "20",
            "is_deficit": True,
        }
    ]
    proposals = suggest(route)
    first = proposals[areas["ict"].name][0]
    assert first.source == f"program:{federal.pk}" and "ФР ДПП" in first.why
