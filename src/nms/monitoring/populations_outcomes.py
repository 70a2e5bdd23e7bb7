"""Populations over the outcomes app's records (see populations.py).

- `student_results` — the students' results per teacher (nms.outcomes.StudentResult), placed in
  the period by the school year's end (30 June of the year after it began), territory by the
  result's own organization;
- `routes_completed` — the completed routes (ИОМ) that ended in the period, by where their
  teacher works, with the flags of the dynamics of the teacher's students
  (nms.outcomes.dynamics, the one rule): `comparable_results` (a verdict exists: results of the
  same procedure and subject before and after the route) and `positive_dynamics` (true, or a
  number: the minimal rise in points). G4 = routes_completed{positive_dynamics} /
  routes_completed{comparable_results}, each teacher counted once.
- `passports` — the regional passports of further professional education formed for a period
  (nms.exchange.PassportExport), in force for the period they cover: B3.
"""

from datetime import date

from django.apps import apps
from django.db.models import Q

from nms.monitoring.populations import PEOPLE_FLAGS, Population, _add, _person_territory


def _verdicts(ctx, rise):
    if not apps.is_installed("nms.outcomes"):
        return {}
    from nms.outcomes import dynamics

    return dynamics.period_verdicts(ctx.starts_on, ctx.ends_on, rise=rise)


def _rise(value):
    if value is True or value is False or value is None:
        return 0
    return value


def comparable_flag(value, ctx, pop):
    """The route's teacher has comparable results before and after it."""
    ids = [pk for pk, v in _verdicts(ctx, 0).items() if v.positive is not None]
    q = Q(pk__in=ids)
    return q if value else ~q


def positive_flag(value, ctx, pop):
    """The route's teacher's students show positive dynamics (value: true or the minimal rise)."""
    if value is False:
        return ~positive_flag(True, ctx, pop)
    ids = [pk for pk, v in _verdicts(ctx, _rise(value)).items() if v.positive]
    return Q(pk__in=ids)


def _completed(ctx):
    return Q(status="completed")


def _year_end_in_period(ctx):
    """A school year is placed in the period by its end: 30 June of the year after it began."""
    years = [
        y
        for y in range(ctx.starts_on.year - 1, ctx.ends_on.year + 1)
        if ctx.starts_on <= date(y + 1, 6, 30) <= ctx.ends_on
    ]
    return Q(school_year__in=years)


_add(
    Population(
        key="student_results",
        label="результаты обучающихся по учителю (ВПР, ОГЭ, ЕГЭ, региональные диагностики)",
        model="outcomes.StudentResult",
        region="region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="teacher_id",
        subject="subject_id",
        base=_year_end_in_period,
        unit="row",
        fields={
            "kind": "kind",
            "school_year": "school_year",
            "share_passing": "share_passing",
            "share_below": "share_below",
            "average_score": "average_score",
            "participants": "participants",
            "low_results": "organization__is_low_results",
        },
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="routes_completed",
        label="завершённые ИОМ (по дате окончания)",
        model="routes.Route",
        **_person_territory("person"),
        date="ends_on",
        base=_completed,
        fields={"route_type": "route_type", "methodist": "methodist_id"},
        flags={
            **PEOPLE_FLAGS,
            "comparable_results": comparable_flag,
            "positive_dynamics": positive_flag,
        },
    ),
    Population(
        key="passports",
        label="региональные паспорта ДПО",
        model="exchange.PassportExport",
        region="region_id",
        interval=("starts_on", "ends_on"),
        unit="row",
    ),
)
