"""The built-in directory of the subjects of the Russian Federation and their ОКТМО prefixes.

The data are in `data/federal_subjects.csv` (code,name). A code is the first digits of the
ОКТМО of every municipality of the subject: two digits, or three for an autonomous okrug inside a
krai or oblast (118 Ненецкий, 718 Ханты-Мансийский, 719 Ямало-Ненецкий — within 11 Архангельская
and 71 Тюменская). The longest matching prefix wins.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nms.common.text import search_key

DATA = Path(__file__).parent / "data" / "federal_subjects.csv"
UNKNOWN_SUBJECT = "код ОКТМО не относится ни к одному субъекту Российской Федерации"


@dataclass(frozen=True)
class FederalSubject:
    code: str
    name: str

    def __str__(self):
        return self.name


@cache
def federal_subjects() -> tuple[FederalSubject, ...]:
    """Every subject, in the order of the file (by code)."""
    with DATA.open(encoding="utf-8", newline="") as stream:
        return tuple(
            FederalSubject(row["code"].strip(), row["name"].strip())
            for row in csv.DictReader(stream)
        )


@cache
def _by_code() -> dict[str, FederalSubject]:
    return {subject.code: subject for subject in federal_subjects()}


def _name_key(name: str) -> str:
    """Case, ё, spaces and the kind of dash ignored."""
    return search_key(re.sub(r"\s*[—–-]\s*", " - ", name or ""))


def _aliases(name: str) -> set[str]:
    """The full name and its everyday shortenings: «Москва», «Чувашская Республика»."""
    keys = {_name_key(name)}
    short = re.sub(r"^г\.\s*", "", name)
    short = re.sub(r"\s*\(.*?\)", "", short)
    short = re.split(r"\s+[—–-]\s+", short)[0]
    keys.add(_name_key(short))
    return keys


@cache
def _by_name() -> dict[str, FederalSubject]:
    names = {}
    for subject in federal_subjects():
        for key in _aliases(subject.name):
            names.setdefault(key, subject)
    return names


def by_code(code: str) -> FederalSubject | None:
    """The subject with exactly this code (2 or 3 digits)."""
    return _by_code().get((code or "").strip())


def by_oktmo(oktmo: str) -> FederalSubject | None:
    """The subject an ОКТМО code (or any prefix of it) belongs to; the longest prefix wins."""
    digits = re.sub(r"\D", "", oktmo or "")
    for length in (3, 2):
        if len(digits) >= length and (subject := _by_code().get(digits[:length])):
            return subject
    return None


def by_name(name: str) -> FederalSubject | None:
    """The subject by its name (case, ё and «г.» ignored; short forms accepted)."""
    return _by_name().get(_name_key(name)) or _by_name().get(
        _name_key(re.sub(r"^г\.\s*", "", (name or "").strip()))
    )


def find(text: str) -> FederalSubject | None:
    """A subject by what a person typed: its code (2 or 3 digits) or its name."""
    text = (text or "").strip()
    if text.isdigit():
        return by_code(text)
    return by_name(text)
