"""Mentoring of the demo region: programmes in most general schools with their curators, municipal
curators and mentoring schools, mentor profiles (a few per cent of the teachers, experienced
ones, strengths from their diagnostics), pairs mostly with young teachers — active and completed,
early too, in every form — with meetings, and requests in every state.

Everything is read in a few queries and written in bulk (nms.demo.bulk.insert), so a region of
100 000 people takes seconds. Deterministic from the seed. The demo teacher (a young teacher)
is left without a mentor and gets published mentors of their municipality and subject with
free places, so the registry and the matching have something to offer them.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from nms.accounts.models import User
from nms.demo.bulk import insert
from nms.diagnostics.models import AreaScore, Result
from nms.itembank.models import CompetencyArea
from nms.mentoring.models import (
    HIGH_SCORE,
    Curator,
    CuratorLevel,
    Meeting,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairStatus,
    RequestStatus,
)
from nms.registry.models import (
    Employment,
    Municipality,
    OrganizationKind,
    experience_cutoff,
    young_birth_cutoff,
)

PROGRAM_SHARE = 0.85  # of general schools
SCHOOL_SHARE = 0.6  # of municipalities with a mentoring school
MENTOR_SHARE = 0.04  # of experienced teachers
YOUNG_MENTORED = 0.7  # of young teachers in a pair (active or completed)
OTHER_MENTEES = 0.01  # of the other workers
MIN_MENTEES = 6
# Pairs' states in turn (about a third completed, a tenth of them early), whatever the count.
STATES = ("active", "early", "active", "completed", "active", "active", "completed", "active",
          "active", "active")  # fmt: skip
TOPICS = (
    "Знакомство, диагностика затруднений, план работы",
    "Проектирование урока по ФГОС",
    "Взаимопосещение уроков и их анализ",
    "Работа с родителями",
    "Оценивание образовательных результатов",
    "Подготовка к открытому уроку",
)
EARLY_REASONS = ("Наставляемый сменил место работы", "Длительный отпуск наставника")


def generate(region, *, seed: int, today) -> str:
    rng = random.Random(seed + 71)
    jobs = _main_jobs(region)
    if not jobs:
        return ""
    subjects = _subjects(region)
    areas = list(CompetencyArea.objects.filter(for_managers=False).values_list("pk", flat=True))
    manager_areas = list(CompetencyArea.objects.values_list("pk", flat=True))
    demo_teacher = User.objects.filter(username="teacher").values_list("person_id", flat=True)
    demo_teacher = demo_teacher.first()
    start_year = today.year if today.month >= 9 else today.year - 1
    year_start = date(start_year, 9, 1)

    programs, curators = _programs(rng, region, jobs, year_start)
    schools = _mentoring_schools(rng, region, year_start)
    profiles, strengths = _profiles(rng, today, jobs, subjects, areas, manager_areas, demo_teacher)
    insert(MentoringProgram, programs)
    insert(Curator, curators)
    insert(MentoringSchool, schools)
    insert(MentorProfile, profiles)
    insert(
        MentorProfile.subjects.through,
        [
            MentorProfile.subjects.through(mentorprofile_id=p.pk, subject_id=s)
            for p in profiles
            for s in sorted(subjects.get(p.person_id, ()))[:2]
        ],
    )
    insert(
        MentorProfile.areas.through,
        [
            MentorProfile.areas.through(mentorprofile_id=p.pk, competencyarea_id=a)
            for p in profiles
            for a in sorted(strengths[p.person_id])
        ],
    )
    program_of = {p.organization_id: p for p in programs}
    pairs, requests, meetings = _pairs(
        rng, today, jobs, subjects, profiles, program_of, demo_teacher
    )
    requests += _open_requests(rng, jobs, profiles, pairs, demo_teacher)
    insert(MentorshipRequest, requests)
    for pair in pairs:
        if pair.request is not None:
            pair.request_id = pair.request.pk
    insert(Pair, pairs)
    for meeting in meetings:
        meeting.pair_id = meeting.pair.pk
    insert(Meeting, meetings)
    active = sum(p.status == PairStatus.ACTIVE for p in pairs)
    return (
        f"  наставничество: программ ОО {len(programs)}, наставников {len(profiles)}, "
        f"пар {len(pairs)} (действуют {active}), запросов {len(requests)}, "
        f"школ наставничества {len(schools)}"
    )


# -- what the region holds -----------------------------------------------------------------------
def _main_jobs(region) -> dict[int, dict]:
    """Each person's main job: organization, municipality, kind, manager, experience, birth."""
    rows = (
        Employment.objects.filter(person__region=region)
        .order_by("person_id", "is_part_time", "id")
        .values_list(
            "person_id", "organization_id", "organization__municipality_id",
            "organization__kind", "manager_kind", "experience_start", "person__birth_date",
        )
    )  # fmt: skip
    jobs = {}
    for person_id, org, municipality, kind, manager, start, birth in rows:
        jobs.setdefault(
            person_id,
            {"org": org, "municipality": municipality, "kind": kind, "manager": bool(manager),
             "start": start, "birth": birth},
        )  # fmt: skip
    return jobs


def _subjects(region) -> dict[int, set[int]]:
    through = Employment.subjects.through.objects.filter(employment__person__region=region)
    taught = defaultdict(set)
    for person_id, subject_id in through.values_list("employment__person_id", "subject_id"):
        taught[person_id].add(subject_id)
    return taught


def _is_young(job, today) -> bool:
    return job["birth"] > young_birth_cutoff(today) and job["start"] >= experience_cutoff(today, 3)


# -- programmes, curators, schools -----------------------------------------------------------
def _programs(rng, region, jobs, year_start):
    staff = defaultdict(list)
    for person_id, job in jobs.items():
        staff[job["org"]].append(person_id)
    general = {
        job["org"]: job["municipality"]
        for job in jobs.values()
        if job["kind"] == OrganizationKind.GENERAL
    }
    programs, curators = [], []
    for org in sorted(general):
        if rng.random() > PROGRAM_SHARE:
            continue
        curator = rng.choice(staff[org])
        programs.append(
            MentoringProgram(
                organization_id=org,
                title=f"Программа наставничества на {year_start.year}/{year_start.year + 1} год",
                curator_id=curator,
                starts_on=year_start,
                ends_on=date(year_start.year + 1, 8, 31),
                order=f"приказ № {rng.randint(10, 199)}-о от {year_start:%d.%m.%Y}",
            )
        )
        curators.append(
            Curator(
                person_id=curator, level=CuratorLevel.SCHOOL, municipality_id=general[org],
                organization_id=org, starts_on=year_start,
            )
        )  # fmt: skip
    by_municipality = defaultdict(list)
    for person_id, job in jobs.items():
        if job["kind"] in (OrganizationKind.METHODICAL_SERVICE, OrganizationKind.AUTHORITY):
            by_municipality[job["municipality"]].append(person_id)
    for municipality in sorted(by_municipality):
        curators.append(
            Curator(
                person_id=rng.choice(sorted(by_municipality[municipality])),
                level=CuratorLevel.MUNICIPAL, municipality_id=municipality,
                starts_on=year_start,
            )
        )  # fmt: skip
    return programs, curators


def _mentoring_schools(rng, region, year_start):
    schools = []
    for pk, name in (
        Municipality.objects.filter(region=region).order_by("pk").values_list("pk", "name")
    ):
        if rng.random() < SCHOOL_SHARE:
            founded = year_start - timedelta(days=rng.randint(0, 700))
            schools.append(
                MentoringSchool(
                    municipality_id=pk, name=f"Муниципальная школа наставничества ({name})",
                    founded_on=founded,
                )
            )  # fmt: skip
    return schools


# -- mentors -----------------------------------------------------------------------------------
def _high_areas(person_ids) -> dict[int, set[int]]:
    """Areas of at least HIGH_SCORE in each person's latest result."""
    latest = {}
    rows = Result.objects.filter(person_id__in=person_ids).order_by("person_id", "-taken_on", "-id")
    for person_id, pk in rows.values_list("person_id", "pk"):
        latest.setdefault(person_id, pk)
    by_result = {pk: person for person, pk in latest.items()}
    high = defaultdict(set)
    scores = AreaScore.objects.filter(result_id__in=list(by_result), share__gte=HIGH_SCORE)
    for result_id, area_id in scores.values_list("result_id", "area_id"):
        high[by_result[result_id]].add(area_id)
    return high


def _profiles(rng, today, jobs, subjects, areas, manager_areas, demo_teacher):
    experienced = [
        person_id
        for person_id, job in sorted(jobs.items())
        if job["start"] <= today - timedelta(days=10 * 365) and person_id != demo_teacher
    ]
    count = max(1, round(len(experienced) * MENTOR_SHARE)) if experienced else 0
    chosen = set(rng.sample(experienced, min(count, len(experienced))))
    if demo_teacher in jobs:
        # Mentors for the demo teacher: of their municipality and subject, with free places.
        mine = jobs[demo_teacher]
        near = [
            p
            for p in experienced
            if jobs[p]["municipality"] == mine["municipality"]
            and subjects.get(p, set()) & subjects.get(demo_teacher, set())
        ] or [p for p in experienced if jobs[p]["municipality"] == mine["municipality"]]
        chosen.update(near[:3])  # fmt: skip
    high = _high_areas(sorted(chosen))
    profiles, strengths = [], {}
    for person_id in sorted(chosen):
        job = jobs[person_id]
        pool = manager_areas if job["manager"] else areas
        own = set(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        strengths[person_id] = own | set(sorted(high.get(person_id, ()))[:2])
        profiles.append(
            MentorProfile(
                person_id=person_id,
                mentoring_years=rng.randint(0, 12),
                experience="Опыт работы с молодыми педагогами, открытые уроки, методические "
                "разработки.",
                capacity=rng.choice((1, 2, 2, 3, 3, 4)),
                offers_teacher=True,
                offers_manager=job["manager"],
                offers_team=rng.random() < 0.3,
                across_organizations=rng.random() < 0.8,
                across_municipalities=rng.random() < 0.2,
                public=rng.random() < 0.85,
                active=rng.random() < 0.95,
            )
        )
    for profile in profiles:
        if (
            demo_teacher in jobs
            and jobs[profile.person_id]["municipality"] == jobs[demo_teacher]["municipality"]
        ):
            profile.public = profile.active = profile.across_organizations = True
            profile.capacity = max(profile.capacity, 3)
    return profiles, strengths


# -- pairs and requests --------------------------------------------------------------------------
def _pairs(rng, today, jobs, subjects, profiles, program_of, demo_teacher):
    by_municipality = defaultdict(list)
    for profile in profiles:
        if profile.active:
            by_municipality[jobs[profile.person_id]["municipality"]].append(profile)
    load = defaultdict(int)
    mentors = {p.person_id for p in profiles}
    mentees = [
        person_id
        for person_id, job in sorted(jobs.items())
        if person_id not in mentors
        and person_id != demo_teacher
        and rng.random() < (YOUNG_MENTORED if _is_young(job, today) else OTHER_MENTEES)
    ]
    if len(mentees) < MIN_MENTEES:  # a small region still shows every state and form
        others = [
            p for p in sorted(jobs, key=lambda p: jobs[p]["start"], reverse=True)
            if p not in mentors and p != demo_teacher and p not in mentees
        ]  # fmt: skip
        mentees += others[: MIN_MENTEES - len(mentees)]
    pairs, requests, meetings = [], [], []
    for mentee in mentees:
        job = jobs[mentee]
        # Reserve a place of every demo-facing mentor: never fill one completely.
        nearby = [
            p for p in by_municipality.get(job["municipality"], [])
            if load[p.person_id] < p.capacity - 1
            and (p.across_organizations or jobs[p.person_id]["org"] == job["org"])
        ]  # fmt: skip
        if not nearby:
            continue
        same_subject = [p for p in nearby if subjects.get(p.person_id, set()) & subjects.get(
            mentee, set())]  # fmt: skip
        mentor = rng.choice(same_subject or nearby)
        n = len(pairs)
        if job["manager"] and mentor.offers_manager:
            form = MentoringForm.MANAGER_MANAGER
        else:
            form = MentoringForm.TEAM_TEAM if n % 9 == 2 else MentoringForm.TEACHER_TEACHER
        starts = today - timedelta(days=rng.randint(20, 330))
        ends = starts + timedelta(days=365)
        state = STATES[n % len(STATES)]
        pair = Pair(
            mentor_id=mentor.person_id, mentee_id=mentee, form=form,
            program=program_of.get(job["org"]), organization_id=job["org"],
            across_organizations=jobs[mentor.person_id]["org"] != job["org"],
            across_municipalities=False, starts_on=starts, ends_on=ends,
            goals="Адаптация в профессии, освоение проектирования урока по ФГОС",
        )  # fmt: skip
        if state != "active":
            early = state == "early"
            done = starts + (today - starts) / 2 if early else today
            pair.status = PairStatus.COMPLETED
            pair.completed_on = done
            pair.completed_early = early
            if not early:
                pair.starts_on = starts = today - timedelta(days=365)
                pair.ends_on = today
            pair.completion_reason = rng.choice(EARLY_REASONS) if pair.completed_early else ""
            pair.outcome = "Цели достигнуты: педагог проводит уроки в соответствии с ФГОС"
        else:
            load[mentor.person_id] += 1
        if n == 0 or rng.random() < 0.6:
            pair.request = MentorshipRequest(
                mentee_id=mentee, mentor_id=mentor.person_id, form=form,
                goals=pair.goals, status=RequestStatus.ACCEPTED,
            )  # fmt: skip
            requests.append(pair.request)
        pairs.append(pair)
        last = pair.completed_on or today
        for n in range(rng.randint(1, 4)):
            held = starts + timedelta(days=14 + 30 * n)
            if held <= last:
                meetings.append(
                    Meeting(pair=pair, held_on=held, topic=TOPICS[n % len(TOPICS)],
                            notes="Обсудили затруднения, наметили следующие шаги.")
                )  # fmt: skip
    return pairs, requests, meetings


def _open_requests(rng, jobs, profiles, pairs, demo_teacher):
    """Pending, rejected and cancelled requests of teachers without a pair."""
    paired = {p.mentee_id for p in pairs} | {p.person_id for p in profiles} | {demo_teacher}
    public = [p for p in profiles if p.public and p.active]
    if not public:
        return []
    free = [person_id for person_id in sorted(jobs) if person_id not in paired]
    chosen = rng.sample(free, min(len(free), max(3, len(public) // 2)))
    states = [RequestStatus.PENDING, RequestStatus.REJECTED, RequestStatus.CANCELLED]
    requests = []
    for n, mentee in enumerate(chosen):
        mentor = rng.choice(public)
        status = states[n % len(states)]
        requests.append(
            MentorshipRequest(
                mentee_id=mentee, mentor_id=mentor.person_id, form=MentoringForm.TEACHER_TEACHER,
                goals="Нужна помощь в подготовке к аттестации", status=status,
                answer="Сейчас нет возможности, обратитесь позже"
                if status == RequestStatus.REJECTED else "",
            )
        )  # fmt: skip
    return requests
