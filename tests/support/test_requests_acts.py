"""Requests for help: routed to the methodist of the subject and territory, answered, the time to
answer and the deadline tracked. Support acts: to a person, an organization or a team; an act
for a person closes the route items that name it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nms.routes.models import ItemStatus, Route, RouteItem, Status
from nms.support import selectors, services
from nms.support.models import HelpRequest, RequestStatus, SupportAct
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.support.conftest import TODAY, approved_methodist, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def physics_b(world):
    """A second methodist: physics, in municipality B."""
    institute = OrganizationFactory(municipality=world["b"]["municipality"], kind="institute")
    person = EmploymentFactory(organization=institute).person
    approved_methodist(
        person, subjects=[subject("Физика")], municipality=world["b"]["municipality"]
    )
    return person


def ask(user, **data):
    data.setdefault("topic", "Оценивание")
    data.setdefault("question", "Как оценивать проекты?")
    return services.request_create(user, data)


def test_a_teachers_request_goes_to_the_methodist_of_subject_and_territory(world, physics_b):
    maths = ask(world["teacher"], subject=world["maths"])
    assert (
        maths.person == world["a"]["teacher"] and maths.municipality == world["a"]["municipality"]
    )
    assert maths.methodist == world["methodist_person"]
    physics = ask(world["teacher"], subject=subject("Физика"))
    assert physics.methodist == physics_b  # the subject over the territory
    none = ask(world["teacher"])
    assert none.methodist == world["methodist_person"]  # the territory


def test_the_teachers_own_methodist_first(world, physics_b):
    from nms.support.caseloads import caseload_assign

    caseload_assign(world["cnppm"], physics_b, world["a"]["teacher"])
    request = ask(world["teacher"])
    assert request.methodist == physics_b


def test_a_school_asks_for_itself(world):
    request = ask(world["school"], requester_kind="team")
    assert request.organization == world["a"]["school"] and request.person is None


def test_a_teacher_asks_only_for_themself(world):
    with pytest.raises(ValidationError, match="Не найден"):
        ask(world["teacher"], person=world["a"]["director"])


def test_deadline_urgent_and_normal(world, settings):
    settings.NMS_ANSWER_DAYS = 5
    settings.NMS_URGENT_ANSWER_DAYS = 1
    normal = ask(world["teacher"])
    urgent = ask(world["teacher"], urgency="urgent")
    assert (normal.deadline - normal.created_at) == timedelta(days=5)
    assert (urgent.deadline - urgent.created_at) == timedelta(days=1)


def test_answer_tracks_the_time_and_overdue(world):
    request = ask(world["teacher"])
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    request.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.request_answer(world["teacher"], request, "Вот так.")
    with pytest.raises(PermissionDenied):
        services.request_answer(world["methodist"], request, "Не мой.")  # not addressed to
    answered = services.request_answer(world["rma_methodist"], request, "Критерии — в ответе.")
    assert answered.status == RequestStatus.ANSWERED
    assert timedelta(hours=29) < answered.answer_time < timedelta(hours=31)
    assert not answered.is_overdue()
    with pytest.raises(ValidationError, match="уже ответили"):
        services.request_answer(world["rma_methodist"], answered, "Ещё раз.")


def test_overdue_flags(world):
    waiting = ask(world["teacher"], topic="Ждёт")
    late = ask(world["teacher"], topic="Опоздал")
    in_time = ask(world["teacher"], topic="Вовремя")
    past = timezone.now() - timedelta(days=1)
    HelpRequest.objects.filter(pk=waiting.pk).update(deadline=past)
    services.request_answer(world["rma_methodist"], in_time, "Да.")
    services.request_answer(world["rma_methodist"], late, "Поздно.")
    HelpRequest.objects.filter(pk=late.pk).update(deadline=past - timedelta(days=1))
    overdue = set(HelpRequest.objects.filter(selectors.overdue_q()).values_list("topic", flat=True))
    assert overdue == {"Ждёт", "Опоздал"}


def test_stale_answer_refused(world):
    request = ask(world["teacher"])
    version = request.version
    services.request_redirect(world["cnppm"], request, world["methodist_person"], version)
    with pytest.raises(ValidationError, match="изменили"):
        services.request_answer(
            world["rma_methodist"], HelpRequest.objects.get(pk=request.pk), "Да", version
        )


# -- support acts ---------------------------------------------------------------------------
def _route_with_item(person, source):
    route = Route.objects.create(
        person=person, region=person.region, route_type="post_course",
        status=Status.IN_PROGRESS, starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=200),
    )  # fmt: skip
    return RouteItem.objects.create(
        route=route, level="regional", activity_kind="consultation", title="Консультация",
        source=source, starts_on=TODAY - timedelta(days=10), due_on=TODAY + timedelta(days=10),
        result_form="план",
    )  # fmt: skip


def test_an_act_for_a_person_closes_the_route_item_naming_it(world):
    person = world["a"]["teacher"]
    act = services.act_create(
        world["rma_methodist"],
        {"kind": "post_course", "held_on": TODAY + timedelta(days=3), "format": "online",
         "person": person, "topic": "Применение курса"},
    )  # fmt: skip
    assert act.methodist == world["methodist_person"]
    item = _route_with_item(person, act.source)
    other = _route_with_item(person, "support:999999")
    services.act_update(world["rma_methodist"], act, {"held_on": TODAY}, act.version)
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.status == ItemStatus.DONE and other.status == ItemStatus.PLANNED
    assert "посткурсовое сопровождение" in item.reports.get().text


def test_an_act_for_an_organizations_team(world):
    act = services.act_create(
        world["cnppm"],
        {"kind": "low_results_visit", "held_on": TODAY, "format": "on_site",
         "organization": world["b"]["school"], "for_team": True, "topic": "Аудит"},
    )  # fmt: skip
    assert act.recipient.startswith("управленческая команда")


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "работнику или организации"),
        ({"person": "teacher", "organization": "school"}, "работнику или организации"),
        ({"person": "teacher", "for_team": True}, "команда организации"),
    ],
)
def test_act_recipient_rules(world, data, message):
    values = {"teacher": world["a"]["teacher"], "school": world["a"]["school"]}
    data = {k: values.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    with pytest.raises(ValidationError, match=message):
        services.act_create(
            world["cnppm"], {"kind": "consultation", "held_on": TODAY, "topic": "Т", **data}
        )
    assert not SupportAct.objects.exists()


def test_a_teacher_records_no_acts(world):
    with pytest.raises(PermissionDenied):
        services.act_create(
            world["teacher"],
            {
                "kind": "consultation",
                "held_on": TODAY,
                "topic": "Т",
                "person": world["a"]["teacher"],
            },
        )
