"""A synthetic, plausible region: territories, organizations, people, employments, demo accounts.

Everything is drawn from one `random.Random(seed)` in a fixed order and all dates are relative to
`today`, so the same seed on the same `today` yields the same data. The whole region is planned in
memory first and then written with bulk inserts (bulk_create bypasses `save()`, so the derived
fields are filled here).
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from nms.common.identifiers import inn_with_checksum, snils_with_checksum
from nms.demo import names, rosters
from nms.demo.accounts import DemoPeople, create_demo_accounts
from nms.demo.bulk import insert, insert_rows
from nms.demo.rosters import Slot
from nms.registry.models import (
    Category,
    EducationLevel,
    Employment,
    ManagerKind,
    Municipality,
    Organization,
    Person,
    Position,
    Region,
    Sex,
    Subject,
    experience_cutoff,
    experience_start,
    years_ago,
    young_birth_cutoff,
)
from nms.registry.models import OrganizationKind as Kind
from nms.registry.selectors import young_teacher_q

DEFAULT_REGION_NAME = "Демонстрационная область"
MAX_MUNICIPALITIES = 60
CITY_SHARE = 0.3  # городские округа among the municipalities
LOW_RESULTS_SHARE = 0.065  # ШНОР among the schools
PART_TIME_SHARE = 0.10
EMAIL_SHARE = 0.85
CHANGE_REASON = "создано генератором демонстрационного региона"

# (short form, full form, weight) of the founders' legal forms
SCHOOL_FORMS = (
    ("МБОУ", "Муниципальное бюджетное общеобразовательное учреждение", 80),
    ("МАОУ", "Муниципальное автономное общеобразовательное учреждение", 12),
    ("МКОУ", "Муниципальное казённое общеобразовательное учреждение", 8),
)
PRESCHOOL_FORMS = (
    ("МБДОУ", "Муниципальное бюджетное дошкольное образовательное учреждение", 80),
    ("МАДОУ", "Муниципальное автономное дошкольное образовательное учреждение", 12),
    ("МКДОУ", "Муниципальное казённое дошкольное образовательное учреждение", 8),
)
ADDITIONAL_FORMS = (
    ("МБУ ДО", "Муниципальное бюджетное учреждение дополнительного образования", 85),
    ("МАУ ДО", "Муниципальное автономное учреждение дополнительного образования", 15),
)
VOCATIONAL_FORMS = (
    ("ГБПОУ", "Государственное бюджетное профессиональное образовательное учреждение", 80),
    ("ГАПОУ", "Государственное автономное профессиональное образовательное учреждение", 20),
)
# (name with the number, staff weight range, chance) of town schools
TOWN_SCHOOLS = (
    ("Средняя общеобразовательная школа № {}", (45, 90), 70),
    ("Гимназия № {}", (55, 90), 10),
    ("Лицей № {}", (55, 90), 8),
    (
        "Средняя общеобразовательная школа № {} с углублённым изучением отдельных предметов",
        (50, 90),
        5,
    ),
    ("Основная общеобразовательная школа № {}", (15, 30), 4),
    ("Центр образования № {}", (40, 70), 3),
)
SELECTIVE_SCHOOL_WORDS = ("Гимназия", "Лицей", "углублённым")  # never ШНОР unless nothing else
# (kind of village school, staff weight range, chance)
VILLAGE_SCHOOLS = (("средняя", (18, 40), 60), ("основная", (10, 18), 32), ("начальная", (6, 9), 8))
KINDERGARTENS = (
    ("Детский сад № {} „{}“", 80),
    ("Детский сад комбинированного вида № {} „{}“", 12),
    ("Центр развития ребёнка — детский сад № {} „{}“", 8),
)
METHODICAL_SERVICES = (
    "Информационно-методический центр",
    "Методический центр",
    "Центр развития образования",
)
AUTHORITIES = ("Управление образования", "Отдел образования", "Комитет по образованию")


class GenerationError(Exception):
    """The region cannot be generated as asked; the message says why, in Russian."""


@dataclass
class Summary:
    region: Region
    seed: int
    today: date
    municipalities: int
    organizations: Counter
    people: int
    employments: int
    part_time: int
    young_teachers: int
    low_results: int
    unfavourable: int
    accounts: list[str]
    seconds: float

    def as_text(self) -> str:
        kinds = ", ".join(
            f"{label} — {_n(self.organizations[kind])}"
            for kind, label in Kind.choices
            if self.organizations[kind]
        )
        accounts = ", ".join(self.accounts) or "не созданы (логины уже заняты)"
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        return "\n".join(
            (
                f"Создан регион «{self.region}» (зерно {self.seed}, дата {self.today:%d.%m.%Y}) "
                f"за {seconds} с.",
                f"  муниципальных образований: {_n(self.municipalities)}",
                f"  организаций: {_n(sum(self.organizations.values()))} ({kinds})",
                f"  из них ШНОР: {_n(self.low_results)}, "
                f"в неблагоприятных социальных условиях: {_n(self.unfavourable)}",
                f"  работников: {_n(self.people)}, мест работы: {_n(self.employments)}, "
                f"совместителей: {_n(self.part_time)}",
                f"  молодых педагогов: {_n(self.young_teachers)}",
                f"  учётные записи: {accounts}",
            )
        )


def check_sizes(*, municipalities: int = 13, organizations: int = 300, people: int = 11500) -> None:
    """Refuse, before anything is written, sizes that cannot make a region: every municipality
    has its authority, methodical service and a school, the region its institute, and every
    organization the smallest staff its roster makes sense with."""
    if not 1 <= municipalities <= MAX_MUNICIPALITIES:
        raise GenerationError(
            f"Число муниципальных образований должно быть от 1 до {MAX_MUNICIPALITIES}."
        )
    fixed = 1 + 2 * municipalities
    if organizations < fixed + municipalities:
        raise GenerationError(
            f"Слишком мало организаций: для {_n(municipalities)} муниципальных образований "
            f"нужно не меньше {_n(fixed + municipalities)} (институт развития образования, "
            "в каждом муниципалитете орган управления образованием, методическая служба и школа)."
        )
    counts = _kind_counts(organizations - fixed, municipalities)
    minimum = (
        rosters.MIN_STAFF[Kind.INSTITUTE]
        + municipalities
        * (rosters.MIN_STAFF[Kind.AUTHORITY] + rosters.MIN_STAFF[Kind.METHODICAL_SERVICE])
        + sum(rosters.MIN_STAFF[kind] * count for kind, count in counts.items())
    )
    if people < minimum:
        raise GenerationError(
            f"Слишком мало работников: для {_n(organizations)} организаций "
            f"нужно не меньше {_n(minimum)}."
        )


def _kind_counts(free: int, municipalities: int) -> dict[str, int]:
    """How many organizations of each freely placed kind, a school in every municipality."""
    kinds = list(rosters.KIND_SHARES)
    counts = dict(zip(kinds, _split(free, list(rosters.KIND_SHARES.values())), strict=True))
    while counts[Kind.GENERAL] < municipalities:  # a school in every municipality
        counts[max(kinds[1:], key=counts.get)] -= 1
        counts[Kind.GENERAL] += 1
    return counts


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def generate_region(
    *,
    municipalities: int = 13,
    organizations: int = 300,
    people: int = 11500,
    seed: int = 1,
    region_name: str = DEFAULT_REGION_NAME,
    today: date | None = None,
) -> Summary:
    """Generate a region with its demo accounts in one transaction."""
    today = today or date.today()
    check_sizes(municipalities=municipalities, organizations=organizations, people=people)
    if Region.objects.filter(name=region_name).exists():
        raise GenerationError(f"Регион «{region_name}» уже существует; задайте другое название.")
    started = time.perf_counter()
    with transaction.atomic():
        region = Region.objects.create(name=region_name)
        builder = _Builder(region, random.Random(seed), today)
        builder.plan(municipalities, organizations, people)
        demo = builder.pick_demo_people()
        builder.save()
        accounts = create_demo_accounts(region, demo)
    region_people = Person.objects.filter(region=region)
    orgs = [o.obj for o in builder.orgs]
    return Summary(
        region=region,
        seed=seed,
        today=today,
        municipalities=len(builder.municipalities),
        organizations=Counter(o.kind for o in orgs),
        people=len(builder.people),
        employments=len(builder.jobs),
        part_time=sum(j.part_time for j in builder.jobs),
        young_teachers=region_people.filter(young_teacher_q(today)).count(),
        low_results=sum(o.is_low_results for o in orgs),
        unfavourable=sum(o.is_unfavourable for o in orgs),
        accounts=accounts,
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Municipality:
    obj: Municipality
    is_city: bool  # городской округ, else муниципальный район
    adjective: str  # masculine: «Светлогорский», «Заречный»
    genitive: str  # in short names: «г. Светлогорска», «Заречного района»
    genitive_full: str  # in full names: «городского округа город Светлогорск»
    weight: float  # relative size
    inspection: int  # the tax inspection's two digits in ИНН
    villages: list[str] = field(default_factory=list)  # not yet used by a school
    school_villages: list[str] = field(default_factory=list)
    numbers: Counter = field(default_factory=Counter)  # numbers given (or names used), by key

    def next_number(self, key: str, rng: random.Random) -> int:
        """Numbers of schools (or kindergartens) in a town, with the odd gap of a closed one."""
        self.numbers[key] += 1 if rng.random() < 0.85 else 2
        return self.numbers[key]


@dataclass
class _Org:
    obj: Organization
    municipality: _Municipality
    weight: float  # relative staff size
    size: int = 0

    @property
    def kind(self) -> str:
        return self.obj.kind


@dataclass
class _Job:
    person: Person
    org: _Org
    slot: Slot
    experience: Decimal
    category: str = Category.NONE
    category_date: date | None = None
    hire_date: date | None = None
    part_time: bool = False


class _Builder:
    def __init__(self, region: Region, rng: random.Random, today: date):
        self.region = region
        self.rng = rng
        self.today = today
        self.positions = {p.name: p for p in Position.objects.all()}
        self.subjects = {s.name: s for s in Subject.objects.all()}
        self.municipalities: list[_Municipality] = []
        self.orgs: list[_Org] = []
        self.people: list[Person] = []
        self.jobs: list[_Job] = []
        self.jobs_of: dict[int, list[_Job]] = defaultdict(list)  # by id() of an unsaved Person
        self.snils_taken = set(Person.objects.values_list("snils", flat=True))

    # -- territories -------------------------------------------------------------------------------
    def plan(self, municipalities: int, organizations: int, people: int) -> None:
        self._municipalities(municipalities)
        self._organizations(organizations)
        self._staff_sizes(people)
        for org in self.orgs:
            for slot in rosters.roster(self.rng, org.kind, org.size):
                self._hire(self._person(slot, org.kind), org, slot)
        self._part_time()
        self._flag_schools()

    def _municipalities(self, count: int) -> None:
        rng = self.rng
        cities = max(1, round(count * CITY_SHARE))
        prefix = self._oktmo_prefix()
        city_codes = [1, *sorted(rng.sample(range(2, 100), cities - 1))]
        district_codes = sorted(rng.sample(range(1, 100), count - cities))
        inspections = rng.sample(range(1, 100), count)
        for i, (town, code) in enumerate(
            zip(rng.sample(names.CITIES, cities), city_codes, strict=True)
        ):
            municipality = Municipality(
                region=self.region,
                name=f"Городской округ город {town}",
                oktmo=f"{prefix}7{code:02d}000",
            )
            weight = 5.0 if i == 0 else rng.uniform(1.5, 2.5)
            self.municipalities.append(
                _Municipality(
                    municipality,
                    True,
                    f"{town}ий",
                    f"г. {town}а",
                    f"городского округа город {town}",
                    weight,
                    inspections[i],
                )
            )
        districts = rng.sample(names.DISTRICTS, count - cities)
        for i, (adjective, code) in enumerate(
            zip(districts, district_codes, strict=True), start=cities
        ):
            municipality = Municipality(
                region=self.region,
                name=f"{adjective} муниципальный район",
                oktmo=f"{prefix}6{code:02d}000",
            )
            genitive = names.genitive_adjective(adjective)
            self.municipalities.append(
                _Municipality(
                    municipality,
                    False,
                    adjective,
                    f"{genitive} района",
                    f"{genitive} муниципального района",
                    rng.uniform(0.7, 1.4),
                    inspections[i],
                    villages=rng.sample(names.VILLAGES, len(names.VILLAGES)),
                )
            )
        Municipality.objects.bulk_create([m.obj for m in self.municipalities])

    def _oktmo_prefix(self) -> str:
        """Two leading digits of ОКТМО (and ИНН) used by no municipality yet."""
        taken = {code[:2] for code in Municipality.objects.values_list("oktmo", flat=True)}
        free = [f"{n:02d}" for n in range(10, 100) if f"{n:02d}" not in taken]
        if not free:
            raise GenerationError("Нет свободного кода региона для ОКТМО.")
        return self.rng.choice(free)

    # -- organizations -----------------------------------------------------------------------------
    def _organizations(self, total: int) -> None:
        rng, municipalities = self.rng, self.municipalities
        fixed = 1 + 2 * len(municipalities)
        kinds = list(rosters.KIND_SHARES)
        counts = _kind_counts(total - fixed, len(municipalities))
        placed = defaultdict(list)  # municipality index → kinds
        placed[0].append(Kind.INSTITUTE)
        for i in range(len(municipalities)):
            placed[i] += [Kind.AUTHORITY, Kind.METHODICAL_SERVICE]
        for kind in kinds:
            weights = [
                m.weight * (3 if kind == Kind.VOCATIONAL and m.is_city else 1)
                for m in municipalities
            ]
            everywhere = counts[kind] >= len(municipalities) and kind != Kind.VOCATIONAL
            indexes = list(range(len(municipalities))) if everywhere else []
            indexes += rng.choices(
                range(len(municipalities)), weights, k=counts[kind] - len(indexes)
            )
            for i in indexes:
                placed[i].append(kind)
        existing_inns = set(Organization.objects.values_list("inn", flat=True))
        order = list(Kind)
        for i, municipality in enumerate(municipalities):
            for kind in sorted(placed[i], key=order.index):
                short, full, weight = self._name(municipality, kind)
                org = Organization(
                    region=self.region,
                    municipality=municipality.obj,
                    short_name=short,
                    full_name=full,
                    kind=kind,
                    inn=self._inn(municipality, existing_inns),
                )
                self.orgs.append(_Org(org, municipality, weight))

    def _inn(self, municipality: _Municipality, taken: set[str]) -> str:
        prefix = f"{municipality.obj.oktmo[:2]}{municipality.inspection:02d}"
        while True:
            inn = inn_with_checksum(f"{prefix}{self.rng.randrange(100_000):05d}")
            if inn not in taken:
                taken.add(inn)
                return inn

    def _name(self, m: _Municipality, kind: str) -> tuple[str, str, float]:
        """(short name, full name, staff weight) of a new organization of `kind` in `m`."""
        rng = self.rng
        if kind == Kind.GENERAL:
            return self._school_name(m)
        if kind == Kind.PRESCHOOL:
            return self._kindergarten_name(m)
        if kind == Kind.ADDITIONAL:
            # a district's first one stands in its centre, the others are small village ones
            small = not m.is_city and m.numbers["additional"] > 0
            m.numbers["additional"] += 1
            name = _numbered_if_repeated(m, rng.choice(names.ADDITIONAL_EDUCATION_NAMES))
            short_form, full_form = _form(rng, ADDITIONAL_FORMS)
            weight = rng.uniform(*((6, 15) if small else (15, 45)))
            return f"{short_form} «{name}»", f"{full_form} «{name}»", weight
        if kind == Kind.VOCATIONAL:
            free = [t for t in names.VOCATIONAL_NAMES if not m.numbers[t.format(m.adjective)]]
            name = rng.choice(free or names.VOCATIONAL_NAMES).format(m.adjective)
            name = _numbered_if_repeated(m, name)
            short_form, full_form = _form(rng, VOCATIONAL_FORMS)
            return f"{short_form} «{name}»", f"{full_form} «{name}»", rng.uniform(40, 80)
        if kind == Kind.INSTITUTE:
            name = "Институт развития образования и повышения квалификации"
            return (
                "ГАОУ ДПО «ИРОиПК» (ЦНППМ)",
                f"Государственное автономное образовательное учреждение дополнительного "
                f"профессионального образования «{name}»",
                rng.uniform(60, 90),
            )
        if kind == Kind.METHODICAL_SERVICE:
            name = rng.choice(METHODICAL_SERVICES)
            return (
                f"МКУ «{name}» {m.genitive}",
                f"Муниципальное казённое учреждение «{name}» {m.genitive_full}",
                rng.uniform(5, 12),
            )
        name = rng.choice(AUTHORITIES)
        return f"{name} {m.genitive}", f"{name} администрации {m.genitive_full}", rng.uniform(3, 8)

    def _school_name(self, m: _Municipality) -> tuple[str, str, float]:
        rng = self.rng
        short_form, full_form = _form(rng, SCHOOL_FORMS)
        # In a district the first school stands in its centre, most others in villages.
        if not m.is_city and m.numbers["school"] > 0 and m.villages and rng.random() < 0.85:
            village = m.villages.pop()
            m.school_villages.append(village)
            level, sizes, _ = _weighted(rng, VILLAGE_SCHOOLS)
            name = f"{names.feminine_adjective(village)} {level} общеобразовательная школа"
        else:
            template, sizes, _ = _weighted(rng, TOWN_SCHOOLS)
            key = template.split(" №")[0]
            name = template.format(
                m.next_number(key if key in ("Гимназия", "Лицей") else "school", rng)
            )
        return f"{short_form} «{name}»", f"{full_form} «{name}»", rng.uniform(*sizes)

    def _kindergarten_name(self, m: _Municipality) -> tuple[str, str, float]:
        rng = self.rng
        short_form, full_form = _form(rng, PRESCHOOL_FORMS)
        if m.school_villages and rng.random() < 0.8:
            village = rng.choice(m.school_villages)
            for _ in range(10):
                name = f"{village} детский сад „{rng.choice(names.KINDERGARTEN_NAMES)}“"
                if not m.numbers[name]:
                    m.numbers[name] += 1
                    return f"{short_form} «{name}»", f"{full_form} «{name}»", rng.uniform(6, 14)
        template, _ = _weighted(rng, KINDERGARTENS)
        name = template.format(
            m.next_number("kindergarten", rng), rng.choice(names.KINDERGARTEN_NAMES)
        )
        return f"{short_form} «{name}»", f"{full_form} «{name}»", rng.uniform(18, 35)

    def _flag_schools(self) -> None:
        """ШНОР: a few schools, one in the region centre; bad social conditions: mostly rural."""
        rng = self.rng
        schools = [o for o in self.orgs if o.kind == Kind.GENERAL]
        candidates = [
            o for o in schools if not any(w in o.obj.short_name for w in SELECTIVE_SCHOOL_WORDS)
        ]
        centre = self.municipalities[0]
        in_centre = [o for o in candidates if o.municipality is centre] or [
            o for o in schools if o.municipality is centre
        ]
        low = [rng.choice(in_centre)]
        others = [o for o in candidates if o is not low[0]]
        weights = [1 if o.municipality.is_city else 3 for o in others]
        while len(low) < max(1, round(len(schools) * LOW_RESULTS_SHARE)) and others:
            pick = rng.choices(range(len(others)), weights)[0]
            low.append(others.pop(pick))
            weights.pop(pick)
        for school in low:
            school.obj.is_low_results = True
        for school in schools:
            chance = (
                0.7 if school.obj.is_low_results else 0.05 if school.municipality.is_city else 0.18
            )
            school.obj.is_unfavourable = rng.random() < chance

    # -- people ------------------------------------------------------------------------------------
    def _staff_sizes(self, people: int) -> None:
        minimum = sum(rosters.MIN_STAFF[o.kind] for o in self.orgs)
        if people < minimum:
            raise GenerationError(
                f"Слишком мало работников: для {len(self.orgs)} организаций "
                f"нужно не меньше {minimum}."
            )
        extra = _split(
            people - minimum, [max(o.weight - rosters.MIN_STAFF[o.kind], 0.1) for o in self.orgs]
        )
        for org, more in zip(self.orgs, extra, strict=True):
            org.size = rosters.MIN_STAFF[org.kind] + more

    def _person(self, slot: Slot, kind: str) -> Person:
        rng, today = self.rng, self.today
        female = rng.random() < rosters.female_share(slot)
        birth_date = years_ago(today, rosters.age(rng, slot)) - timedelta(days=rng.randint(0, 364))
        surname = rng.choice(names.SURNAMES)
        level, pedagogical = rosters.education(rng, slot, kind)
        person = Person(
            region=self.region,
            last_name=names.feminine_surname(surname) if female else surname,
            first_name=rng.choice(names.first_names(female, birth_date.year)),
            middle_name=rng.choice(names.PATRONYMICS)[female],
            birth_date=birth_date,
            sex=Sex.FEMALE if female else Sex.MALE,
            snils=self._snils(),
            education_level=level,
            has_pedagogical_education=pedagogical,
        )
        self.people.append(person)
        return person

    def _snils(self) -> str:
        while True:
            snils = snils_with_checksum(f"{self.rng.randrange(2_000_000, 999_999_999):09d}")
            if snils not in self.snils_taken:
                self.snils_taken.add(snils)
                return snils

    def _hire(self, person: Person, org: _Org, slot: Slot) -> None:
        rng, today = self.rng, self.today
        exact_age = (today - person.birth_date).days / 365.25
        years = rosters.experience(rng, exact_age, slot, person.sex == Sex.FEMALE)
        job = _Job(person, org, slot, Decimal(f"{years:.1f}"))
        self._attest(job)
        job.hire_date = today - timedelta(days=int(years * 365.25 * rng.uniform(0.15, 1)))
        self.jobs.append(job)
        self.jobs_of[id(person)].append(job)

    def _attest(self, job: _Job) -> None:
        rng = self.rng
        pedagogical = self.positions[job.slot.position].is_pedagogical
        job.category = rosters.category(rng, float(job.experience), pedagogical)
        job.category_date = None
        if job.category != Category.NONE:
            # valid for five years, given no earlier than two years into the career
            latest = min(5 * 365 - 1, int((float(job.experience) - 2) * 365))
            job.category_date = self.today - timedelta(days=rng.randint(min(30, latest), latest))

    def _part_time(self) -> None:
        """About a tenth of the people also work part-time in another organization nearby."""
        rng = self.rng
        by_place = defaultdict(list)
        for org in self.orgs:
            by_place[org.municipality.obj.oktmo, org.kind].append(org)
        eligible = [
            j
            for j in self.jobs
            if j.slot.position in rosters.PART_TIME_KINDS and not j.slot.manager_kind
        ]
        wanted = round(len(self.people) * PART_TIME_SHARE)
        for main in rng.sample(eligible, len(eligible)):
            if wanted == 0:
                break
            places = [
                org
                for kind in rosters.PART_TIME_KINDS[main.slot.position]
                for org in by_place[main.org.municipality.obj.oktmo, kind]
                if org is not main.org
            ]
            if not places:
                continue
            org = rng.choice(places)
            slot = rosters.part_time_slot(rng, main.slot, org.kind)
            same_post = slot.position == main.slot.position
            job = _Job(
                main.person,
                org,
                slot,
                main.experience,
                category=main.category if same_post else Category.NONE,
                category_date=main.category_date if same_post else None,
                hire_date=self.today
                - timedelta(days=int(float(main.experience) * 365.25 * rng.uniform(0, 0.5))),
                part_time=True,
            )
            self.jobs.append(job)
            self.jobs_of[id(main.person)].append(job)
            wanted -= 1

    # -- demo accounts -----------------------------------------------------------------------------
    def _is_young(self, person: Person) -> bool:
        """The registry's rule (see Person.is_young_teacher) applied before anything is saved."""
        today = self.today
        first_start = min(experience_start(j.experience, today) for j in self.jobs_of[id(person)])
        return person.birth_date > young_birth_cutoff(today) and first_start >= experience_cutoff(
            today, 3
        )

    def pick_demo_people(self) -> DemoPeople:
        """Whom the demo accounts stand for. The demo teacher gets an ё surname and, if the
        school has no young teacher, a young teacher's profile: both are what the demo shows."""
        rng = self.rng
        centre = self.municipalities[0]
        school = next(o for o in self.orgs if o.municipality is centre and o.obj.is_low_results)
        staff = [j for j in self.jobs if j.org is school and not j.part_time]
        teachers = [j for j in staff if j.slot.position == rosters.TEACHER]
        head = next(j.person for j in staff if j.slot.manager_kind == ManagerKind.HEAD)
        teacher = max(teachers, key=lambda j: (self._is_young(j.person), "ё" in j.person.last_name))
        if not self._is_young(teacher.person):
            self._make_young(teacher)
        if "ё" not in teacher.person.last_name:
            surname = rng.choice([s for s in names.SURNAMES if "ё" in s])
            female = teacher.person.sex == Sex.FEMALE
            teacher.person.last_name = names.feminine_surname(surname) if female else surname
        used = [teacher.person, head]

        def pick(jobs: list[_Job], *fallbacks: list[_Job]) -> Person:
            for candidates in (jobs, *fallbacks):
                free = [j.person for j in candidates if all(j.person is not p for p in used)]
                if free:
                    used.append(rng.choice(free))
                    return used[-1]
            raise GenerationError(
                "Не удалось подобрать работников для демонстрационных учётных записей."
            )

        main_jobs = [j for j in self.jobs if not j.part_time]
        all_teachers = [j for j in main_jobs if j.slot.position == rosters.TEACHER]
        experts = [
            j
            for j in all_teachers
            if j.category == Category.HIGHEST
            and j.experience >= 5
            and j.person.education_level != EducationLevel.VOCATIONAL
            and j.person.has_pedagogical_education
        ]
        second = self.municipalities[min(1, len(self.municipalities) - 1)]
        methodist = pick(
            [j for j in experts if j.org.municipality is centre and j.org is not school],
            experts,
            all_teachers,
        )
        expert = pick([j for j in experts if j.org.municipality is second], experts, all_teachers)
        institute = [j for j in main_jobs if j.org.kind == Kind.INSTITUTE]
        cnppm = pick(
            [j for j in institute if j.slot.manager_kind == ManagerKind.UNIT_HEAD], institute
        )
        service = [
            j
            for j in main_jobs
            if j.org.kind == Kind.METHODICAL_SERVICE and j.org.municipality is centre
        ]
        municipal = pick([j for j in service if not j.slot.manager_kind], service)
        # The methodist accompanies teachers and managers of the first one or two municipalities.
        nearby = {id(m) for m in self.municipalities[:2]}
        caseload = [
            j.person
            for j in main_jobs
            if id(j.org.municipality) in nearby
            and j.org.kind in (Kind.GENERAL, Kind.PRESCHOOL, Kind.ADDITIONAL)
            and j.person is not methodist
            and j.person is not teacher.person
        ]
        assigned = [
            teacher.person,
            *rng.sample(caseload, min(rng.randint(120, 220), len(caseload))),
        ]
        return DemoPeople(
            centre=centre.obj,
            cnppm=cnppm,
            methodist=methodist,
            assigned=assigned,
            municipal=municipal,
            school=school.obj,
            school_head=head,
            teacher=teacher.person,
            expert=expert,
        )

    def _make_young(self, job: _Job) -> None:
        rng, today, person = self.rng, self.today, job.person
        person.birth_date = years_ago(today, rng.randint(23, 30)) - timedelta(
            days=rng.randint(0, 364)
        )
        person.first_name = rng.choice(names.first_names(person.sex == Sex.FEMALE, 2000))
        for each in self.jobs_of[id(person)]:
            each.experience = Decimal(f"{rng.uniform(0.5, 2.8):.1f}")
            each.category, each.category_date = Category.NONE, None
            each.hire_date = today - timedelta(days=int(float(each.experience) * 365.25))

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        emails = set()
        for person in self.people:
            if self.rng.random() < EMAIL_SHARE:
                person.email = _email(person, emails)
            person.search_text = person.compute_search_text()
        for org in self.orgs:
            org.obj.search_text = org.obj.compute_search_text()
        insert(Organization, [o.obj for o in self.orgs], history_reason=CHANGE_REASON)
        insert(Person, self.people, history_reason=CHANGE_REASON)
        employments = []
        for job in self.jobs:
            employment = Employment(
                person=job.person,
                organization=job.org.obj,
                position=self.positions[job.slot.position],
                manager_kind=job.slot.manager_kind,
                teaching_load=Decimal(job.slot.load) if job.slot.load else None,
                is_part_time=job.part_time,
                category=job.category,
                category_date=job.category_date,
                experience_years=job.experience,
                experience_as_of=self.today,
                hire_date=job.hire_date,
            )
            employment.experience_start = employment.compute_experience_start()
            employments.append(employment)
        insert(Employment, employments, history_reason=CHANGE_REASON)
        insert_rows(
            Employment.subjects.through,
            [
                {"employment_id": employment.pk, "subject_id": self.subjects[name].pk}
                for employment, job in zip(employments, self.jobs, strict=True)
                for name in job.slot.subjects
            ],
        )


def _email(person: Person, taken: set[str]) -> str:
    """ivanova.ms@example.ru (a number added when taken)."""
    initials = names.latin(person.first_name)[0] + names.latin(person.middle_name)[:1]
    base = f"{names.latin(person.last_name)}.{initials}"
    email, number = f"{base}@example.ru", 1
    while email in taken:
        number += 1
        email = f"{base}{number}@example.ru"
    taken.add(email)
    return email


def _numbered_if_repeated(m: _Municipality, name: str) -> str:
    """«Дом детского творчества», then «Дом детского творчества № 2» in the same municipality."""
    m.numbers[name] += 1
    return name if m.numbers[name] == 1 else f"{name} № {m.numbers[name]}"


def _form(rng: random.Random, forms) -> tuple[str, str]:
    short, full, _ = _weighted(rng, forms)
    return short, full


def _weighted(rng: random.Random, options):
    """One of the tuples whose last item is its weight."""
    return rng.choices(options, [o[-1] for o in options])[0]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder; the parts sum to `total`)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
