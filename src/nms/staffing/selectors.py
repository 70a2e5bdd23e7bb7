"""Reads of the staffing app, scoped by the access registry.

«Преподаёт не по профилю» (profile match) is decided here, in one place, for a pair (employment,
subject the employment teaches — registry's `Employment.subjects`):

- in profile by diploma: a diploma of the person whose specialty qualifies for the subject
  (the directory Specialty → subjects);
- in profile by retraining: otherwise, a completed programme of professional retraining
  (programs: Programme.kind «pp», enrollment completed on or before the day) whose subjects
  include the subject;
- outside the profile: neither.

The same conditions are SQL expressions over the registry's employment–subject table
(`diploma_covers`, `retraining_covers`), so the pages and the monitoring's populations
(nms.monitoring.populations_staffing) count by the same rule.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from nms.accounts.scope import scope_of
from nms.common.text import search_tokens
from nms.programs.models import Enrollment, EnrollmentStatus, ProgrammeKind
from nms.registry.models import Employment, Municipality, Subject
from nms.staffing.models import (
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)

ZERO = Decimal(0)
TEACHER_POSITION = "учитель"


def taught_model():
    """The registry's table of the subjects each employment teaches (employment, subject)."""
    return Employment.subjects.through


# -- the profile rule as SQL ----------------------------------------------------------------------
def diploma_covers(person="employment__person_id", subject="subject_id") -> Exists:
    """A diploma of the person qualifies for the subject (outer row: `person`, `subject`)."""
    return Exists(
        Diploma.objects.filter(person_id=OuterRef(person), specialty__subjects=OuterRef(subject))
    )


def has_diploma(person="employment__person_id") -> Exists:
    return Exists(Diploma.objects.filter(person_id=OuterRef(person)))


def retraining_covers(on: date, person="employment__person_id", subject="subject_id") -> Exists:
    """A professional retraining completed by `on` covers the subject."""
    return Exists(
        Enrollment.objects.filter(
            person_id=OuterRef(person),
            status=EnrollmentStatus.COMPLETED,
            completed_on__lte=on,
            run__programme__kind=ProgrammeKind.PP,
            run__programme__subjects=OuterRef(subject),
        )
    )


def in_profile_q(on: date) -> Q:
    return Q(diploma_covers()) | Q(retraining_covers(on))


@dataclass(frozen=True)
class TaughtSubject:
    employment_id: int
    organization: str
    subject: str
    by_diploma: bool
    by_retraining: bool

    @property
    def in_profile(self) -> bool:
        return self.by_diploma or self.by_retraining

    @property
    def verdict(self) -> str:
        if self.by_diploma:
            return "по профилю (диплом)"
        if self.by_retraining:
            return "по профилю (переподготовка)"
        return "не по профилю"


def taught_subjects(person_id: int, on: date | None = None) -> list[TaughtSubject]:
    """Each employment and subject of the person with the profile verdict (one query)."""
    on = on or date.today()
    rows = (
        taught_model()
        .objects.filter(employment__person_id=person_id)
        .annotate(by_diploma=diploma_covers(), by_retraining=retraining_covers(on))
        .order_by("employment_id", "subject__name")
        .values(
            "employment_id",
            "employment__organization__short_name",
            "subject__name",
            "by_diploma",
            "by_retraining",
        )
    )
    return [
        TaughtSubject(
            r["employment_id"],
            r["employment__organization__short_name"],
            r["subject__name"],
            bool(r["by_diploma"]),
            bool(r["by_retraining"]),
        )
        for r in rows
    ]


def outside_profile(employments, on: date | None = None):
    """(employment, subject) rows of the given employments taught outside the profile."""
    on = on or date.today()
    return (
        taught_model()
        .objects.filter(employment__in=employments.values("pk"))
        .filter(~in_profile_q(on))
        .select_related("employment__person", "employment__organization", "subject")
        .order_by("employment__person__last_name", "employment__person__first_name", "id")
    )


def profile_summary(organization_id: int, on: date | None = None) -> dict:
    """An organization's teachers with diplomas: how many, how many teach outside the profile."""
    on = on or date.today()
    rows = taught_model().objects.filter(
        employment__organization_id=organization_id,
        employment__position__name=TEACHER_POSITION,
    )
    counted = rows.filter(has_diploma()).aggregate(
        teachers=Count("employment__person_id", distinct=True),
        outside=Count("employment__person_id", filter=~in_profile_q(on), distinct=True),
    )
    teachers, outside = counted["teachers"], counted["outside"]
    share = round(100 * outside / teachers, 1) if teachers else None
    return {"teachers": teachers, "outside": outside, "share": share}


# -- lists -------------------------------------------------------------------------------------
def schedules_for_list(user):
    return (
        scope_of(user)
        .visible(StaffSchedule)
        .select_related("organization__municipality")
        .annotate(
            total_rates=Coalesce(Sum("rows__rates"), Value(ZERO)),
            total_filled=Coalesce(Sum("rows__filled"), Value(ZERO)),
        )
        .order_by("-year", "organization__short_name", "id")
    )


def schedule_rows(schedule):
    return schedule.rows.select_related("position", "subject")


def schedule_totals(schedule) -> dict:
    totals = schedule.rows.aggregate(
        rates=Coalesce(Sum("rates"), Value(ZERO)), filled=Coalesce(Sum("filled"), Value(ZERO))
    )
    rates, filled = totals["rates"], totals["filled"]
    vacant = max(rates - filled, ZERO)
    return {
        "rates": rates,
        "filled": filled,
        "vacant": vacant,
        "staffing": round(100 * filled / rates, 1) if rates else None,
        "shortage": round(100 * vacant / rates, 1) if rates else None,
    }


def vacancies_for_list(user):
    return (
        scope_of(user)
        .visible(Vacancy)
        .select_related("organization__municipality", "position", "subject")
    )


def open_q(today: date | None = None) -> Q:
    today = today or date.today()
    return Q(closed_on__isnull=True) | Q(closed_on__gte=today)


def public_vacancies(q: str = "", municipality=None, subject=None, position=None):
    """Published open vacancies of every region for anonymous visitors: the organization, its
    municipality, the position, subject, rates, load and requirements — no person's data."""
    rows = (
        Vacancy.objects.filter(published=True)
        .filter(open_q())
        .select_related("organization__municipality", "position", "subject")
        .only(
            "id",
            "rates",
            "load_hours",
            "requirements",
            "conditions",
            "opened_on",
            "organization__short_name",
            "organization__municipality__name",
            "position__name",
            "subject__name",
        )  # fmt: skip
        .order_by("-opened_on", "id")
    )
    for token in search_tokens(q):
        rows = rows.filter(
            Q(organization__search_text__contains=token)
            | Q(position__name__icontains=token)
            | Q(subject__name__icontains=token)
            | Q(requirements__icontains=token)
        )
    if municipality:
        rows = rows.filter(organization__municipality=municipality)
    if subject:
        rows = rows.filter(subject=subject)
    if position:
        rows = rows.filter(position=position)
    return rows


def public_municipalities():
    published = Vacancy.objects.filter(published=True).filter(open_q())
    return Municipality.objects.filter(
        pk__in=published.values("organization__municipality_id")
    ).order_by("name")


def public_subjects():
    published = Vacancy.objects.filter(published=True).filter(open_q())
    return Subject.objects.filter(pk__in=published.values("subject_id")).order_by("name")


def diplomas_for_list(user):
    return scope_of(user).visible(Diploma).select_related("person", "specialty")


def specialties_for_list(user):
    return (
        scope_of(user)
        .visible(Specialty)
        .annotate(diploma_count=Count("diplomas", distinct=True))
        .prefetch_related("subjects")
        .order_by("name", "id")
    )


def contracts_for_list(user):
    return (
        scope_of(user)
        .visible(TargetContract)
        .select_related("municipality", "organization", "specialty", "person")
    )


def classes_for_list(user):
    return scope_of(user).visible(PedagogicalClass).select_related("organization__municipality")


# -- the person's card and the organization's staffing card ----------------------------------------
def person_diplomas(user, person_id: int):
    return list(
        scope_of(user)
        .visible(Diploma)
        .filter(person_id=person_id)
        .select_related("specialty")
        .order_by("-year", "id")
    )


def organization_card(user, organization, today: date | None = None) -> dict:
    """What the staffing card of an organization shows: its latest schedule and totals, open
    vacancies, the profile summary, target contracts and pedagogical classes."""
    scope = scope_of(user)
    schedule = (
        scope.visible(StaffSchedule).filter(organization=organization).order_by("-year").first()
    )
    return {
        "organization": organization,
        "schedule": schedule,
        "totals": schedule_totals(schedule) if schedule else None,
        "vacancies": list(
            scope.visible(Vacancy)
            .filter(organization=organization)
            .filter(open_q(today))
            .select_related("position", "subject")
        ),
        "profile": profile_summary(organization.pk, today),
        "outside": list(
            outside_profile(Employment.objects.filter(organization=organization), today)[:50]
        ),
        "contracts": list(
            scope.visible(TargetContract).filter(organization=organization).order_by("-signed_on")
        ),
        "classes": list(
            scope.visible(PedagogicalClass).filter(organization=organization).order_by("-year")
        ),
    }


def vacant_rows(schedule) -> list[ScheduleRow]:
    """Rows of a schedule with vacant rates (for «open a vacancy» from the schedule)."""
    return [row for row in schedule_rows(schedule) if row.vacant > 0]
