"""Who works where in the demo region: staff rosters by kind of organization and the shares the
generator draws people's attributes from (sex, age, education, experience, category)."""

import random
from dataclasses import dataclass

from nms.registry.models import Category, EducationLevel, ManagerKind
from nms.registry.models import OrganizationKind as Kind

# Kinds placed freely (the institute, methodical services and authorities are fixed per territory).
KIND_SHARES = {
    Kind.GENERAL: 0.47,
    Kind.PRESCHOOL: 0.40,
    Kind.ADDITIONAL: 0.08,
    Kind.VOCATIONAL: 0.05,
}

# The smallest staff the roster of each kind makes sense with (a school: head, deputy, teachers).
MIN_STAFF = {
    Kind.GENERAL: 6,
    Kind.PRESCHOOL: 3,
    Kind.ADDITIONAL: 3,
    Kind.VOCATIONAL: 5,
    Kind.INSTITUTE: 6,
    Kind.METHODICAL_SERVICE: 2,
    Kind.AUTHORITY: 2,
}

HEAD = {
    Kind.GENERAL: "директор",
    Kind.PRESCHOOL: "заведующий",
    Kind.ADDITIONAL: "директор",
    Kind.VOCATIONAL: "директор",
    Kind.INSTITUTE: "ректор",
    Kind.METHODICAL_SERVICE: "директор",
    Kind.AUTHORITY: "начальник управления образования",
}

TEACHER = "учитель"
EDUCATOR = "воспитатель"
ADDITIONAL_TEACHER = "педагог дополнительного образования"
LECTURER = "преподаватель"
UNIT_HEAD = "руководитель структурного подразделения"

# Subject sets of school teachers with their weights (many teach two related subjects).
TEACHER_SUBJECTS = (
    (("начальные классы",), 20),
    (("начальные классы", "ОРКСЭ"), 3),
    (("русский язык", "литература"), 14),
    (("русский язык", "литература", "родной язык"), 2),
    (("математика",), 9),
    (("математика", "информатика"), 2),
    (("математика", "физика"), 2),
    (("физика",), 2),
    (("информатика",), 3),
    (("химия",), 1),
    (("химия", "биология"), 2),
    (("биология",), 2),
    (("биология", "география"), 1),
    (("география",), 2),
    (("история", "обществознание"), 6),
    (("история", "обществознание", "ОРКСЭ"), 1),
    (("английский язык",), 8),
    (("немецкий язык",), 1),
    (("английский язык", "немецкий язык"), 1),
    (("французский язык",), 0.5),
    (("физическая культура",), 6),
    (("основы безопасности и защиты Родины",), 1),
    (("физическая культура", "основы безопасности и защиты Родины"), 1),
    (("изобразительное искусство",), 1.5),
    (("музыка",), 2),
    (("труд (технология)",), 3),
    (("изобразительное искусство", "труд (технология)"), 1),
)
# General subjects taught in colleges (the rest of the lecturers teach special disciplines).
VOCATIONAL_SUBJECTS = (
    ("русский язык", "литература"),
    ("математика",),
    ("информатика",),
    ("физика",),
    ("история", "обществознание"),
    ("английский язык",),
    ("физическая культура",),
    ("основы безопасности и защиты Родины",),
    ("химия", "биология"),
)

# Share of women by position (default DEFAULT_FEMALE_SHARE) and by a teacher's subject.
DEFAULT_FEMALE_SHARE = 0.85
FEMALE_SHARE = {
    "директор": 0.72,
    "заведующий": 0.99,
    "ректор": 0.45,
    "проректор": 0.6,
    "начальник управления образования": 0.7,
    "заместитель заведующего": 0.98,
    EDUCATOR: 0.98,
    "старший воспитатель": 0.99,
    "музыкальный руководитель": 0.95,
    "инструктор по физической культуре": 0.8,
    ADDITIONAL_TEACHER: 0.72,
    LECTURER: 0.72,
    "мастер производственного обучения": 0.35,
    "преподаватель-организатор основ безопасности и защиты Родины": 0.25,
    "педагог-организатор": 0.8,
    "методист": 0.9,
    "старший методист": 0.9,
}
SUBJECT_FEMALE_SHARE = {
    "физическая культура": 0.45,
    "основы безопасности и защиты Родины": 0.25,
    "труд (технология)": 0.5,
    "информатика": 0.6,
    "физика": 0.7,
    "начальные классы": 0.97,
}

# (youngest, oldest, weight): most teachers are between 40 and 60, a tenth are past 60.
AGE_BRACKETS = (
    (22, 24, 5),
    (25, 29, 8),
    (30, 34, 9),
    (35, 39, 11),
    (40, 44, 13),
    (45, 49, 14),
    (50, 54, 14),
    (55, 59, 12),
    (60, 64, 9),
    (65, 70, 5),
)
MIN_AGE = {ManagerKind.HEAD: 30, ManagerKind.DEPUTY: 27, ManagerKind.UNIT_HEAD: 27}


@dataclass
class Slot:
    """One post on a roster: the position, whether it is a managerial one, subjects, weekly load."""

    position: str
    manager_kind: str = ""
    subjects: tuple[str, ...] = ()
    load: int | None = None


def roster(rng: random.Random, kind: str, size: int) -> list[Slot]:
    """The posts of an organization of `size` people; the head always comes first."""
    head = Slot(HEAD[kind], ManagerKind.HEAD)
    return [head, *_ROSTERS[kind](rng, size)]


def _fill(fixed: list[Slot], others: int, keep: int, make) -> list[Slot]:
    """`fixed` posts (trimmed so that at least `keep` others remain) completed by `make()`."""
    fixed = fixed[: max(others - keep, 0)]
    return fixed + [make() for _ in range(others - len(fixed))]


def _optional(rng, size, specialists) -> list[Slot]:
    return [
        Slot(p) for p, min_size, chance in specialists if size >= min_size and rng.random() < chance
    ]


def teacher(rng: random.Random) -> Slot:
    subjects = rng.choices([s for s, _ in TEACHER_SUBJECTS], [w for _, w in TEACHER_SUBJECTS])[0]
    return Slot(TEACHER, subjects=subjects, load=teaching_load(rng))


def teaching_load(rng: random.Random, mean: float = 24) -> int:
    """Weekly hours of a teacher on the main job: 18 (one rate) to 36 (two rates)."""
    return max(18, min(36, round(rng.gauss(mean, 5))))


# (position, smallest school that has it, chance)
SCHOOL_SPECIALISTS = (
    ("педагог-психолог", 15, 0.9),
    ("советник директора по воспитанию", 12, 0.8),
    ("социальный педагог", 20, 0.8),
    ("учитель-логопед", 25, 0.6),
    ("педагог-организатор", 20, 0.5),
    ("педагог-библиотекарь", 20, 0.6),
    ("преподаватель-организатор основ безопасности и защиты Родины", 25, 0.4),
    ("тьютор", 30, 0.3),
    ("учитель-дефектолог", 30, 0.3),
)


def _school(rng, size):
    if size < 12:
        deputies = 1
    elif size < 25:
        deputies = rng.randint(1, 2)
    elif size < 45:
        deputies = rng.randint(2, 3)
    else:
        deputies = rng.randint(3, 4)
    fixed = [_school_deputy(rng) for _ in range(deputies)]
    if size >= 35 and rng.random() < 0.35:
        fixed.append(Slot(UNIT_HEAD, ManagerKind.UNIT_HEAD))
    fixed += _optional(rng, size, SCHOOL_SPECIALISTS)
    return _fill(fixed, size - 1, 3, lambda: teacher(rng))


def _school_deputy(rng) -> Slot:
    """Half of the deputies also teach a few hours."""
    if rng.random() < 0.5:
        return Slot("заместитель директора", ManagerKind.DEPUTY)
    return Slot(
        "заместитель директора", ManagerKind.DEPUTY, teacher(rng).subjects, rng.randint(6, 12)
    )


def _kindergarten(rng, size):
    fixed = []
    if size >= 18:
        fixed.append(Slot("заместитель заведующего", ManagerKind.DEPUTY))
    if size >= 10:
        fixed.append(Slot("старший воспитатель"))
    if size >= 6:
        fixed.append(Slot("музыкальный руководитель", load=24))
    if size >= 25:
        fixed.append(Slot("музыкальный руководитель", load=24))
    if size >= 12:
        fixed.append(Slot("инструктор по физической культуре", load=30))
    if size >= 14 and rng.random() < 0.7:
        fixed.append(Slot("учитель-логопед", load=20))
    if size >= 16 and rng.random() < 0.6:
        fixed.append(Slot("педагог-психолог"))
    return _fill(
        fixed, size - 1, 1, lambda: Slot(EDUCATOR, subjects=("дошкольное образование",), load=36)
    )


def _additional(rng, size):
    deputies = (size >= 8) + (size >= 25)
    fixed = [Slot("заместитель директора", ManagerKind.DEPUTY) for _ in range(deputies)]
    fixed += _optional(rng, size, (("методист", 10, 1), ("педагог-организатор", 15, 0.8)))
    return _fill(fixed, size - 1, 1, lambda: additional_teacher(rng))


def additional_teacher(rng, load: int | None = None) -> Slot:
    return Slot(
        ADDITIONAL_TEACHER,
        subjects=("дополнительное образование",),
        load=load or teaching_load(rng, mean=22),
    )


def _college(rng, size):
    deputies = 1 if size < 20 else rng.randint(2, 3)
    fixed = [Slot("заместитель директора", ManagerKind.DEPUTY) for _ in range(deputies)]
    if size >= 40:
        fixed += [Slot(UNIT_HEAD, ManagerKind.UNIT_HEAD) for _ in range(rng.randint(1, 2))]
    fixed += _optional(
        rng, size, (("методист", 10, 1), ("педагог-психолог", 15, 1), ("социальный педагог", 20, 1))
    )
    fixed += [Slot("мастер производственного обучения", load=36) for _ in range(round(size * 0.15))]
    return _fill(fixed, size - 1, 1, lambda: lecturer(rng))


def lecturer(rng, load: int | None = None) -> Slot:
    subjects = rng.choice(VOCATIONAL_SUBJECTS) if rng.random() < 0.5 else ()
    return Slot(LECTURER, subjects=subjects, load=load or teaching_load(rng))


def _institute(rng, size):
    fixed = [Slot("проректор", ManagerKind.DEPUTY) for _ in range(rng.randint(2, 3))]
    fixed += [Slot(UNIT_HEAD, ManagerKind.UNIT_HEAD) for _ in range(rng.randint(3, 5))]
    staff = ("методист", "старший методист", LECTURER, "тьютор")
    return _fill(fixed, size - 1, 0, lambda: Slot(rng.choices(staff, (45, 20, 25, 10))[0]))


def _methodical_service(rng, size):
    return _fill(
        [], size - 1, 0, lambda: Slot(rng.choices(("методист", "старший методист"), (7, 3))[0])
    )


def _authority(rng, size):
    return _fill([], size - 1, 0, lambda: Slot("специалист органа управления образованием"))


_ROSTERS = {
    Kind.GENERAL: _school,
    Kind.PRESCHOOL: _kindergarten,
    Kind.ADDITIONAL: _additional,
    Kind.VOCATIONAL: _college,
    Kind.INSTITUTE: _institute,
    Kind.METHODICAL_SERVICE: _methodical_service,
    Kind.AUTHORITY: _authority,
}

# Part-time jobs: the main position → kinds of organization where it may take a second job.
PART_TIME_KINDS = {
    TEACHER: (Kind.GENERAL, Kind.ADDITIONAL, Kind.VOCATIONAL),
    LECTURER: (Kind.GENERAL, Kind.VOCATIONAL),
    ADDITIONAL_TEACHER: (Kind.GENERAL, Kind.ADDITIONAL),
    EDUCATOR: (Kind.ADDITIONAL,),
    "музыкальный руководитель": (Kind.PRESCHOOL, Kind.ADDITIONAL),
    "педагог-психолог": (Kind.GENERAL, Kind.PRESCHOOL),
    "учитель-логопед": (Kind.GENERAL, Kind.PRESCHOOL),
}


def part_time_slot(rng: random.Random, main: Slot, kind: str) -> Slot:
    """The post a person with the `main` post takes part-time in an organization of `kind`."""
    load = rng.randint(2, 9)
    if kind == Kind.ADDITIONAL:
        return additional_teacher(rng, load)
    if main.position in (TEACHER, LECTURER):
        subjects = main.subjects or teacher(rng).subjects
        return Slot(LECTURER if kind == Kind.VOCATIONAL else TEACHER, subjects=subjects, load=load)
    return Slot(main.position, subjects=main.subjects, load=load if main.load else None)


# -- people --------------------------------------------------------------------------------------
def female_share(slot: Slot) -> float:
    shares = [SUBJECT_FEMALE_SHARE[s] for s in slot.subjects if s in SUBJECT_FEMALE_SHARE]
    if slot.position == TEACHER and shares:
        return min(shares)
    return FEMALE_SHARE.get(slot.position, DEFAULT_FEMALE_SHARE)


def age(rng: random.Random, slot: Slot) -> int:
    youngest = MIN_AGE.get(slot.manager_kind, 22) + 10 * (slot.position == "ректор")
    brackets = [(max(lo, youngest), hi, w) for lo, hi, w in AGE_BRACKETS if hi >= youngest]
    lo, hi, _ = rng.choices(brackets, [w for *_, w in brackets])[0]
    return rng.randint(lo, hi)


def experience(rng: random.Random, exact_age: float, slot: Slot, female: bool) -> float:
    """Pedagogical experience in years: most start at 21–24, some later (a second career),
    women sometimes with a break (parental leave). Never more than age − 21."""
    if slot.manager_kind:
        start = rng.uniform(21, 26)
    else:
        start = rng.uniform(*rng.choices(((21, 24.5), (24.5, 32), (32, 50)), (70, 20, 10))[0])
    if start > exact_age:  # a newcomer: started this or last year
        start = max(21.0, exact_age - rng.uniform(0.1, 1.5))
    pause = rng.uniform(0, 3) if female and not slot.manager_kind and rng.random() < 0.4 else 0
    return max(0.0, exact_age - start - pause)


_EDUCATION = {
    "educator": ((EducationLevel.HIGHER, 55), (EducationLevel.VOCATIONAL, 45)),
    "additional_teacher": (
        (EducationLevel.HIGHER, 65),
        (EducationLevel.VOCATIONAL, 33),
        (EducationLevel.GENERAL, 2),
    ),
    "institute": ((EducationLevel.HIGHER, 78), (EducationLevel.HIGHER_POSTGRADUATE, 22)),
    "primary": ((EducationLevel.HIGHER, 80), (EducationLevel.VOCATIONAL, 20)),
    "master": ((EducationLevel.HIGHER, 50), (EducationLevel.VOCATIONAL, 50)),
    "other": (
        (EducationLevel.HIGHER, 95),
        (EducationLevel.VOCATIONAL, 4),
        (EducationLevel.HIGHER_POSTGRADUATE, 1),
    ),
}
# Share with pedagogical education, by the group above or else by kind of organization.
_PEDAGOGICAL_BY_GROUP = {"additional_teacher": 0.65, "master": 0.35}
_PEDAGOGICAL_BY_KIND = {Kind.VOCATIONAL: 0.6, Kind.AUTHORITY: 0.75, Kind.ADDITIONAL: 0.75}
_PEDAGOGICAL_DEFAULT = 0.92


def education(rng: random.Random, slot: Slot, kind: str) -> tuple[str, bool]:
    """The level of education and whether it is pedagogical."""
    if kind == Kind.PRESCHOOL and not slot.manager_kind:
        group = "educator"
    elif slot.position == ADDITIONAL_TEACHER:
        group = "additional_teacher"
    elif kind == Kind.INSTITUTE:
        group = "institute"
    elif "начальные классы" in slot.subjects:
        group = "primary"
    elif slot.position == "мастер производственного обучения":
        group = "master"
    else:
        group = "other"
    levels = _EDUCATION[group]
    level = rng.choices([lv for lv, _ in levels], [w for _, w in levels])[0]
    share = _PEDAGOGICAL_BY_GROUP.get(group) or _PEDAGOGICAL_BY_KIND.get(kind, _PEDAGOGICAL_DEFAULT)
    return level, rng.random() < share


# By pedagogical experience: (less than so many years, weights of highest/first/conformity/none)
_CATEGORY_WEIGHTS = (
    (2, (0, 0, 0, 1)),
    (5, (3, 42, 27, 28)),
    (10, (20, 46, 17, 17)),
    (20, (34, 38, 12, 16)),
    (float("inf"), (42, 32, 10, 16)),
)
_CATEGORIES = (Category.HIGHEST, Category.FIRST, Category.CONFORMITY, Category.NONE)


def category(rng: random.Random, years: float, pedagogical_post: bool) -> str:
    """Attestation: none in the first two years; managers are attested for conformity only."""
    if not pedagogical_post:
        return Category.CONFORMITY if years >= 2 and rng.random() < 0.5 else Category.NONE
    weights = next(w for below, w in _CATEGORY_WEIGHTS if years < below)
    return rng.choices(_CATEGORIES, weights)[0]
