"""A3–A6 on hand-built data (the world of conftest.py): numerator and denominator exactly, by
region, municipality and organization."""

from datetime import date
from decimal import Decimal

import pytest

from nms.monitoring.models import Indicator, Snapshot
from tests.monitoring.conftest import BEFORE, IN_PERIOD, hire

pytestmark = pytest.mark.django_db


def _programme(region, *, federal, areas=(), topics=(), kind="pk"):
    from nms.programs.models import Programme, Run

    programme = Programme.objects.create(
        region=region, title=f"ДПП {Programme.objects.count() + 1}", hours=36,
        in_federal_registry=federal, topics=list(topics), kind=kind,
    )  # fmt: skip
    programme.areas.set(areas)
    run = Run.objects.create(
        programme=programme, starts_on=date(2025, 2, 1), ends_on=date(2025, 3, 1)
    )
    return run


def complete(run, person, organization, on=date(2025, 3, 1)):
    from nms.programs.models import Enrollment

    return Enrollment.objects.create(
        run=run, person=person, organization=organization, status="completed",
        enrolled_on=run.starts_on, completed_on=on,
        certificate_number=f"У-{Enrollment.objects.count() + 1}",
    )  # fmt: skip


def result(person, level, taken_on, *, deficit_area=None):
    from nms.diagnostics.models import AreaScore, Procedure, Result

    procedure, _ = Procedure.objects.get_or_create(
        region=person.region, name=f"Диагностика {level} {taken_on.year}",
        defaults={"level": level, "starts_on": date(taken_on.year, 1, 1),
                  "ends_on": date(taken_on.year, 12, 31)},
    )  # fmt: skip
    found = Result.objects.create(
        person=person, procedure=procedure, taken_on=taken_on, source="import",
        share=Decimal(40), has_deficit=deficit_area is not None,
    )  # fmt: skip
    if deficit_area is not None:
        AreaScore.objects.create(
            result=found, area=deficit_area, score=2, max_score=10, share=20, is_deficit=True
        )
    return found


def area():
    from nms.itembank.models import CompetencyArea

    return CompetencyArea.objects.order_by("pk").first() or CompetencyArea.objects.create(
        code="methods", name="Методические компетенции"
    )


def test_a3_federal_programmes_chosen_by_diagnostics(world, of):
    region, deficit = world["region"], area()
    federal = _programme(region, federal=True, areas=[deficit])
    own = _programme(region, federal=False, areas=[deficit])
    # young1: deficit found before the run, federal programme addressing it — counts.
    result(world["young1"], "regional", date(2025, 1, 10), deficit_area=deficit)
    complete(federal, world["young1"], world["s1"])
    # old2: the federal programme without any deficit — does not count.
    complete(federal, world["old2"], world["s2"])
    # young2: a deficit, but a programme outside the federal registry — does not count.
    result(world["young2"], "regional", date(2025, 1, 10), deficit_area=deficit)
    complete(own, world["young2"], world["s2"])
    # old1: the deficit found after the run had started — does not count.
    result(world["old1"], "regional", date(2025, 3, 1), deficit_area=deficit)
    complete(federal, world["old1"], world["s1"])

    at = of("A3")
    assert at("region") == (1, 5)
    assert at("a") == (1, 3)
    assert at("b") == (0, 3)
    assert at("s1") == (1, 2)
    assert at("s2") == (0, 3)
    assert at("k") == (0, 1)
    snapshot = Snapshot.objects.get(indicator__code="A3", scope_type="region")
    assert snapshot.value == Decimal("20.00")
    assert snapshot.target == Decimal(30)  # «2024 ≥30%» still holds in 2025
    assert snapshot.met is False

    # The programmes' own selector gives the same counts for the region and municipalities.
    a3 = Indicator.objects.get(region__isnull=True, code="A3")
    Indicator.objects.filter(pk=a3.pk).update(
        parameters={**a3.parameters, "use_programs_selector": True}
    )
    by_selector = of("A3")
    assert [by_selector(k) for k in ("region", "a", "b", "s1")] == [
        (1, 5), (1, 3), (0, 3), (1, 2),
    ]  # fmt: skip


def test_a4_management_teams_trained(world, of):
    region = world["region"]
    head_k = hire(world["tutor_k"].__class__.objects.create(
        region=region, last_name="Заведующая", first_name="Анна", birth_date=date(1970, 1, 1),
        sex="F", snils="112-233-445 95",
    ), world["k"], "заведующий", manager_kind="head", experience_years=25).person  # fmt: skip
    run = _programme(region, federal=True)
    complete(run, world["head1"], world["s1"])  # S1's team took part
    complete(run, world["old2"], world["s2"])  # S2 has no management team: not counted
    complete(run, head_k, world["k"], on=BEFORE)  # K's head — before the period

    at = of("A4")
    assert at("region") == (1, 2)
    assert at("a") == (1, 2)
    assert at("b") == (0, 0)
    assert at("s1") == (1, 1)
    assert at("k") == (0, 1)
    assert at("s2") == (0, 0)


def test_a5_workers_per_regional_methodist(world, of):
    from nms.support.models import ActiveMembership

    region = world["region"]
    ActiveMembership.objects.create(
        region=region, person=world["old2"], role="methodist", level="regional",
        municipality=world["b"], starts_on=date(2024, 1, 1), status="approved",
    )  # fmt: skip
    ActiveMembership.objects.create(  # a candidate is not a member yet
        region=region, person=world["old1"], role="methodist", level="regional",
        starts_on=date(2024, 1, 1), status="candidate",
    )  # fmt: skip
    ActiveMembership.objects.create(  # left before the period
        region=region, person=world["tutor_k"], role="methodist", level="regional",
        starts_on=date(2023, 1, 1), ends_on=date(2024, 6, 1), status="approved",
    )  # fmt: skip

    at = of("A5")
    assert at("region") == (6, 1)
    assert at("b") == (3, 1)
    assert at("a") == (4, 0)
    assert at("s2") == (3, 1)
    snapshot = Snapshot.objects.get(indicator__code="A5", scope_type="region")
    assert snapshot.value == Decimal("6.00")
    assert snapshot.target == Decimal(250) and snapshot.met is True  # «не более 250»
    assert (
        Snapshot.objects.get(
            indicator__code="A5", scope_type="municipality", scope_id=world["a"].pk
        ).value
        is None
    )  # no methodist: no ratio


def test_a6_young_teachers_in_support(world, of):
    from nms.events.models import Event, Participation
    from nms.mentoring.models import Pair
    from nms.support.models import SupportAct

    region = world["region"]
    Pair.objects.create(
        mentor=world["old1"], mentee=world["young1"], form="teacher_teacher",
        organization=world["s1"], starts_on=date(2025, 2, 1),
    )  # fmt: skip
    SupportAct.objects.create(  # support of someone not young: not in the indicator
        region=region, kind="consultation", held_on=IN_PERIOD, topic="Урок", person=world["old2"]
    )
    event = Event.objects.create(
        region=region, title="Семинар", kind="seminar", level="regional",
        starts_on=BEFORE, ends_on=BEFORE,
    )  # fmt: skip
    Participation.objects.create(event=event, person=world["young2"], organization=world["s2"])

    at = of("A6")
    assert at("region") == (1, 2)
    assert at("a") == (1, 1)
    assert at("b") == (0, 1)
    assert at("s1") == (1, 1)
    assert at("s2") == (0, 1)
    assert at("k") == (0, 0)

    # A form of support in the period makes young2 count too.
    SupportAct.objects.create(
        region=region, kind="consultation", held_on=IN_PERIOD, topic="ИОМ", person=world["young2"]
    )
    assert of("A6")("region") == (2, 2)
