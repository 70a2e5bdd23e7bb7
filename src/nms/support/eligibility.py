"""Who may join the regional methodical active (seed 001), with every refusal naming its rule.

The basic requirements — the highest category, higher pedagogical education, at least 5 years of
experience — may be replaced by an alternative ground of seed 001 (head of a methodical
association or council, a senior or leading ОГЭ/ЕГЭ expert, a tutor, a mentor, a community leader,
a teacher whose pupils win contests). The active is formed «из числа лиц, прошедших диагностику
профессиональных компетенций и повышение квалификации», so the methodical competency assessed at
or above the threshold and further training in the last three years are always required.

`eligibility_for(ids)` checks many people in a fixed number of queries (the candidate bank);
the activities apps (programs, events, mentoring) are read by name, when they are installed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q

from nms.diagnostics.models import AreaScore
from nms.registry.models import Category, EducationLevel, Employment, Person, years_ago
from nms.support import conf
from nms.support.models import (
    ActiveMembership,
    ActiveRole,
    AlternativeGround,
    ExpertKind,
    ExpertRank,
    ExpertRole,
    MembershipStatus,
)

MIN_EXPERIENCE = 5
TRAINING_YEARS = 3
METHODICAL_AREA = "methodical"

RULES = {
    "category": "высшая квалификационная категория",
    "education": "высшее педагогическое образование",
    "experience": f"педагогический стаж не менее {MIN_EXPERIENCE} лет",
    "diagnostics": "методическая компетенция по диагностике не ниже порога",
    "training": f"повышение квалификации за последние {TRAINING_YEARS} года",
}
BASIC = ("category", "education", "experience")
ALWAYS = ("diagnostics", "training")
GROUNDS = {
    "mo_head": "руководитель методического объединения, совета",
    "exam_expert": "ведущий или старший эксперт предметной комиссии ОГЭ/ЕГЭ",
    "tutor": "тьютор",
    "mentor": "наставник",
    "community_leader": "лидер профессионального педагогического сообщества",
    "contest_winner": "победитель или призёр конкурса",
}
NO_GROUND = "нет альтернативного основания (" + "; ".join(GROUNDS.values()) + ")"


@dataclass
class Check:
    rule: str
    passed: bool
    detail: str = ""

    @property
    def label(self) -> str:
        return RULES[self.rule]

    @property
    def refusal(self) -> str:
        return f"Не выполнено требование «{self.label}»: {self.detail}"


@dataclass
class Eligibility:
    person_id: int
    checks: list[Check] = field(default_factory=list)
    grounds: list[str] = field(default_factory=list)  # GROUNDS keys

    @property
    def basic_met(self) -> bool:
        return all(c.passed for c in self.checks if c.rule in BASIC)

    @property
    def eligible(self) -> bool:
        always = all(c.passed for c in self.checks if c.rule in ALWAYS)
        return always and (self.basic_met or bool(self.grounds))

    @property
    def failed(self) -> list[Check]:
        """The rules the refusal names: the basic ones count only when no ground replaces them."""
        return [c for c in self.checks if not c.passed and (c.rule in ALWAYS or not self.grounds)]

    @property
    def refusals(self) -> list[str]:
        texts = [c.refusal for c in self.failed]
        if not self.basic_met and not self.grounds:
            texts.append(f"Основные требования не выполнены, а {NO_GROUND}.")
        return texts if not self.eligible else []

    @property
    def ground_labels(self) -> list[str]:
        return [GROUNDS[g] for g in self.grounds]

    @property
    def summary(self) -> str:
        if self.eligible:
            via = "основные требования" if self.basic_met else ", ".join(self.ground_labels)
            return f"соответствует ({via})"
        return "не соответствует: " + "; ".join(c.label for c in self.failed)


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _ids_having(model_path: tuple[str, str], people: list[int], lookup: Q, path="person_id"):
    """The people of `people` with a row of an activities app's model, or none when the app (or
    its field) is not there yet."""
    model = _model(*model_path)
    if model is None:
        return set()
    try:
        rows = model.objects.filter(lookup, **{f"{path}__in": people})
        return set(rows.values_list(path, flat=True))
    except (FieldError, ValueError):
        return set()


def _one(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}".replace(".", ",")


def eligibility_for(person_ids, *, on: date | None = None, region=None) -> dict[int, Eligibility]:
    on = on or date.today()
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    if region is None and people:
        region = next(iter(people.values())).region_id
    threshold = conf.methodical_threshold(region)
    employments = defaultdict(list)
    for e in Employment.objects.filter(person_id__in=ids).only(
        "person_id", "category", "experience_start", "experience_years", "experience_as_of"
    ):
        employments[e.person_id].append(e)
    latest = {}
    scores = (
        AreaScore.objects.filter(result__person_id__in=ids, area__code=METHODICAL_AREA)
        .order_by("result__person_id", "-result__taken_on", "-result_id")
        .values_list("result__person_id", "share", "result__taken_on")
    )
    for person_id, share, taken_on in scores:
        latest.setdefault(person_id, (share, taken_on))
    since = years_ago(on, TRAINING_YEARS)
    trained = _ids_having(
        ("programs", "Enrollment"),
        ids,
        Q(status="completed", completed_on__gte=since, completed_on__lte=on),
    )
    active = (Q(starts_on__lte=on) | Q(starts_on__isnull=True)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    grounds = defaultdict(set)
    for person_id, kind in AlternativeGround.objects.filter(active, person_id__in=ids).values_list(
        "person_id", "kind"
    ):
        grounds[person_id].add(kind)
    exam = ExpertRole.objects.filter(
        active,
        person_id__in=ids,
        kind=ExpertKind.EXAM,
        rank__in=(ExpertRank.SENIOR, ExpertRank.LEADING),
    )
    for person_id in exam.values_list("person_id", flat=True):
        grounds[person_id].add("exam_expert")
    tutors = ActiveMembership.objects.filter(
        active, person_id__in=ids, role=ActiveRole.TUTOR, status=MembershipStatus.APPROVED
    ).values_list("person_id", flat=True)
    tutors = set(tutors) | _ids_having(
        ("programs", "Run"), ids, Q(ends_on__gte=since), path="tutor_id"
    )
    for person_id in tutors:
        grounds[person_id].add("tutor")
    for person_id in _ids_having(("mentoring", "MentorProfile"), ids, Q()):
        grounds[person_id].add("mentor")
    winners = _ids_having(("events", "Participation"), ids, Q(role__in=("winner", "prize")))
    for person_id in winners:
        grounds[person_id].add("contest_winner")

    result = {}
    for person_id in ids:
        person = people.get(person_id)
        if person is None:
            continue
        jobs = employments[person_id]
        checks = []
        highest = any(e.category == Category.HIGHEST for e in jobs)
        checks.append(
            Check(
                "category",
                highest,
                "" if highest else "высшей категории нет ни по одному месту работы",
            )
        )
        higher = person.education_level in (
            EducationLevel.HIGHER,
            EducationLevel.HIGHER_POSTGRADUATE,
        )
        if higher and person.has_pedagogical_education:
            checks.append(Check("education", True))
        elif not higher:
            checks.append(
                Check(
                    "education",
                    False,
                    f"уровень образования — {person.get_education_level_display()}",
                )
            )
        else:
            checks.append(Check("education", False, "образование не педагогическое"))
        years = max((e.experience_on(on) for e in jobs), default=None)
        if years is None:
            checks.append(Check("experience", False, "нет сведений о стаже"))
        else:
            ok = years >= MIN_EXPERIENCE
            checks.append(Check("experience", ok, "" if ok else f"стаж {_one(years)} лет"))
        if person_id not in latest:
            checks.append(
                Check("diagnostics", False, "нет результата диагностики методической компетенции")
            )
        else:
            share, taken_on = latest[person_id]
            ok = share >= threshold
            detail = (
                ""
                if ok
                else (
                    f"результат {_one(share)} % ({taken_on:%d.%m.%Y}) "
                    f"ниже порога {_one(threshold)} %"
                )
            )
            checks.append(Check("diagnostics", ok, detail))
        ok = person_id in trained
        checks.append(
            Check(
                "training",
                ok,
                "" if ok else f"нет завершённого обучения по ДПП с {since:%d.%m.%Y}",
            )
        )
        order = list(GROUNDS)
        result[person_id] = Eligibility(
            person_id, checks, sorted(grounds[person_id], key=order.index)
        )
    return result


def eligibility(person, *, on: date | None = None) -> Eligibility:
    return eligibility_for([person.pk], on=on, region=person.region_id)[person.pk]
