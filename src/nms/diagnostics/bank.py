"""The item bank: writes (create, edit, review status), the human notation of options and keys,
search, and XLSX export and import.

People write options one per line and keys in a short notation counting from 1 (see `KEY_HINTS`);
`parse_key` turns it into the stored shape of nms.diagnostics.scoring and `format_key` back.

Review: draft → review → approved or rejected. Only approved items go into variants. Editing the
wording, options or key of an approved item sends it back to review. Once a variant holding an
item has been taken by someone, the item's kind, options, key and points are frozen: the scores
already given must keep their meaning.
"""

import re
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nms.accounts.scope import scope_of
from nms.common.importing import (
    Column,
    ErrorCollector,
    ImportReport,
    Row,
    check_repeats,
    chunks,
    parse_rows,
    read_rows,
)
from nms.common.text import search_tokens
from nms.common.xlsx import (
    CellError,
    TemplateColumn,
    build_template,
    normalize,
    parse_text,
    workbook_bytes,
)
from nms.diagnostics import scoring
from nms.diagnostics.models import (
    CompetencyArea,
    Difficulty,
    Item,
    ItemKind,
    ReviewStatus,
    SubCompetency,
    VariantItem,
)
from nms.registry.models import Subject

NO_RIGHTS = "У вас нет прав на изменение банка заданий."
NO_REVIEW_RIGHTS = "У вас нет прав на экспертизу заданий банка."
IN_USE = (
    "задание входит в вариант, который уже проходили педагоги: тип, варианты, ключ и баллы "
    "менять нельзя — создайте новое задание"
)
MAX_POINTS = 100
CODE_LENGTH = Item._meta.get_field("code").max_length

# Fields whose change alters the scores of answers already given.
SCORED_FIELDS = {"kind", "options", "key", "points"}
# Fields whose change needs a new expert review of an approved item.
CONTENT_FIELDS = {"kind", "text", "options", "key"}
FOREIGN_KEYS = {"area", "subcompetency", "subject"}

KEY_HINTS = {
    ItemKind.SINGLE: "номер верного варианта, например «2»",
    ItemKind.MULTIPLE: "номера верных вариантов через «;», например «1; 3»",
    ItemKind.SHORT: "верные ответы через «;», например «ФГОС; федеральный стандарт»",
    ItemKind.MATCHING: "пары «строка слева – строка справа» через «;», например «1-3; 2-1; 3-2»",
    ItemKind.ORDERING: "номера вариантов в верном порядке через «;», например «2; 1; 3»",
}

# (from, to): the button that moves an item between review statuses.
TRANSITIONS = {
    (ReviewStatus.DRAFT, ReviewStatus.REVIEW): "Отправить на экспертизу",
    (ReviewStatus.REVIEW, ReviewStatus.APPROVED): "Утвердить",
    (ReviewStatus.REVIEW, ReviewStatus.REJECTED): "Отклонить",
    (ReviewStatus.REVIEW, ReviewStatus.DRAFT): "Вернуть на доработку",
    (ReviewStatus.REJECTED, ReviewStatus.DRAFT): "Вернуть в черновики",
    (ReviewStatus.APPROVED, ReviewStatus.DRAFT): "Снять с использования",
}


def sentence(message: str) -> str:
    """A lowercase message as a sentence for a form."""
    return f"{message[:1].upper()}{message[1:]}."


# -- the human notation ------------------------------------------------------------------------
class NotationError(ValueError):
    """Options or a key that cannot be read; the message is shown to the user."""


def split_lines(text) -> list[str]:
    """Non-empty lines, each with its spaces collapsed."""
    return [" ".join(line.split()) for line in str(text or "").splitlines() if line.strip()]


def parse_options(kind: str, text, right_text=""):
    """Options one per line; for matching the left column and the right one."""
    if kind == ItemKind.SHORT:
        return []
    if kind == ItemKind.MATCHING:
        return {"left": split_lines(text), "right": split_lines(right_text)}
    return split_lines(text)


def options_error(kind: str, options) -> tuple[str, str] | None:
    """(field, message) for unusable options: "options" or "options_right", or None."""
    if kind == ItemKind.SHORT:
        return None
    columns = (
        [("options", options["left"]), ("options_right", options["right"])]
        if kind == ItemKind.MATCHING
        else [("options", options)]
    )
    for field, lines in columns:
        if len(lines) < 2:
            if kind == ItemKind.MATCHING:
                return field, "в каждом столбце соответствия нужно не меньше двух строк"
            return field, "нужно не меньше двух вариантов — по одному на строке"
        seen = set()
        for line in lines:
            if normalize(line) in seen:
                return field, f"вариант «{line}» повторяется"
            seen.add(normalize(line))
    return None


def _numbers(text: str) -> list[int] | None:
    parts = [p for p in re.split(r"[;,\s]+", text) if p]
    if not parts or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def _check_range(numbers: list[int], count: int, what: str = "варианта") -> None:
    for number in numbers:
        if not 1 <= number <= count:
            raise NotationError(f"нет {what} с номером {number}: их всего {count}")


PAIR = re.compile(r"^(\d+)\s*[-–—:=→>]+\s*(\d+)$")


def parse_key(kind: str, text, options):
    """The stored key from its human notation; options must already be valid."""
    text = str(text if text is not None else "").strip()
    hint = f"укажите ключ: {KEY_HINTS[kind]}"
    if kind == ItemKind.SHORT:
        key = [" ".join(part.split()) for part in text.split(";") if part.strip()]
        if not key:
            raise NotationError(hint)
        for answer in key:
            if not scoring.normalize_short(answer):
                raise NotationError(f"ответ «{answer}» не содержит ни букв, ни цифр")
    elif kind == ItemKind.MATCHING:
        key = _parse_pairs(text, options, hint)
    else:
        numbers = _numbers(text)
        if numbers is None or (kind == ItemKind.SINGLE and len(numbers) != 1):
            raise NotationError(hint)
        _check_range(numbers, len(options))
        if len(set(numbers)) != len(numbers):
            raise NotationError("номер варианта указан в ключе дважды")
        if kind == ItemKind.ORDERING and len(numbers) != len(options):
            raise NotationError(
                f"перечислите все варианты (от 1 до {len(options)}) по одному разу в верном порядке"
            )
        key = numbers[0] - 1 if kind == ItemKind.SINGLE else [n - 1 for n in numbers]
        if kind == ItemKind.MULTIPLE:
            key.sort()
    if error := scoring.key_error(kind, options, key):
        raise NotationError(error)
    return key


def _parse_pairs(text: str, options: dict, hint: str) -> list[int]:
    left, right = len(options["left"]), len(options["right"])
    matched: dict[int, int] = {}
    for part in (p.strip() for p in re.split(r"[;,\n]+", text)):
        if not part:
            continue
        match = PAIR.match(part)
        if not match:
            raise NotationError(hint)
        row, answer = int(match[1]), int(match[2])
        _check_range([row], left, "строки левого столбца")
        _check_range([answer], right, "строки правого столбца")
        if row in matched:
            raise NotationError(f"строка {row} левого столбца указана в ключе дважды")
        matched[row] = answer
    if not matched:
        raise NotationError(hint)
    missing = [str(n) for n in range(1, left + 1) if n not in matched]
    if missing:
        raise NotationError(f"нет пары для строк левого столбца: {', '.join(missing)}")
    return [matched[n] - 1 for n in range(1, left + 1)]


def format_options(kind: str, options) -> tuple[str, str]:
    """(options one per line, the right column for matching)."""
    if kind == ItemKind.MATCHING:
        return "\n".join(options.get("left", [])), "\n".join(options.get("right", []))
    if kind == ItemKind.SHORT:
        return "", ""
    return "\n".join(options), ""


def format_key(kind: str, key) -> str:
    if kind == ItemKind.SINGLE:
        return str(key + 1)
    if kind == ItemKind.SHORT:
        return "; ".join(key)
    if kind == ItemKind.MATCHING:
        return "; ".join(f"{row}-{answer + 1}" for row, answer in enumerate(key, start=1))
    return "; ".join(str(k + 1) for k in key)


def key_lines(item: Item) -> list[str]:
    """The right answer spelled out, one line per option, for the item's page."""
    options, key = item.options, item.key
    if item.kind == ItemKind.SINGLE:
        return [f"{key + 1}. {options[key]}"]
    if item.kind == ItemKind.SHORT:
        return list(key)
    if item.kind == ItemKind.MATCHING:
        return [
            f"{row}. {left} — {answer + 1}. {options['right'][answer]}"
            for row, (left, answer) in enumerate(zip(options["left"], key, strict=True), start=1)
        ]
    if item.kind == ItemKind.MULTIPLE:
        return [f"{k + 1}. {options[k]}" for k in key]
    return [f"{step}) {k + 1}. {options[k]}" for step, k in enumerate(key, start=1)]


def clean_text(value) -> str:
    """Multi-line text kept as typed, without trailing spaces and blank edges."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return parse_text(value)
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


# -- reads -------------------------------------------------------------------------------------
def _letters_pattern(token: str) -> str:
    """A regular expression matching the token in any case and with ё for е.

    Spelled out letter by letter because SQLite folds the case of Latin letters only.
    """
    parts = []
    for char in token:
        if char == "е":
            parts.append("[еЕёЁ]")
        elif char.upper() != char and len(char.upper()) == 1:
            parts.append(f"[{char}{char.upper()}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def search_items(queryset: QuerySet[Item], query: str) -> QuerySet[Item]:
    """Every word of the query in the code or the wording; case and ё/е ignored."""
    for token in search_tokens(query):
        pattern = _letters_pattern(token)
        queryset = queryset.filter(Q(code__regex=pattern) | Q(text__regex=pattern))
    return queryset


def item_in_use(item: Item) -> bool:
    """Someone has taken (or is taking) a variant holding the item."""
    return VariantItem.objects.filter(item=item, variant__attempts__isnull=False).exists()


def status_actions(user, item: Item) -> list[tuple[str, str]]:
    """(status, button label) the user may move the item to."""
    if not scope_of(user).can_see_item_bank:
        return []
    return [(to, label) for (frm, to), label in TRANSITIONS.items() if frm == item.status]


# -- writes ------------------------------------------------------------------------------------
def _check_edit(user) -> None:
    if user is not None and not scope_of(user).can_edit_item_bank:
        raise PermissionDenied(NO_RIGHTS)


def _rule_errors(values: dict) -> dict[str, str]:
    """What is wrong with an item's values besides its options and key."""
    errors = {}
    code = values["code"]
    if not code:
        errors["code"] = "укажите шифр"
    elif len(code) > CODE_LENGTH:
        errors["code"] = f"шифр длиннее {CODE_LENGTH} символов"
    if not values["text"]:
        errors["text"] = "заполните формулировку"
    area, subject, subcompetency = values["area"], values["subject"], values["subcompetency"]
    if area.is_subject and subject is None:
        errors["subject"] = "для заданий предметной области укажите предмет"
    elif not area.is_subject and subject is not None:
        errors["subject"] = (
            f"предмет указывается только в заданиях предметной области, а это область «{area.name}»"
        )
    if subcompetency is not None and subcompetency.area_id != area.pk:
        errors["subcompetency"] = (
            f"компетенция «{subcompetency.name}» не относится к области «{area.name}»"
        )
    if not 1 <= values["points"] <= MAX_POINTS:
        errors["points"] = f"баллы — целое число от 1 до {MAX_POINTS}"
    return errors


def _form_values(data: dict) -> dict:
    """Model values from a form's data (options and key in the human notation).

    Raises ValidationError with a message per form field.
    """
    kind = data["kind"]
    values = {
        "code": " ".join(str(data.get("code") or "").split()),
        "area": data["area"],
        "subcompetency": data.get("subcompetency"),
        "subject": data.get("subject"),
        "kind": kind,
        "difficulty": int(data.get("difficulty") or Difficulty.MEDIUM),
        "text": clean_text(data.get("text")),
        "options": parse_options(kind, data.get("options"), data.get("options_right")),
        "points": 1 if data.get("points") is None else data["points"],
    }
    errors = _rule_errors(values)
    if problem := options_error(kind, values["options"]):
        errors[problem[0]] = problem[1]
    else:
        try:
            values["key"] = parse_key(kind, data.get("key"), values["options"])
        except NotationError as exc:
            errors["key"] = str(exc)
    if errors:
        raise ValidationError({field: sentence(message) for field, message in errors.items()})
    return values


def _check_code_free(code: str, item: Item | None) -> None:
    taken = Item.objects.filter(code=code)
    if item is not None:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise ValidationError({"code": "Задание с таким шифром уже есть в банке."})


def _differs(item: Item, field: str, value) -> bool:
    if field in FOREIGN_KEYS:
        return getattr(item, f"{field}_id") != (value.pk if value is not None else None)
    return getattr(item, field) != value


def _changes(item: Item, values: dict) -> set[str]:
    return {field for field, value in values.items() if _differs(item, field, value)}


@transaction.atomic
def item_create(user, data: dict) -> Item:
    """A new draft item. `data`: code, area, subcompetency, subject, kind, difficulty, text,
    options and options_right (one per line), key (human notation), points."""
    _check_edit(user)
    values = _form_values(data)
    _check_code_free(values["code"], None)
    return Item.objects.create(status=ReviewStatus.DRAFT, **values)


@transaction.atomic
def item_update(user, item: Item, data: dict) -> Item:
    """Change an item (data as for item_create)."""
    _check_edit(user)
    item = Item.objects.select_for_update().get(pk=item.pk)
    values = _form_values(data)
    _check_code_free(values["code"], item)
    changed = _changes(item, values)
    if changed & SCORED_FIELDS and item_in_use(item):
        raise ValidationError(sentence(IN_USE))
    for field in changed:
        setattr(item, field, values[field])
    if changed & CONTENT_FIELDS and item.status == ReviewStatus.APPROVED:
        item.status = ReviewStatus.REVIEW
        changed.add("status")
    if changed:
        item.save(update_fields=sorted(changed))
    return item


@transaction.atomic
def item_set_status(user, item: Item, status: str) -> Item:
    """Move an item along the review: authors and experts of the bank may."""
    if not scope_of(user).can_see_item_bank:
        raise PermissionDenied(NO_REVIEW_RIGHTS)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if (item.status, status) not in TRANSITIONS:
        current = ReviewStatus(item.status).label
        target = ReviewStatus(status).label if status in ReviewStatus.values else status
        raise ValidationError(f"Задание в статусе «{current}» нельзя перевести в «{target}».")
    if status == ReviewStatus.APPROVED and (
        error := scoring.key_error(item.kind, item.options, item.key)
    ):
        raise ValidationError(f"Задание нельзя утвердить: {error}.")
    item.status = status
    item.save(update_fields=["status"])
    return item


# -- XLSX --------------------------------------------------------------------------------------
COLUMNS = (
    Column("Шифр", "code", required=True, width=14),
    Column("Область", "area", required=True, width=24),
    Column("Компетенция", "subcompetency", width=40),
    Column("Предмет", "subject", width=20),
    Column("Тип", "kind", required=True, width=28),
    Column("Сложность", "difficulty", width=13),
    Column("Формулировка", "text", required=True, width=60),
    Column("Варианты", "options", width=45),
    Column("Варианты (правый столбец)", "options_right", width=40),
    Column("Ключ", "key", required=True, width=18),
    Column("Баллы", "points", width=8),
    Column("Статус", "status", width=14),
)
HEADERS = {c.field: c.header for c in COLUMNS}
WRAPPED = {"text", "options", "options_right", "subcompetency"}
AS_TEXT = {"code", "key"}  # Excel must not turn «1-3» into a date or «1,3» into a number

RULES = [
    ("Шифр", "Уникальный код задания. Задание с уже существующим шифром будет обновлено."),
    ("Область", "Область компетенций — как на листе «Справочники»."),
    ("Компетенция", "Необязательно. Компетенция выбранной области — как на листе «Справочники»."),
    ("Предмет", "Обязателен для предметной области и не заполняется для остальных."),
    ("Тип", "Один из типов на листе «Справочники»."),
    ("Сложность", "базовый, повышенный или высокий (или 1, 2, 3); по умолчанию — повышенный."),
    ("Формулировка", "Текст задания; переносы строк сохраняются (Alt+Enter)."),
    (
        "Варианты",
        "По одному на строке (Alt+Enter). Для соответствия — левый столбец. "
        "Для краткого ответа не заполняется.",
    ),
    ("Варианты (правый столбец)", "Только для соответствия: правый столбец, по одному на строке."),
    (
        "Ключ",
        "Номера считаются от 1. " + "; ".join(f"{k.label}: {h}" for k, h in KEY_HINTS.items()),
    ),
    ("Баллы", f"Целое число от 1 до {MAX_POINTS}; по умолчанию 1."),
    ("Статус", "черновик, на экспертизе, утверждено или отклонено; по умолчанию — черновик."),
]


def _reference() -> dict[str, list[str]]:
    return {
        "Область": list(CompetencyArea.objects.values_list("name", flat=True)),
        "Компетенция": [
            f"{area}: {name}"
            for area, name in SubCompetency.objects.values_list("area__name", "name")
        ],
        "Предмет": list(Subject.objects.values_list("name", flat=True)),
        "Тип": ItemKind.labels,
        "Сложность": Difficulty.labels,
        "Статус": ReviewStatus.labels,
    }


def _row(item: Item) -> list:
    options, right = format_options(item.kind, item.options)
    return [
        item.code,
        item.area.name,
        item.subcompetency.name if item.subcompetency else None,
        item.subject.name if item.subject else None,
        item.get_kind_display(),
        item.get_difficulty_display(),
        item.text,
        options or None,
        right or None,
        format_key(item.kind, item.key),
        item.points,
        item.get_status_display(),
    ]


def bank_export_xlsx(queryset: QuerySet[Item]) -> bytes:
    """The items as a workbook to edit and import back: data, allowed values, filling rules."""
    template = build_template(
        [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS],
        _reference(),
        "Банк заданий",
    )
    workbook = load_workbook(BytesIO(template))
    sheet = workbook.worksheets[0]
    fields = [c.field for c in COLUMNS]
    for index, field in enumerate(fields, start=1):
        if field in AS_TEXT:
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    items = queryset.select_related("area", "subject", "subcompetency")
    for number, item in enumerate(items.iterator(chunk_size=500), start=2):
        for index, value in enumerate(_row(item), start=1):
            cell = sheet.cell(row=number, column=index, value=value)
            cell.alignment = wrap if fields[index - 1] in WRAPPED else top
            if fields[index - 1] in AS_TEXT:
                cell.number_format = "@"
    rules = workbook.create_sheet("Как заполнять")
    rules.append(["Столбец", "Что указывать"])
    for cell in rules[1]:
        cell.font = Font(bold=True)
    for header, text in RULES:
        rules.append([header, text])
    rules.column_dimensions["A"].width = 28
    rules.column_dimensions["B"].width = 120
    return workbook_bytes(workbook)


def bank_template_xlsx() -> bytes:
    return bank_export_xlsx(Item.objects.none())


class BankImportReport(ImportReport):
    """Counts are of file rows: an item created, changed or left as it was."""

    @property
    def summary(self) -> str:
        if self.errors:
            return super().summary
        if not self.created and not self.updated:
            return f"Изменений нет: все строки ({self.unchanged}) совпадают с банком заданий."
        return (
            f"Файл загружен. Добавлено заданий: {self.created}, изменено: {self.updated}, "
            f"без изменений: {self.unchanged}."
        )


def _choice(mapping: dict, message: str):
    keys = {normalize(name): value for name, value in mapping.items()}

    def parse(value):
        if value is None:
            return None
        try:
            return keys[normalize(value)]
        except KeyError:
            raise CellError(f"{message}; допустимые значения — на листе «Справочники»") from None

    return parse


def _labels(choices, *extra: dict) -> dict:
    mapping = {**{c.label: c.value for c in choices}, **{str(c.value): c.value for c in choices}}
    for more in extra:
        mapping.update(more)
    return mapping


def _points(value) -> int | None:
    if value is None:
        return None
    text = parse_text(value)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_POINTS:
        raise CellError(f"баллы — целое число от 1 до {MAX_POINTS}")
    return int(text)


def _parsers() -> dict:
    areas = {}
    for area in CompetencyArea.objects.all():
        areas[area.code] = area
        areas[area.name] = area
    subjects = {subject.name: subject for subject in Subject.objects.all()}
    return {
        "code": lambda value: parse_text(value, CODE_LENGTH),
        "area": _choice(areas, "неизвестная область компетенций"),
        "subcompetency": lambda value: None if value is None else parse_text(value),
        "subject": _choice(subjects, "предмет не найден в справочнике"),
        "kind": _choice(_labels(ItemKind), "неизвестный тип задания"),
        "difficulty": _choice(_labels(Difficulty), "сложность — базовый, повышенный или высокий"),
        "text": clean_text,
        "options": lambda value: value,
        "options_right": lambda value: value,
        "key": lambda value: None if value is None else parse_text(value),
        "points": _points,
        "status": _choice(_labels(ReviewStatus), "неизвестный статус"),
    }


@dataclass
class _Plan:
    """What a valid row does: create an item, change some of its fields, or nothing."""

    item: Item
    changed: set[str]
    created: bool = False


def _items_by_code(rows: list[Row]) -> dict[str, Item]:
    codes = sorted({row.values["code"] for row in rows if "code" in row.values})
    found = {}
    for chunk in chunks(codes):
        items = Item.objects.filter(code__in=chunk).select_related("subject", "subcompetency")
        found.update({item.code: item for item in items})
    return found


def _locked_ids(items: list[Item]) -> set[int]:
    locked = set()
    for chunk in chunks([item.pk for item in items]):
        locked.update(
            VariantItem.objects.filter(item_id__in=chunk, variant__attempts__isnull=False)
            .values_list("item_id", flat=True)
            .distinct()
        )
    return locked


def _subcompetencies() -> dict[tuple[int, str], SubCompetency]:
    """By area and name: the name alone or «area: name», as the reference sheet lists it."""
    found = {}
    for sub in SubCompetency.objects.select_related("area"):
        found[(sub.area_id, normalize(sub.name))] = sub
        found[(sub.area_id, normalize(f"{sub.area.name}: {sub.name}"))] = sub
    return found


def _stored(existing: Item | None, field: str, default=None):
    """For an absent column or an empty optional cell: the stored value, or the default."""
    return getattr(existing, field) if existing is not None else default


def _row_values(row: Row, existing: Item | None, subcompetencies, errors: ErrorCollector):
    """Model values of a row, or None (with errors added) when they cannot be made."""
    raw, parsed = row.raw, row.values
    if not {"code", "area", "kind", "text", "key"} <= parsed.keys():
        return None  # a required cell had an error already
    area, kind = parsed["area"], parsed["kind"]
    values = {
        "code": parsed["code"],
        "area": area,
        "kind": kind,
        "text": parsed["text"],
        "subject": parsed["subject"] if "subject" in parsed else _stored(existing, "subject"),
        "difficulty": parsed.get("difficulty")
        or _stored(existing, "difficulty", Difficulty.MEDIUM),
        "points": parsed.get("points") or _stored(existing, "points", 1),
    }
    if HEADERS["subcompetency"] in raw:
        name = parsed.get("subcompetency")
        values["subcompetency"] = subcompetencies.get((area.pk, normalize(name))) if name else None
        if name and values["subcompetency"] is None:
            errors.add(
                row,
                HEADERS["subcompetency"],
                f"в области «{area.name}» нет такой компетенции; "
                "допустимые значения — на листе «Справочники»",
            )
            return None
    else:
        kept = existing.subcompetency if existing is not None else None
        values["subcompetency"] = kept if kept is not None and kept.area_id == area.pk else None
    if HEADERS["options"] in raw or HEADERS["options_right"] in raw or existing is None:
        values["options"] = parse_options(
            kind, raw.get(HEADERS["options"]), raw.get(HEADERS["options_right"])
        )
    else:
        values["options"] = existing.options
    failed = False
    for field, message in _rule_errors(values).items():
        errors.add(row, HEADERS[field], message)
        failed = True
    if problem := options_error(kind, values["options"]):
        errors.add(row, HEADERS[problem[0]], problem[1])
        return None
    try:
        values["key"] = parse_key(kind, parsed["key"], values["options"])
    except NotationError as exc:
        errors.add(row, HEADERS["key"], str(exc))
        return None
    return None if failed else values


def _plan(row: Row, existing, locked: set[int], subcompetencies, errors) -> _Plan | None:
    values = _row_values(row, existing, subcompetencies, errors)
    if values is None:
        return None
    explicit_status = row.values.get("status")
    if existing is None:
        values["status"] = explicit_status or ReviewStatus.DRAFT
        return _Plan(Item(**values), set(), created=True)
    if explicit_status:
        values["status"] = explicit_status
    changed = _changes(existing, values)
    if changed & SCORED_FIELDS and existing.pk in locked:
        field = next(f for f in ("key", "options", "kind", "points") if f in changed)
        errors.add(row, HEADERS[field], IN_USE)
        return None
    for field in changed:
        setattr(existing, field, values[field])
    if (
        changed & CONTENT_FIELDS
        and existing.status == ReviewStatus.APPROVED
        and not explicit_status
    ):
        existing.status = ReviewStatus.REVIEW
        changed.add("status")
    return _Plan(existing, changed)


def bank_import(user, file) -> BankImportReport:
    """Create or update items by Шифр from XLSX; a file with any error saves nothing.

    `user=None` is the system (the command line): no rights check.
    """
    _check_edit(user)
    errors = ErrorCollector()
    rows = read_rows(file, COLUMNS, errors)
    parse_rows(rows, COLUMNS, _parsers(), errors)
    check_repeats(rows, ("code",), HEADERS["code"], "шифр", errors)
    existing = _items_by_code(rows)
    locked = _locked_ids(list(existing.values()))
    subcompetencies = _subcompetencies()
    plans = [
        _plan(row, existing.get(row.values.get("code")), locked, subcompetencies, errors)
        for row in rows
    ]
    if errors.errors:
        return BankImportReport(errors=errors.sorted())
    report = BankImportReport(
        created=sum(1 for p in plans if p.created),
        updated=sum(1 for p in plans if not p.created and p.changed),
        unchanged=sum(1 for p in plans if not p.created and not p.changed),
    )
    changed_fields = set().union(*(p.changed for p in plans if not p.created))
    try:
        with transaction.atomic():
            Item.objects.bulk_create([p.item for p in plans if p.created], batch_size=500)
            changed = [p.item for p in plans if not p.created and p.changed]
            if changed:
                Item.objects.bulk_update(changed, sorted(changed_fields), batch_size=500)
    except IntegrityError:
        # Someone added an item with one of the file's codes between our checks and our writes.
        return BankImportReport.rejected(
            "Во время загрузки банк заданий изменился. Загрузите файл ещё раз."
        )
    return report
