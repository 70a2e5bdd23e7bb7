"""Students' results of the demo region: aggregated results of ВПР, ОГЭ, ЕГЭ and the regional
diagnostics for about half of the teachers of general schools over the last three school years
that have ended, one or two series (procedure and subject) per teacher, one class or group a
year; no pupil appears anywhere.

Each school has a level and each teacher an offset, so the figures are steady over years with
some noise; a few schools are weak (their share passing stays below the ШНОР threshold, so the
proposals page has something to propose). Teachers whose route was completed get results for
the school year before it and, when it has ended, the year after it, rising for about three in
five of them — G4 then has a plausible value (when the demo's completed routes ended before the
last school year's end; see nms.outcomes.dynamics for the rule).

Read in a few queries, written in bulk (nms.demo.bulk.insert); deterministic from the seed.
"""

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from nms.demo.bulk import insert
from nms.outcomes.dynamics import year_after, year_before
from nms.outcomes.models import ResultKind, StudentResult
from nms.registry.models import Employment, OrganizationKind

TEACHER_SHARE = 0.5
WEAK_SCHOOLS = 0.04
RISING = 0.6
LETTERS = "АБВГ"
GRADES = {
    ResultKind.VPR: (4, 5, 6, 7, 8),
    ResultKind.OGE: (9,),
    ResultKind.EGE: (11,),
    ResultKind.REGIONAL: (5, 6, 7, 8, 10),
}
KINDS = (ResultKind.VPR, ResultKind.VPR, ResultKind.OGE, ResultKind.EGE, ResultKind.REGIONAL)


def last_ended_year(today: date) -> int:
    """The last school year that ended (30 June) on or before the day."""
    return today.year - 1 if today > date(today.year, 6, 30) else today.year - 2


def generate(region, *, seed, today) -> str:
    rng = random.Random(seed + 97)
    last = last_ended_year(today)
    years = [last - 2, last - 1, last]
    teachers = _teachers(region)
    if not teachers:
        return ""
    routes = _completed_routes(region)
    chosen = {p for p in teachers if rng.random() < TEACHER_SHARE} | (set(routes) & set(teachers))
    organizations = sorted({teachers[p][0] for p in chosen})
    level = {}
    for organization_id, flagged in _flags(organizations).items():
        weak = flagged or rng.random() < WEAK_SCHOOLS
        level[organization_id] = rng.uniform(30, 45) if weak else rng.uniform(62, 88)
    rows = []
    for person_id in sorted(chosen):
        organization_id, subjects = teachers[person_id]
        offset = rng.uniform(-8, 8)
        wanted = set(years)
        rise = None
        for starts_on, ends_on in routes.get(person_id, []):
            before, after = year_before(starts_on), year_after(ends_on)
            wanted.add(before)
            if after <= last:
                wanted.add(after)
                rise = (before, after, rng.random() < RISING)
        wanted = sorted(y for y in wanted if y <= last)
        for subject_id in subjects[: 1 if rng.random() < 0.7 else 2]:
            kind = rng.choice(KINDS)
            grade = rng.choice(GRADES[kind])
            letter = rng.choice(LETTERS)
            base = level[organization_id] + offset
            figures = {}
            for year in wanted:
                figures[year] = base + rng.uniform(-4, 4)
            if rise is not None:
                before, after, up = rise
                delta = rng.uniform(2, 10) if up else -rng.uniform(2, 10)
                figures[after] = figures[before] + delta
            for year in wanted:
                rows.append(
                    _row(region, kind, year, subject_id, f"{grade}{letter}", person_id,
                         organization_id, figures[year], rng)
                )  # fmt: skip
    insert(StudentResult, rows)
    return (
        f"  результатов обучающихся (по учителю, без персональных данных учеников): {len(rows)} "
        f"у {len(chosen)} учителей за {len(years)} учебных года"
    )


def _row(region, kind, year, subject_id, group, person_id, organization_id, passing, rng):
    passing = Decimal(str(round(min(99.0, max(5.0, passing)), 1)))
    if kind == ResultKind.EGE:
        average = Decimal(str(round(30 + float(passing) * 0.5 + rng.uniform(-3, 3), 1)))
    else:
        average = Decimal(str(round(2 + float(passing) / 40 + rng.uniform(-0.1, 0.1), 2)))
    return StudentResult(
        region=region, kind=kind, school_year=year, subject_id=subject_id, group_label=group,
        teacher_id=person_id, organization_id=organization_id,
        participants=rng.randint(12, 28), average_score=average, share_passing=passing,
        share_below=Decimal(100) - passing,
    )  # fmt: skip


def _teachers(region) -> dict[int, tuple[int, list[int]]]:
    """Teachers of general schools with subjects: person → (main organization, subjects)."""
    jobs = (
        Employment.objects.filter(
            person__region=region,
            position__name="учитель",
            organization__kind=OrganizationKind.GENERAL,
        )
        .order_by("person_id", "is_part_time", "id")
        .values_list("person_id", "id", "organization_id")
    )
    main = {}
    for person_id, employment_id, organization_id in jobs:
        main.setdefault(person_id, (employment_id, organization_id))
    taught = defaultdict(list)
    through = Employment.subjects.through.objects.filter(
        employment_id__in=[e for e, _ in main.values()]
    ).order_by("employment_id", "subject_id")
    for employment_id, subject_id in through.values_list("employment_id", "subject_id"):
        taught[employment_id].append(subject_id)
    return {
        person_id: (organization_id, taught[employment_id])
        for person_id, (employment_id, organization_id) in main.items()
        if taught[employment_id]
    }


def _completed_routes(region) -> dict[int, list[tuple[date, date]]]:
    from nms.routes.models import Route, Status

    found = defaultdict(list)
    rows = Route.objects.filter(region=region, status=Status.COMPLETED).values_list(
        "person_id", "starts_on", "ends_on"
    )
    for person_id, starts_on, ends_on in rows.order_by("pk"):
        found[person_id].append((starts_on, ends_on))
    return found


def _flags(organizations) -> dict[int, bool]:
    from nms.registry.models import Organization

    flags = dict(
        Organization.objects.filter(pk__in=organizations).values_list("pk", "is_low_results")
    )
    return {pk: flags[pk] for pk in organizations}
