"""Building blocks of the home page's test worlds: routes in a state, an open procedure, and a
populated territory where every figure of every role has rows to count."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from nms.diagnostics.models import (
    Attempt,
    AttemptStatus,
    Group,
    Membership,
    Procedure,
    ResultSource,
    Variant,
)
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.routes.models import ItemReport, ItemStatus, Route, RouteItem, Status
from tests.factories import EmploymentFactory
from tests.routes.conftest import TODAY

PAST = TODAY - timedelta(days=5)


def make_route(
    person,
    status=Status.IN_PROGRESS,
    *,
    overdue=False,
    methodist=None,
    items=2,
    ends_in=120,
    starts_ago=60,
):
    """A route of the person in a given state; with `overdue`, its first item is past due."""
    route = Route.objects.create(
        person=person,
        region=person.region,
        route_type="deficits",
        status=status,
        starts_on=TODAY - timedelta(days=starts_ago),
        ends_on=TODAY + timedelta(days=ends_in),
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


def open_procedure(region, people, name="Региональная входная диагностика"):
    """A procedure under way with one group of `people` (a person or a list) and its variant."""
    procedure = Procedure.objects.create(
        region=region,
        name=name,
        level="regional",
        kind="entry",
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=10),
    )
    group = Group.objects.create(procedure=procedure, number=1, name="Группа 1")
    for person in people if isinstance(people, list | tuple) else [people]:
        Membership.objects.create(group=group, person=person, procedure=procedure)
    Variant.objects.create(group=group)
    return procedure


def external_procedure(region, name, taken_on, kind="entry"):
    return Procedure.objects.create(
        region=region, name=name, level="regional", kind=kind,
        starts_on=taken_on, ends_on=taken_on, is_external=True,
    )  # fmt: skip


def record(person, procedure, taken_on, deficit: bool):
    """A result: methodical 40 % (a deficit) or 90 %, ICT 80 %."""
    areas = {a.code: a for a in CompetencyArea.objects.filter(code__in=("methodical", "ict"))}
    methodical = Decimal(4 if deficit else 9)
    return result_record(
        person.pk,
        procedure,
        taken_on,
        {areas["methodical"]: (methodical, Decimal(10)), areas["ict"]: (Decimal(8), Decimal(10))},
        ResultSource.IMPORT,
    )


STATES = [
    # status, overdue, audit due (ends within a month), with a pending report
    (Status.DRAFT, False, False, False),
    (Status.COMPOSED, False, False, False),
    (Status.AGREED_SCHOOL, False, False, False),
    (Status.AGREED_METHODIST, False, False, False),
    (Status.IN_PROGRESS, True, False, True),
    (Status.IN_PROGRESS, False, True, False),
    (Status.AUDIT, True, False, False),
    (Status.COMPLETED, True, False, False),
    (Status.CLOSED, False, False, False),
]


def populate(schools, region, methodist, per_school: int, author, batch: str = "") -> None:
    """`per_school` more workers at each school (`schools`: organizations). Each has a route in one
    of the states in turn (every other one with the methodist), a result (every third one with
    no result, every other one with a deficit); half of them are in an open procedure, of whom
    some started and some finished. Every `len(STATES) + 1`-th worker has no route."""
    earlier = external_procedure(
        region, f"Входная диагностика прошлого года {batch}".strip(), TODAY - timedelta(30)
    )
    people = []
    for school in schools:
        for n in range(per_school):
            people.append((n, EmploymentFactory(organization=school).person))
    in_procedure = [p for n, p in people if n % 2 == 0]
    procedure = open_procedure(
        region, in_procedure, f"Диагностика функциональной грамотности {batch}".strip()
    )
    variant = procedure.groups.get().variant
    now = timezone.now()
    for i, (n, person) in enumerate(people):
        state = i % (len(STATES) + 1)
        if i % 2 == 0:
            methodist.assigned_people.add(person)  # in care: the methodist sees them
        if state < len(STATES):
            status, overdue, audit_due, report = STATES[state]
            route = make_route(
                person,
                status,
                overdue=overdue,
                methodist=methodist if i % 2 == 0 else None,
                ends_in=20 if audit_due else 120,
                starts_ago=30 * (i % 13),
            )
            if report:
                item = route.items.order_by("position").last()
                item.status = ItemStatus.REPORTED
                item.save(update_fields=["status"])
                ItemReport.objects.create(item=item, author=author, text="Прошёл курс")
        if i % 3:
            record(person, earlier, TODAY - timedelta(30), deficit=i % 2 == 0)
        if person in in_procedure and n % 4 == 0:
            finished = n % 8 == 0
            Attempt.objects.create(
                person=person,
                variant=variant,
                procedure=procedure,
                started_at=now,
                status=AttemptStatus.SUBMITTED if finished else AttemptStatus.IN_PROGRESS,
            )
            if finished:
                record(person, procedure, TODAY, deficit=True)
