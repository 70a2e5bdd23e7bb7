"""Russian identifiers with their check digits: СНИЛС, ИНН, ОКТМО.

Each `*_error` function returns a Russian message describing what is wrong, or None.
"""

import re

SNILS_RE = re.compile(r"^\d{3}-\d{3}-\d{3} \d{2}$")


def snils_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def snils_checksum(first9: str) -> int:
    total = sum(int(d) * (9 - i) for i, d in enumerate(first9))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest == 100 else rest


def format_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def snils_error(value: str) -> str | None:
    digits = snils_digits(value)
    if len(digits) != 11:
        return "СНИЛС должен состоять из 11 цифр"
    if re.sub(r"[\d\s-]", "", value or ""):
        return "СНИЛС содержит недопустимые символы"
    if snils_checksum(digits[:9]) != int(digits[9:]):
        return "неверное контрольное число СНИЛС"
    return None


def normalize_snils(value: str) -> str:
    """Canonical form 123-456-789 01; call only on a value without snils_error."""
    return format_snils(snils_digits(value))


_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_error(value: str, *, legal_entity: bool = True) -> str | None:
    value = (value or "").strip()
    if not value.isdigit():
        return "ИНН должен состоять только из цифр"
    if legal_entity and len(value) != 10:
        return "ИНН организации должен состоять из 10 цифр"
    if len(value) == 10:
        ok = _inn_digit(value, _INN10) == int(value[9])
    elif len(value) == 12:
        ok = _inn_digit(value, _INN12_1) == int(value[10]) and _inn_digit(value, _INN12_2) == int(
            value[11]
        )
    else:
        return "ИНН должен состоять из 10 или 12 цифр"
    return None if ok else "неверные контрольные цифры ИНН"


def inn_with_checksum(first9: str) -> str:
    return first9 + str(_inn_digit(first9, _INN10))


def snils_with_checksum(first9: str) -> str:
    return format_snils(first9 + f"{snils_checksum(first9):02d}")


def oktmo_error(value: str) -> str | None:
    value = (value or "").strip()
    if not value.isdigit() or len(value) not in (8, 11):
        return "код ОКТМО должен состоять из 8 или 11 цифр"
    return None
