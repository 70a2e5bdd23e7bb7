"""Text normalisation for search: case-folded, ё searched as е, spaces collapsed."""

import re


def search_key(*parts: str | None) -> str:
    text = " ".join(p for p in parts if p)
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def search_tokens(query: str) -> list[str]:
    return [t for t in search_key(query).split(" ") if t]


NBSP = "\u00a0"


def plural(n, one: str, few: str, many: str) -> str:
    """The Russian word form agreeing with ``n``: 1 работник, 2 работника, 5 работников.

    Returns the word only; ``count_with`` gives «n word» joined by a non-breaking space. A
    fractional number (a Decimal, a float) takes the genitive singular: «12,5 года».
    """
    if n != int(n):
        return few  # a fraction: «2,5 года», «0,5 ставки»
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_with(n: int, one: str, few: str, many: str) -> str:
    """«21 работник», «11 500 работников» — grouped digits, non-breaking spaces."""
    return f"{group_digits(n)}{NBSP}{plural(n, one, few, many)}"


def group_digits(n) -> str:
    """11500 → «11 500» (non-breaking spaces between groups); four digits stay whole: «1500»."""
    value = int(n)
    sign = "-" if value < 0 else ""
    digits = str(abs(value))
    if len(digits) <= 4:
        return sign + digits
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + NBSP.join(groups)


_NUMERO = re.compile(r"№\s+(?=\S)")
_PERCENT = re.compile(r"(\d)\s+%")


def typography(value: str) -> str:
    """Non-breaking spaces where a line must not break: «№ 6», «94,44 %»."""
    return _PERCENT.sub("\\1" + NBSP + "%", _NUMERO.sub("№" + NBSP, value))
