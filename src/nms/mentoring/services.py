"""Writes of the app mentoring: one function per use case, transactional, Russian refusals.

Who may do what:
- a teacher creates their own mentor profile (not published: the school, municipal or regional
  administration publishes it — `public`), picks a mentor and sends a request, cancels it;
- the mentor accepts or rejects the requests made to them (the administration of their territory
  may too); accepting makes the pair, never beyond the mentor's capacity;
- the pair's mentor and the administration keep its goals, outcome, meetings and documents and
  complete it (before the planned end only with a reason); the mentee adds meetings and their
  feedback;
- the administration (`mentoring.manage`) keeps programmes, curators and profiles of its
  territory; mentoring schools — `mentoring.schools`.

Every change of a record carries the version the user saw (nms.common.concurrency): of two
accepts of the same request, one wins and the other is refused.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nms.accounts import access
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.mentoring.models import (
    Curator,
    CuratorLevel,
    DocumentKind,
    Meeting,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairDocument,
    PairStatus,
    RequestStatus,
)
from nms.registry.models import Employment, Person

NO_RIGHTS = "У вас нет прав на это действие."
FULL = "У наставника нет свободных мест: {active} из {capacity} наставляемых уже в работе."
MAX_FILE_BYTES = 20 * 1024 * 1024
PROFILE_FIELDS = (
    "mentoring_years",
    "experience",
    "capacity",
    "offers_teacher",
    "offers_manager",
    "offers_team",
    "across_organizations",
    "across_municipalities",
    "active",
)


# -- who the user is here ----------------------------------------------------------------------
def manages(user, obj) -> bool:
    return scope_of(user).can("mentoring.manage", obj)


def manages_person(user, person_id) -> bool:
    """The administration's scope holds this person."""
    scope = scope_of(user)
    roles = access.action("mentoring.manage").roles
    return scope.can("mentoring.manage") and (
        scope.restricted_to(roles).people().filter(pk=person_id).exists()
    )


def own_person_id(user):
    """The person of a teacher's account (the role that picks mentors and mentors others)."""
    scope = scope_of(user)
    return scope.person_id if scope.can("mentoring.choose") else None


def is_mentor_of(user, obj) -> bool:
    return own_person_id(user) is not None and obj.mentor_id == own_person_id(user)


def is_mentee_of(user, obj) -> bool:
    return own_person_id(user) is not None and obj.mentee_id == own_person_id(user)


def can_edit_pair(user, pair) -> bool:
    return is_mentor_of(user, pair) or manages(user, pair)


def can_log_meeting(user, pair) -> bool:
    return is_mentee_of(user, pair) or can_edit_pair(user, pair)


def can_decide(user, request) -> bool:
    return is_mentor_of(user, request) or manages(user, request)


def can_cancel(user, request) -> bool:
    return is_mentee_of(user, request) or manages(user, request)


def can_create_profile(user) -> bool:
    """A teacher without a profile creates their own; the administration anyone's of its scope."""
    scope = scope_of(user)
    if scope.can("mentoring.manage"):
        return True
    person_id = own_person_id(user)
    return bool(person_id) and not MentorProfile.objects.filter(person_id=person_id).exists()


def _require(condition: bool, message: str = NO_RIGHTS) -> None:
    if not condition:
        raise PermissionDenied(message)


# -- where people work ---------------------------------------------------------------------------
def main_employment(person_id) -> Employment | None:
    return (
        Employment.objects.filter(person_id=person_id)
        .select_related("organization")
        .order_by("is_part_time", "id")
        .first()
    )


def active_pairs(mentor_id) -> int:
    return Pair.objects.filter(mentor_id=mentor_id, status=PairStatus.ACTIVE).count()


def current_program(organization_id, on: date) -> MentoringProgram | None:
    programs = MentoringProgram.objects.filter(organization_id=organization_id, starts_on__lte=on)
    return programs.exclude(ends_on__lt=on).order_by("-starts_on", "-id").first()


# -- mentor profiles -----------------------------------------------------------------------------
def _profile_values(profile: MentorProfile, data: dict) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    if not profile.forms:
        raise ValidationError("Отметьте хотя бы одну форму наставничества.")
    if profile.capacity < 1:
        raise ValidationError({"capacity": "Наставник берёт хотя бы одного наставляемого."})


@transaction.atomic
def profile_create(user, data: dict) -> MentorProfile:
    """A teacher's own mentor profile (unpublished), or anyone's of the administration."""
    person = data.get("person")
    own = own_person_id(user)
    if person is None:
        _require(own is not None, "Укажите работника — будущего наставника.")
        person = Person.objects.get(pk=own)
    profile = MentorProfile(person=person)
    managing = manages(user, profile)
    _require(managing or person.pk == own)
    if MentorProfile.objects.filter(person=person).exists():
        raise ValidationError("У этого работника уже есть профиль наставника.")
    _profile_values(profile, data)
    profile.public = bool(data.get("public")) and managing
    profile.save()
    _profile_relations(profile, data)
    return profile


def _profile_relations(profile, data):
    if "subjects" in data:
        profile.subjects.set(data["subjects"])
    if "areas" in data:
        profile.areas.set(data["areas"])


def can_edit_profile(user, profile) -> bool:
    return profile.person_id == own_person_id(user) or manages(user, profile)


@transaction.atomic
def profile_update(user, profile: MentorProfile, data: dict, expected_version=None):
    """The mentor changes their profile; only the administration publishes or hides it."""
    _require(can_edit_profile(user, profile))
    managing = manages(user, profile)
    profile = claim(profile, expected_version)
    _profile_values(profile, data)
    if managing and "public" in data:
        profile.public = bool(data["public"])
    profile.save()
    _profile_relations(profile, data)
    return profile


# -- requests ------------------------------------------------------------------------------------
def _check_free(profile: MentorProfile) -> None:
    active = active_pairs(profile.person_id)
    if active >= profile.capacity:
        raise ValidationError(FULL.format(active=active, capacity=profile.capacity))


def _check_reach(profile: MentorProfile, mentee_id) -> None:
    """A mentor who keeps to their own organization (municipality) takes no one from outside."""
    mentor_places = set(
        Employment.objects.filter(person_id=profile.person_id).values_list(
            "organization_id", "organization__municipality_id"
        )
    )
    mentee_places = set(
        Employment.objects.filter(person_id=mentee_id).values_list(
            "organization_id", "organization__municipality_id"
        )
    )
    same_org = {o for o, _ in mentor_places} & {o for o, _ in mentee_places}
    same_mun = {m for _, m in mentor_places} & {m for _, m in mentee_places}
    if not profile.across_municipalities and not same_mun:
        raise ValidationError("Наставник работает только с педагогами своего муниципалитета.")
    if not profile.across_organizations and not same_org:
        raise ValidationError("Наставник работает только с педагогами своей организации.")


@transaction.atomic
def request_create(user, profile: MentorProfile, data: dict) -> MentorshipRequest:
    """A teacher asks a mentor (the administration may ask for one of its teachers: `mentee`)."""
    mentee = data.get("mentee")
    own = own_person_id(user)
    if mentee is None:
        _require(own is not None, "Запрос наставнику отправляет педагог.")
        mentee = Person.objects.get(pk=own)
    if mentee.pk != own:
        _require(manages_person(user, mentee.pk))
    if mentee.pk == profile.person_id:
        raise ValidationError("Нельзя выбрать наставником самого себя.")
    if not profile.active:
        raise ValidationError("Наставник сейчас не принимает наставляемых.")
    form = data.get("form") or MentoringForm.TEACHER_TEACHER
    if form not in profile.forms:
        raise ValidationError(
            {"form": f"Наставник не работает в форме «{MentoringForm(form).label}»."}
        )
    pending = MentorshipRequest.objects.filter(
        mentee=mentee, mentor_id=profile.person_id, status=RequestStatus.PENDING
    )
    if pending.exists():
        raise ValidationError("Запрос этому наставнику уже отправлен и ждёт ответа.")
    if Pair.objects.filter(
        mentee=mentee, mentor_id=profile.person_id, status=PairStatus.ACTIVE
    ).exists():
        raise ValidationError("Вы уже работаете в паре с этим наставником.")
    _check_reach(profile, mentee.pk)
    _check_free(profile)
    return MentorshipRequest.objects.create(
        mentee=mentee, mentor_id=profile.person_id, form=form, goals=data.get("goals", "")
    )


def _decided(request, expected_version) -> MentorshipRequest:
    request = claim(request, expected_version)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(f"Запрос уже {request.get_status_display()}: решение не изменить.")
    return request


@transaction.atomic
def request_accept(user, request: MentorshipRequest, expected_version=None, starts_on=None):
    """The mentor accepts: the pair is made, within the mentor's capacity. Of two accepts of the
    same request one wins (the version), of two accepts of different requests to a full mentor
    one wins too (the profile's row is locked while the pairs are counted)."""
    _require(can_decide(user, request))
    request = _decided(request, expected_version)
    locked = MentorProfile.objects.filter(person_id=request.mentor_id)
    if not locked.update(capacity=F("capacity")):  # the row lock serialises the count
        raise ValidationError("У наставника нет профиля наставника.")
    profile = locked.get()
    _check_free(profile)
    today = starts_on or date.today()
    employment = main_employment(request.mentee_id)
    mentor_places = Employment.objects.filter(person_id=request.mentor_id)
    org_id = employment.organization_id if employment else None
    municipality_id = employment.organization.municipality_id if employment else None
    pair = Pair.objects.create(
        mentor_id=request.mentor_id,
        mentee_id=request.mentee_id,
        form=request.form,
        organization_id=org_id,
        program=current_program(org_id, today) if org_id else None,
        across_organizations=not mentor_places.filter(organization_id=org_id).exists(),
        across_municipalities=not mentor_places.filter(
            organization__municipality_id=municipality_id
        ).exists(),
        request=request,
        starts_on=today,
        ends_on=date(today.year + 1, today.month, min(today.day, 28)),
        goals=request.goals,
    )
    request.status = RequestStatus.ACCEPTED
    request.decided_at = timezone.now()
    request.decided_by = user
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return pair


@transaction.atomic
def request_reject(user, request: MentorshipRequest, answer: str = "", expected_version=None):
    _require(can_decide(user, request))
    request = _decided(request, expected_version)
    request.status = RequestStatus.REJECTED
    request.answer = answer
    request.decided_at = timezone.now()
    request.decided_by = user
    request.save(update_fields=["status", "answer", "decided_at", "decided_by"])
    return request


@transaction.atomic
def request_cancel(user, request: MentorshipRequest, expected_version=None):
    _require(can_cancel(user, request))
    request = _decided(request, expected_version)
    request.status = RequestStatus.CANCELLED
    request.decided_at = timezone.now()
    request.decided_by = user
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return request


# -- pairs ---------------------------------------------------------------------------------------
def _active(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError("Пара завершена: её записи больше не меняются.")


@transaction.atomic
def pair_update(user, pair: Pair, data: dict, expected_version=None) -> Pair:
    """Goals, planned end and outcome."""
    _require(can_edit_pair(user, pair))
    pair = claim(pair, expected_version)
    _active(pair)
    for field in ("goals", "outcome", "ends_on"):
        if field in data:
            setattr(pair, field, data[field])
    if pair.ends_on and pair.ends_on < pair.starts_on:
        raise ValidationError({"ends_on": "Окончание раньше начала пары."})
    pair.save()
    return pair


@transaction.atomic
def pair_complete(user, pair: Pair, data: dict, expected_version=None) -> Pair:
    """Complete the pair; before its planned end only with a reason (early completion). Items of
    the mentee's routes that point at this mentor («mentor:<id>») are marked done."""
    _require(can_edit_pair(user, pair))
    pair = claim(pair, expected_version)
    _active(pair)
    completed_on = data.get("completed_on") or date.today()
    reason = (data.get("reason") or "").strip()
    if completed_on < pair.starts_on:
        raise ValidationError({"completed_on": "Дата завершения раньше начала пары."})
    early = bool(pair.ends_on and completed_on < pair.ends_on)
    if early and not reason:
        raise ValidationError(
            {"reason": "Пара завершается до планового окончания: укажите причину."}
        )
    pair.status = PairStatus.COMPLETED
    pair.completed_on = completed_on
    pair.completed_early = early
    pair.completion_reason = reason if early else ""
    if data.get("outcome"):
        pair.outcome = data["outcome"]
    pair.save()
    from nms.routes.services import complete_items_from_record

    complete_items_from_record(
        user,
        pair.mentee_id,
        sources=[f"mentor:{pair.mentor_id}"],
        evidence=f"наставничество завершено {completed_on:%d.%m.%Y}",
    )
    return pair


@transaction.atomic
def meeting_add(user, pair: Pair, data: dict) -> Meeting:
    _require(can_log_meeting(user, pair))
    pair = claim(pair)  # the pair's version grows with its log
    _active(pair)
    held_on = data["held_on"]
    if held_on < pair.starts_on:
        raise ValidationError({"held_on": "Встреча раньше начала работы пары."})
    if held_on > date.today():
        raise ValidationError({"held_on": "Дата встречи ещё не наступила."})
    topic = (data.get("topic") or "").strip()
    if not topic:
        raise ValidationError({"topic": "Укажите тему встречи."})
    return Meeting.objects.create(
        pair=pair, held_on=held_on, topic=topic, notes=data.get("notes", ""), author=user
    )


def can_upload(user, pair, kind) -> bool:
    if manages(user, pair):
        return True
    if kind == DocumentKind.FEEDBACK:
        return is_mentee_of(user, pair)
    return is_mentor_of(user, pair)


@transaction.atomic
def document_add(user, pair: Pair, kind: str, file) -> PairDocument:
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Неизвестный вид документа."})
    _require(
        can_upload(user, pair, kind),
        "Отзыв загружает наставляемый, план и отчёт — наставник."
        if not manages(user, pair)
        else NO_RIGHTS,
    )
    if file is None:
        raise ValidationError({"file": "Выберите файл."})
    if file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": "Файл больше 20 МБ."})
    claim(pair)
    return PairDocument.objects.create(pair=pair, kind=kind, file=file, uploaded_by=user)


# -- programmes, curators, schools -----------------------------------------------------------
def _fill(obj, data, fields):
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
    if getattr(obj, "ends_on", None) and obj.ends_on < _start(obj):
        raise ValidationError({"ends_on": "Окончание раньше начала."})


def _start(obj):
    return getattr(obj, "starts_on", None) or getattr(obj, "founded_on", None)


PROGRAM_FIELDS = ("organization", "title", "curator", "starts_on", "ends_on", "order")
CURATOR_FIELDS = ("person", "level", "municipality", "organization", "starts_on", "ends_on")
SCHOOL_FIELDS = ("municipality", "name", "base", "founded_on", "closed_on")


def _check_curator(curator: Curator) -> None:
    if curator.level == CuratorLevel.SCHOOL and curator.organization_id is None:
        raise ValidationError({"organization": "Куратору ОО укажите организацию."})
    if curator.organization_id and curator.organization.municipality_id != curator.municipality_id:
        raise ValidationError({"organization": "Организация из другого муниципалитета."})
    if curator.level == CuratorLevel.MUNICIPAL:
        curator.organization = None


def _save_new(user, obj, data, fields, action, check=None):
    _fill(obj, data, fields)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))
    obj.save()
    return obj


def _save_old(user, obj, data, fields, action, expected_version, check=None):
    _require(scope_of(user).can(action, obj))
    obj = claim(obj, expected_version)
    _fill(obj, data, fields)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))  # moved within the scope only
    obj.save()
    return obj


@transaction.atomic
def program_create(user, data: dict) -> MentoringProgram:
    return _save_new(user, MentoringProgram(), data, PROGRAM_FIELDS, "mentoring.manage")


@transaction.atomic
def program_update(user, program, data: dict, expected_version=None) -> MentoringProgram:
    return _save_old(user, program, data, PROGRAM_FIELDS, "mentoring.manage", expected_version)


@transaction.atomic
def curator_create(user, data: dict) -> Curator:
    return _save_new(user, Curator(), data, CURATOR_FIELDS, "mentoring.manage", _check_curator)


@transaction.atomic
def curator_update(user, curator, data: dict, expected_version=None) -> Curator:
    return _save_old(
        user, curator, data, CURATOR_FIELDS, "mentoring.manage", expected_version, _check_curator
    )


@transaction.atomic
def school_create(user, data: dict) -> MentoringSchool:
    return _save_new(user, MentoringSchool(), data, SCHOOL_FIELDS, "mentoring.schools")


@transaction.atomic
def school_update(user, school, data: dict, expected_version=None) -> MentoringSchool:
    return _save_old(user, school, data, SCHOOL_FIELDS, "mentoring.schools", expected_version)
