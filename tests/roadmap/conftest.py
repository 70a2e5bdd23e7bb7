"""A small roadmap on tests/conftest.py's two municipalities (A, B), for 2025–2026, seen on a
fixed day (TODAY = 10.06.2026):

- 1.1.1 — ЦНППМ, due 31.12.2025 (a date): in 2025, done on time;
- 1.1.2 — ЦНППМ, «ежегодно» до 31 марта: 2025 done late; 2026 not done → overdue;
- 1.2.1 — municipality A, до 1 марта ежегодно: 2025 not done → overdue; 2026 in progress →
  overdue too (01.03.2026 has passed);
- 2.1.1 — school A, «постоянно»: due 31.12 of each year — not yet overdue in 2026.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from nms.common.importing import ErrorCollector
from nms.roadmap import importers
from nms.roadmap.models import Activity, ActivityPeriod, Roadmap, Status

TODAY = date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from nms.roadmap import selectors, services

    monkeypatch.setattr(selectors, "today", lambda: TODAY)
    monkeypatch.setattr(services, "today", lambda: TODAY)


def rows_for(a_name, school_name):
    N, M, T = importers.NUMBER, importers.MEASURE, importers.TITLE
    R, E, D, RES = importers.RESPONSIBLE, importers.EXECUTORS, importers.DEADLINE, importers.RESULT
    return [
        {M: "Направление 1 «Управление системой научно-методического сопровождения»"},
        {N: "1.1", M: "Сопровождение документации"},
        {N: "1.1.1", T: "Разработка комплекса мер", R: "ЦНППМ", E: "Министерство",
         D: "31.12.2025", RES: "Комплекс мер утверждён"},
        {N: "1.1.2", T: "Внесение изменений в документы", R: "ЦНППМ", E: "ИРО",
         D: "ежегодно до 31 марта", RES: "Пакет документов", importers.INDICATOR: "A1",
         importers.TARGET: 100},
        {N: "1.2", M: "Муниципальная инфраструктура"},
        {N: "1.2.1", T: "Муниципальный план сопровождения", R: a_name, D: "до 1 марта ежегодно"},
        {M: "Направление 2 «Непрерывное повышение профессионального мастерства»"},
        {N: "2.1", M: "Поддержка педагогов"},
        {N: "2.1.1", T: "Адресная поддержка педагогов школы", R: school_name, D: "постоянно"},
    ]  # fmt: skip


def build(region, municipality_name, school_name, title="Дорожная карта 2025–2026"):
    roadmap = Roadmap(region=region, title=title, starts_year=2025, ends_year=2026)
    roadmap.save()
    errors = ErrorCollector()
    rows = importers.rows_of(rows_for(municipality_name, school_name))
    parsed = importers.parse(rows, region, errors)
    assert not errors.errors, [str(e) for e in errors.errors]
    importers.save(roadmap, parsed)
    return roadmap


def period(roadmap, number, year) -> ActivityPeriod:
    return ActivityPeriod.objects.get(activity__roadmap=roadmap, activity__number=number, year=year)


@pytest.fixture
def world(region, two_municipalities, users):
    a, b = two_municipalities["a"], two_municipalities["b"]
    roadmap = build(region, a["municipality"].name, a["school"].short_name)
    ActivityPeriod.objects.filter(pk=period(roadmap, "1.1.1", 2025).pk).update(
        status=Status.DONE, done_on=date(2025, 12, 20), evidence="Приказ"
    )
    ActivityPeriod.objects.filter(pk=period(roadmap, "1.1.2", 2025).pk).update(
        status=Status.DONE, done_on=date(2025, 4, 15), evidence="Поздно"
    )
    ActivityPeriod.objects.filter(pk=period(roadmap, "1.2.1", 2026).pk).update(
        status=Status.IN_PROGRESS
    )
    return SimpleNamespace(
        region=region, a=a, b=b, users=users, roadmap=roadmap,
        activity={a.number: a for a in Activity.objects.filter(roadmap=roadmap)},
    )  # fmt: skip
