"""Import of organizations and staff lists from XLSX.

Every row is checked first and every error is collected with its row, column and value; a file
with any error saves nothing. A valid file is saved in one transaction with bulk operations, and
the history of each created or changed record is written for the importing user.

`user=None` means the system (the command line without --user): no scope restrictions.
`progress`, when given, is called as `progress(done, total)` while the rows are checked (every
PROGRESS_ROWS rows) and once per saved batch of records; a job's Progress also shows each step's
name (its `phase`).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from nms.accounts.scope import scope_of
from nms.common.identifiers import inn_error, normalize_snils, oktmo_error, snils_error
from nms.common.importing import (
    READING,
    Batches,
    Column,
    ErrorCollector,
    ImportReport,
    Row,
    check_repeats,
    chunks,
    parse_with_progress,
    read_rows,
    silent,
    step,
)
from nms.common.xlsx import (
    CellError,
    TemplateColumn,
    build_template,
    cell_text,
    normalize,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_digits,
    parse_text,
)
from nms.registry import federal_subjects
from nms.registry.federal_subjects import FederalSubject
from nms.registry.models import (
    Category,
    EducationLevel,
    Employment,
    ManagerKind,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Region,
    Sex,
    Subject,
    validate_birth_date,
)
from nms.registry.services import (
    NO_RIGHTS,
    SNILS_REGISTERED_ELSEWHERE,
    can_create_regions,
    region_of_subject,
    save_region_of_subject,
)

BATCH = 500

ORGANIZATION_NOT_FOUND = "организация с таким ИНН не найдена"
MUNICIPALITY_NOT_FOUND = (
    "муниципальное образование с таким ОКТМО не найдено в вашей области доступа"
)
SEE_REFERENCE = "допустимые значения — на листе «Справочники» шаблона"

STAFF = "staff"
ORGANIZATIONS = "organizations"
KIND_LABELS = {STAFF: "Работники", ORGANIZATIONS: "Организации"}


# -- who imports -------------------------------------------------------------------------------
class _Rights:
    """What the importing user may touch; the system (user None) may touch everything."""

    def __init__(self, user):
        self.scope = None if user is None else scope_of(user)
        self.history_user = user if getattr(user, "is_authenticated", False) else None

    @property
    def can_import_staff(self) -> bool:
        return self.scope is None or self.scope.can_edit_registry

    @property
    def can_import_organizations(self) -> bool:
        return self.scope is None or self.scope.can_edit_organizations

    @property
    def can_create_municipalities(self) -> bool:
        scope = self.scope
        return scope is None or (scope.can_edit_organizations and (scope.is_all or scope.is_region))

    @property
    def can_create_regions(self) -> bool:
        """A region may be started from a file by those who may create municipalities in it."""
        return self.can_create_municipalities and can_create_regions(
            None if self.scope is None else self.scope.user
        )

    def organizations(self):
        return (
            Organization.objects.all()
            if self.scope is None
            else self.scope.editable_organizations()
        )

    def municipalities(self):
        if self.scope is None:
            return Municipality.objects.all()
        return self.scope.editable_municipalities()

    def default_region(self) -> Region | None:
        if self.scope is not None:
            return self.scope.default_region()
        regions = list(Region.objects.all()[:2])
        return regions[0] if len(regions) == 1 else None


def available_kinds(user) -> list[tuple[str, str]]:
    """What the user may import: (kind, label) pairs."""
    rights = _Rights(user)
    kinds = []
    if rights.can_import_staff:
        kinds.append((STAFF, KIND_LABELS[STAFF]))
    if rights.can_import_organizations:
        kinds.append((ORGANIZATIONS, KIND_LABELS[ORGANIZATIONS]))
    return kinds


def _choice(mapping: dict, message: str, empty=""):
    """A parser matching a cell against names (case, ё and spaces ignored)."""
    keys = {normalize(name): value for name, value in mapping.items()}

    def parse(value):
        if value is None:
            return empty
        try:
            return keys[normalize(value)]
        except KeyError:
            raise CellError(message) from None

    return parse


def _labels(choices) -> dict:
    """Labels and stored values of TextChoices, both accepted."""
    return {**{c.value: c.value for c in choices}, **{c.label: c.value for c in choices}}


def _text(max_length: int):
    return lambda value: parse_text(value, max_length)


def _inn(value) -> str:
    inn = parse_digits(value, 10)
    if error := inn_error(inn):
        raise CellError(error)
    return inn


def _bool(default: bool):
    return lambda value: parse_bool(value, default)


def _apply(instance, values: dict, fields: Iterable[str]) -> set[str]:
    """Set the given fields that differ; returns the names of those set."""
    changed = set()
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed.add(name)
    return changed


def _set_search_text(instance, changed: set[str]) -> None:
    search_text = instance.compute_search_text()
    if search_text != instance.search_text:
        instance.search_text = search_text
        changed.add("search_text")


def _create(objects: list, model, rights: _Rights, batches: Batches | None = None) -> None:
    for batch in chunks(objects, BATCH):
        bulk_create_with_history(batch, model, batch_size=BATCH, default_user=rights.history_user)
        if batches is not None:
            batches.saved(len(batch))


def _update(
    objects: list, model, fields: set[str], rights: _Rights, batches: Batches | None = None
) -> None:
    """Write only the columns changed in some object; every object gets a history record."""
    for batch in chunks(objects, BATCH):
        bulk_update_with_history(
            batch, model, sorted(fields), batch_size=BATCH, default_user=rights.history_user
        )
        if batches is not None:
            batches.saved(len(batch))


def _count(report: ImportReport, statuses: list[str]) -> None:
    report.created = statuses.count("created")
    report.updated = statuses.count("updated")
    report.unchanged = statuses.count("unchanged")


def _save(report: ImportReport, save: Callable[[], None]) -> ImportReport:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        # Someone saved a conflicting record between our checks and our writes.
        return ImportReport.rejected(
            "Во время загрузки данные реестра изменились. Загрузите файл ещё раз."
        )
    return report


# -- organizations -----------------------------------------------------------------------------
ORGANIZATION_COLUMNS = (
    Column("ИНН", "inn", required=True, width=14),
    Column("Наименование", "full_name", required=True, width=50),
    Column("Краткое наименование", "short_name", width=30),
    Column("Тип", "kind", required=True, width=30),
    Column("Муниципальное образование", "municipality_name", width=30),
    Column("ОКТМО", "oktmo", required=True, width=14),
    Column("ШНОР", "is_low_results", width=10),
    Column("Неблагоприятные социальные условия", "is_unfavourable", width=18),
)
ORGANIZATION_FIELDS = (
    "full_name",
    "short_name",
    "kind",
    "municipality_id",
    "region_id",
    "is_low_results",
    "is_unfavourable",
)


def _oktmo(value) -> str:
    oktmo = parse_digits(value, 8 if len(cell_text(value)) <= 8 else 11)
    if error := oktmo_error(oktmo):
        raise CellError(error)
    return oktmo


ORGANIZATION_PARSERS = {
    "inn": _inn,
    "full_name": _text(500),
    "short_name": _text(200),
    "kind": _choice(_labels(OrganizationKind), f"неизвестный тип организации; {SEE_REFERENCE}"),
    "municipality_name": _text(200),
    "oktmo": _oktmo,
    "is_low_results": _bool(False),
    "is_unfavourable": _bool(False),
}


@dataclass
class OrganizationsReport(ImportReport):
    """The report of an organizations file; it may also have started the region."""

    region_created: str = ""

    @property
    def summary(self) -> str:
        text = super().summary
        if self.region_created and not self.errors:
            text += f" Создан регион «{self.region_created}»."
        return text


def import_organizations(user, file, progress=None) -> ImportReport:
    """Create or update organizations by ИНН; unknown ОКТМО creates a municipality if allowed.

    When the region of new municipalities cannot be told from the user (their own region or the
    only one there is), it is the subject of the Russian Federation the rows' ОКТМО belong to —
    all rows of one subject — and is created from the built-in directory if it is not there yet.
    """
    rights = _Rights(user)
    if not rights.can_import_organizations:
        raise PermissionDenied(NO_RIGHTS)
    progress = progress or silent
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(file, ORGANIZATION_COLUMNS, errors)
    parse_with_progress(rows, ORGANIZATION_COLUMNS, ORGANIZATION_PARSERS, errors, progress)
    check_repeats(rows, ("inn",), "ИНН", "ИНН", errors)
    existing = _resolve_organizations(rows, rights, errors)
    _check_short_names(rows, existing, errors)
    municipalities, new_municipalities, subject = _resolve_municipalities(rows, rights, errors)
    if errors.errors:
        return ImportReport(errors=errors.sorted())

    report = OrganizationsReport(municipalities_created=len(new_municipalities))

    def save():
        if subject is not None:
            region = next(iter(new_municipalities.values())).region
            if save_region_of_subject(region, subject):
                report.region_created = region.name
        if new_municipalities:
            Municipality.objects.bulk_create(new_municipalities.values())
            municipalities.update({m.oktmo: m for m in new_municipalities.values()})
        _save_organizations(rows, existing, municipalities, rights, report, progress)

    return _save(report, save)


def _check_short_names(rows: list[Row], existing: dict, errors: ErrorCollector) -> None:
    """An empty short name is the full one (when it fits); an absent column keeps the stored one."""
    for row in rows:
        values = row.values
        if values.get("short_name") or "full_name" not in values:
            continue
        if "short_name" not in values and values.get("inn") in existing:
            continue
        if len(values["full_name"]) > 200:
            errors.add(
                row, "Краткое наименование", "укажите краткое наименование (до 200 символов)"
            )
        else:
            values["short_name"] = values["full_name"]


def _resolve_municipalities(rows: list[Row], rights: _Rights, errors: ErrorCollector):
    """Municipalities by ОКТМО, the new ones to create (only for regional roles) and, when their
    region is to be taken from the directory, its subject of the Russian Federation."""
    oktmos = sorted({row.values["oktmo"] for row in rows if "oktmo" in row.values})
    known = {}
    for chunk in chunks(oktmos):
        known.update({m.oktmo: m for m in Municipality.objects.filter(oktmo__in=chunk)})
    editable = set()
    for chunk in chunks(sorted(known)):
        editable.update(
            rights.municipalities().filter(oktmo__in=chunk).values_list("oktmo", flat=True)
        )
    region = rights.default_region() if rights.can_create_municipalities else None
    subject, rejected = None, set()
    if (
        region is None
        and rights.can_create_regions
        and any(row.values.get("oktmo") not in known for row in rows if "oktmo" in row.values)
    ):
        subject, rejected = _subject_of_rows(rows, errors)
        region = region_of_subject(subject) if subject is not None else None
    taken_names = set()
    if region is not None and region.pk is not None:
        taken_names = {normalize(n) for n in region.municipalities.values_list("name", flat=True)}
    new: dict[str, Municipality] = {}
    for row in rows:
        oktmo = row.values.get("oktmo")
        if oktmo is None or row.number in rejected:
            continue
        if oktmo in known:
            if oktmo not in editable:
                errors.add(row, "ОКТМО", MUNICIPALITY_NOT_FOUND)
            continue
        if region is None:
            message = MUNICIPALITY_NOT_FOUND
            if rights.can_create_municipalities:
                message = "не удалось определить регион для нового муниципального образования"
            errors.add(row, "ОКТМО", message)
            continue
        name = row.values.get("municipality_name")
        if not name:
            errors.add(
                row,
                "Муниципальное образование",
                "такого ОКТМО нет в реестре: укажите наименование нового муниципального "
                "образования",
            )
        elif oktmo in new:
            if normalize(new[oktmo].name) != normalize(name):
                errors.add(
                    row,
                    "Муниципальное образование",
                    "для этого ОКТМО в файле указано другое наименование",
                )
        elif normalize(name) in taken_names:
            errors.add(
                row,
                "Муниципальное образование",
                "муниципальное образование с таким наименованием уже есть, с другим ОКТМО",
            )
        else:
            new[oktmo] = Municipality(region=region, name=name, oktmo=oktmo)
            taken_names.add(normalize(name))
    if not new:
        subject = None  # no new municipality: the region is not needed
    return known, new, subject


def _subject_of_rows(rows: list[Row], errors: ErrorCollector):
    """The one subject of the Russian Federation of all rows' ОКТМО, and the rows refused.

    The subject of most rows is the file's; each row of another subject, or of none, is an error.
    """
    subjects: dict[int, FederalSubject | None] = {}
    first_row: dict[FederalSubject, int] = {}
    for row in rows:
        if "oktmo" in row.values:
            subject = federal_subjects.by_oktmo(row.values["oktmo"])
            subjects[row.number] = subject
            if subject is not None:
                first_row.setdefault(subject, row.number)
    counts = Counter(s for s in subjects.values() if s is not None)
    main = counts.most_common(1)[0][0] if counts else None
    rejected = set()
    for row in rows:
        if row.number not in subjects or subjects[row.number] == main:
            continue
        subject = subjects[row.number]
        rejected.add(row.number)
        if subject is None:
            errors.add(row, "ОКТМО", federal_subjects.UNKNOWN_SUBJECT)
        else:
            errors.add(
                row,
                "ОКТМО",
                f"код относится к субъекту РФ «{subject.name}», а в строке {first_row[main]} — "
                f"к субъекту «{main.name}»; в одном файле должны быть организации одного "
                "субъекта РФ",
            )
    return main, rejected


def _resolve_organizations(rows: list[Row], rights: _Rights, errors: ErrorCollector) -> dict:
    """The organizations the file updates, by ИНН; one outside the scope cannot be changed."""
    inns = sorted({row.values["inn"] for row in rows if "inn" in row.values})
    existing, editable = {}, set()
    for chunk in chunks(inns):
        existing.update({o.inn: o for o in Organization.objects.filter(inn__in=chunk)})
        editable.update(rights.organizations().filter(inn__in=chunk).values_list("inn", flat=True))
    for row in rows:
        inn = row.values.get("inn")
        if inn in existing and inn not in editable:
            errors.add(row, "ИНН", "организация с таким ИНН вне вашей области доступа")
    return existing


def _save_organizations(rows, existing, municipalities, rights, report, progress) -> None:
    created, changed, changed_fields, statuses = [], [], set(), []
    for row in rows:
        values = dict(row.values)
        municipality = municipalities[values.pop("oktmo")]
        values.pop("municipality_name", None)
        values.update(municipality_id=municipality.pk, region_id=municipality.region_id)
        organization = existing.get(values["inn"])
        if organization is None:
            organization = Organization(**values)
            organization.search_text = organization.compute_search_text()
            created.append(organization)
            statuses.append("created")
        elif fields := _apply(organization, values, ORGANIZATION_FIELDS):
            _set_search_text(organization, fields)
            changed.append(organization)
            changed_fields |= fields
            statuses.append("updated")
        else:
            statuses.append("unchanged")
    batches = Batches(progress, "Сохранение организаций…", len(created) + len(changed))
    _create(created, Organization, rights, batches)
    _update(changed, Organization, changed_fields, rights, batches)
    _count(report, statuses)


# -- staff -------------------------------------------------------------------------------------
STAFF_COLUMNS = (
    Column("СНИЛС", "snils", required=True, width=16),
    Column("Фамилия", "last_name", required=True),
    Column("Имя", "first_name", required=True),
    Column("Отчество", "middle_name"),
    Column("Дата рождения", "birth_date", required=True, width=14),
    Column("Пол", "sex", required=True, width=10),
    Column("ИНН организации", "organization_inn", required=True, width=14),
    Column("Должность", "position_id", required=True, width=30),
    Column("Руководящая должность", "manager_kind", width=30),
    Column("Предметы", "subject_ids", width=40),
    Column("Квалификационная категория", "category", width=24),
    Column("Дата присвоения категории", "category_date", width=14),
    Column("Педагогический стаж (лет)", "experience_years", required=True, width=14),
    Column("Дата приема на работу", "hire_date", width=14),
    Column("Уровень образования", "education_level", width=30),
    Column("Педагогическое образование", "has_pedagogical_education", width=14),
    Column("Совместитель", "is_part_time", width=14),
    Column("Учебная нагрузка (ч/нед)", "teaching_load", width=14),
    Column("Email", "email", width=28),
)
HEADERS = {c.field: c.header for c in STAFF_COLUMNS}
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "education_level",
    "has_pedagogical_education",
    "email",
)
EMPLOYMENT_FIELDS = (
    "position_id",
    "manager_kind",
    "teaching_load",
    "is_part_time",
    "category",
    "category_date",
    "hire_date",
)
EXPERIENCE_FIELDS = ("experience_years", "experience_as_of", "experience_start")
MAX_EXPERIENCE = Decimal(80)
MAX_LOAD = Decimal("99.9")
TENTH = Decimal("0.1")

SEXES = {"м": Sex.MALE, "муж": Sex.MALE, "ж": Sex.FEMALE, "жен": Sex.FEMALE, **_labels(Sex)}


def _snils(value) -> str:
    snils = parse_digits(value, 11)
    if error := snils_error(snils):
        raise CellError(error)
    return normalize_snils(snils)


def _past_date(today: date):
    def parse(value):
        parsed = parse_date(value)
        if parsed is not None and parsed > today:
            raise CellError("дата не может быть позже сегодняшней")
        return parsed

    return parse


def _birth_date(today: date):
    past = _past_date(today)

    def parse(value):
        parsed = past(value)
        try:
            validate_birth_date(parsed, today)
        except ValidationError as error:
            raise CellError(_cell_message(error.messages[0])) from None
        return parsed

    return parse


def _cell_message(sentence: str) -> str:
    """A sentence of the services as a cell's error: lower case, no final full stop."""
    return sentence[0].lower() + sentence[1:].rstrip(".")


def _experience(value) -> Decimal:
    years = parse_decimal(value).quantize(TENTH, ROUND_HALF_UP)
    if not Decimal(0) <= years <= MAX_EXPERIENCE:
        raise CellError(f"стаж должен быть от 0 до {MAX_EXPERIENCE} лет")
    return years


def _load(value) -> Decimal | None:
    load = parse_decimal(value)
    if load is None:
        return None
    if load < 0:
        raise CellError("учебная нагрузка не может быть отрицательной")
    if load > MAX_LOAD:
        raise CellError("учебная нагрузка не может быть больше 99,9 ч/нед")
    return load.quantize(TENTH, ROUND_HALF_UP)


def _email(value) -> str:
    email = parse_text(value, 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CellError("неверный адрес электронной почты") from None
    return email


def _subjects(subjects: dict[str, int]):
    def parse(value) -> set[int]:
        ids = set()
        for name in cell_text(value).split(";"):
            if not name.strip():
                continue
            try:
                ids.add(subjects[normalize(name)])
            except KeyError:
                raise CellError(f"предмет «{name.strip()}» не найден в справочнике") from None
        return ids

    return parse


def _staff_parsers(today: date) -> dict[str, Callable]:
    positions = dict(Position.objects.values_list("name", "pk"))
    subjects = {normalize(name): pk for name, pk in Subject.objects.values_list("name", "pk")}
    return {
        "snils": _snils,
        "last_name": _text(100),
        "first_name": _text(100),
        "middle_name": _text(100),
        "birth_date": _birth_date(today),
        "sex": _choice(SEXES, "укажите пол: «м» или «ж»"),
        "organization_inn": _inn,
        "position_id": _choice(positions, f"должность не найдена в справочнике; {SEE_REFERENCE}"),
        "manager_kind": _choice(
            _labels(ManagerKind), f"неизвестная руководящая должность; {SEE_REFERENCE}"
        ),
        "subject_ids": _subjects(subjects),
        "category": _choice(
            _labels(Category),
            f"неизвестная квалификационная категория; {SEE_REFERENCE}",
            Category.NONE,
        ),
        "category_date": _past_date(today),
        "experience_years": _experience,
        "hire_date": _past_date(today),
        "education_level": _choice(
            _labels(EducationLevel), f"неизвестный уровень образования; {SEE_REFERENCE}"
        ),
        "has_pedagogical_education": _bool(True),
        "is_part_time": _bool(False),
        "teaching_load": _load,
        "email": _email,
    }


def import_staff(user, file, progress=None) -> ImportReport:
    """Create or update people by СНИЛС and their employments by (СНИЛС, ИНН организации)."""
    rights = _Rights(user)
    if not rights.can_import_staff:
        raise PermissionDenied(NO_RIGHTS)
    progress = progress or silent
    today = date.today()
    errors = ErrorCollector()
    step(progress, READING)
    rows = read_rows(file, STAFF_COLUMNS, errors)
    parse_with_progress(rows, STAFF_COLUMNS, _staff_parsers(today), errors, progress)
    organizations = _resolve_staff_organizations(rows, rights, errors)
    check_repeats(
        rows, ("snils", "organization_inn"), "СНИЛС", "сочетание СНИЛС и ИНН организации", errors
    )
    _check_same_person(rows, errors)
    _check_people_outside_scope(rows, rights, errors)
    if errors.errors:
        return ImportReport(errors=errors.sorted())
    report = ImportReport()
    return _save(report, lambda: _save_staff(rows, organizations, rights, today, report, progress))


def _resolve_staff_organizations(rows: list[Row], rights: _Rights, errors: ErrorCollector) -> dict:
    """Organizations by ИНН among those the user may edit; any other ИНН is simply not found."""
    inns = sorted(
        {row.values["organization_inn"] for row in rows if "organization_inn" in row.values}
    )
    found = {}
    for chunk in chunks(inns):
        found.update(
            {
                o.inn: o
                for o in rights.organizations().filter(inn__in=chunk).only("pk", "inn", "region")
            }
        )
    for row in rows:
        inn = row.values.get("organization_inn")
        if inn is not None and inn not in found:
            errors.add(row, "ИНН организации", ORGANIZATION_NOT_FOUND)
    return found


def _check_same_person(rows: list[Row], errors: ErrorCollector) -> None:
    """Rows of one СНИЛС must agree on the person's own data."""
    first: dict[str, Row] = {}
    for row in rows:
        snils = row.values.get("snils")
        if snils is None:
            continue
        if snils not in first:
            first[snils] = row
            continue
        other = first[snils]
        for name in PERSON_FIELDS:
            if (
                name in row.values
                and name in other.values
                and row.values[name] != other.values[name]
            ):
                header = HEADERS[name]
                errors.add(
                    row,
                    header,
                    f"для этого СНИЛС в строке {other.number} указано "
                    f"«{cell_text(other.raw[header])}»",
                )


def _check_people_outside_scope(rows: list[Row], rights: _Rights, errors: ErrorCollector) -> None:
    """A СНИЛС of somebody the user cannot see is refused with one message whatever the row says.

    Comparing the name or the birth date would let a user try birth dates until one is accepted
    (an existence oracle); such a person is transferred on request instead. The system (user
    None) sees everybody and is not checked.
    """
    if rights.scope is None:
        return
    snilses = sorted({row.values["snils"] for row in rows if "snils" in row.values})
    stored, visible = set(), set()
    for chunk in chunks(snilses):
        stored.update(Person.objects.filter(snils__in=chunk).values_list("snils", flat=True))
        visible.update(
            rights.scope.people().filter(snils__in=chunk).values_list("snils", flat=True)
        )
    message = _cell_message(SNILS_REGISTERED_ELSEWHERE)
    for row in rows:
        snils = row.values.get("snils")
        if snils in stored and snils not in visible:
            errors.add(row, "СНИЛС", message)


def _same_experience(employment: Employment, years: Decimal, today: date) -> bool:
    """The file's experience is «as of today»; the stored one is as of its own date.

    Either equal as stored (the same file imported again on a later day) or equal once the stored
    one is carried forward to today (a fresh export) — both mean no change.
    """
    return employment.experience_years == years or employment.experience_on(today) == years


def _save_staff(
    rows, organizations, rights: _Rights, today: date, report: ImportReport, progress
) -> None:
    people, changed_people = _save_people(rows, organizations, rights, progress)
    employments, subjects = _employments_of([p.pk for p in people.values()])
    new_employments, changed_employments, new_subjects, replaced = [], [], [], []
    changed_fields, statuses = set(), []
    for row in rows:
        values = row.values
        person = people[values["snils"]]
        organization = organizations[values["organization_inn"]]
        employment = employments.get((person.pk, organization.pk))
        subject_ids = values.get("subject_ids")
        if employment is None:
            employment = Employment(
                person_id=person.pk,
                organization_id=organization.pk,
                experience_years=values["experience_years"],
                experience_as_of=today,
            )
            _apply(employment, values, EMPLOYMENT_FIELDS)
            employment.experience_start = employment.compute_experience_start()
            new_employments.append(employment)
            new_subjects.append((employment, subject_ids or ()))
            statuses.append("created")
            continue
        fields = _apply(employment, values, EMPLOYMENT_FIELDS)
        if not _same_experience(employment, values["experience_years"], today):
            employment.experience_years = values["experience_years"]
            employment.experience_as_of = today
            employment.experience_start = employment.compute_experience_start()
            fields.update(EXPERIENCE_FIELDS)
        new_subjects_set = subject_ids is not None and subject_ids != subjects[employment.pk]
        if new_subjects_set:
            replaced.append(employment.pk)
            new_subjects.append((employment, subject_ids))
        if fields or new_subjects_set:
            employment.version += 1  # read under the row lock: nms.common.concurrency
            fields.add("version")
            changed_employments.append(employment)
            changed_fields |= fields
            statuses.append("updated")
        else:
            statuses.append("updated" if values["snils"] in changed_people else "unchanged")

    total = len(new_employments) + len(changed_employments)
    batches = Batches(progress, "Сохранение мест работы…", total)
    _create(new_employments, Employment, rights, batches)
    _update(changed_employments, Employment, changed_fields, rights, batches)
    _set_subjects(replaced, new_subjects)
    _count(report, statuses)


def _save_people(
    rows, organizations, rights: _Rights, progress
) -> tuple[dict[str, Person], set[str]]:
    """People by СНИЛС (created or updated from their first row), and the СНИЛС of those changed.

    Rows of one СНИЛС agree on personal data (checked before), so the first row speaks for all.
    """
    first_rows = {}
    for row in rows:
        first_rows.setdefault(row.values["snils"], row)
    people = _people_by_snils(sorted(first_rows))
    created, changed, changed_fields = [], [], set()
    for snils, row in first_rows.items():
        person = people.get(snils)
        if person is None:
            region_id = organizations[row.values["organization_inn"]].region_id
            person = people[snils] = Person(region_id=region_id, snils=snils)
            _apply(person, row.values, PERSON_FIELDS)
            person.search_text = person.compute_search_text()
            created.append(person)
        elif fields := _apply(person, row.values, PERSON_FIELDS):
            _set_search_text(person, fields)
            person.version += 1  # read under the row lock: nms.common.concurrency
            fields.add("version")
            changed.append(person)
            changed_fields |= fields
    batches = Batches(progress, "Сохранение работников…", len(created) + len(changed))
    _create(created, Person, rights, batches)
    _update(changed, Person, changed_fields, rights, batches)
    return people, {person.snils for person in changed}


def _people_by_snils(snilses: list[str]) -> dict[str, Person]:
    people = {}
    for chunk in chunks(snilses):
        # Locked until the import's transaction ends: a page's save waits, then sees the new
        # version and is refused; a save made before is read here (nms.common.concurrency).
        rows = Person.objects.select_for_update().filter(snils__in=chunk).order_by("pk")
        people.update({p.snils: p for p in rows})
    return people


def _employments_of(person_ids: list[int]):
    """Existing employments by (person, organization) and their subject ids, by employment."""
    employments = {}
    for chunk in chunks([pk for pk in person_ids if pk is not None]):
        rows = Employment.objects.select_for_update().filter(person_id__in=chunk).order_by("pk")
        for employment in rows:
            employments[(employment.person_id, employment.organization_id)] = employment
    subjects = defaultdict(set)
    through = Employment.subjects.through
    for chunk in chunks([e.pk for e in employments.values()]):
        for employment_id, subject_id in through.objects.filter(
            employment_id__in=chunk
        ).values_list("employment_id", "subject_id"):
            subjects[employment_id].add(subject_id)
    return employments, subjects


def _set_subjects(
    replaced: list[int], new_subjects: list[tuple[Employment, Iterable[int]]]
) -> None:
    through = Employment.subjects.through
    for chunk in chunks(replaced):
        through.objects.filter(employment_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            through(employment_id=employment.pk, subject_id=subject_id)
            for employment, subject_ids in new_subjects
            for subject_id in sorted(subject_ids)
        ],
        batch_size=BATCH,
    )


# -- templates and dispatch --------------------------------------------------------------------
def _template_columns(columns: tuple[Column, ...]) -> list[TemplateColumn]:
    return [TemplateColumn(c.header, c.width, c.required) for c in columns]


YES_NO = ["да", "нет"]


def _staff_template(rights: _Rights) -> bytes:
    organizations = list(
        rights.organizations().order_by("short_name").values_list("inn", "short_name")
    )
    reference = {
        "Пол": Sex.labels,
        "Должность": list(Position.objects.values_list("name", flat=True)),
        "Руководящая должность": ManagerKind.labels,
        "Предметы": list(Subject.objects.values_list("name", flat=True)),
        "Квалификационная категория": Category.labels,
        "Уровень образования": EducationLevel.labels,
        "Да/нет": YES_NO,
        "ИНН организации": [inn for inn, _ in organizations],
        "Организация": [name for _, name in organizations],
    }
    return build_template(_template_columns(STAFF_COLUMNS), reference, "Работники")


def _organizations_template(rights: _Rights) -> bytes:
    municipalities = list(rights.municipalities().values_list("oktmo", "name"))
    reference = {
        "Тип": OrganizationKind.labels,
        "Да/нет": YES_NO,
        "ОКТМО": [oktmo for oktmo, _ in municipalities],
        "Муниципальное образование": [name for _, name in municipalities],
    }
    return build_template(_template_columns(ORGANIZATION_COLUMNS), reference, "Организации")


def import_template(user, kind: str) -> bytes:
    """An empty XLSX to fill in, listing the values the user may use (their own organizations)."""
    return {STAFF: _staff_template, ORGANIZATIONS: _organizations_template}[kind](_Rights(user))


IMPORTERS = {STAFF: import_staff, ORGANIZATIONS: import_organizations}


def run_import(user, kind: str, file, progress=None) -> ImportReport:
    return IMPORTERS[kind](user, file, progress)
