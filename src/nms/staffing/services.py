"""Writes of the staffing app: one function per use case, in one transaction, checked with the
access registry (`staffing.edit` on the record's organization, municipality or person;
`staffing.directory` for specialties). Errors are Russian ValidationErrors naming the field;
nothing is half-saved."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.staffing.access import EDIT, EDIT_DIRECTORY
from nms.staffing.models import (
    FIRST_YEAR,
    LAST_YEAR,
    ContractStatus,
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)

NO_RIGHTS = "У вас нет прав на это действие."
FILLED_OVER = "Занято ставок больше, чем предусмотрено штатом."
NEGATIVE = "Число ставок не может быть отрицательным."
DUPLICATE_ROW = "Такая должность с этим предметом уже есть в штатном расписании."
SCHEDULE_EXISTS = "Штатное расписание этой организации на этот учебный год уже есть."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NO_RIGHTS)


def _fill(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _save_new(user, obj, data, fields, action=EDIT, check=None):
    _fill(obj, data, fields)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))
    obj.save()
    return obj


def _save_old(user, obj, data, fields, expected_version, action=EDIT, check=None):
    _require(scope_of(user).can(action, obj))
    obj = claim(obj, expected_version)
    _fill(obj, data, fields)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))  # moved within the scope only
    obj.save()
    return obj


# -- staff schedules -------------------------------------------------------------------------------
SCHEDULE_FIELDS = ("organization", "year", "approved_on", "note")


def _check_schedule(schedule: StaffSchedule) -> None:
    if schedule.year is None or not 2000 <= schedule.year <= LAST_YEAR:
        raise ValidationError({"year": "Учебный год — год его начала, например 2025."})
    clash = StaffSchedule.objects.filter(
        organization_id=schedule.organization_id, year=schedule.year
    ).exclude(pk=schedule.pk)
    if clash.exists():
        raise ValidationError({"year": SCHEDULE_EXISTS})


@transaction.atomic
def schedule_create(user, data: dict) -> StaffSchedule:
    return _save_new(user, StaffSchedule(), data, SCHEDULE_FIELDS, check=_check_schedule)


@transaction.atomic
def schedule_update(user, schedule, data: dict, expected_version=None) -> StaffSchedule:
    return _save_old(user, schedule, data, SCHEDULE_FIELDS, expected_version, check=_check_schedule)


def check_rates(rates, filled) -> dict:
    """The errors of a row's rates by field ({} when they are right)."""
    errors = {}
    if rates is None:
        errors["rates"] = "Укажите число ставок."
    elif rates < 0:
        errors["rates"] = NEGATIVE
    if filled is not None and filled < 0:
        errors["filled"] = NEGATIVE
    elif rates is not None and filled is not None and rates >= 0 and filled > rates:
        errors["filled"] = FILLED_OVER
    return errors


ROW_FIELDS = ("position", "subject", "rates", "filled")


def _check_row(row: ScheduleRow) -> None:
    if row.filled is None:
        row.filled = Decimal(0)
    errors = check_rates(row.rates, row.filled)
    clash = ScheduleRow.objects.filter(
        schedule_id=row.schedule_id, position_id=row.position_id, subject_id=row.subject_id
    ).exclude(pk=row.pk)
    if clash.exists():
        errors["subject"] = DUPLICATE_ROW
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def row_add(user, schedule: StaffSchedule, data: dict, expected_version=None) -> ScheduleRow:
    _require(scope_of(user).can(EDIT, schedule))
    schedule = claim(schedule, expected_version)
    row = ScheduleRow(schedule=schedule)
    _fill(row, data, ROW_FIELDS)
    _check_row(row)
    row.save()
    return row


@transaction.atomic
def row_update(user, row: ScheduleRow, data: dict, expected_version=None) -> ScheduleRow:
    _require(scope_of(user).can(EDIT, row.schedule))
    claim(row.schedule, expected_version)
    _fill(row, data, ROW_FIELDS)
    _check_row(row)
    row.save()
    return row


@transaction.atomic
def row_delete(user, row: ScheduleRow, expected_version=None) -> None:
    _require(scope_of(user).can(EDIT, row.schedule))
    claim(row.schedule, expected_version)
    row.delete()


@transaction.atomic
def replace_rows(schedule: StaffSchedule, rows: list[dict]) -> tuple[int, int]:
    """The import's write: the schedule's rows become `rows` (checked by the importer); returns
    (rows before, rows after)."""
    schedule = claim(schedule)
    before = schedule.rows.count()
    schedule.rows.all().delete()
    ScheduleRow.objects.bulk_create([ScheduleRow(schedule=schedule, **row) for row in rows])
    return before, len(rows)


# -- vacancies ---------------------------------------------------------------------------------
VACANCY_FIELDS = (
    "organization", "position", "subject", "rates", "load_hours", "requirements", "conditions",
    "published", "opened_on", "closed_on",
)  # fmt: skip


def _check_vacancy(vacancy: Vacancy) -> None:
    errors = {}
    if vacancy.rates is None or vacancy.rates <= 0:
        errors["rates"] = "Число ставок вакансии должно быть больше нуля."
    if vacancy.load_hours is not None and not 0 < vacancy.load_hours <= 54:
        errors["load_hours"] = "Нагрузка — от 0 до 54 часов в неделю."
    if vacancy.opened_on and vacancy.closed_on and vacancy.closed_on < vacancy.opened_on:
        errors["closed_on"] = "Вакансию нельзя закрыть раньше, чем она открыта."
    if vacancy.published and not (vacancy.requirements or "").strip():
        errors["requirements"] = "Перед публикацией укажите требования к кандидату."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vacancy_create(user, data: dict) -> Vacancy:
    data = {**data, "opened_on": data.get("opened_on") or date.today()}
    return _save_new(user, Vacancy(), data, VACANCY_FIELDS, check=_check_vacancy)


@transaction.atomic
def vacancy_update(user, vacancy, data: dict, expected_version=None) -> Vacancy:
    return _save_old(user, vacancy, data, VACANCY_FIELDS, expected_version, check=_check_vacancy)


@transaction.atomic
def vacancy_publish(user, vacancy, published: bool, expected_version=None) -> Vacancy:
    return vacancy_update(user, vacancy, {"published": published}, expected_version)


@transaction.atomic
def vacancy_close(user, vacancy, closed_on: date | None = None, expected_version=None) -> Vacancy:
    return vacancy_update(user, vacancy, {"closed_on": closed_on or date.today()}, expected_version)


# -- specialties and diplomas --------------------------------------------------------------------
SPECIALTY_FIELDS = ("code", "name", "is_pedagogical")


def _check_specialty(specialty: Specialty) -> None:
    name = (specialty.name or "").strip()
    if not name:
        raise ValidationError({"name": "Укажите наименование специальности."})
    specialty.name = name
    if Specialty.objects.filter(name__iexact=name).exclude(pk=specialty.pk).exists():
        raise ValidationError({"name": "Такая специальность уже есть в справочнике."})


def _set_subjects(specialty, data):
    if "subjects" in data:
        specialty.subjects.set(data["subjects"])


@transaction.atomic
def specialty_create(user, data: dict) -> Specialty:
    _require(scope_of(user).can(EDIT_DIRECTORY))
    specialty = Specialty()
    _fill(specialty, data, SPECIALTY_FIELDS)
    _check_specialty(specialty)
    specialty.save()
    _set_subjects(specialty, data)
    return specialty


@transaction.atomic
def specialty_update(user, specialty, data: dict, expected_version=None) -> Specialty:
    _require(scope_of(user).can(EDIT_DIRECTORY))
    specialty = claim(specialty, expected_version)
    _fill(specialty, data, SPECIALTY_FIELDS)
    _check_specialty(specialty)
    specialty.save()
    _set_subjects(specialty, data)
    return specialty


DIPLOMA_FIELDS = (
    "person", "level", "institution", "year", "specialty", "qualification", "is_pedagogical",
)  # fmt: skip


def _check_diploma(diploma: Diploma) -> None:
    errors = {}
    this_year = date.today().year
    if diploma.year is None or not FIRST_YEAR <= diploma.year <= this_year:
        errors["year"] = f"Год окончания — от {FIRST_YEAR} до {this_year}."
    elif diploma.person_id and diploma.person.birth_date.year + 14 > diploma.year:
        errors["year"] = "Год окончания раньше, чем работнику исполнилось 14 лет."
    if not (diploma.institution or "").strip():
        errors["institution"] = "Укажите образовательную организацию."
    duplicate = Diploma.objects.filter(
        person_id=diploma.person_id,
        specialty_id=diploma.specialty_id,
        year=diploma.year,
        institution=diploma.institution,
    ).exclude(pk=diploma.pk)
    if not errors and duplicate.exists():
        errors["specialty"] = "Такой диплом у работника уже записан."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def diploma_create(user, data: dict) -> Diploma:
    return _save_new(user, Diploma(), data, DIPLOMA_FIELDS, check=_check_diploma)


@transaction.atomic
def diploma_update(user, diploma, data: dict, expected_version=None) -> Diploma:
    return _save_old(user, diploma, data, DIPLOMA_FIELDS, expected_version, check=_check_diploma)


@transaction.atomic
def diploma_delete(user, diploma, expected_version=None) -> None:
    _require(scope_of(user).can(EDIT, diploma))
    claim(diploma, expected_version)
    diploma.delete()


# -- target training ---------------------------------------------------------------------------
CONTRACT_FIELDS = (
    "municipality", "organization", "number", "student_name", "institution", "specialty",
    "signed_on", "study_ends_on", "graduated_on", "status", "person", "employed_on",
)  # fmt: skip


def _check_contract(contract: TargetContract) -> None:
    errors = {}
    if not (contract.student_name or "").strip():
        errors["student_name"] = "Укажите обучающегося (сторону договора)."
    if (
        contract.organization_id
        and contract.municipality_id
        and contract.organization.municipality_id != contract.municipality_id
    ):
        errors["organization"] = "Организация не из этого муниципалитета."
    signed = contract.signed_on
    if signed and contract.study_ends_on and contract.study_ends_on < signed:
        errors["study_ends_on"] = "Окончание обучения раньше заключения договора."
    if signed and contract.graduated_on and contract.graduated_on < signed:
        errors["graduated_on"] = "Окончание обучения раньше заключения договора."
    if not contract.person_id:
        contract.employment = None
    elif not contract.employment_id or contract.employment.person_id != contract.person_id:
        contract.employment = _graduate_employment(contract)
        if contract.employment is None:
            errors["person"] = "У выпускника нет места работы в реестре."
    if contract.employment_id:
        if not contract.graduated_on:
            errors["graduated_on"] = "Укажите дату окончания обучения выпускника."
        if contract.status != ContractStatus.TERMINATED:
            contract.status = ContractStatus.EMPLOYED
        if not contract.employed_on:
            contract.employed_on = contract.employment.hire_date or contract.graduated_on
    elif contract.status == ContractStatus.EMPLOYED:
        errors["person"] = "Укажите выпускника, принятого на работу (он должен быть в реестре)."
    elif contract.graduated_on and contract.status == ContractStatus.STUDYING:
        contract.status = ContractStatus.GRADUATED
    if contract.status == ContractStatus.GRADUATED and not contract.graduated_on:
        errors["graduated_on"] = "Укажите дату окончания обучения."
    if errors:
        raise ValidationError(errors)


def _graduate_employment(contract: TargetContract):
    """The graduate's employment: in the contract's organization, else its municipality, else
    the main one."""
    employments = list(contract.person.employments.select_related("organization"))
    for match in (
        lambda e: e.organization_id == contract.organization_id,
        lambda e: e.organization.municipality_id == contract.municipality_id,
        lambda e: not e.is_part_time,
        lambda e: True,
    ):
        found = [e for e in employments if match(e)]
        if found:
            return found[0]
    return None


@transaction.atomic
def contract_create(user, data: dict) -> TargetContract:
    return _save_new(user, TargetContract(), data, CONTRACT_FIELDS, check=_check_contract)


@transaction.atomic
def contract_update(user, contract, data: dict, expected_version=None) -> TargetContract:
    return _save_old(user, contract, data, CONTRACT_FIELDS, expected_version, check=_check_contract)


# -- pedagogical classes ---------------------------------------------------------------------------
CLASS_FIELDS = ("organization", "year", "profile", "grade", "pupils", "partner")


def _check_class(item: PedagogicalClass) -> None:
    errors = {}
    if item.year is None or not 2000 <= item.year <= LAST_YEAR:
        errors["year"] = "Учебный год — год его начала, например 2025."
    if item.pupils is None or not 1 <= item.pupils <= 100:
        errors["pupils"] = "Число обучающихся — от 1 до 100."
    if item.grade is None or not 5 <= item.grade <= 11:
        errors["grade"] = "Параллель — от 5 до 11."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def class_create(user, data: dict) -> PedagogicalClass:
    return _save_new(user, PedagogicalClass(), data, CLASS_FIELDS, check=_check_class)


@transaction.atomic
def class_update(user, item, data: dict, expected_version=None) -> PedagogicalClass:
    return _save_old(user, item, data, CLASS_FIELDS, expected_version, check=_check_class)
