"""Requests, pairs and their rules (nms.mentoring.services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nms.common.concurrency import StaleRecord
from nms.mentoring import services
from nms.mentoring.models import MentorProfile, Pair, PairStatus, RequestStatus
from nms.routes.models import ActivityKind, ItemStatus, Route, RouteItem
from tests.mentoring.conftest import TODAY


def _ask(world, name="best", **data):
    return services.request_create(world.users["teacher"], getattr(world.profiles, name), data)


def test_request_accepted_makes_a_pair_in_the_mentees_programme(world):
    from nms.mentoring.models import MentoringProgram

    program = MentoringProgram.objects.create(
        organization=world.a["school"], title="ЦМН школы", starts_on=TODAY - timedelta(days=30)
    )
    request = _ask(world, goals="Освоить проектирование урока")
    assert request.status == RequestStatus.PENDING and request.mentee == world.mentee
    pair = services.request_accept(world.mentor_users["best"], request, request.version)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.decided_at
    assert pair.status == PairStatus.ACTIVE and pair.program == program
    assert pair.mentee == world.mentee and pair.goals == "Освоить проектирование урока"
    assert pair.across_organizations and not pair.across_municipalities
    assert pair.organization == world.a["school"]


def test_only_the_mentor_or_the_administration_decides(world):
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        services.request_accept(world.mentor_users["area_only"], request)
    with pytest.raises(PermissionDenied):
        services.request_accept(world.users["other_school"], request)
    pair = services.request_accept(world.users["municipal"], request)  # municipality A
    assert pair.mentor == world.profiles.best.person


def test_reject_and_cancel_are_final(world):
    request = _ask(world)
    services.request_reject(world.mentor_users["best"], request, "Нет времени", request.version)
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.answer == "Нет времени"
    with pytest.raises(ValidationError, match="отклонён"):
        services.request_accept(world.mentor_users["best"], request)
    second = _ask(world)
    with pytest.raises(PermissionDenied):
        services.request_cancel(world.mentor_users["best"], second)  # the mentee cancels
    services.request_cancel(world.users["teacher"], second, second.version)
    second.refresh_from_db()
    assert second.status == RequestStatus.CANCELLED
    assert not Pair.objects.filter(mentee=world.mentee).exists()


def test_request_refusals_are_named(world):
    _ask(world)
    with pytest.raises(ValidationError, match="уже отправлен"):
        _ask(world)
    with pytest.raises(ValidationError, match="нет свободных мест"):
        _ask(world, "full")
    with pytest.raises(ValidationError, match="своего муниципалитета"):
        _ask(world, "far")
    with pytest.raises(ValidationError, match="форме"):
        _ask(world, "area_only", form="team_team")
    own = MentorProfile.objects.create(person=world.mentee)
    with pytest.raises(ValidationError, match="самого себя"):
        services.request_create(world.users["teacher"], own, {})
    world.profiles.subject_only.active = False
    world.profiles.subject_only.save()
    with pytest.raises(ValidationError, match="не принимает"):
        _ask(world, "subject_only")


def test_accepting_beyond_capacity_is_refused_in_russian(world):
    best = world.profiles.best
    best.capacity = 1
    best.save()
    first = _ask(world)
    second = services.request_create(
        world.users["colleague"], best, {}
    )  # the director of school A asks too
    services.request_accept(world.mentor_users["best"], first)
    with pytest.raises(ValidationError, match="нет свободных мест: 1 из 1"):
        services.request_accept(world.mentor_users["best"], second)
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING
    assert Pair.objects.filter(mentor=best.person).count() == 1


def test_the_second_accept_of_one_request_loses(world):
    request = _ask(world)
    version = request.version
    services.request_accept(world.mentor_users["best"], request, version)
    stale = type(request).objects.get(pk=request.pk)
    with pytest.raises(StaleRecord):
        services.request_accept(world.users["municipal"], stale, version)
    assert Pair.objects.filter(request=request).count() == 1


def _pair(world):
    request = _ask(world)
    return services.request_accept(world.mentor_users["best"], request)


def test_early_completion_needs_a_reason(world):
    pair = _pair(world)
    assert pair.ends_on > TODAY
    with pytest.raises(ValidationError, match="укажите причину"):
        services.pair_complete(world.mentor_users["best"], pair, {"completed_on": TODAY})
    with pytest.raises(PermissionDenied):  # the mentee does not complete the pair
        services.pair_complete(world.users["teacher"], pair, {"reason": "Переезд"})
    pair = services.pair_complete(
        world.mentor_users["best"], pair, {"completed_on": TODAY, "reason": "Переезд"}
    )
    assert pair.status == PairStatus.COMPLETED and pair.completed_early
    assert pair.completion_reason == "Переезд"
    with pytest.raises(ValidationError, match="Пара завершена"):
        services.meeting_add(world.mentor_users["best"], pair, {"held_on": TODAY, "topic": "Т"})


def test_completion_at_the_planned_end_is_not_early_and_closes_route_items(world, region):
    pair = _pair(world)
    route = Route.objects.create(
        person=world.mentee, region=region, route_type="deficits", status="in_progress",
        starts_on=TODAY, ends_on=TODAY + timedelta(days=400),
    )  # fmt: skip
    item = RouteItem.objects.create(
        route=route, position=1, level="organization", activity_kind=ActivityKind.MENTORING,
        title="Наставничество", source=f"mentor:{pair.mentor_id}", starts_on=TODAY,
        due_on=TODAY,
    )  # fmt: skip
    pair = services.pair_complete(
        world.mentor_users["best"],
        pair,
        {"completed_on": pair.ends_on, "outcome": "Дефицит восполнен"},
        expected_version=pair.version,
    )
    assert not pair.completed_early and pair.outcome == "Дефицит восполнен"
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


def test_meetings_and_documents_by_their_authors(world):
    pair = _pair(world)
    meeting = services.meeting_add(
        world.users["teacher"], pair, {"held_on": TODAY, "topic": "Разбор урока", "notes": "ок"}
    )
    assert meeting.pair == pair
    with pytest.raises(ValidationError, match="ещё не наступила"):
        services.meeting_add(
            world.mentor_users["best"], pair, {"held_on": TODAY + timedelta(days=1), "topic": "Т"}
        )
    file = SimpleUploadedFile("отзыв.pdf", b"%PDF-1.4 test")
    with pytest.raises(PermissionDenied, match="Отзыв загружает наставляемый"):
        services.document_add(world.mentor_users["best"], pair, "feedback", file)
    document = services.document_add(world.users["teacher"], pair, "feedback", file)
    assert document.kind == "feedback"
    plan = SimpleUploadedFile("план.docx", b"plan")
    with pytest.raises(PermissionDenied):
        services.document_add(world.users["teacher"], pair, "plan", plan)
    assert services.document_add(world.mentor_users["best"], pair, "plan", plan).pk


def test_pair_edit_is_version_checked(world):
    pair = _pair(world)
    version = pair.version
    services.pair_update(world.mentor_users["best"], pair, {"goals": "Первое"}, version)
    with pytest.raises(StaleRecord):
        services.pair_update(
            world.mentor_users["best"], Pair.objects.get(pk=pair.pk), {"goals": "Второе"}, version
        )
    pair.refresh_from_db()
    assert pair.goals == "Первое"


def test_teacher_creates_own_profile_unpublished_the_school_publishes(world):
    teacher = world.users["colleague"]
    assert services.can_create_profile(teacher)
    made = services.profile_create(
        teacher, {"capacity": 2, "offers_teacher": True, "public": True, "subjects": []}
    )
    assert made.person == world.a["director"] and not made.public
    assert not services.can_create_profile(teacher)
    with pytest.raises(PermissionDenied):
        services.profile_update(world.users["other_school"], made, {"public": True})
    services.profile_update(world.users["school"], made, {"public": True}, made.version)
    made.refresh_from_db()
    assert made.public
    services.profile_update(teacher, made, {"public": False, "capacity": 3})
    made.refresh_from_db()
    assert made.public and made.capacity == 3  # the mentor does not unpublish themself
    with pytest.raises(ValidationError, match="хотя бы одну форму"):
        services.profile_update(teacher, made, {"offers_teacher": False})
