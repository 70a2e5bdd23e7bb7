"""The seeds' deadline texts parse into the kinds; due dates per year; render reads back."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from nms.roadmap import deadlines

SEED_TEXTS = [
    # seed 000
    ("2023", "date", {"dates": [date(2023, 12, 31)]}),
    ("Ежегодно", "annual", {"annual": [(12, 31)]}),
    # seed 003
    ("май 2023 года", "date", {"dates": [date(2023, 5, 31)]}),
    ("в течение 2023, 2024 годов", "dates", {"dates": [date(2023, 12, 31), date(2024, 12, 31)]}),
    ("июнь, ежегодно", "annual", {"annual": [(6, 30)]}),
    ("май, ноябрь ежегодно", "annual", {"annual": [(5, 31), (11, 30)]}),
    ("февраль-март, сентябрь-ноябрь ежегодно", "annual", {"annual": [(3, 31), (11, 30)]}),
    ("по графику курсовой подготовки ИРО Кировской области ежегодно", "annual",
     {"annual": [(12, 31)]}),
    ("в сроки, определенные Академией Минпросвещения России", "constant", {}),
    ("по плану мероприятий ИРО Кировской области. По планам областных, окружных, муниципальных "
     "методических объединений", "constant", {}),
    ("постоянно", "constant", {}),
    ("июнь 2023 года, далее – постоянно", "constant", {"starts_on": date(2023, 6, 30)}),
    # others
    ("до 15 марта ежегодно", "annual", {"annual": [(3, 15)]}),
    ("01.03.2024, 01.10.2024", "dates", {"dates": [date(2024, 3, 1), date(2024, 10, 1)]}),
    ("с 01.02.2024 по 31.03.2024", "period",
     {"starts_on": date(2024, 2, 1), "ends_on": date(2024, 3, 31)}),
    ("2023–2024", "period", {"starts_on": date(2023, 1, 1), "ends_on": date(2024, 12, 31)}),
    ("февраль-март 2024", "period", {"starts_on": date(2024, 2, 1), "ends_on": date(2024, 3, 31)}),
]  # fmt: skip


@pytest.mark.parametrize("text,kind,expected", SEED_TEXTS)
def test_seed_deadlines_parse(text, kind, expected):
    parsed = deadlines.parse(text)
    assert parsed.kind == kind
    for name, value in expected.items():
        assert getattr(parsed, name) == value


@pytest.mark.parametrize("text", ["", "   ", "31.02.2024", "июнь"])
def test_unreadable_deadlines_are_refused_in_russian(text):
    with pytest.raises(ValidationError) as error:
        deadlines.parse(text)
    assert error.value.messages[0][0].isalpha()


def _activity(text):
    fields = deadlines.parse(text).as_fields()
    return SimpleNamespace(
        deadline_kind=fields["deadline_kind"], deadline_dates=fields["deadline_dates"],
        deadline_annual=fields["deadline_annual"], deadline_from=fields["deadline_from"],
        deadline_to=fields["deadline_to"],
    )  # fmt: skip


def test_due_dates_in_each_year():
    assert deadlines.due_in_year(_activity("май, ноябрь ежегодно"), 2025) == date(2025, 11, 30)
    assert deadlines.due_in_year(_activity("2023"), 2024) is None
    assert deadlines.due_in_year(_activity("постоянно"), 2024) == date(2024, 12, 31)
    later = _activity("июнь 2025 года, далее – постоянно")
    assert deadlines.due_in_year(later, 2024) is None
    assert deadlines.due_in_year(later, 2025) == date(2025, 12, 31)
    period = _activity("2023–2024")
    assert deadlines.due_in_year(period, 2023) is None
    assert deadlines.due_in_year(period, 2024) == date(2024, 12, 31)
    assert deadlines.due_in_year(_activity("до 29 февраля ежегодно"), 2025) == date(2025, 2, 28)


@pytest.mark.parametrize("text", [t for t, _, _ in SEED_TEXTS])
def test_render_reads_back_to_the_same_deadline(text):
    activity = _activity(text)
    again = _activity(deadlines.render(activity))
    assert vars(again) == vars(activity)
