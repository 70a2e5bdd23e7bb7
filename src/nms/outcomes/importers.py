"""The students' results file (XLSX): one row per class or group of a teacher in a procedure.

Columns (headers matched ignoring case, ё/е and extra spaces; the full description is in
docs/exchange.md):

    Оценочная процедура*  ВПР, ОГЭ, ЕГЭ or «региональная диагностика»
    Учебный год*          2024/2025, 2024/25 or 2024 (the year it begins)
    Предмет*              a subject of the registry's dictionary
    Класс (группа)*       a label: «7Б», «10 профиль» — never a pupil
    СНИЛС учителя*        the teacher (a person of the registry within the importer's scope)
    ИНН организации       the organization; empty — the teacher's place of work in the scope
    Участников*           a whole number above 0
    Средний балл          0–100
    Доля справившихся, %  0–100
    Доля ниже порога, %   0–100
    (at least one of «Средний балл» and «Доля справившихся, %»)

No pupil's personal data may come in: a file whose header has a column naming a pupil or a
pupil's identity (ФИО ученика, Фамилия, Имя, Отчество, СНИЛС, Дата рождения, Ученик, …) is
refused whole, naming the column; a «Класс (группа)» cell that looks like a person's name
(«Иванов Иван», «Петрова А.») or a СНИЛС is refused for that row. Every row is checked first and
each bad one named; a file with any error saves nothing. A row of the same procedure, year,
subject, organization, class and teacher as a stored one updates it.
"""

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from nms.accounts.scope import scope_of
from nms.common.identifiers import normalize_snils, snils_digits, snils_error
from nms.common.importing import (
    READING,
    Column,
    ErrorCollector,
    ImportReport,
    chunks,
    parse_with_progress,
    read_rows,
    silent,
    step,
)
from nms.common.xlsx import (
    HEADER_ROWS,
    CellError,
    FileError,
    TemplateColumn,
    build_template,
    check_file,
    normalize,
    parse_decimal,
    parse_digits,
    parse_text,
)
from nms.outcomes.access import IMPORT
from nms.outcomes.models import ResultKind, StudentResult
from nms.registry.models import Employment, Organization, Person, Subject

KIND = "student_results"
LABEL = "Результаты обучающихся (ВПР, ОГЭ, ЕГЭ, региональные диагностики)"
NO_RIGHTS = "У вас нет прав на загрузку результатов обучающихся."

COLUMNS = (
    Column("Оценочная процедура", "kind", required=True, width=24),
    Column("Учебный год", "school_year", required=True, width=12),
    Column("Предмет", "subject", required=True, width=24),
    Column("Класс (группа)", "group_label", required=True, width=14),
    Column("СНИЛС учителя", "snils", required=True, width=16),
    Column("ИНН организации", "inn", width=14),
    Column("Участников", "participants", required=True, width=12),
    Column("Средний балл", "average_score", width=12),
    Column("Доля справившихся, %", "share_passing", width=14),
    Column("Доля ниже порога, %", "share_below", width=14),
)

# -- no pupil's personal data ----------------------------------------------------------------
PERSONAL_WORDS = (
    "фио",
    "фамили",
    "имя",
    "отчеств",
    "рождени",
    "снилс",
    "паспорт",
    "адрес",
    "телефон",
    "свидетельств",
)
STAFF_WORDS = ("учител", "педагог", "преподавател")
PUPIL_NOUNS = {"ребенок", "дети", "выпускник", "участник", "студент"}
PUPIL_STEMS = ("ученик", "учениц", "обучающ", "учащ", "школьник", "выпускник", "детей")
COUNT_WORDS = ("количеств", "кол-во", "число", "численност", "доля", "процент", "%")
NAME_RE = re.compile(
    r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ](?:[а-яё]+|\.)(?:\s*[А-ЯЁ](?:[а-яё]+|\.))?$"
)
SNILS_LIKE_RE = re.compile(r"\d{3}\D?\d{3}\D?\d{3}\D?\d{2}")
PERSONAL_HEADER = (
    "в файле результатов не должно быть персональных данных обучающихся (ФИО, СНИЛС, даты "
    "рождения и т. п.): удалите этот столбец и загрузите файл снова"
)
PERSONAL_CELL = (
    "похоже на ФИО или СНИЛС человека — укажите обозначение класса или группы («7Б»), "
    "персональные данные обучающихся не загружаются"
)


def personal_header(header: str) -> bool:
    """Whether a column header names a pupil or a person's identity (not the teacher's)."""
    key = normalize(header)
    words = re.findall(r"[а-яa-z0-9]+", key)
    if not words:
        return False
    if " ".join(words) in PUPIL_NOUNS:
        return True
    if any(staff in key for staff in STAFF_WORDS):
        return False
    if any(w.startswith(PUPIL_STEMS) for w in words) and not any(c in key for c in COUNT_WORDS):
        return True  # «Ученик», «Список учеников», but not «Количество обучающихся»
    for word in words:
        for personal in PERSONAL_WORDS:
            if word == personal if personal == "имя" else word.startswith(personal):
                return True
    return False


def personal_value(text: str) -> bool:
    """Whether a free-text cell looks like a person's name or a СНИЛС."""
    text = " ".join(text.split())
    if SNILS_LIKE_RE.search(text) and len(snils_digits(text)) == 11:
        return True
    return bool(NAME_RE.match(text))


def header_cells(file, expected) -> list[str]:
    """Every header of the first sheet: the first row (of the first HEADER_ROWS) naming an
    expected column. Raises FileError for an unreadable file. The file is left at its start."""
    check_file(file)
    wanted = {normalize(h) for h in expected}
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileError("Не удалось прочитать файл: это не книга Excel (XLSX).") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_row=HEADER_ROWS, values_only=True):
            cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
            if any(normalize(cell) in wanted for cell in cells):
                return cells
        return []
    finally:
        workbook.close()
        file.seek(0)


# -- parsers -----------------------------------------------------------------------------------
KIND_KEYS = {normalize(c.label): c.value for c in ResultKind} | {
    normalize(c.value): c.value for c in ResultKind
}
KIND_KEYS |= {"региональная": ResultKind.REGIONAL, "рдр": ResultKind.REGIONAL}
YEAR_RE = re.compile(r"^(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?$")


def _kind(value):
    try:
        return KIND_KEYS[normalize(value)]
    except KeyError:
        raise CellError("ожидается ВПР, ОГЭ, ЕГЭ или «региональная диагностика»") from None


def parse_school_year(value) -> int:
    text = parse_text(value)
    match = YEAR_RE.match(text)
    message = "учебный год записывается как 2024/2025"
    if not match:
        raise CellError(message)
    first = int(match.group(1))
    if match.group(2):
        second = int(match.group(2))
        if second < 100:
            second += first // 100 * 100
        if second != first + 1:
            raise CellError(message)
    if not 2000 <= first <= 2100:
        raise CellError("учебный год вне допустимого диапазона")
    return first


def _group(value):
    text = parse_text(value, 20)
    if personal_value(text):
        raise CellError(PERSONAL_CELL)
    return text


def _snils(value):
    text = parse_digits(value, 11) if not isinstance(value, str) else parse_text(value)
    if error := snils_error(text):
        raise CellError(error)
    return normalize_snils(text)


def _inn(value):
    if value is None:
        return ""
    text = parse_digits(value, 10) if not isinstance(value, str) else parse_text(value)
    if not re.fullmatch(r"\d{10}|\d{12}", text):
        raise CellError("ИНН — 10 цифр")
    return text


def _participants(value) -> int:
    number = parse_decimal(value)
    if number is None or number != int(number) or number <= 0:
        raise CellError("число участников — целое число больше 0")
    if number > 100_000:
        raise CellError("слишком большое число участников")
    return int(number)


def _percent(value) -> Decimal | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number < 0 or number > 100:
        raise CellError("доля — число от 0 до 100")
    return number.quantize(Decimal("0.01"))


def _score(value) -> Decimal | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number < 0 or number > 100:
        raise CellError("средний балл — число от 0 до 100")
    return number.quantize(Decimal("0.01"))


PARSERS = {
    "kind": _kind,
    "school_year": parse_school_year,
    "subject": lambda value: parse_text(value, 200),
    "group_label": _group,
    "snils": _snils,
    "inn": _inn,
    "participants": _participants,
    "average_score": _score,
    "share_passing": _percent,
    "share_below": _percent,
}

UNKNOWN_SNILS = "учитель с таким СНИЛС не найден в реестре"
OUT_OF_SCOPE = "учитель не относится к вашей области доступа"
UNKNOWN_INN = "организация с таким ИНН не найдена"
ORGANIZATION_OUT = "организация вне вашей области доступа"
NO_WORKPLACE = "укажите ИНН организации: место работы учителя в вашей области доступа не найдено"
UNKNOWN_SUBJECT = "неизвестный предмет: укажите предмет из справочника"
REPEATED = "такая строка (процедура, год, предмет, организация, класс, учитель) уже есть в строке"
NO_FIGURES = "укажите средний балл или долю справившихся"
FIGURE_FIELDS = ("average_score", "share_passing", "share_below")
BATCH = 1000


def can_import(user) -> bool:
    return scope_of(user).can(IMPORT)


def available_kinds(user) -> list[tuple[str, str]]:
    return [(KIND, LABEL)] if can_import(user) else []


def import_results(user, file, progress=silent) -> ImportReport:
    """Check every row, then save all of them or nothing (see the module's docstring)."""
    scope = scope_of(user)
    if not scope.can(IMPORT):
        raise PermissionDenied(NO_RIGHTS)
    importer = scope.restricted_to(scope_of_roles(IMPORT))
    errors = ErrorCollector()
    step(progress, READING)
    try:
        headers = header_cells(file, [c.header for c in COLUMNS])
    except FileError as exc:
        return ImportReport.rejected(str(exc))
    personal = [h for h in headers if personal_header(h)]
    if personal:
        report = ErrorCollector()
        for header in personal:
            report.add(None, header, PERSONAL_HEADER)
        return ImportReport(errors=report.sorted(), error_count=report.total)
    rows = read_rows(file, COLUMNS, errors)
    parse_with_progress(rows, COLUMNS, PARSERS, errors, progress)
    snils = {r.values["snils"] for r in rows if "snils" in r.values}
    people = {p.snils: p for p in Person.objects.filter(snils__in=snils)}
    allowed = set(importer.people().filter(snils__in=snils).values_list("pk", flat=True))
    inns = {r.values["inn"] for r in rows if r.values.get("inn")}
    organizations = {o.inn: o for o in Organization.objects.filter(inn__in=inns)}
    visible_orgs = set(
        importer.organizations()
        .filter(pk__in=[o.pk for o in organizations.values()])
        .values_list("pk", flat=True)
    )
    workplaces = {}
    for person_id, organization_id in (
        Employment.objects.filter(
            person__snils__in=snils, organization__in=importer.organizations().values("pk")
        )
        .order_by("is_part_time", "pk")
        .values_list("person_id", "organization_id")
    ):
        workplaces.setdefault(person_id, organization_id)
    subjects = {normalize(s.name): s for s in Subject.objects.all()}
    plan, seen = [], {}
    for row in rows:
        v = row.values
        person = people.get(v.get("snils"))
        if "snils" in v:
            if person is None:
                errors.add(row, "СНИЛС учителя", UNKNOWN_SNILS)
            elif person.pk not in allowed:
                errors.add(row, "СНИЛС учителя", OUT_OF_SCOPE)
                person = None
        organization_id = None
        if v.get("inn"):
            organization = organizations.get(v["inn"])
            if organization is None:
                errors.add(row, "ИНН организации", UNKNOWN_INN)
            elif organization.pk not in visible_orgs:
                errors.add(row, "ИНН организации", ORGANIZATION_OUT)
            else:
                organization_id = organization.pk
        elif person is not None:
            organization_id = workplaces.get(person.pk)
            if organization_id is None:
                errors.add(row, "ИНН организации", NO_WORKPLACE)
        subject = None
        if "subject" in v:
            subject = subjects.get(normalize(v["subject"]))
            if subject is None:
                errors.add(row, "Предмет", UNKNOWN_SUBJECT)
        if row.raw.get("Средний балл") is None and row.raw.get("Доля справившихся, %") is None:
            errors.add(row, "Доля справившихся, %", NO_FIGURES)
        if (
            person
            and organization_id
            and subject
            and {"kind", "school_year", "group_label"} <= set(v)
        ):
            key = (v["kind"], v["school_year"], subject.pk, organization_id, v["group_label"])
            key += (person.pk,)
            if key in seen:
                errors.add(row, "Класс (группа)", f"{REPEATED} {seen[key]}")
            else:
                seen[key] = row.number
        plan.append((row, person, organization_id, subject))
    if errors.errors:
        return ImportReport(errors=errors.sorted(), error_count=errors.total)
    return _save(user, plan)


def scope_of_roles(action: str):
    from nms.accounts.access import action as registered

    return registered(action).roles


def _key(kind, year, subject_id, organization_id, group, teacher_id) -> tuple:
    return (kind, year, subject_id, organization_id, group, teacher_id)


def _save(user, plan) -> ImportReport:
    """Create the new rows and update the changed ones in bulk: a fixed number of queries per
    chunk of teachers, whatever the number of rows."""
    report = ImportReport()
    org_regions = dict(
        Organization.objects.filter(pk__in={p[2] for p in plan}).values_list("pk", "region_id")
    )
    teachers = sorted({person.pk for _, person, _, _ in plan})
    years = sorted({row.values["school_year"] for row, _, _, _ in plan})
    created, changed = [], []
    try:
        with transaction.atomic():
            stored = {}
            for part in chunks(teachers):
                for found in StudentResult.objects.select_for_update().filter(
                    teacher_id__in=part, school_year__in=years
                ):
                    key = _key(
                        found.kind, found.school_year, found.subject_id, found.organization_id,
                        found.group_label, found.teacher_id,
                    )  # fmt: skip
                    stored[key] = found
            for row, person, organization_id, subject in plan:
                v = row.values
                figures = {
                    "participants": v["participants"],
                    **{f: v.get(f) for f in FIGURE_FIELDS},
                }
                key = _key(
                    v["kind"], v["school_year"], subject.pk, organization_id, v["group_label"],
                    person.pk,
                )  # fmt: skip
                existing = stored.get(key)
                if existing is None:
                    created.append(
                        StudentResult(
                            region_id=org_regions[organization_id], kind=v["kind"],
                            school_year=v["school_year"], subject=subject,
                            organization_id=organization_id, group_label=v["group_label"],
                            teacher=person, created_by=user, **figures,
                        )
                    )  # fmt: skip
                elif all(getattr(existing, f) == value for f, value in figures.items()):
                    report.unchanged += 1
                else:
                    for field, value in figures.items():
                        setattr(existing, field, value)
                    existing.version += 1
                    existing.updated_at = timezone.now()
                    changed.append(existing)
            StudentResult.objects.bulk_create(created, batch_size=BATCH)
            StudentResult.objects.bulk_update(
                changed, ["participants", *FIGURE_FIELDS, "version", "updated_at"], batch_size=BATCH
            )
    except IntegrityError:
        return ImportReport.rejected("Во время загрузки данные изменились. Загрузите файл ещё раз.")
    report.created, report.updated = len(created), len(changed)
    return report


def results_template(user=None, kind: str = KIND) -> bytes:
    columns = [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS]
    reference = {
        "Оценочная процедура": ResultKind.labels,
        "Предмет": list(Subject.objects.order_by("name").values_list("name", flat=True)),
    }
    return build_template(columns, reference)
