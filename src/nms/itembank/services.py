"""Writes of the item bank: items (create, edit, review status) and competency areas, with the
human notation of options and keys they are typed in.

People write options one per line and keys in a short notation counting from 1 (see `KEY_HINTS`);
`parse_key` turns it into the stored shape of nms.itembank.scoring and `format_key` back. The XLSX
export and import are in nms.itembank.importers, searches in nms.itembank.selectors.

Review: draft → review → approved or rejected. Only approved items go into variants. Editing the
wording, options or key of an approved item sends it back to review. Once a variant holding an
item has been taken by someone, the item's kind, options, key and points are frozen: the scores
already given must keep their meaning.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.common.xlsx import normalize, parse_text
from nms.itembank import scoring
from nms.itembank.models import (
    CompetencyArea,
    Difficulty,
    Item,
    ItemKind,
    ReviewStatus,
    SubCompetency,
)

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


# -- reads ------------------------------------------------------------------------------------
def item_in_use(item: Item) -> bool:
    """Someone has taken (or is taking) a variant holding the item.

    Through the reverse relations the diagnostics add to Item (Variant.items, Attempt.variant):
    the bank does not import the diagnostics, which are built on top of it."""
    return Item.objects.filter(pk=item.pk, variants__attempts__isnull=False).exists()


def status_actions(user, item: Item) -> list[tuple[str, str]]:
    """(status, button label) the user may move the item to."""
    if not scope_of(user).can_see_item_bank:
        return []
    return [(to, label) for (frm, to), label in TRANSITIONS.items() if frm == item.status]


# -- writes ------------------------------------------------------------------------------------
def check_edit(user) -> None:
    if user is not None and not scope_of(user).can_edit_item_bank:
        raise PermissionDenied(NO_RIGHTS)


def rule_errors(values: dict) -> dict[str, str]:
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
    errors = rule_errors(values)
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


def item_changes(item: Item, values: dict) -> set[str]:
    return {field for field, value in values.items() if _differs(item, field, value)}


@transaction.atomic
def item_create(user, data: dict) -> Item:
    """A new draft item. `data`: code, area, subcompetency, subject, kind, difficulty, text,
    options and options_right (one per line), key (human notation), points."""
    check_edit(user)
    values = _form_values(data)
    _check_code_free(values["code"], None)
    return Item.objects.create(status=ReviewStatus.DRAFT, **values)


@transaction.atomic
def item_update(user, item: Item, data: dict, expected_version: int | None = None) -> Item:
    """Change an item (data as for item_create); refused if it changed since
    `expected_version` (nms.common.concurrency)."""
    check_edit(user)
    item = claim(Item.objects.get(pk=item.pk), expected_version)
    values = _form_values(data)
    _check_code_free(values["code"], item)
    changed = item_changes(item, values)
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
def item_set_status(user, item: Item, status: str, expected_version: int | None = None) -> Item:
    """Move an item along the review: authors and experts of the bank may. The row is locked
    (`claim`) before the transition is checked, so two clicks at once move it once."""
    if not scope_of(user).can_see_item_bank:
        raise PermissionDenied(NO_REVIEW_RIGHTS)
    item = claim(Item.objects.get(pk=item.pk), expected_version)
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


# -- competency areas (data the ЦНППМ edits) -------------------------------------------------
def _check_areas(user) -> None:
    if not scope_of(user).can_edit_item_bank:
        raise PermissionDenied("Области компетенций ведёт ЦНППМ.")


@transaction.atomic
def area_save(
    user, area: CompetencyArea | None, data: dict, expected_version: int | None = None
) -> CompetencyArea:
    """A new area, or a change of `area` refused if it changed since `expected_version`."""
    _check_areas(user)
    if area is None:
        area = CompetencyArea()
    else:  # refused if changed since the user's version; re-read (nms.common.concurrency)
        area = claim(CompetencyArea.objects.get(pk=area.pk), expected_version)
    for field, value in data.items():
        setattr(area, field, value.strip() if isinstance(value, str) else value)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def subcompetency_save(
    user,
    area: CompetencyArea,
    sub: SubCompetency | None,
    name: str,
    expected_version: int | None = None,
):
    """A new competency of `area`, or a renaming refused if it changed since `expected_version`."""
    _check_areas(user)
    if sub is None:
        sub = SubCompetency(area=area)
    else:
        sub = claim(SubCompetency.objects.get(pk=sub.pk), expected_version)
    sub.name = name.strip()
    sub.full_clean()
    sub.save()
    return sub
