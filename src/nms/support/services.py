"""Writes of the app support: one function per use case, transactional, Russian errors.

Every write checks the actor's right (`scope.can`) and that what it names lies in the actor's
scope; an edit takes the record with `claim` (its version) first.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.provisioning import login_base, unique_login
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.registry.models import Employment
from nms.support import conf
from nms.support.eligibility import eligibility
from nms.support.models import (
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    AlternativeGround,
    Caseload,
    ExpertRole,
    HelpRequest,
    MembershipStatus,
    RequesterKind,
    RequestStatus,
    SupportAct,
    Urgency,
)

NO_RIGHTS = "Недостаточно прав."
NOT_FOUND = "Не найден (или вне вашей зоны доступа)."
MEMBERSHIP_FIELDS = (
    "person", "role", "level", "municipality", "starts_on", "ends_on", "specialisations",
    "basis", "order_number", "order_date",
)  # fmt: skip
ACT_FIELDS = (
    "kind", "held_on", "format", "methodist", "person", "organization", "for_team", "topic",
    "notes", "route", "request",
)  # fmt: skip
EXPERT_FIELDS = ("person", "kind", "level", "subject", "rank", "starts_on", "ends_on")
GROUND_FIELDS = ("person", "kind", "title", "starts_on", "ends_on")


def _require(actor, action: str, obj=None) -> None:
    if not scope_of(actor).can(action, obj):
        raise PermissionDenied(NO_RIGHTS)


def _sees_person(actor, person, field="person") -> None:
    if person is not None and not scope_of(actor).people().filter(pk=person.pk).exists():
        raise ValidationError({field: NOT_FOUND})


def _sees_organization(actor, organization, field="organization") -> None:
    if (
        organization is not None
        and not scope_of(actor).organizations().filter(pk=organization.pk).exists()
    ):
        raise ValidationError({field: NOT_FOUND})


def _full_clean(obj, exclude=()):
    obj.full_clean(exclude=["region", "version", *exclude], validate_unique=False)


# -- the actives ----------------------------------------------------------------------------
def _membership_right(actor, level: str, municipality) -> None:
    scope = scope_of(actor)
    if scope.can("support.manage_actives"):
        return
    if level == ActiveLevel.MUNICIPAL and scope.can("support.propose_candidates"):
        allowed = scope.restricted_to({Role.MUNICIPAL, Role.ADMIN, Role.CNPPM}).municipalities()
        if municipality is not None and allowed.filter(pk=municipality.pk).exists():
            return
    raise PermissionDenied(
        "Региональный актив ведёт ЦНППМ; муниципальный — координатор своего муниципалитета."
    )


def _apply(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


@transaction.atomic
def membership_create(actor, data: dict) -> ActiveMembership:
    person = data.get("person")
    if person is None:
        raise ValidationError({"person": "Укажите работника."})
    _sees_person(actor, person)
    membership = ActiveMembership(region_id=person.region_id)
    _apply(membership, data, MEMBERSHIP_FIELDS)
    _membership_right(actor, membership.level, membership.municipality)
    _full_clean(membership, exclude=["role_assignment", "status"])
    membership.save()
    if "subjects" in data:
        membership.subjects.set(data["subjects"])
    return membership


@transaction.atomic
def membership_update(actor, membership, data: dict, expected_version=None):
    _membership_right(actor, membership.level, membership.municipality)
    membership = claim(membership, expected_version)
    if "person" in data and data["person"].pk != membership.person_id:
        raise ValidationError({"person": "Работника участия не меняют: внесите новое участие."})
    _apply(membership, data, MEMBERSHIP_FIELDS)
    _membership_right(actor, membership.level, membership.municipality)
    _full_clean(membership, exclude=["role_assignment", "status"])
    membership.save()
    if "subjects" in data:
        membership.subjects.set(data["subjects"])
    if membership.role_assignment_id:
        _sync_assignment(membership)
    return membership


def role_binding(membership) -> dict:
    """The role assignment a membership gives: a regional methodist — the methodist's role over
    the region; the other members of the РМА — ЦНППМ's; a member of a municipal active (and a
    municipal coordinator) — the municipal coordinator's over the municipality."""
    if membership.level == ActiveLevel.MUNICIPAL or membership.role == ActiveRole.COORDINATOR:
        return {"role": Role.MUNICIPAL, "municipality_id": membership.municipality_id}
    if membership.role == ActiveRole.METHODIST:
        return {"role": Role.METHODIST, "region_id": membership.region_id}
    return {"role": Role.CNPPM, "region_id": membership.region_id}


def _account(person) -> User:
    """The person's account; a new one without a password (issued on the accounts page)."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    taken = set(
        User.objects.filter(username__startswith=login_base(person.last_name)[:3]).values_list(
            "username", flat=True
        )
    )
    user = User(
        username=unique_login(
            login_base(person.last_name, person.first_name, person.middle_name),
            {t.lower() for t in taken},
        ),
        first_name=person.first_name[:150],
        last_name=person.last_name[:150],
        email=person.email,
        person=person,
        password=make_password(None),
    )
    user.save()
    return user


def _sync_assignment(membership) -> RoleAssignment:
    assignment = membership.role_assignment
    if assignment is None:
        assignment = RoleAssignment(user=_account(membership.person))
    for key, value in role_binding(membership).items():
        setattr(assignment, key, value)
    assignment.valid_from = membership.starts_on
    assignment.valid_to = membership.ends_on
    assignment.full_clean(exclude=["version"])
    if assignment.pk:
        assignment.version += 1
    assignment.save()
    assignment.subjects.set(membership.subjects.all())
    return assignment


@transaction.atomic
def membership_approve(actor, membership, *, order_number="", order_date=None,
                       expected_version=None, on: date | None = None):  # fmt: skip
    """Approve by the order: a member of the РМА must be eligible (every refusal names its
    rule); the person gets the matching role assignment for the membership's period."""
    _membership_right(actor, membership.level, membership.municipality)
    membership = claim(membership, expected_version)
    if membership.status == MembershipStatus.APPROVED:
        raise ValidationError("Участие уже утверждено.")
    if membership.status == MembershipStatus.ENDED:
        raise ValidationError("Участие завершено: внесите новое.")
    if membership.level == ActiveLevel.REGIONAL:
        check = eligibility(membership.person, on=on or membership.starts_on)
        if not check.eligible:
            raise ValidationError(check.refusals)
    membership.order_number = order_number or membership.order_number
    membership.order_date = order_date or membership.order_date
    if membership.level == ActiveLevel.REGIONAL and not (
        membership.order_number and membership.order_date
    ):
        raise ValidationError({"order_number": "Укажите номер и дату приказа об утверждении."})
    membership.status = MembershipStatus.APPROVED
    membership.role_assignment = _sync_assignment(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_end(actor, membership, ends_on: date, expected_version=None):
    """The membership ends on the day; so does the role assignment it gave, and a methodist's
    caseload is released (the teachers go back to the automatic assignment)."""
    _membership_right(actor, membership.level, membership.municipality)
    membership = claim(membership, expected_version)
    if ends_on < membership.starts_on:
        raise ValidationError({"ends_on": "Окончание раньше начала."})
    membership.ends_on = ends_on
    membership.status = MembershipStatus.ENDED
    membership.save()
    if membership.role_assignment_id:
        _sync_assignment(membership)
    if membership.role == ActiveRole.METHODIST and ends_on < date.today():
        caseload = Caseload.objects.filter(methodist_id=membership.person_id)
        User.assigned_people.through.objects.filter(
            user__person_id=membership.person_id,
            person_id__in=caseload.values("teacher_id"),
        ).delete()
        caseload.delete()
    return membership


# -- alternative grounds and expert roles --------------------------------------------------
@transaction.atomic
def ground_create(actor, data: dict) -> AlternativeGround:
    _require(actor, "support.manage_actives")
    _sees_person(actor, data.get("person"))
    ground = AlternativeGround()
    _apply(ground, data, GROUND_FIELDS)
    _full_clean(ground)
    ground.save()
    return ground


@transaction.atomic
def ground_delete(actor, ground, expected_version=None) -> None:
    _require(actor, "support.manage_actives")
    claim(ground, expected_version).delete()


@transaction.atomic
def expert_create(actor, data: dict) -> ExpertRole:
    _require(actor, "support.manage_actives")
    person = data.get("person")
    if person is None:
        raise ValidationError({"person": "Укажите работника."})
    _sees_person(actor, person)
    role = ExpertRole(region_id=person.region_id)
    _apply(role, data, EXPERT_FIELDS)
    _full_clean(role)
    role.save()
    return role


@transaction.atomic
def expert_update(actor, role, data: dict, expected_version=None) -> ExpertRole:
    _require(actor, "support.manage_actives")
    role = claim(role, expected_version)
    if "person" in data and data["person"].pk != role.person_id:
        raise ValidationError({"person": "Работника роли не меняют: внесите новую роль."})
    _apply(role, data, EXPERT_FIELDS)
    _full_clean(role)
    role.save()
    return role


# -- requests for help -----------------------------------------------------------------------
def _main_employment(person):
    return (
        Employment.objects.filter(person=person)
        .select_related("organization")
        .order_by("is_part_time", "pk")
        .first()
    )


def route_request(region_id, subject_id, municipality_id, person_id=None):
    """The methodist a request goes to: the one in whose care the teacher is, if they teach the
    subject (or there is none); else one of the subject in the municipality, of the subject, of
    the municipality, anyone — the one with the fewest open requests."""
    from nms.support.caseloads import methodist_slots

    slots = methodist_slots(region_id)
    if not slots:
        return None
    if person_id:
        own = Caseload.objects.filter(teacher_id=person_id).values_list("methodist_id", flat=True)
        own = next(iter(own), None)
        if own in slots and (subject_id is None or subject_id in slots[own].subjects):
            return own
    open_counts = dict.fromkeys(slots, 0)
    for methodist_id in HelpRequest.objects.filter(
        methodist_id__in=list(slots), status=RequestStatus.OPEN
    ).values_list("methodist_id", flat=True):
        open_counts[methodist_id] += 1

    def rank(slot):
        subject = subject_id is not None and subject_id in slot.subjects
        place = municipality_id is not None and slot.municipality_id == municipality_id
        return (not (subject and place), not subject, not place, open_counts[slot.person_id],
                slot.person_id)  # fmt: skip

    return min(slots.values(), key=rank).person_id


def deadline_for(created_at: datetime, urgency: str) -> datetime:
    return created_at + timedelta(days=conf.answer_days(urgency == Urgency.URGENT))


@transaction.atomic
def request_create(actor, data: dict) -> HelpRequest:
    """A teacher asks for themself, a school (or its management team) for the organization;
    ЦНППМ and a municipal coordinator may register a request of either."""
    _require(actor, "support.ask")
    scope = scope_of(actor)
    kind = data.get("requester_kind") or RequesterKind.TEACHER
    person, organization = data.get("person"), data.get("organization")
    if kind == RequesterKind.TEACHER:
        if person is None:
            if not scope.person_id or not scope.has(Role.TEACHER):
                raise ValidationError({"person": "Укажите педагога."})
            person = scope.user.person
        _sees_person(actor, person)
        organization = None
    else:
        if organization is None:
            schools = [a.organization for a in scope.of_role(Role.SCHOOL)]
            if len(schools) != 1:
                raise ValidationError({"organization": "Укажите организацию."})
            organization = schools[0]
        _sees_organization(actor, organization)
        person = None
    others = scope.has(Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL) or scope.is_all
    if person is not None and not others and person.pk != scope.person_id:
        raise ValidationError({"person": "Педагог направляет запрос только от себя."})
    place = organization
    if person is not None:
        main = _main_employment(person)
        place = main.organization if main else None
    region_id = person.region_id if person else organization.region_id
    municipality_id = place.municipality_id if place else None
    subject = data.get("subject")
    now = timezone.now()
    request = HelpRequest(
        region_id=region_id,
        requester_kind=kind,
        person=person,
        organization=organization,
        municipality_id=municipality_id,
        subject=subject,
        topic=(data.get("topic") or "").strip(),
        question=(data.get("question") or "").strip(),
        urgency=data.get("urgency") or Urgency.NORMAL,
        attachment=data.get("attachment") or "",
        author=actor,
        created_at=now,
        deadline=deadline_for(now, data.get("urgency") or Urgency.NORMAL),
    )
    request.methodist_id = route_request(
        region_id, subject.pk if subject else None, municipality_id, person.pk if person else None
    )
    _full_clean(request, exclude=["author", "attachment"])
    request.save()
    return request


@transaction.atomic
def request_answer(actor, request, answer: str, expected_version=None) -> HelpRequest:
    if not scope_of(actor).can("support.answer", request):
        raise PermissionDenied("Отвечает методист, которому направлен запрос, или ЦНППМ.")
    request = claim(request, expected_version)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Напишите ответ."})
    if request.status == RequestStatus.ANSWERED:
        raise ValidationError("На запрос уже ответили.")
    request.answer = answer
    request.status = RequestStatus.ANSWERED
    request.answered_at = timezone.now()
    request.answered_by = actor
    request.save()
    return request


@transaction.atomic
def request_redirect(actor, request, methodist, expected_version=None) -> HelpRequest:
    """ЦНППМ passes a request to another methodist (of the region's current ones)."""
    from nms.support.caseloads import methodist_slots

    _require(actor, "support.manage_actives")
    request = claim(request, expected_version)
    if methodist.pk not in methodist_slots(request.region_id):
        raise ValidationError({"methodist": "Это не действующий региональный методист региона."})
    request.methodist = methodist
    request.save()
    return request


# -- support acts ----------------------------------------------------------------------------
def _act_checks(actor, act: SupportAct) -> None:
    if bool(act.person_id) == bool(act.organization_id):
        raise ValidationError("Укажите, кому оказана поддержка: работнику или организации.")
    if act.for_team and not act.organization_id:
        raise ValidationError({"for_team": "Управленческая команда — это команда организации."})
    _sees_recipient(actor, act)
    if act.route_id and act.route.person_id != act.person_id:
        raise ValidationError({"route": "Маршрут другого работника."})
    if act.request_id:
        visible = scope_of(actor).visible(HelpRequest).filter(pk=act.request_id).exists()
        if not visible:
            raise ValidationError({"request": NOT_FOUND})


def _sees_recipient(actor, act) -> None:
    """A person or an organization the actor sees; a regional methodist reads the region: they
    give support in it (to whoever asked them), not only to the people in their care."""
    scope = scope_of(actor)
    regions = {a.region_id for a in scope.of_role(Role.METHODIST)}
    owner = act.person or act.organization
    if owner is not None and owner.region_id in regions:
        return
    _sees_person(actor, act.person)
    _sees_organization(actor, act.organization)


def _close_items(actor, act: SupportAct) -> None:
    """A support act for a person closes the route items that name it (source support:<id>)."""
    if act.person_id and act.held_on <= date.today():
        from nms.routes.services import complete_items_from_record

        evidence = f"{act.get_kind_display()} от {act.held_on:%d.%m.%Y}: {act.topic}"
        complete_items_from_record(actor, act.person_id, [act.source], evidence)


@transaction.atomic
def act_create(actor, data: dict) -> SupportAct:
    _require(actor, "support.record_acts")
    scope = scope_of(actor)
    act = SupportAct(author=actor)
    _apply(act, data, ACT_FIELDS)
    if act.methodist_id is None and scope.person_id:
        act.methodist_id = scope.person_id
    _act_checks(actor, act)
    owner = act.person or act.organization
    act.region_id = owner.region_id
    _full_clean(act, exclude=["author"])
    act.save()
    _close_items(actor, act)
    return act


@transaction.atomic
def act_update(actor, act, data: dict, expected_version=None) -> SupportAct:
    _require(actor, "support.record_acts")
    act = claim(act, expected_version)
    _apply(act, data, ACT_FIELDS)
    _act_checks(actor, act)
    _full_clean(act, exclude=["author"])
    act.save()
    _close_items(actor, act)
    return act


def request_deadline_day(request) -> date:
    return timezone.localtime(request.deadline).date()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
