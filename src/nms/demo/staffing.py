"""The demo region's share of the staffing app: generate(region, seed, today) -> a summary line.

- A staff schedule of the current school year for every organization: a row per position and
  subject its employments hold — filled rates from the employments (a teacher's load over 18
  hours, a part-timer half a rate, others one), and about 3 % more rates vacant; vacancies for
  most vacant rows of the schools, most of them published.
- Diplomas for about 90 % of the pedagogical workers: the year they began to work, a specialty
  qualifying for their subjects — except for about 8 % of the teachers, whose diploma does not
  cover one of their subjects (a few of them covered by a retraining in the programmes' demo).
- About 40 target training contracts across the municipalities in every state, the employed
  ones linked to a young teacher's employment; psychological-pedagogical classes in some
  schools.

Read in a few queries, written in bulk (nms.demo.bulk.insert). Deterministic from the seed.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from nms.common.text import search_key
from nms.demo.bulk import insert
from nms.demo.names import SURNAMES, feminine_surname, first_names
from nms.registry.models import Employment, Organization, OrganizationKind
from nms.staffing.models import (
    ClassProfile,
    ContractStatus,
    Diploma,
    DiplomaLevel,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
    school_year_of,
)

TEACHER = "учитель"
TEACHER_HOURS = Decimal(18)
QUARTER = Decimal("0.25")
VACANT_SHARE = 0.12  # rows with vacant rates; a quarter of the row on average: ~3 % of the rates
DIPLOMA_SHARE = 0.9
OUTSIDE_SHARE = 0.08
CONTRACTS = 40
CLASS_SHARE = 0.15
PUBLISHED_SHARE = 0.75
UNIVERSITIES = (
    "Уральский государственный педагогический университет",
    "Шадринский государственный педагогический университет",
    "Уральский федеральный университет",
    "Нижнетагильский государственный социально-педагогический институт",
)
COLLEGES = (
    "Свердловский областной педагогический колледж",
    "Камышловский педагогический колледж",
    "Красноуфимский педагогический колледж",
)
REQUIREMENTS = (
    "Высшее педагогическое образование по профилю предмета; готовность к работе в 5–11 классах.",
    "Высшее или среднее профессиональное педагогическое образование; рассматриваем выпускников.",
    "Педагогическое образование по профилю, опыт работы приветствуется; возможна переподготовка.",
)
CONDITIONS = (
    "Выплата молодому специалисту, служебное жильё.",
    "Компенсация аренды жилья, наставник в первый год работы.",
    "",
)
NOT_PEDAGOGICAL = ("Экономика", "Юриспруденция")
POSITION_SPECIALTY = {
    "воспитатель": "Дошкольное образование",
    "старший воспитатель": "Педагогическое образование (дошкольное образование)",
    "педагог дополнительного образования": "Педагогика дополнительного образования",
    "педагог-психолог": "Психолого-педагогическое образование",
    "социальный педагог": "Психолого-педагогическое образование",
    "учитель-логопед": "Специальное (дефектологическое) образование",
    "учитель-дефектолог": "Специальное (дефектологическое) образование",
}
DEFAULT_SPECIALTY = "Психолого-педагогическое образование"


def _quarter(value: Decimal) -> Decimal:
    return (value / QUARTER).quantize(Decimal(1), ROUND_HALF_UP) * QUARTER


def _jobs(region) -> list[dict]:
    return list(
        Employment.objects.filter(organization__region=region)
        .values(
            "id", "person_id", "organization_id", "organization__kind",
            "organization__municipality_id", "position_id", "position__name",
            "position__is_pedagogical", "teaching_load", "is_part_time", "experience_start",
            "hire_date", "person__birth_date", "person__education_level",
        )
        .order_by("id")
    )  # fmt: skip


def _taught(region) -> dict:
    taught = defaultdict(list)
    rows = Employment.subjects.through.objects.filter(
        employment__organization__region=region
    ).values_list("employment_id", "subject_id")
    for employment_id, subject_id in rows.order_by("employment_id", "subject_id"):
        taught[employment_id].append(subject_id)
    return taught


# -- schedules and vacancies ---------------------------------------------------------------------
def _rate(job) -> Decimal:
    if job["position__name"] == TEACHER and job["teaching_load"]:
        return max(_quarter(Decimal(job["teaching_load"]) / TEACHER_HOURS), QUARTER)
    return Decimal("0.5") if job["is_part_time"] else Decimal(1)


def _schedules(rng, jobs, taught, organizations, year, today):
    filled = defaultdict(Decimal)  # (organization, position, subject) -> rates
    for job in jobs:
        subjects = taught.get(job["id"]) or [None]
        rate = _rate(job)
        share = _quarter(rate / len(subjects)) or QUARTER
        for subject in subjects:
            filled[(job["organization_id"], job["position_id"], subject)] += share
    schedules = {
        org_id: StaffSchedule(
            organization_id=org_id, year=year, approved_on=date(year, 8, 30), version=1
        )
        for org_id in organizations
    }
    insert(StaffSchedule, list(schedules.values()))
    rows, vacancies = [], []
    for (org_id, position_id, subject_id), rates in sorted(
        filled.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
    ):
        vacant = Decimal(0)
        if rng.random() < VACANT_SHARE:
            vacant = max(QUARTER, _quarter(rates * Decimal(str(rng.uniform(0.12, 0.38)))))
        rows.append(
            ScheduleRow(
                schedule_id=schedules[org_id].pk, position_id=position_id, subject_id=subject_id,
                rates=rates + vacant, filled=rates,
            )
        )  # fmt: skip
        kind = organizations[org_id]
        if vacant >= Decimal("0.5") and kind == OrganizationKind.GENERAL and rng.random() < 0.8:
            opened = today - timedelta(days=rng.randint(3, 120))
            vacancies.append(
                Vacancy(
                    organization_id=org_id, position_id=position_id, subject_id=subject_id,
                    rates=vacant, load_hours=_quarter(vacant * TEACHER_HOURS) or None,
                    requirements=rng.choice(REQUIREMENTS), conditions=rng.choice(CONDITIONS),
                    published=rng.random() < PUBLISHED_SHARE, opened_on=opened, version=1,
                )
            )  # fmt: skip
    insert(ScheduleRow, rows)
    insert(Vacancy, vacancies)
    return len(schedules), rows, vacancies


# -- diplomas --------------------------------------------------------------------------------------
def _specialties():
    covers = defaultdict(set)
    for specialty_id, subject_id in Specialty.subjects.through.objects.values_list(
        "specialty_id", "subject_id"
    ):
        covers[specialty_id].add(subject_id)
    by_name = dict(Specialty.objects.values_list("name", "pk"))
    pedagogical = dict(Specialty.objects.values_list("pk", "is_pedagogical"))
    return covers, by_name, pedagogical


def _diplomas(rng, jobs, taught, today):
    covers, by_name, pedagogical = _specialties()
    if not by_name:
        return [], 0
    ordered = sorted(covers)
    others = [by_name[n] for n in NOT_PEDAGOGICAL if n in by_name]
    main = {}
    for job in jobs:  # a person's main job: not part-time first
        if not job["position__is_pedagogical"]:
            continue
        known = main.get(job["person_id"])
        if known is None or (known["is_part_time"] and not job["is_part_time"]):
            main[job["person_id"]] = job
    diplomas, outside = [], 0
    for person_id in sorted(main):
        job = main[person_id]
        if rng.random() >= DIPLOMA_SHARE:
            continue
        subjects = set(taught.get(job["id"]) or ())
        if job["position__name"] == TEACHER and subjects:
            fitting = [s for s in ordered if subjects <= covers[s]]
            partial = [s for s in ordered if subjects & covers[s]]
            if rng.random() < OUTSIDE_SHARE:
                outside += 1
                choices = [s for s in partial if not subjects <= covers[s]] or others or ordered
            else:
                choices = fitting or partial or ordered
            specialty = rng.choice(choices)
        else:
            name = POSITION_SPECIALTY.get(job["position__name"], DEFAULT_SPECIALTY)
            specialty = by_name.get(name) or rng.choice(ordered)
        vocational = job["person__education_level"] == "vocational"
        started = job["experience_start"] or today
        year = min(started.year, today.year)
        year = max(year, job["person__birth_date"].year + (19 if vocational else 22))
        year = min(year, today.year)
        diplomas.append(
            Diploma(
                person_id=person_id,
                level=DiplomaLevel.VOCATIONAL if vocational else DiplomaLevel.HIGHER,
                institution=rng.choice(COLLEGES if vocational else UNIVERSITIES),
                year=year, specialty_id=specialty,
                qualification="учитель" if job["position__name"] == TEACHER else "педагог",
                is_pedagogical=pedagogical[specialty], version=1,
            )
        )  # fmt: skip
    insert(Diploma, diplomas)
    return diplomas, outside


# -- target training and classes -------------------------------------------------------------------
def _student(rng, today) -> str:
    female = rng.random() < 0.75
    surname = rng.choice(SURNAMES)
    surname = feminine_surname(surname) if female else surname
    return f"{surname} {rng.choice(first_names(female, today.year - 19))}"


def _contracts(rng, jobs, municipalities, today):
    pedagogical = list(
        Specialty.objects.filter(is_pedagogical=True).order_by("pk").values_list("pk", flat=True)
    )
    young = defaultdict(list)  # municipality -> recently hired teachers' jobs
    for job in jobs:
        hired = job["hire_date"]
        if job["position__name"] == TEACHER and hired and (today - hired).days < 3 * 365:
            young[job["organization__municipality_id"]].append(job)
    schools = defaultdict(list)
    for job in jobs:
        if job["organization__kind"] == OrganizationKind.GENERAL:
            schools[job["organization__municipality_id"]].append(job["organization_id"])
    contracts, states = [], list(ContractStatus)
    used = set()
    for index in range(CONTRACTS):
        municipality = municipalities[index % len(municipalities)]
        organizations = sorted(set(schools.get(municipality, ())))
        state = states[index % len(states)] if index % 5 else ContractStatus.STUDYING
        signed = today - timedelta(days=rng.randint(60, 5 * 365))
        ends = signed + timedelta(days=4 * 365)
        contract = TargetContract(
            municipality_id=municipality,
            organization_id=rng.choice(organizations) if organizations else None,
            number=f"ЦО-{today.year}-{index + 1:03d}",
            student_name=_student(rng, today),
            institution=rng.choice(UNIVERSITIES + COLLEGES),
            specialty_id=rng.choice(pedagogical) if pedagogical else None,
            signed_on=signed, study_ends_on=ends, status=ContractStatus.STUDYING, version=1,
        )  # fmt: skip
        if state != ContractStatus.STUDYING:
            contract.study_ends_on = min(ends, today - timedelta(days=rng.randint(30, 700)))
            contract.signed_on = contract.study_ends_on - timedelta(days=4 * 365)
            contract.graduated_on = contract.study_ends_on
            contract.status = state
        if state == ContractStatus.EMPLOYED:
            free = [j for j in young.get(municipality, ()) if j["id"] not in used]
            if free:
                job = rng.choice(free)
                used.add(job["id"])
                contract.person_id, contract.employment_id = job["person_id"], job["id"]
                contract.organization_id = job["organization_id"]
                contract.employed_on = job["hire_date"]
                contract.graduated_on = min(contract.graduated_on, job["hire_date"])
            else:
                contract.status = ContractStatus.GRADUATED
        contract.search_text = search_key(
            contract.number, contract.student_name, contract.institution
        )
        contracts.append(contract)
    insert(TargetContract, contracts)
    return contracts


def _classes(rng, organizations, year):
    classes = []
    for org_id, kind in sorted(organizations.items()):
        if kind != OrganizationKind.GENERAL or rng.random() >= CLASS_SHARE:
            continue
        for grade in (10, 11)[: rng.randint(1, 2)]:
            classes.append(
                PedagogicalClass(
                    organization_id=org_id, year=year, grade=grade,
                    profile=rng.choice(list(ClassProfile)), pupils=rng.randint(8, 25),
                    partner=rng.choice(UNIVERSITIES + COLLEGES), version=1,
                )
            )  # fmt: skip
    insert(PedagogicalClass, classes)
    return classes


def generate(region, *, seed, today) -> str:
    rng = random.Random(seed + 88)
    organizations = dict(
        Organization.objects.filter(region=region).order_by("pk").values_list("pk", "kind")
    )
    if not organizations:
        return ""
    jobs = _jobs(region)
    taught = _taught(region)
    year = school_year_of(today)
    schedules, rows, vacancies = _schedules(rng, jobs, taught, organizations, year, today)
    diplomas, outside = _diplomas(rng, jobs, taught, today)
    municipalities = sorted({j["organization__municipality_id"] for j in jobs})
    contracts = _contracts(rng, jobs, municipalities, today) if municipalities else []
    classes = _classes(rng, organizations, year)
    rates = sum((r.rates for r in rows), Decimal(0))
    vacant = sum((r.rates - r.filled for r in rows), Decimal(0))
    share = f"{100 * vacant / rates:.1f}".replace(".", ",") if rates else "0"
    return (
        f"Кадры: штатных расписаний {schedules} (вакантно {share} % ставок), вакансий "
        f"{len(vacancies)}, дипломов {len(diplomas)} (не по профилю — {outside}), целевых "
        f"договоров {len(contracts)}, педагогических классов {len(classes)}"
    )
