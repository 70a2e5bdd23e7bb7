"""Writes of the app events: one function per use case, transactional, Russian refusals.

Recording a participation (an internship completed) closes the person's route items that point
at the event («event:<id>») or the site («site:<id>») through
`nms.routes.services.complete_items_from_record`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.events.access import EDIT, RECORD, SITES
from nms.events.models import (
    RESULT_ROLES,
    Event,
    EventLevel,
    Internship,
    InternshipSite,
    Participation,
    Topic,
)
from nms.registry.models import Employment
from nms.routes.services import complete_items_from_record

NO_RIGHTS = "У вас нет прав на это действие."
EVENT_FIELDS = (
    "title", "kind", "level", "starts_on", "ends_on", "municipality", "organizer",
    "organizer_name", "place", "online", "description", "topics", "nominations",
    "horizontal_learning", "burnout_prevention", "for_low_results",
)  # fmt: skip
SITE_FIELDS = (
    "organization", "starts_on", "ends_on", "order_number", "order_date", "programmes",
    "programmes_updated_on", "topics",
)  # fmt: skip


def _dates(starts_on, ends_on, errors: dict, field: str = "ends_on") -> None:
    if starts_on and ends_on and ends_on < starts_on:
        errors[field] = "Дата окончания раньше даты начала."


def _topics(codes, errors: dict) -> list[str]:
    codes = list(codes or [])
    unknown = [c for c in codes if c not in Topic.values]
    if unknown:
        errors["topics"] = f"Неизвестные темы: {', '.join(map(str, unknown))}."
    return list(dict.fromkeys(codes))


def main_organization(person_id: int):
    """Where the person works: the main (not part-time) employment, else the first one."""
    employment = (
        Employment.objects.filter(person_id=person_id)
        .order_by("is_part_time", "id")
        .select_related("organization")
        .first()
    )
    return employment.organization if employment else None


# -- events ------------------------------------------------------------------------------------
def _fill_event(user, event: Event, data: dict) -> Event:
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    errors = {}
    event.title = (event.title or "").strip()
    event.organizer_name = (event.organizer_name or "").strip()
    if not event.title:
        errors["title"] = "Укажите наименование мероприятия."
    if event.organizer_id is None and not event.organizer_name:
        errors["organizer"] = "Укажите организатора: организацию региона или наименование."
    if event.organizer_id is not None:
        event.organizer_name = ""
        if event.municipality_id is None and event.level in (
            EventLevel.SCHOOL,
            EventLevel.MUNICIPAL,
        ):
            event.municipality_id = event.organizer.municipality_id
    if event.level == EventLevel.SCHOOL and event.organizer_id is None:
        errors["organizer"] = "Организатор мероприятия уровня ОО — образовательная организация."
    if event.level == EventLevel.MUNICIPAL and event.municipality_id is None:
        errors["municipality"] = "Укажите муниципалитет муниципального мероприятия."
    if event.level in (EventLevel.REGIONAL, EventLevel.FEDERAL):
        event.municipality = None
    _dates(event.starts_on, event.ends_on, errors)
    event.topics = _topics(event.topics, errors)
    if not event.is_contest:
        event.nominations = ""
    if event.region_id is None:
        scope = scope_of(user)
        region = (
            event.organizer.region
            if event.organizer_id
            else event.municipality.region
            if event.municipality_id
            else scope.default_region()
        )
        if region is None:
            errors["title"] = "Не удалось определить регион мероприятия: укажите организатора."
        else:
            event.region = region
    if errors:
        raise ValidationError(errors)
    return event


EDIT_REFUSED = (
    "Вести это мероприятие вы не можете: ЦНППМ ведёт региональные мероприятия, "
    "муниципальная служба — своего муниципалитета, администрация ОО — уровня ОО."
)


def _check_edit(user, event: Event, *, data_error: bool = False) -> None:
    """PermissionDenied for one who edits no events (or not this one); the data of a new or
    changed event that leave what the user may edit: ValidationError (the form shows it)."""
    scope = scope_of(user)
    if not scope.can(EDIT):
        raise PermissionDenied(NO_RIGHTS)
    if not scope.can(EDIT, event):
        if data_error:
            raise ValidationError(EDIT_REFUSED)
        raise PermissionDenied(EDIT_REFUSED)


@transaction.atomic
def event_create(user, data: dict) -> Event:
    event = _fill_event(user, Event(), data)
    _check_edit(user, event, data_error=True)
    event.save()
    if "areas" in data:
        event.areas.set(data["areas"] or [])
    return event


@transaction.atomic
def event_update(user, event: Event, data: dict, expected_version=None) -> Event:
    _check_edit(user, event)
    event = claim(event, expected_version)
    kept_nominations = set(event.nomination_list)
    event = _fill_event(user, event, data)
    _check_edit(user, event, data_error=True)  # nobody moves an event out of their reach
    removed = kept_nominations - set(event.nomination_list)
    if removed and event.participations.filter(nomination__in=removed).exists():
        raise ValidationError(
            {"nominations": "Нельзя убрать номинацию, в которой уже отмечены участники."}
        )
    if not event.is_contest and event.participations.exclude(stage="").exists():
        raise ValidationError({"kind": "У мероприятия есть участники этапов конкурса."})
    event.save()
    if "areas" in data:
        event.areas.set(data["areas"] or [])
    return event


# -- participation -----------------------------------------------------------------------------
def _check_participation(p: Participation) -> None:
    event, errors = p.event, {}
    p.nomination = (p.nomination or "").strip()
    if event.is_contest:
        if not p.stage:
            errors["stage"] = "Укажите этап конкурса."
        nominations = event.nomination_list
        if nominations and p.nomination and p.nomination not in nominations:
            errors["nomination"] = (
                f"Номинации «{p.nomination}» в конкурсе нет; есть: {'; '.join(nominations)}."
            )
    else:
        if p.stage:
            errors["stage"] = "Этапы бывают только у конкурсов."
        if p.nomination:
            errors["nomination"] = "Номинации бывают только у конкурсов."
        if p.role in RESULT_ROLES:
            errors["role"] = "Победители и призёры бывают только у конкурсов."
    duplicate = Participation.objects.filter(
        event_id=p.event_id, person_id=p.person_id, stage=p.stage, nomination=p.nomination
    ).exclude(pk=p.pk)
    if not errors and duplicate.exists():
        errors["person"] = "Участие этого работника в мероприятии (этапе, номинации) уже отмечено."
    if errors:
        raise ValidationError(errors)


def _check_record(user, record) -> None:
    if not scope_of(user).can(RECORD, record):
        raise PermissionDenied(
            "Отмечать участие можно только своих работников (ОО, муниципалитета, региона)."
        )


def evidence_of(p: Participation) -> str:
    event = p.event
    when = f"{event.starts_on:%d.%m.%Y}"
    if event.ends_on != event.starts_on:
        when += f"–{event.ends_on:%d.%m.%Y}"
    text = f"{p.get_role_display()}: {event.get_kind_display()} «{event.title}», {when}"
    if p.stage:
        text += f", {p.get_stage_display()} этап"
    if p.nomination:
        text += f", номинация «{p.nomination}»"
    return text


def _save_participation(user, p: Participation) -> Participation:
    try:
        with transaction.atomic():
            p.save()
    except IntegrityError:
        raise ValidationError(
            {"person": "Участие этого работника в мероприятии (этапе, номинации) уже отмечено."}
        ) from None
    complete_items_from_record(user, p.person_id, [f"event:{p.event_id}"], evidence_of(p), link="")
    return p


@transaction.atomic
def participation_record(user, event: Event, data: dict) -> Participation:
    """Record that `data["person"]` took part in `event` (role, contest stage, nomination)."""
    person = data["person"]
    p = Participation(
        event=event,
        person=person,
        role=data.get("role") or "participant",
        stage=data.get("stage") or "",
        nomination=data.get("nomination") or "",
        organization=main_organization(person.pk),
    )
    _check_record(user, p)
    _check_participation(p)
    return _save_participation(user, p)


@transaction.atomic
def participation_update(user, p: Participation, data: dict, expected_version=None):
    _check_record(user, p)
    p = claim(p, expected_version)
    for name in ("role", "stage", "nomination"):
        if name in data:
            setattr(p, name, data[name] or "")
    _check_participation(p)
    return _save_participation(user, p)


@transaction.atomic
def participation_delete(user, p: Participation, expected_version=None) -> None:
    _check_record(user, p)
    p = claim(p, expected_version)
    p.delete()


# -- internship sites --------------------------------------------------------------------------
def _fill_site(site: InternshipSite, data: dict) -> InternshipSite:
    for name in SITE_FIELDS:
        if name in data:
            setattr(site, name, data[name])
    errors = {}
    site.order_number = (site.order_number or "").strip()
    if not site.order_number:
        errors["order_number"] = "Укажите номер приказа о присвоении статуса."
    _dates(site.starts_on, site.ends_on, errors)
    site.topics = _topics(site.topics, errors)
    if site.organization_id:
        site.region_id = site.organization.region_id
    if errors:
        raise ValidationError(errors)
    return site


def _check_site(user, site) -> None:
    if not scope_of(user).can(SITES, site):
        raise PermissionDenied("Статус стажировочной площадки присваивает ЦНППМ региона.")


@transaction.atomic
def site_create(user, data: dict) -> InternshipSite:
    site = _fill_site(InternshipSite(), data)
    _check_site(user, site)
    site.save()
    if "areas" in data:
        site.areas.set(data["areas"] or [])
    return site


@transaction.atomic
def site_update(user, site: InternshipSite, data: dict, expected_version=None):
    _check_site(user, site)
    site = claim(site, expected_version)
    site = _fill_site(site, data)
    _check_site(user, site)
    site.save()
    if "areas" in data:
        site.areas.set(data["areas"] or [])
    return site


# -- internships -------------------------------------------------------------------------------
def _check_internship(i: Internship) -> None:
    errors = {}
    _dates(i.starts_on, i.ends_on, errors)
    site = i.site
    outside = (
        i.starts_on and i.ends_on and (i.starts_on > site.ends_on or i.ends_on < site.starts_on)
    )
    if outside and not errors:
        errors["starts_on"] = (
            f"Стажировка вне срока статуса площадки "
            f"({site.starts_on:%d.%m.%Y}–{site.ends_on:%d.%m.%Y})."
        )
    if errors:
        raise ValidationError(errors)


def _after_internship(user, i: Internship) -> Internship:
    if i.completed:
        evidence = (
            f"стажировка на площадке «{i.site.organization}», "
            f"{i.starts_on:%d.%m.%Y}–{i.ends_on:%d.%m.%Y}"
        )
        complete_items_from_record(user, i.person_id, [f"site:{i.site_id}"], evidence)
    return i


@transaction.atomic
def internship_record(user, site: InternshipSite, data: dict) -> Internship:
    person = data["person"]
    i = Internship(
        site=site,
        person=person,
        organization=main_organization(person.pk),
        programme=(data.get("programme") or "").strip(),
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        completed=bool(data.get("completed")),
    )
    _check_record(user, i)
    _check_internship(i)
    i.save()
    return _after_internship(user, i)


@transaction.atomic
def internship_update(user, i: Internship, data: dict, expected_version=None) -> Internship:
    _check_record(user, i)
    i = claim(i, expected_version)
    for name in ("programme", "starts_on", "ends_on", "completed"):
        if name in data:
            setattr(i, name, data[name])
    _check_internship(i)
    i.save()
    return _after_internship(user, i)
