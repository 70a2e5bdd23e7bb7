"""A3 «доля педагогов, освоивших программы ФР ДПП, подобранные по результатам диагностики»:
`selectors.a3_counts` in one SQL query against an independent count on a hand-built dataset."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nms.diagnostics.models import AreaScore
from nms.programs.models import Enrollment, EnrollmentStatus
from nms.programs.selectors import a3_counts, completions_q
from nms.registry.models import Employment
from nms.routes.models import RouteItem
from tests.factories import EmploymentFactory, position
from tests.programs.conftest import TODAY
from tests.programs.test_services import open_route

pytestmark = pytest.mark.django_db
SINCE, UNTIL = TODAY - timedelta(days=365), TODAY


@pytest.fixture
def world(two_municipalities, make_programme, make_run, diagnose):
    a, b = two_municipalities["a"], two_municipalities["b"]
    federal = make_programme("ФР методическая", federal=True, codes=("methodical",))
    federal_ict = make_programme("ФР цифровая", federal=True, codes=("ict",))
    own = make_programme("Своя методическая", codes=("methodical",))
    run = make_run(federal, TODAY - timedelta(days=50))
    old_run = make_run(federal, TODAY - timedelta(days=200))
    people = {}

    def teacher(key, organization=a["school"], **kwargs):
        people[key] = EmploymentFactory(organization=organization, **kwargs).person
        return people[key]

    def complete(person, run_, on=None, number=None):
        Enrollment.objects.create(
            run=run_,
            person=person,
            enrolled_on=run_.starts_on,
            status=EnrollmentStatus.COMPLETED,
            completed_on=on or run_.ends_on,
            certificate_number=number or f"{person.pk}-{run_.pk}",
        )

    # counts: a deficit found before the run, a registry programme addressing it
    diagnose(teacher("counts"), TODAY - timedelta(days=100), methodical=30)
    complete(people["counts"], run)
    # counts once although two qualifying completions and two jobs in the municipality
    diagnose(teacher("twice"), TODAY - timedelta(days=100), methodical=30)
    EmploymentFactory(
        person=people["twice"],
        organization=a["school"].__class__.objects.create(
            region=a["school"].region,
            municipality=a["municipality"],
            full_name="Вторая школа",
            short_name="Вторая",
            inn="7700000006",
            kind="general",
        ),
    )
    complete(people["twice"], run)
    complete(people["twice"], make_run(federal, TODAY - timedelta(days=40)))
    # counts: proposed in the route, no diagnostics at all
    teacher("route")
    open_route(people["route"], f"program:{federal_ict.pk}")
    complete(people["route"], make_run(federal_ict))
    # edge: a programme NOT in the federal registry, though it addresses the deficit
    diagnose(teacher("not_federal"), TODAY - timedelta(days=100), methodical=30)
    complete(people["not_federal"], make_run(own))
    # edge: in the registry but unrelated to the person's deficits (ICT programme, methodical gap)
    diagnose(teacher("unrelated"), TODAY - timedelta(days=100), methodical=30, ict=90)
    complete(people["unrelated"], make_run(federal_ict, TODAY - timedelta(days=50)))
    # edge: completed before the diagnostics that found the deficit
    diagnose(teacher("before"), TODAY - timedelta(days=30), methodical=30)
    complete(people["before"], old_run)
    # not in the period: completed more than a year ago
    diagnose(teacher("long_ago"), TODAY - timedelta(days=800), methodical=30)
    complete(people["long_ago"], make_run(federal, TODAY - timedelta(days=500)))
    # dropped out: no completion
    diagnose(teacher("dropped"), TODAY - timedelta(days=100), methodical=30)
    Enrollment.objects.create(
        run=run,
        person=people["dropped"],
        enrolled_on=run.starts_on,
        status=EnrollmentStatus.DROPPED,
    )
    # not a pedagogical worker: neither in the numerator nor in the denominator
    diagnose(
        teacher("director", position=position("директор")),
        TODAY - timedelta(days=100),
        methodical=30,
    )
    complete(people["director"], run)
    # another municipality
    diagnose(
        teacher("elsewhere", organization=b["school"]), TODAY - timedelta(days=100), methodical=30
    )
    complete(people["elsewhere"], run)
    return {"a": a, "b": b, "people": people}


def independent_count(municipality, since, until):
    """The same definition, walked in Python record by record."""
    staff = {
        e.person_id
        for e in Employment.objects.select_related("organization", "position")
        if e.position.is_pedagogical
        and (municipality is None or e.organization.municipality_id == municipality.pk)
    }
    numerator = set()
    for e in Enrollment.objects.filter(completions_q(since, until)).select_related(
        "run__programme"
    ):
        programme = e.run.programme
        if e.person_id not in staff or not programme.in_federal_registry:
            continue
        areas = set(programme.areas.values_list("pk", flat=True))
        deficit = any(
            s.area_id in areas and s.result.taken_on <= e.run.starts_on
            for s in AreaScore.objects.filter(result__person_id=e.person_id, is_deficit=True)
        )
        sources = {f"program:{programme.pk}", f"run:{e.run_id}"}
        proposed = RouteItem.objects.filter(route__person_id=e.person_id, source__in=sources)
        if deficit or proposed.exists():
            numerator.add(e.person_id)
    return len(numerator), len(staff)


def test_a3_equals_the_independent_count(world):
    a = world["a"]
    with CaptureQueriesContext(connection) as queries:
        counts = a3_counts(a["municipality"], since=SINCE, until=UNTIL)
    assert len(queries) == 1
    assert counts == independent_count(a["municipality"], SINCE, UNTIL)
    # By hand: «counts», «twice», «route» of 2 + 10 pedagogical workers (the fixture's two, the
    # eight above without the director; «elsewhere» works in B).
    assert counts == (3, 10)
    assert a3_counts(world["b"]["municipality"], since=SINCE, until=UNTIL) == (1, 3)
    assert a3_counts(None, since=SINCE, until=UNTIL, region=a["municipality"].region) == (4, 13)
    assert a3_counts(None, since=SINCE, until=UNTIL) == independent_count(None, SINCE, UNTIL)


def test_a3_period(world):
    a = world["a"]
    longer = TODAY - timedelta(days=900)
    assert a3_counts(a["municipality"], since=longer, until=UNTIL) == (4, 10)
    assert a3_counts(a["municipality"], since=longer, until=UNTIL) == independent_count(
        a["municipality"], longer, UNTIL
    )
