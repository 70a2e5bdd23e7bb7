"""Writes to the registry: one function per use case, each checked against the user's scope.

Forms, the API and the importers all come here, so the same rules hold everywhere. A call either
saves everything it was given or raises (ValidationError with Russian messages, or 404 for an
object outside the scope).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.common.identifiers import normalize_snils, snils_error
from nms.registry import federal_subjects
from nms.registry.federal_subjects import FederalSubject
from nms.registry.models import Employment, Organization, Person, Region, validate_birth_date

NO_RIGHTS = "У вас нет прав на изменение реестра."
# The one answer for a СНИЛС of somebody outside the user's scope, whatever else was typed: it
# must not tell whether the name or the birth date match (no existence oracle, issue 8).
SNILS_REGISTERED_ELSEWHERE = (
    "Работник с этим СНИЛС уже зарегистрирован в другой организации. Чтобы принять его на "
    "работу, обратитесь в ЦНППМ или к администратору: запись переводится по заявке."
)

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "snils",
    "education_level",
    "has_pedagogical_education",
    "email",
)
ORGANIZATION_FIELDS = (
    "full_name",
    "short_name",
    "inn",
    "kind",
    "municipality",
    "is_low_results",
    "is_unfavourable",
)
EMPLOYMENT_FIELDS = (
    "organization",
    "position",
    "manager_kind",
    "teaching_load",
    "is_part_time",
    "category",
    "category_date",
    "experience_years",
    "experience_as_of",
    "hire_date",
)


def _assign(instance, data: dict, fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            setattr(instance, field, value)


def _save(instance, user, exclude=()) -> None:
    instance._history_user = user if getattr(user, "is_authenticated", False) else None
    # Derived columns are filled by save(); they are not the user's input.
    instance.full_clean(exclude=["experience_start", "search_text", *exclude])
    instance.save()


def _normalize_snils(data: dict) -> dict:
    if data.get("snils") and not snils_error(data["snils"]):
        return {**data, "snils": normalize_snils(data["snils"])}
    return data


# -- people ------------------------------------------------------------------------------------
def _check_person(scope, person: Person, fields) -> None:
    """The person's rules beyond the model's, for the fields given (`fields`).

    A СНИЛС of somebody the user cannot see gets one answer whatever the other fields say; one
    inside the scope is left to the model's uniqueness check (the user may see that person).
    """
    errors = {}
    if "birth_date" in fields:
        try:
            validate_birth_date(person.birth_date)
        except ValidationError as error:
            errors["birth_date"] = error.messages
    if "snils" in fields and person.snils:
        taken = Person.objects.filter(snils=person.snils).exclude(pk=person.pk)
        if taken.exists() and not scope.people().filter(snils=person.snils).exists():
            errors["snils"] = [SNILS_REGISTERED_ELSEWHERE]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(user, data: dict, employment: dict | None = None) -> Person:
    """A new person; with `employment`, also their first place of work."""
    scope = scope_of(user)
    if not scope.can_edit_registry:
        raise PermissionDenied(NO_RIGHTS)
    region = scope.default_region()
    if region is None:
        raise ValidationError("Не определён регион для новой записи.")
    person = Person(region=region)
    _assign(person, _normalize_snils(data), PERSON_FIELDS)
    _check_person(scope, person, PERSON_FIELDS)
    _save(person, user)
    if employment is not None:
        employment_create(user, person, employment, check_person=False)
    elif not scope.is_all and not scope.is_region:
        # Without an employment in their territory the author could not see the person again.
        raise ValidationError("Укажите место работы нового работника.")
    return person


@transaction.atomic
def person_update(user, person: Person, data: dict, expected_version: int | None = None) -> Person:
    scope = scope_of(user)
    if not scope.can_edit_person(person):
        raise PermissionDenied(NO_RIGHTS)
    claim(person, expected_version)  # refused if changed since the user's version; re-read
    before = {field: getattr(person, field) for field in PERSON_FIELDS}
    _assign(person, _normalize_snils(data), PERSON_FIELDS)
    # Only what changes is checked: blanks kept from an import do not block other changes.
    changed = [field for field in PERSON_FIELDS if getattr(person, field) != before[field]]
    _check_person(scope, person, changed)
    _save(person, user, exclude=[field for field in PERSON_FIELDS if field not in changed])
    return person


# -- employments -------------------------------------------------------------------------------
def _check_organization(scope, organization: Organization) -> None:
    if not scope.editable_organizations().filter(pk=organization.pk).exists():
        raise ValidationError({"organization": "Организация не найдена в вашей области доступа."})


@transaction.atomic
def employment_create(user, person: Person, data: dict, *, check_person=True) -> Employment:
    scope = scope_of(user)
    if check_person and not scope.can_edit_person(person):
        raise PermissionDenied(NO_RIGHTS)
    employment = Employment(person=person)
    _assign(employment, data, EMPLOYMENT_FIELDS)
    if employment.organization_id:
        _check_organization(scope, employment.organization)
    _save(employment, user)
    if "subjects" in data:
        employment.subjects.set(data["subjects"])
    return employment


@transaction.atomic
def employment_update(
    user, employment: Employment, data: dict, expected_version: int | None = None
) -> Employment:
    scope = scope_of(user)
    if not scope.can_edit_person(employment.person):
        raise PermissionDenied(NO_RIGHTS)
    claim(employment, expected_version)  # refused if changed since the user's version; re-read
    _check_organization(scope, employment.organization)
    _assign(employment, data, EMPLOYMENT_FIELDS)
    _check_organization(scope, employment.organization)
    _save(employment, user)
    if "subjects" in data:
        employment.subjects.set(data["subjects"])
    return employment


@transaction.atomic
def employment_delete(user, employment: Employment, expected_version: int | None = None) -> None:
    scope = scope_of(user)
    if not scope.can_edit_person(employment.person):
        raise PermissionDenied(NO_RIGHTS)
    claim(employment, expected_version)  # refused if changed since the user's version; re-read
    _check_organization(scope, employment.organization)
    employment._history_user = user
    employment.delete()


# -- organizations -----------------------------------------------------------------------------
def _check_municipality(scope, municipality) -> None:
    if not scope.editable_municipalities().filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": "Муниципалитет не найден в вашей области доступа."})


@transaction.atomic
def organization_create(user, data: dict) -> Organization:
    scope = scope_of(user)
    if not scope.can_edit_organizations:
        raise PermissionDenied(NO_RIGHTS)
    organization = Organization()
    _assign(organization, data, ORGANIZATION_FIELDS)
    if organization.municipality_id:
        _check_municipality(scope, organization.municipality)
        organization.region_id = organization.municipality.region_id
    _save(organization, user)
    return organization


@transaction.atomic
def organization_update(
    user, organization: Organization, data: dict, expected_version: int | None = None
) -> Organization:
    scope = scope_of(user)
    if not scope.can_edit_organization(organization):
        raise PermissionDenied(NO_RIGHTS)
    claim(organization, expected_version)  # refused if changed since the user's version; re-read
    _assign(organization, data, ORGANIZATION_FIELDS)
    _check_municipality(scope, organization.municipality)
    organization.region_id = organization.municipality.region_id
    _save(organization, user)
    return organization


# -- regions -----------------------------------------------------------------------------------
def can_create_regions(user) -> bool:
    """Only the system (user None) and the administrator start a new region."""
    return user is None or scope_of(user).is_all


def subject_from_directory(text: str) -> FederalSubject:
    """A subject of the built-in directory by its ОКТМО code (2 or 3 digits) or its name."""
    subject = federal_subjects.find(text)
    if subject is None:
        raise ValidationError(
            f"Субъект РФ «{(text or '').strip()}» не найден в справочнике: укажите код ОКТМО "
            "субъекта (2 цифры, у автономного округа в составе края или области — 3) "
            "или его наименование, например 95 или «Республика Хакасия»."
        )
    return subject


def region_of_subject(subject: FederalSubject) -> Region:
    """The stored region of a subject (by code, then by name), or a new unsaved one."""
    region = Region.objects.filter(code=subject.code).order_by("pk").first()
    if region is None:
        region = Region.objects.filter(name=subject.name).first()
    return region or Region(name=subject.name, code=subject.code)


def save_region_of_subject(region: Region, subject: FederalSubject) -> bool:
    """Save a region from `region_of_subject`; a stored one without a code gets it.

    Returns whether the region was created.
    """
    if region.pk is not None:
        if not region.code:
            region.code = subject.code
            region.save(update_fields=["code"])
        return False
    region.full_clean()
    region.save()
    return True


@transaction.atomic
def region_create_from_directory(user, subject: FederalSubject | str) -> tuple[Region, bool]:
    """The region of a subject of the directory, created if it is not there yet.

    `subject` is a directory entry or what a person typed (code or name). Returns the region and
    whether it was created; an existing one is returned as it is.
    """
    if not can_create_regions(user):
        raise PermissionDenied(NO_RIGHTS)
    if isinstance(subject, str):
        subject = subject_from_directory(subject)
    region = region_of_subject(subject)
    created = save_region_of_subject(region, subject)
    return region, created
