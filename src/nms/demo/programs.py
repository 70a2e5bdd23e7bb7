"""The demo region's share of the app programs: a catalogue of about 64 programmes (a third in the
federal registry, with numbers and dates; some submitted to its expert review), runs over the
last two years, enrollments of about a fifth of the pedagogical workers with completions and
drop-outs — many chosen from their diagnostics — and a few management teams.

Everything is written in bulk (`nms.demo.bulk.insert`) from a few reads, so 100 000 people take
seconds; deterministic from the seed.
"""

import random
from collections import defaultdict
from datetime import timedelta

from nms.demo.bulk import insert
from nms.diagnostics.models import AreaScore, Result
from nms.itembank.models import CompetencyArea
from nms.programs.models import (
    Audience,
    Enrollment,
    EnrollmentStatus,
    Origin,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    ReviewOutcome,
    Run,
    Team,
)
from nms.registry.models import Employment, Organization, OrganizationKind

PROGRAMMES = 64
ENROLLED_SHARE = 0.2  # of the pedagogical workers
CHOSEN_SHARE = 0.6  # of those with deficits: a programme addressing one of them
TEAMS = 6
DAYS = 730

# (title, topics, area codes, audience)
SUBJECTS = [
    ("Реализация требований обновлённых ФГОС НОО, ФГОС ООО в работе учителя", ["fgos"],
     ["methodical"], Audience.TEACHERS),
    ("Формирование функциональной грамотности обучающихся", ["literacy"], ["methodical"],
     Audience.TEACHERS),
    ("Цифровая образовательная среда: инструменты учителя", ["digital"], ["ict"],
     Audience.TEACHERS),
    ("Оценка качества образования и работа с результатами", ["quality"], ["methodical"],
     Audience.TEACHERS),
    ("Инклюзивное образование обучающихся с ОВЗ", ["inclusion"], ["psychological"],
     Audience.TEACHERS),
    ("Рабочая программа воспитания и классное руководство", ["upbringing"], ["upbringing"],
     Audience.TEACHERS),
    ("Профориентационная работа в школе: «Билет в будущее»", ["career"], ["upbringing"],
     Audience.TEACHERS),
    ("Работа с одарёнными детьми", ["gifted"], ["psychological", "subject"], Audience.TEACHERS),
    ("Современные подходы к дошкольному образованию", ["preschool"], ["methodical"],
     Audience.TEACHERS),
    ("Технологическое образование и технологический суверенитет", ["tech"], ["subject", "ict"],
     Audience.TEACHERS),
    ("Эффективная коммуникация с родителями и обучающимися", [], ["communicative"],
     Audience.TEACHERS),
    ("Предметные компетенции учителя: решение задач повышенной сложности", ["fgos"],
     ["subject"], Audience.TEACHERS),
    ("Управление школой в условиях обновлённых ФГОС", ["fgos"], ["management"],
     Audience.MANAGERS),
    ("Школа Минпросвещения России: управленческая команда", ["quality"], ["management"],
     Audience.TEAMS),
    ("Профилактика профессионального выгорания педагогов", [], ["psychological"],
     Audience.TEACHERS),
    ("Функциональная грамотность: читательская и математическая", ["literacy", "fgos"],
     ["subject", "methodical"], Audience.TEACHERS),
]  # fmt: skip
LEVELS = ["", " (базовый уровень)", " (продвинутый уровень)", " для молодых педагогов"]
FORMATS = list(ProgrammeFormat)


def generate(region, *, seed: int, today) -> str:
    """The app's share of the demo region; returns the summary line for the console."""
    rng = random.Random(seed + 11)
    areas = {a.code: a.pk for a in CompetencyArea.objects.all()}
    institute = (
        Organization.objects.filter(region=region, kind=OrganizationKind.INSTITUTE)
        .order_by("pk")
        .first()
    )
    programmes, area_links = _programmes(region, rng, today, areas, institute)
    runs = _runs(programmes, rng, today)
    by_area = defaultdict(list)
    for programme in programmes:
        for area_id in area_links[programme.pk]:
            by_area[area_id].append(programme)
    enrollments, teams = _enrollments(region, rng, today, programmes, runs, area_links, by_area)
    completed = sum(1 for e in enrollments if e.status == EnrollmentStatus.COMPLETED)
    federal = sum(1 for p in programmes if p.in_federal_registry)
    return (
        f"  программ ДПП: {len(programmes)} (в ФР ДПП: {federal}), потоков: {len(runs)}, "
        f"зачислений: {len(enrollments)}, завершений: {completed}, команд: {teams}"
    )


def _programmes(region, rng, today, areas, institute):
    programmes, links = [], []
    for i in range(PROGRAMMES):
        title, topics, codes, audience = SUBJECTS[i % len(SUBJECTS)]
        title = f"{title}{LEVELS[(i // len(SUBJECTS)) % len(LEVELS)]}"
        federal = i % 3 == 0
        kind = ProgrammeKind.PP if i % 16 == 15 else ProgrammeKind.PK
        hours = (
            rng.choice([250, 300, 520])
            if kind == ProgrammeKind.PP
            else rng.choice([16, 24, 36, 36, 48, 72, 108])
        )
        origin = (
            Origin.ACADEMY if federal and i % 2 == 0 else Origin.OTHER if federal
            else Origin.CASCADE if i % 5 == 1 else Origin.OWN
        )  # fmt: skip
        programme = Programme(
            region=region, title=title, kind=kind, hours=hours, format=FORMATS[i % len(FORMATS)],
            provider=None if federal else institute,
            provider_name="ФГАОУ ДПО «Академия Минпросвещения России»" if origin == Origin.ACADEMY
            else ("" if institute and not federal else "Институт развития образования"),
            annotation=f"Программа направлена на совершенствование компетенций: {title.lower()}.",
            in_federal_registry=federal, audience=audience, topics=list(topics), origin=origin,
            status=ProgrammeStatus.ARCHIVED if i % 21 == 20
            else ProgrammeStatus.DRAFT if i % 29 == 28 else ProgrammeStatus.ACTIVE,
        )  # fmt: skip
        if federal:
            since = today - timedelta(days=rng.randint(200, 1400))
            programme.federal_number = f"{since.year}-{1000 + i * 37}"
            programme.federal_since = since
        elif i % 7 == 1:
            programme.review_submitted_on = today - timedelta(days=rng.randint(20, 400))
            programme.review_outcome = rng.choice(
                [ReviewOutcome.APPROVED, ReviewOutcome.REJECTED, ReviewOutcome.PENDING]
            )
        programmes.append(programme)
        links.append([areas[c] for c in codes if c in areas])
    insert(Programme, programmes)
    through = Programme.areas.through
    rows = [
        through(programme_id=p.pk, competencyarea_id=area_id)
        for p, ids in zip(programmes, links, strict=True)
        for area_id in ids
    ]
    insert(through, rows)
    return programmes, {p.pk: ids for p, ids in zip(programmes, links, strict=True)}


def _runs(programmes, rng, today):
    runs = []
    for programme in programmes:
        if programme.status == ProgrammeStatus.DRAFT:
            continue
        for number in range(rng.randint(2, 5)):
            starts_on = today - timedelta(days=rng.randint(-45, DAYS))
            length = max(5, min(programme.hours // 4, 120))
            online = programme.format in (ProgrammeFormat.DISTANCE, ProgrammeFormat.BLENDED)
            runs.append(
                Run(
                    programme=programme,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=length),
                    place="" if online else "Институт развития образования, ауд. 2" + str(number),
                    online=online,
                    group_name=f"Группа {number + 1}",
                )
            )
    insert(Run, runs)
    return runs


def _deficits(region):
    """The deficit areas of each person's latest result, with its date (two reads)."""
    latest = {}
    results = Result.objects.filter(person__region=region).values_list(
        "person_id", "taken_on", "pk"
    )
    for person_id, taken_on, pk in results.iterator(chunk_size=5000):
        if person_id not in latest or (taken_on, pk) > latest[person_id]:
            latest[person_id] = (taken_on, pk)
    chosen = {pk: (person_id, taken_on) for person_id, (taken_on, pk) in latest.items()}
    found = defaultdict(set)
    scores = AreaScore.objects.filter(result__person__region=region, is_deficit=True)
    for result_id, area_id in scores.values_list("result_id", "area_id").iterator(chunk_size=5000):
        if result_id in chosen:
            found[result_id].add(area_id)
    return {chosen[pk][0]: (chosen[pk][1], ids) for pk, ids in found.items()}


def _enrollments(region, rng, today, programmes, runs, area_links, by_area):
    staff = (
        Employment.objects.filter(organization__region=region)
        .order_by("person_id", "is_part_time", "pk")
        .values_list("person_id", "organization_id", "manager_kind", "position__is_pedagogical")
    )
    workplace, teachers, managers = {}, set(), defaultdict(list)
    for person_id, organization_id, manager_kind, pedagogical in staff.iterator(chunk_size=5000):
        workplace.setdefault(person_id, organization_id)
        if pedagogical:
            teachers.add(person_id)
        if manager_kind:
            managers[organization_id].append(person_id)
    people = sorted(teachers)
    deficits = _deficits(region)
    runs_of = defaultdict(list)
    for run in runs:
        runs_of[run.programme_id].append(run)
    offered = [p for p in programmes if runs_of[p.pk] and p.audience == Audience.TEACHERS]
    enrollments, taken = [], set()
    counter = [0]

    def add(person_id, run, chosen, team=None):
        if (run.pk, person_id) in taken:
            return
        taken.add((run.pk, person_id))
        enrollment = Enrollment(
            run=run, person_id=person_id, organization_id=workplace.get(person_id),
            enrolled_on=run.starts_on - timedelta(days=rng.randint(3, 30)),
            chosen_from_diagnostics=chosen, team=team,
        )  # fmt: skip
        if run.ends_on < today:
            if rng.random() < 0.1:
                enrollment.status = EnrollmentStatus.DROPPED
                enrollment.dropped_on = run.starts_on + timedelta(days=2)
                enrollment.drop_reason = rng.choice(["по собственному желанию", "болезнь", ""])
            else:
                counter[0] += 1
                enrollment.status = EnrollmentStatus.COMPLETED
                enrollment.completed_on = run.ends_on
                enrollment.certificate_number = f"{run.ends_on.year}-{counter[0]:07d}"
        enrollments.append(enrollment)

    for person_id in rng.sample(people, round(len(people) * ENROLLED_SHARE)):
        found = deficits.get(person_id)
        run, chosen = None, False
        if found and rng.random() < CHOSEN_SHARE:
            taken_on, area_ids = found
            candidates = [p for a in sorted(area_ids) for p in by_area.get(a, []) if runs_of[p.pk]]
            candidates.sort(key=lambda p: not p.in_federal_registry)
            if candidates:
                programme = candidates[0] if rng.random() < 0.6 else rng.choice(candidates)
                after = [r for r in runs_of[programme.pk] if r.starts_on >= taken_on]
                run = rng.choice(after or runs_of[programme.pk])
                chosen = True
        if run is None and offered:
            programme = rng.choice(offered)
            run = rng.choice(runs_of[programme.pk])
            chosen = bool(found and set(area_links[programme.pk]) & found[1])
        if run is not None:
            add(person_id, run, chosen)

    team_runs = [r for p in programmes if p.audience == Audience.TEAMS for r in runs_of[p.pk]]
    teams = []
    organizations = sorted(o for o, ids in managers.items() if len(ids) >= 2)
    if team_runs and organizations:
        for organization_id in rng.sample(organizations, min(TEAMS, len(organizations))):
            teams.append(Team(run=rng.choice(team_runs), organization_id=organization_id))
        insert(Team, teams)
        for team in teams:
            for person_id in managers[team.organization_id]:
                add(person_id, team.run, False, team)
    insert(Enrollment, enrollments)
    return enrollments, len(teams)
