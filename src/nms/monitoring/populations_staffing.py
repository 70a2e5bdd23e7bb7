"""Populations over the staffing app's records (see populations.py).

- `taught_subjects` — the registry's (employment, subject) pairs: who teaches what where, with
  the profile rule of nms.staffing.selectors as flags (`has_diploma`, `diploma_covers`,
  `retraining_covers`, `in_profile`) — F6.3, F7.1 (and F6.5 in functions_staffing.py);
- `staff_pedagogues` — pedagogical employments with the year of graduation (the person's latest
  diploma) and the years in the organization (`hire_date`) — F8.2;
- `target_contracts` — target training contracts, dated by graduation (F8.1) or signing
  (`target_contracts_signed`: F7.5, G13);
- `pedagogical_classes` — classes of the school years overlapping the period (F7.4);
- `vacancies_open` — vacancies open during the period.

Staff schedules' rates are sums, not counts: F6.1 and G19 are functions (functions_staffing.py).
"""

from django.apps import apps
from django.db.models import Max, Q

from nms.monitoring.populations import Population, _add, new_flag
from nms.registry.models import years_ago

TEACHER = "учитель"


def _installed() -> bool:
    return apps.is_installed("nms.staffing")


# -- taught subjects: the profile rule ------------------------------------------------------------
def _exists_flag(make):
    def flag(value, ctx, pop):
        if not _installed():
            return Q(pk__in=[])
        q = Q(make(ctx))
        return q if value else ~q

    return flag


def _diploma(ctx):
    from nms.staffing.selectors import diploma_covers

    return diploma_covers()


def _has_diploma(ctx):
    from nms.staffing.selectors import has_diploma

    return has_diploma()


def _retraining(ctx):
    from nms.staffing.selectors import retraining_covers

    return retraining_covers(ctx.on)


def in_profile_flag(value, ctx, pop):
    if not _installed():
        return Q(pk__in=[])
    q = Q(_diploma(ctx)) | Q(_retraining(ctx))
    return q if value else ~q


def _teacher_flag(value, ctx, pop):
    q = Q(employment__position__name=TEACHER)
    return q if value else ~q


_add(
    Population(
        key="taught_subjects",
        label="преподаваемые предметы (место работы × предмет)",
        model="registry.Employment_subjects",
        region="employment__organization__region_id",
        municipality="employment__organization__municipality_id",
        organization="employment__organization_id",
        person="employment__person_id",
        subject="subject",
        fields={
            "organization_kind": "employment__organization__kind",
            "position": "employment__position__name",
            "subject": "subject__name",
            "part_time": "employment__is_part_time",
        },
        flags={
            "teacher": _teacher_flag,
            "has_diploma": _exists_flag(_has_diploma),
            "diploma_covers": _exists_flag(_diploma),
            "retraining_covers": _exists_flag(_retraining),
            "in_profile": in_profile_flag,
        },
    )
)


# -- young specialists: graduation and years in one organization -------------------------------
def _graduates(ctx, condition) -> object:
    Diploma = apps.get_model("staffing", "Diploma")
    return (
        Diploma.objects.values("person_id")
        .annotate(last=Max("year"))
        .filter(condition)
        .values("person_id")
    )


def graduated_ago_gte(value, ctx, pop):
    """The person's latest diploma is at least `value` years old (by the period's end year)."""
    if not _installed():
        return Q(pk__in=[])
    return Q(person_id__in=_graduates(ctx, Q(last__lte=ctx.on.year - int(value))))


def graduated_ago_lte(value, ctx, pop):
    """The person's latest diploma is at most `value` years old."""
    if not _installed():
        return Q(pk__in=[])
    return Q(person_id__in=_graduates(ctx, Q(last__gte=ctx.on.year - int(value))))


def tenure_gte(value, ctx, pop):
    """Works in this organization for at least `value` years on the day (`hire_date`)."""
    return Q(hire_date__lte=years_ago(ctx.on, int(value)))


_add(
    Population(
        key="staff_pedagogues",
        label="педагогические работники (места работы) с годом окончания обучения",
        model="registry.Employment",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        subject="subjects",
        base=lambda ctx: Q(position__is_pedagogical=True),
        fields={
            "organization_kind": "organization__kind",
            "position": "position__name",
            "part_time": "is_part_time",
        },
        flags={
            "graduated_ago_gte": graduated_ago_gte,
            "graduated_ago_lte": graduated_ago_lte,
            "tenure_gte": tenure_gte,
        },
    )
)


# -- target training, classes, vacancies --------------------------------------------------------
CONTRACT_FIELDS = {"status": "status", "organization_kind": "organization__kind"}


def _not_terminated_graduates(ctx):
    return Q(graduated_on__isnull=False) & ~Q(status="terminated")


def _employed_flag(value, ctx, pop):
    """Employed after training (an employment recorded, on or before the period's end)."""
    q = Q(employment__isnull=False) & (Q(employed_on__isnull=True) | Q(employed_on__lte=ctx.on))
    return q if value else ~q


_add(
    Population(
        key="target_contracts",
        label="договоры о целевом обучении: окончившие обучение в периоде",
        model="staffing.TargetContract",
        region="municipality__region_id",
        municipality="municipality_id",
        organization="organization_id",
        date="graduated_on",
        unit="row",
        base=_not_terminated_graduates,
        fields=CONTRACT_FIELDS,
        flags={"employed_after": _employed_flag},
    ),
    Population(
        key="target_contracts_signed",
        label="договоры о целевом обучении, заключённые в периоде",
        model="staffing.TargetContract",
        region="municipality__region_id",
        municipality="municipality_id",
        organization="organization_id",
        date="signed_on",
        unit="row",
        fields=CONTRACT_FIELDS,
    ),
)


def _school_years(ctx):
    from nms.staffing.models import school_years_q

    return school_years_q(ctx.starts_on, ctx.ends_on)


_add(
    Population(
        key="pedagogical_classes",
        label="психолого-педагогические классы учебных лет периода",
        model="staffing.PedagogicalClass",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        unit="row",
        base=_school_years,
        fields={"profile": "profile", "grade": "grade", "organization_kind": "organization__kind"},
    ),
    Population(
        key="vacancies_open",
        label="вакансии, открытые в периоде",
        model="staffing.Vacancy",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        subject="subject",
        interval=("opened_on", "closed_on"),
        unit="row",
        fields={
            "published": "published",
            "position": "position__name",
            "organization_kind": "organization__kind",
        },
        flags={"new": new_flag("opened_on")},
    ),
)
