"""Deadlines of roadmap activities: the document's text parsed into a kind with its dates, and the
due date of an activity in a reporting period (a calendar year).

Kinds (models.DeadlineKind) and how the seeds' texts map to them:

- a date — «2023» (31.12.2023), «май 2023 года» (31.05.2023), «до 01.09.2023»;
- several dates — «в течение 2023, 2024 годов» (31.12 of each), «май, ноябрь 2023»,
  «01.03.2024, 01.10.2024»;
- «ежегодно» with a day and a month — «ежегодно» (31.12), «июнь, ежегодно» (30.06),
  «май, ноябрь ежегодно» (31.05 and 30.11), «февраль-март, сентябрь-ноябрь ежегодно» (the end of
  each range: 31.03 and 30.11), «до 15 марта ежегодно», «по графику курсовой подготовки …
  ежегодно» (31.12);
- «постоянно» — «постоянно», «июнь 2023 года, далее – постоянно» (from 30.06.2023); a deadline
  set by another body's plan with no date in it («по плану мероприятий ИРО», «в сроки,
  определенные Академией Минпросвещения России») is taken as «постоянно» too: reported at the
  end of each year;
- a period — «2023–2024» (01.01.2023–31.12.2024), «февраль-март 2024», «с 01.02.2024 по
  31.03.2024».

Due date in a year: the last date of the deadline falling in that year (a date or dates), the
annual days in that year, the year's 31 December for «постоянно» (from the year it starts), the
end of a period in the year it ends. A year with no due date has no reporting period.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from nms.common.text import search_key

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
MONTH_RE = re.compile(
    r"\b(январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*)"
)
FULL_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
DAY_MONTH_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\b(?!\.\d)")
DAY_MONTH_WORD_RE = re.compile(r"\b(\d{1,2})\s+(" + MONTH_RE.pattern[3:-1] + r")")
YEAR_RE = re.compile(r"\b(20\d{2})\b")
RANGE_RE = re.compile(r"\d\s*(?:-|–|—|по)\s*\d")
MONTH_NAMES = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
               "сентября", "октября", "ноября", "декабря")  # fmt: skip


@dataclass
class Deadline:
    kind: str
    dates: list[date] = field(default_factory=list)
    annual: list[tuple[int, int]] = field(default_factory=list)  # (month, day)
    starts_on: date | None = None
    ends_on: date | None = None

    def as_fields(self) -> dict:
        return {
            "deadline_kind": self.kind,
            "deadline_dates": [d.isoformat() for d in self.dates],
            "deadline_annual": [list(pair) for pair in self.annual],
            "deadline_from": self.starts_on,
            "deadline_to": self.ends_on,
        }


def _month(word: str) -> int:
    for stem, number in MONTHS.items():
        if word.startswith(stem):
            return number
    raise ValueError(word)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _full_dates(text: str) -> list[date]:
    found = []
    for day, month, year in FULL_DATE_RE.findall(text):
        try:
            found.append(date(int(year), int(month), int(day)))
        except ValueError as exc:
            raise ValidationError(f"несуществующая дата {day}.{month}.{year}") from exc
    return found


def _month_groups(text: str) -> list[tuple[int, int]]:
    """Months named in the text as (first, last) of each group: «февраль-март» → (2, 3)."""
    groups = []
    words = [(m.start(), m.end(), _month(m.group(1))) for m in MONTH_RE.finditer(text)]
    index = 0
    while index < len(words):
        start, end, month = words[index]
        if index + 1 < len(words):
            between = text[end : words[index + 1][0]]
            if re.fullmatch(r"\s*[-–—]\s*", between):
                groups.append((month, words[index + 1][2]))
                index += 2
                continue
        groups.append((month, month))
        index += 1
    return groups


NO_TEXT = "срок не указан"


def parse(text: str) -> Deadline:
    """The deadline of a document's text; ValidationError (Russian) when it cannot be read."""
    raw = " ".join((text or "").split())
    if not raw:
        raise ValidationError(NO_TEXT)
    key = search_key(raw)
    full = _full_dates(key)
    years = [int(y) for y in YEAR_RE.findall(FULL_DATE_RE.sub(" ", key))]
    groups = _month_groups(key)
    annual = "ежегодн" in key

    if "постоянн" in key:
        starts = None
        if full:
            starts = full[0]
        elif groups and years:
            starts = _end_of_month(years[0], groups[0][1])
        elif years:
            starts = date(years[0], 1, 1)
        return Deadline("constant", starts_on=starts)

    if annual:
        pairs = [(d.month, d.day) for d in full]
        pairs += [(int(m), int(d)) for d, m in DAY_MONTH_RE.findall(FULL_DATE_RE.sub(" ", key))]
        pairs += [(_month(m), int(d)) for d, m in DAY_MONTH_WORD_RE.findall(key)]
        if not pairs:
            pairs = [(last, calendar.monthrange(2023, last)[1]) for _, last in groups]
        for month, day in pairs:
            if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
                raise ValidationError(f"несуществующий день {day:02d}.{month:02d}")
        return Deadline("annual", annual=sorted(set(pairs)) or [(12, 31)])

    if full:
        if len(full) == 2 and RANGE_RE.search(key):
            first, last = sorted(full)
            return Deadline("period", starts_on=first, ends_on=last)
        if len(full) == 1:
            return Deadline("date", dates=full)
        return Deadline("dates", dates=sorted(set(full)))

    if groups and years:
        year = years[-1]
        if len(groups) == 1 and groups[0][0] != groups[0][1]:
            first, last = groups[0]
            return Deadline(
                "period", starts_on=date(year, first, 1), ends_on=_end_of_month(year, last)
            )
        dates = sorted({_end_of_month(year, last) for _, last in groups})
        return Deadline("date" if len(dates) == 1 else "dates", dates=dates)

    if years:
        if len(years) == 2 and RANGE_RE.search(key):
            first, last = sorted(years)
            return Deadline("period", starts_on=date(first, 1, 1), ends_on=date(last, 12, 31))
        dates = sorted({date(y, 12, 31) for y in years})
        return Deadline("date" if len(dates) == 1 else "dates", dates=dates)

    if groups:
        raise ValidationError("в сроке указан месяц, но не год и не «ежегодно»")
    # A deadline set by someone's plan or schedule, no date in it: reported every year's end.
    return Deadline("constant")


def due_in_year(activity, year: int) -> date | None:
    """The activity's due date in the year (see the module's docstring), or None."""
    kind = activity.deadline_kind
    if kind in ("date", "dates"):
        dates = [_as_date(d) for d in activity.deadline_dates or []]
        inside = [d for d in dates if d.year == year]
        return max(inside) if inside else None
    if kind == "annual":
        pairs = activity.deadline_annual or [(12, 31)]
        return max(_day(year, int(month), int(day)) for month, day in pairs)
    if kind == "constant":
        starts = activity.deadline_from
        if starts is not None and starts.year > year:
            return None
        return date(year, 12, 31)
    if kind == "period":
        if activity.deadline_to is None:
            starts = activity.deadline_from
            return date(year, 12, 31) if starts is None or starts.year <= year else None
        return activity.deadline_to if activity.deadline_to.year == year else None
    return None


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def render(activity) -> str:
    """A text for an activity's deadline that `parse` reads back to the same deadline."""
    kind = activity.deadline_kind
    if kind in ("date", "dates"):
        return ", ".join(f"{_as_date(d):%d.%m.%Y}" for d in activity.deadline_dates or [])
    if kind == "annual":
        days = ", ".join(
            f"{int(d)} {MONTH_NAMES[int(m) - 1]}" for m, d in activity.deadline_annual or []
        )
        return f"ежегодно до {days}" if days else "ежегодно"
    if kind == "constant":
        if activity.deadline_from:
            return f"с {activity.deadline_from:%d.%m.%Y}, далее постоянно"
        return "постоянно"
    if kind == "period":
        if activity.deadline_to is None:
            return f"с {activity.deadline_from:%d.%m.%Y}, далее постоянно"
        return f"с {activity.deadline_from:%d.%m.%Y} по {activity.deadline_to:%d.%m.%Y}"
    return ""
