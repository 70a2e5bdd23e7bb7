"""Reads of the app events: scoped querysets for the pages and the API, the person's history,
and the indicators' counts (CHECKLIST C16, C17, C18, C22) — each one SQL query."""

from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.events.models import Event, Internship, InternshipSite, Participation
from nms.registry.models import Employment, Organization, Person


# -- lists -------------------------------------------------------------------------------------
def events_for_list(user):
    return scope_of(user).visible(Event).select_related("organizer", "municipality")


def own_organizations(user) -> list[int]:
    """The organizations whose events are the user's «own»: the school administration's
    organization and where the user's person works."""
    scope = scope_of(user)
    ids = {a.organization_id for a in scope.of_role(Role.SCHOOL) if a.organization_id}
    if scope.person_id:
        ids |= set(
            Employment.objects.filter(person_id=scope.person_id).values_list(
                "organization_id", flat=True
            )
        )
    return sorted(ids)


def organized_events(user):
    """Events organized by the user's organization(s)."""
    return events_for_list(user).filter(organizer_id__in=own_organizations(user))


def participations_for_list(user):
    return scope_of(user).visible(Participation).select_related("event", "person", "organization")


def sites_for_list(user):
    return (
        scope_of(user)
        .visible(InternshipSite)
        .select_related("organization", "organization__municipality")
        .prefetch_related("areas")
    )


def internships_for_list(user):
    return (
        scope_of(user)
        .visible(Internship)
        .select_related("site__organization", "person", "organization")
    )


def search_participations(queryset, text: str):
    from nms.common.text import search_tokens

    for token in search_tokens(text):
        queryset = queryset.filter(
            Q(person__search_text__contains=token) | Q(event__search_text__contains=token)
        )
    return queryset


# -- one event ---------------------------------------------------------------------------------
def event_participations(user, event):
    return (
        participations_for_list(user)
        .filter(event=event)
        .order_by("stage", "nomination", "role", "person__last_name", "person__first_name", "id")
    )


def contest_results(user, event) -> list[dict]:
    """Winners and prize-winners of a contest, per stage (in the stages' order)."""
    from nms.events.models import RESULT_ROLES, Stage

    rows = list(
        event_participations(user, event)
        .filter(role__in=RESULT_ROLES)
        .order_by("nomination", "-role", "person__last_name", "id")
    )
    stages = []
    for code, label in Stage.choices:
        found = [p for p in rows if p.stage == code]
        if found:
            stages.append({"stage": label, "results": found})
    return stages


def event_organizations(user, event):
    """The organizations taking part: where the participants the user sees work (their
    employments), with how many of them took part."""
    people = participations_for_list(user).filter(event=event).values("person_id")
    return (
        Organization.objects.filter(employments__person_id__in=people)
        .annotate(participants=Count("employments__person", distinct=True))
        .select_related("municipality")
        .order_by("short_name", "id")
    )


def event_counts(event) -> dict:
    rows = event.participations.values("role").annotate(n=Count("id"))
    by_role = {r["role"]: r["n"] for r in rows}
    return {"total": sum(by_role.values()), "by_role": by_role}


# -- a person's card ---------------------------------------------------------------------------
def person_history(user, person) -> dict:
    participations = (
        participations_for_list(user).filter(person=person).order_by("-event__starts_on", "-id")
    )
    internships = internships_for_list(user).filter(person=person).order_by("-starts_on", "-id")
    return {"participations": list(participations[:200]), "internships": list(internships[:50])}


# -- indicators --------------------------------------------------------------------------------
def _territory(qs, region=None, municipality=None, path: str = ""):
    if municipality is not None:
        return qs.filter(**{f"{path}municipality": municipality})
    if region is not None:
        return qs.filter(**{f"{path}region": region})
    return qs


def c22_low_results_involved(
    region=None, municipality=None, *, since: date, until: date
) -> tuple[int, int]:
    """C22: (ШНОР with at least one worker who took part in an event held in the period — an
    event starting within [since, until] — or did an internship there; all ШНОР of the territory).

    A school counts through its workers' employments (whoever works there now), whatever
    organization the participation was recorded with; an event outside the period, or a school
    not marked `is_low_results`, does not count."""
    schools = _territory(Organization.objects.filter(is_low_results=True), region, municipality)
    took_part = Participation.objects.filter(
        event__starts_on__gte=since, event__starts_on__lte=until
    ).values("person_id")
    interned = Internship.objects.filter(starts_on__lte=until, ends_on__gte=since).values(
        "person_id"
    )
    involved = Employment.objects.filter(organization_id=OuterRef("pk")).filter(
        Q(person_id__in=took_part) | Q(person_id__in=interned)
    )
    result = schools.aggregate(
        numerator=Count("pk", filter=Q(Exists(involved))), denominator=Count("pk")
    )
    return result["numerator"], result["denominator"]


def c16_sites(region, *, on: date, since: date):
    """C16, per site: the sites with the status on `on`, each annotated `updated` — its
    programmes were brought up to date on or after `since` and it has a period of work set."""
    return (
        InternshipSite.objects.filter(region=region, starts_on__lte=on, ends_on__gte=on)
        .annotate(
            updated=ExpressionWrapper(
                Q(programmes_updated_on__gte=since) & ~Q(programmes=""),
                output_field=BooleanField(),
            )
        )
        .select_related("organization")
        .order_by("organization__short_name", "id")
    )


def c16_counts(region, *, on: date, since: date) -> tuple[int, int]:
    """C16 in one query: (sites with updated programmes, sites with the status on `on`)."""
    sites = InternshipSite.objects.filter(region=region, starts_on__lte=on, ends_on__gte=on)
    result = sites.aggregate(
        numerator=Count("pk", filter=Q(programmes_updated_on__gte=since) & ~Q(programmes="")),
        denominator=Count("pk"),
    )
    return result["numerator"], result["denominator"]


def c17_new_sites(region, *, year: int) -> int:
    """C17: sites given the status in `year` (the status starts then) to an organization that
    had no status before — a renewal of an existing site is not new."""
    earlier = InternshipSite.objects.filter(
        organization_id=OuterRef("organization_id"), starts_on__lt=OuterRef("starts_on")
    )
    return (
        InternshipSite.objects.filter(region=region, starts_on__year=year)
        .exclude(Exists(earlier))
        .values("organization_id")
        .distinct()
        .count()
    )


def c18_internship_share(
    region=None, municipality=None, *, since: date, until: date
) -> tuple[int, int]:
    """C18: (pedagogical workers of the territory who completed an internship ending in the
    period; all pedagogical workers of the territory) — one query. A worker counts once
    whatever the number of internships; an internship not completed does not count."""
    employments = Employment.objects.filter(position__is_pedagogical=True)
    employments = _territory(employments, region, municipality, "organization__")
    done = Internship.objects.filter(completed=True, ends_on__gte=since, ends_on__lte=until).values(
        "person_id"
    )
    people = Person.objects.filter(pk__in=Subquery(employments.values("person_id")))
    result = people.aggregate(numerator=Count("pk", filter=Q(pk__in=done)), denominator=Count("pk"))
    return result["numerator"], result["denominator"]
