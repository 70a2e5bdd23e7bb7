"""F-codes (municipal monitoring, tracks 1–3) on hand-built data (the world of conftest.py):
numerator and denominator exactly.

The world's pedagogues: young1, old1 (S1, and part-time at S2), young2, old2 (S2), tutor_k (K)
— 5 in the region, 3 in A (young1, old1, tutor_k), 3 in B (old1, young2, old2); teachers are the
first four; young teachers young1 and young2."""

from datetime import date

import pytest

from nms.monitoring.models import Snapshot
from nms.registry.models import Subject
from tests.monitoring.conftest import BEFORE, IN_PERIOD, created_on
from tests.monitoring.test_indicators_federal import _programme, complete, result

pytestmark = pytest.mark.django_db


def route(person, status="in_progress", *, methodist=None, day=IN_PERIOD, **kwargs):
    from nms.routes.models import Route

    made = Route.objects.create(
        person=person, region=person.region, route_type="deficits", status=status,
        starts_on=date(2025, 1, 15), ends_on=date(2025, 12, 1), methodist=methodist, **kwargs,
    )  # fmt: skip
    created_on(made, day)
    return made


def test_f1_1_teachers_in_federal_diagnostics_by_subject(world, of):
    maths = Subject.objects.get(name="математика")
    world["old2"].employments.get().subjects.add(maths)
    result(world["young1"], "federal", IN_PERIOD)
    result(world["old2"], "federal", IN_PERIOD)
    result(world["old1"], "federal", BEFORE)  # an earlier year
    result(world["tutor_k"], "federal", IN_PERIOD)  # not a teacher
    at = of("F1.1")
    assert at("region") == (1 + 1, 4)
    assert at("a") == (1, 2)
    assert at("b") == (1, 3)
    assert at("s1") == (1, 2)
    assert at("s2") == (1, 3)
    by_subject = Snapshot.objects.get(indicator__code="F1.1", scope_type="region", subject=maths)
    assert (by_subject.numerator, by_subject.denominator) == (1, 1)


def test_f1_2_and_f1_3_regional_and_self_diagnostics(world, of):
    result(world["tutor_k"], "regional", IN_PERIOD)
    result(world["young2"], "self", IN_PERIOD)
    result(world["old2"], "municipal", IN_PERIOD)
    assert of("F1.2")("region") == (1, 5)
    assert of("F1.2")("a") == (1, 3)
    assert of("F1.3")("region") == (2, 5)
    assert of("F1.3")("b") == (2, 3)


def test_f2_1_routes_in_general_schools(world, of):
    route(world["young1"])
    route(world["old2"], status="draft")  # a draft is not a route yet
    route(world["tutor_k"])  # a kindergarten: not general education
    at = of("F2.1")
    assert at("region") == (1, 4)
    assert at("a") == (1, 2)
    assert at("s2") == (0, 3)


def test_f2_3_routes_of_those_in_regional_diagnostics(world, of):
    result(world["young1"], "regional", IN_PERIOD)
    result(world["tutor_k"], "regional", IN_PERIOD)
    route(world["young1"])
    route(world["old2"])  # a route without regional diagnostics: not in the denominator
    at = of("F2.3")
    assert at("region") == (1, 2)
    assert at("k") == (0, 1)


def _event(region, kind="contest", level="regional", starts_on=IN_PERIOD, **kwargs):
    from nms.events.models import Event

    return Event.objects.create(
        region=region, title=f"{kind} {level}", kind=kind, level=level, starts_on=starts_on,
        ends_on=starts_on, **kwargs,
    )  # fmt: skip


def _took_part(event, person, organization, **kwargs):
    from nms.events.models import Participation

    return Participation.objects.create(
        event=event, person=person, organization=organization, **kwargs
    )


def test_f3_2_f8_16_f8_21_contests(world, of):
    contest = _event(world["region"])
    seminar = _event(world["region"], kind="seminar")
    _took_part(contest, world["young2"], world["s2"], stage="regional")
    _took_part(seminar, world["old1"], world["s1"])
    assert of("F3.2")("region") == (1, 5)
    assert of("F8.16")("region") == (1, 2)
    assert of("F8.16")("b") == (1, 1)
    assert of("F8.21")("region") == (1, 5)
    assert of("F8.22")("region") == (0, None)


def test_f4_2_routes_with_a_methodist(world, of, make_user):
    from nms.accounts.models import Role

    methodist = make_user(Role.METHODIST)
    route(world["young1"], methodist=methodist)
    route(world["young2"])  # no methodist nor tutor
    route(world["tutor_k"], status="draft", methodist=methodist)  # a draft
    at = of("F4.2")
    assert at("region") == (1, 5)
    assert at("s1") == (1, 2)


def test_f5_4_regional_experts(world, of):
    from nms.support.models import ExpertRole

    ExpertRole.objects.create(
        region=world["region"], person=world["old2"], kind="jury", level="regional",
        starts_on=date(2024, 9, 1),
    )  # fmt: skip
    ExpertRole.objects.create(  # a municipal one does not count
        region=world["region"], person=world["young1"], kind="jury", level="municipal",
        starts_on=date(2025, 1, 1),
    )  # fmt: skip
    assert of("F5.4")("region") == (1, 5)
    assert of("F5.4")("b") == (1, 3)


def test_f6_2_part_time(world, of):
    at = of("F6.2")
    assert at("region") == (1, 5)
    assert at("s1") == (0, 2)
    assert at("s2") == (1, 3)
    assert at("a") == (0, 3)
    assert at("b") == (1, 3)
    snapshot = Snapshot.objects.get(indicator__code="F6.2", scope_type="region")
    assert snapshot.target == 10 and snapshot.met is False  # 20% is above «менее 10%»


def test_f6_4_load_of_27_hours_over_all_employments(world, of):
    at = of("F6.4")
    assert at("region") == (2, 5)  # old1: 20 + 10; young2: 27
    assert at("s1") == (1, 2)
    assert at("s2") == (2, 3)


def _pair(world, mentor, mentee, organization, starts_on=date(2025, 2, 1), **kwargs):
    from nms.mentoring.models import Pair

    return Pair.objects.create(
        mentor=world[mentor], mentee=world[mentee], form="teacher_teacher",
        organization=world[organization], starts_on=starts_on, **kwargs,
    )  # fmt: skip


def test_f8_3_f8_4_f8_13_f8_19_mentoring(world, of):
    _pair(world, "old1", "young1", "s1")
    _pair(
        world,
        "old2",
        "tutor_k",
        "k",
        starts_on=date(2023, 1, 1),
        status="completed",
        completed_on=date(2024, 5, 1),
    )  # fmt: skip  (over before the period)
    assert of("F8.3")("region") == (1, 2)
    assert of("F8.3")("b") == (0, 1)
    assert of("F8.4")("region") == (1, 5)
    assert of("F8.4")("s2") == (1, 3)  # the mentor counts where they work
    assert of("F8.13")("region") == (1, None)
    assert of("F8.19")("region") == (2, 5)


def test_f8_10_young_with_a_methodist(world, of):
    from nms.support.models import Caseload

    Caseload.objects.create(
        region=world["region"], methodist=world["old2"], teacher=world["young2"],
        assigned_on=date(2025, 1, 1),
    )  # fmt: skip
    route(world["young1"])  # a route without a methodist
    at = of("F8.10")
    assert at("region") == (1, 2)
    assert at("b") == (1, 1)
    assert at("a") == (0, 1)


def test_f9_courses_by_topic(world, of):
    region = world["region"]
    fgos = _programme(region, federal=True, topics=["fgos"])
    preschool = _programme(region, federal=False, topics=["preschool"])
    retraining = _programme(region, federal=False, topics=["digital"], kind="pp")
    complete(fgos, world["young1"], world["s1"])
    complete(fgos, world["old2"], world["s2"], on=BEFORE)  # before the period
    complete(preschool, world["tutor_k"], world["k"])
    complete(retraining, world["young2"], world["s2"])
    assert of("F9.1")("region") == (2, 5)  # ПК only: not the retraining
    assert of("F9.2")("region") == (1, 5)  # the federal registry
    assert of("F9.3")("region") == (1, 4)  # ФГОС among general education
    assert of("F9.4")("region") == (1, 5)  # ЦОС
    assert of("F9.14")("region") == (1, 1)  # preschool pedagogues
    assert of("F9.14")("a") == (1, 1)


def test_f9_15_tech_subjects_teachers(world, of):
    maths = Subject.objects.get(name="математика")
    world["old2"].employments.get().subjects.add(maths)
    world["young2"].employments.get().subjects.add(maths)
    tech = _programme(world["region"], federal=True, topics=["tech"])
    complete(tech, world["old2"], world["s2"])
    complete(tech, world["young1"], world["s1"])  # not a teacher of these subjects
    assert of("F9.15")("region") == (1, 2)
