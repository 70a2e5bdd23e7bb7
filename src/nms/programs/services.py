"""Writes of the app programs: the catalogue, runs, enrollments, completions, drop-outs, teams,
post-course support. Every write checks the scope, refuses with a Russian ValidationError and
saves nothing half-way (transaction.atomic); edits are version-checked (`claim`)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.programs import selectors
from nms.programs.access import EDIT_CATALOGUE, ENROLL, enrollable_people
from nms.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Programme,
    Run,
    Team,
    Topic,
)
from nms.registry.models import Organization, Person

NO_RIGHTS = "У вас нет прав на это действие."
PROGRAMME_FIELDS = (
    "title", "kind", "hours", "format", "provider", "provider_name", "annotation",
    "in_federal_registry", "federal_number", "federal_since", "review_submitted_on",
    "review_outcome", "audience", "topics", "origin", "status",
)  # fmt: skip
PROGRAMME_M2M = ("areas", "subcompetencies", "subjects")
RUN_FIELDS = ("starts_on", "ends_on", "place", "online", "group_name", "tutor")
ALREADY_ENROLLED = "Работник уже зачислен на этот поток."
CERTIFICATE_TAKEN = "Удостоверение с таким номером уже записано (№ {number})."


def _require(user, action: str, obj=None) -> None:
    if not scope_of(user).can(action, obj):
        raise PermissionDenied(NO_RIGHTS)


# -- the catalogue -------------------------------------------------------------------------------
def _check_programme(data: dict) -> None:
    errors = {}
    if data.get("in_federal_registry") and not data.get("federal_number"):
        errors["federal_number"] = "Укажите номер программы в ФР ДПП."
    if data.get("federal_number") and not data.get("in_federal_registry"):
        errors["in_federal_registry"] = "Номер в ФР ДПП указан: отметьте «в ФР ДПП»."
    if data.get("review_outcome") and not data.get("review_submitted_on"):
        errors["review_submitted_on"] = "Итог экспертизы без даты направления: укажите дату."
    unknown = [t for t in data.get("topics") or [] if t not in Topic.values]
    if unknown:
        errors["topics"] = f"Неизвестные темы: {', '.join(unknown)}."
    if data.get("hours") is not None and data["hours"] < 16:
        errors["hours"] = "Объём программы повышения квалификации — не меньше 16 часов."
    if errors:
        raise ValidationError(errors)


def _set_programme(programme: Programme, data: dict) -> Programme:
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(programme, field, data[field])
    programme.full_clean(exclude=["region", "version"])
    programme.save()
    for field in PROGRAMME_M2M:
        if field in data:
            getattr(programme, field).set(data[field])
    return programme


@transaction.atomic
def programme_create(user, data: dict) -> Programme:
    _require(user, EDIT_CATALOGUE)
    region = data.get("region") or scope_of(user).default_region()
    if region is None:
        raise ValidationError("Не удалось определить регион программы.")
    _check_programme(data)
    return _set_programme(Programme(region=region), data)


@transaction.atomic
def programme_update(
    user, programme: Programme, data: dict, expected_version: int | None = None
) -> Programme:
    _require(user, EDIT_CATALOGUE, programme)
    claim(programme, expected_version)
    merged = {f: getattr(programme, f) for f in PROGRAMME_FIELDS} | data
    _check_programme(merged)
    return _set_programme(programme, data)


def _check_run(data: dict) -> None:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "Окончание не может быть раньше начала."})


@transaction.atomic
def run_create(user, programme: Programme, data: dict) -> Run:
    _require(user, EDIT_CATALOGUE, programme)
    _check_run(data)
    run = Run(programme=programme, **{f: data[f] for f in RUN_FIELDS if f in data})
    run.save()
    return run


@transaction.atomic
def run_update(user, run: Run, data: dict, expected_version: int | None = None) -> Run:
    _require(user, EDIT_CATALOGUE, run)
    claim(run, expected_version)
    _check_run({"starts_on": run.starts_on, "ends_on": run.ends_on} | data)
    for field in RUN_FIELDS:
        if field in data:
            setattr(run, field, data[field])
    run.save()
    return run


# -- enrollments ---------------------------------------------------------------------------------
def _workplace(person: Person) -> Organization | None:
    employment = min(
        person.employments.select_related("organization"),
        key=lambda e: (e.is_part_time, e.pk),
        default=None,
    )
    return employment.organization if employment else None


@transaction.atomic
def enroll(user, run: Run, person: Person, *, team: Team | None = None, on: date | None = None):
    """Enroll a person the user may enroll; records where they work and whether the programme
    was chosen from diagnostics (`selectors.chosen_from_diagnostics`)."""
    scope = scope_of(user)
    _require(user, ENROLL, run)
    if not enrollable_people(scope).filter(pk=person.pk).exists():
        raise ValidationError("Работник вне вашей области доступа: зачислить его нельзя.")
    if Enrollment.objects.filter(run=run, person=person).exists():
        raise ValidationError(ALREADY_ENROLLED)
    return Enrollment.objects.create(
        run=run,
        person=person,
        organization=_workplace(person),
        enrolled_on=on or date.today(),
        chosen_from_diagnostics=selectors.chosen_from_diagnostics(person.pk, run.programme, run),
        team=team,
    )


def evidence_text(number: str, on: date) -> str:
    return f"удостоверение № {number} от {on:%d.%m.%Y}"


def check_certificate(number: str, exclude_pk: int | None = None) -> None:
    taken = Enrollment.objects.filter(certificate_number=number).exclude(pk=exclude_pk)
    if number and taken.exists():
        raise ValidationError({"certificate_number": CERTIFICATE_TAKEN.format(number=number)})


@transaction.atomic
def enrollment_complete(
    user,
    enrollment: Enrollment,
    *,
    completed_on: date,
    certificate_number: str,
    expected_version: int | None = None,
) -> Enrollment:
    """Record the completion (certificate number and date) and close the person's route items
    that point at the run or the programme."""
    _require(user, ENROLL, enrollment)
    claim(enrollment, expected_version)
    number = (certificate_number or "").strip()
    errors = {}
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError(
            f"Завершение не записано: зачисление в состоянии «{enrollment.get_status_display()}»."
        )
    if not number:
        errors["certificate_number"] = "Укажите номер удостоверения."
    if completed_on is None:
        errors["completed_on"] = "Укажите дату удостоверения."
    elif completed_on < enrollment.run.starts_on:
        errors["completed_on"] = "Дата удостоверения раньше начала обучения."
    if errors:
        raise ValidationError(errors)
    check_certificate(number, enrollment.pk)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_on = completed_on
    enrollment.certificate_number = number
    enrollment.save(update_fields=["status", "completed_on", "certificate_number"])
    close_route_items(user, enrollment)
    return enrollment


def close_route_items(user, enrollment: Enrollment) -> list:
    from nms.routes.services import complete_items_from_record

    return complete_items_from_record(
        user,
        enrollment.person_id,
        selectors.route_sources(enrollment.run.programme_id, enrollment.run_id),
        evidence_text(enrollment.certificate_number, enrollment.completed_on),
    )


@transaction.atomic
def enrollment_drop(
    user,
    enrollment: Enrollment,
    *,
    reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> Enrollment:
    _require(user, ENROLL, enrollment)
    claim(enrollment, expected_version)
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError(
            f"Отчислить нельзя: зачисление в состоянии «{enrollment.get_status_display()}»."
        )
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.dropped_on = on or date.today()
    enrollment.drop_reason = (reason or "").strip()
    enrollment.save(update_fields=["status", "dropped_on", "drop_reason"])
    return enrollment


# -- teams ---------------------------------------------------------------------------------------
@transaction.atomic
def team_enroll(user, run: Run, organization: Organization) -> Team:
    """Enroll the organization's managers (its employments with a managerial position) together
    as a team; managers already enrolled in the run join the team."""
    scope = scope_of(user)
    _require(user, ENROLL, run)
    if not scope.organizations().filter(pk=organization.pk).exists() and not (
        enrollable_people(scope).filter(employments__organization=organization).exists()
    ):
        raise ValidationError("Организация вне вашей области доступа.")
    if Team.objects.filter(run=run, organization=organization).exists():
        raise ValidationError("Команда этой организации уже зачислена на поток.")
    managers = list(
        Person.objects.filter(
            employments__organization=organization, employments__manager_kind__gt=""
        ).distinct()
    )
    if not managers:
        raise ValidationError(
            {"organization": "В организации нет руководящих работников: команду не собрать."}
        )
    team = Team.objects.create(run=run, organization=organization)
    for person in managers:
        existing = Enrollment.objects.filter(run=run, person=person).first()
        if existing is not None:
            Enrollment.objects.filter(pk=existing.pk).update(team=team)
        else:
            enroll(user, run, person, team=team)
    return team


# -- post-course support -------------------------------------------------------------------------
@transaction.atomic
def open_post_course_route(user, enrollment: Enrollment, *, months: int = 6):
    """After a completion, a route of type «посткурсовое сопровождение» for the person (through
    the routes services: who may open routes, one active route per person)."""
    from nms.routes import services as routes
    from nms.routes.models import Route, RouteType, RouteVersion

    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise ValidationError("Посткурсовое сопровождение открывается после завершения обучения.")
    if not routes.can_create(user) or not scope_of(user).can("routes.create_any"):
        raise PermissionDenied("Маршрут сопровождения открывает методист института.")
    starts_on = date.today()
    ends_on = date.fromordinal(starts_on.toordinal() + months * 30)
    route = routes.route_create(user, enrollment.person, starts_on, ends_on, methodist=user)
    Route.objects.filter(pk=route.pk).update(route_type=RouteType.POST_COURSE)
    route.refresh_from_db()
    RouteVersion.objects.filter(route=route, number=route.version).update(
        snapshot=routes.snapshot(route)
    )
    return route
