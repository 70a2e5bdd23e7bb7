"""Reads of the app mentoring: the public registry, matching mentors to a mentee's deficits, the
pages' rows, and the figures the monitoring needs (MEN indicators of the checklist).

Public registry: published and active profiles only; what leaves this module for the public page
is `PublicMentor` — name, organization, subjects and areas — never a birth date, СНИЛС, e-mail or
phone. The search takes words of the name only (a number typed there finds nothing, so a СНИЛС
cannot be confirmed through the registry).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.text import search_tokens
from nms.diagnostics.models import AreaScore, Result
from nms.mentoring.models import (
    HIGH_SCORE,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairStatus,
    RequestStatus,
)
from nms.registry.models import Employment, Municipality, Organization, OrganizationKind, Person
from nms.registry.selectors import young_teacher_q


# -- where people work, what their diagnostics back -------------------------------------------
@dataclass(frozen=True)
class Place:
    organization_id: int
    organization: str
    municipality_id: int
    municipality: str


def places_of(person_ids) -> dict[int, list[Place]]:
    """Each person's places of work, the main job first."""
    rows = (
        Employment.objects.filter(person_id__in=list(person_ids))
        .order_by("person_id", "is_part_time", "id")
        .values_list(
            "person_id",
            "organization_id",
            "organization__short_name",
            "organization__municipality_id",
            "organization__municipality__name",
        )
    )
    places = defaultdict(list)
    for person_id, *place in rows:
        places[person_id].append(Place(*place))
    return places


def subjects_of(person_ids) -> dict[int, set[int]]:
    """The subjects each person teaches (by their employments)."""
    through = Employment.subjects.through.objects.filter(employment__person_id__in=list(person_ids))
    taught = defaultdict(set)
    for person_id, subject_id in through.values_list("employment__person_id", "subject_id"):
        taught[person_id].add(subject_id)
    return taught


def latest_results(person_ids) -> dict[int, int]:
    """The id of each person's latest diagnostics result."""
    rows = (
        Result.objects.filter(person_id__in=list(person_ids))
        .order_by("person_id", "-taken_on", "-id")
        .values_list("person_id", "pk")
    )
    latest = {}
    for person_id, pk in rows:
        latest.setdefault(person_id, pk)
    return latest


def backed_areas(person_ids) -> dict[int, set[int]]:
    """Areas where the person's latest diagnostics scored at least HIGH_SCORE %."""
    latest = latest_results(person_ids)
    by_result = {pk: person_id for person_id, pk in latest.items()}
    scores = AreaScore.objects.filter(result_id__in=list(by_result), share__gte=HIGH_SCORE)
    backed = defaultdict(set)
    for result_id, area_id in scores.values_list("result_id", "area_id"):
        backed[by_result[result_id]].add(area_id)
    return backed


def deficit_areas(person_id) -> dict[int, str]:
    """The areas of the person's latest diagnostics marked as deficits (id → name)."""
    from nms.routes.services import deficits_snapshot, latest_result

    return {
        row["area_id"]: row["area"]
        for row in deficits_snapshot(latest_result(person_id))
        if row["is_deficit"]
    }


def load_of(person_ids) -> dict[int, int]:
    """Active pairs (and groups) of each mentor."""
    rows = (
        Pair.objects.filter(mentor_id__in=list(person_ids), status=PairStatus.ACTIVE)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    return dict(rows)


# -- the public registry -----------------------------------------------------------------------
@dataclass
class PublicMentor:
    """What the public registry shows of a mentor — nothing else leaves for the public page."""

    profile_id: int
    name: str
    organizations: list[str]
    municipality: str
    subjects: list[str]
    areas: list[tuple[str, bool]]  # (area, backed by a high diagnostics score)
    free: bool


def public_profiles() -> QuerySet:
    return MentorProfile.objects.filter(public=True, active=True)


def registry_rows(
    *, q: str = "", subject=None, area=None, municipality=None, region=None
) -> QuerySet:
    rows = public_profiles()
    words = [t for t in search_tokens(q) if not any(ch.isdigit() for ch in t)]
    if q.strip() and not words:
        return rows.none()
    for word in words:
        rows = rows.filter(person__search_text__contains=word)
    if subject:
        rows = rows.filter(subjects=subject)
    if area:
        rows = rows.filter(areas=area)
    if municipality:
        rows = rows.filter(
            person__in=Employment.objects.filter(organization__municipality=municipality).values(
                "person_id"
            )
        )
    if region:
        rows = rows.filter(person__region=region)
    return rows.order_by("person__last_name", "person__first_name", "id")


def public_page(profiles) -> list[PublicMentor]:
    """The public rows of a page of profiles, in a fixed number of queries."""
    profiles = list(profiles)
    ids = [p.person_id for p in profiles]
    people = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=ids).values(
            "pk", "last_name", "first_name", "middle_name"
        )
    }
    places = places_of(ids)
    backed = backed_areas(ids)
    load = load_of(ids)
    subjects = defaultdict(list)
    through = MentorProfile.subjects.through.objects.filter(
        mentorprofile_id__in=[p.pk for p in profiles]
    )
    for profile_id, name in through.values_list("mentorprofile_id", "subject__name").order_by(
        "subject__name"
    ):
        subjects[profile_id].append(name)
    areas = defaultdict(list)
    through = MentorProfile.areas.through.objects.filter(
        mentorprofile_id__in=[p.pk for p in profiles]
    )
    for profile_id, area_id, name in through.values_list(
        "mentorprofile_id", "competencyarea_id", "competencyarea__name"
    ).order_by("competencyarea__order"):
        areas[profile_id].append((area_id, name))
    rows = []
    for profile in profiles:
        person = people.get(profile.person_id)
        if person is None:
            continue
        name = " ".join(
            part
            for part in (person["last_name"], person["first_name"], person["middle_name"])
            if part
        )
        mine = places.get(profile.person_id, [])
        rows.append(
            PublicMentor(
                profile_id=profile.pk,
                name=name,
                organizations=[p.organization for p in mine],
                municipality=mine[0].municipality if mine else "",
                subjects=subjects[profile.pk],
                areas=[
                    (area_name, area_id in backed.get(profile.person_id, set()))
                    for area_id, area_name in areas[profile.pk]
                ],
                free=load.get(profile.person_id, 0) < profile.capacity,
            )
        )
    return rows


def registry_municipalities() -> QuerySet:
    """Municipalities that have published mentors (the public filter's choices)."""
    people = public_profiles().values("person_id")
    return (
        Municipality.objects.filter(organizations__employments__person__in=people)
        .distinct()
        .order_by("name")
    )


# -- matching ----------------------------------------------------------------------------------
@dataclass
class Match:
    profile: MentorProfile
    covered: list[str]
    backed: list[str]
    same_subject: list[str]
    same_organization: bool
    same_municipality: bool
    free: int
    reasons: list[str] = field(default_factory=list)

    @property
    def rank_key(self):
        return (
            -len(self.covered),
            -bool(self.same_subject),
            -self.same_organization,
            -self.same_municipality,
            -len(self.backed),
            -self.free,
            self.profile.person.last_name,
            self.profile.pk,
        )

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def match_mentors(mentee: Person, *, limit: int = 20, form: str | None = None) -> list[Match]:
    """Mentors for the mentee: whose strengths cover the deficits of their latest diagnostics,
    the same subject first, then the same organization, the same municipality, strengths backed
    by high scores, free places — only those with a free place, in the mentee's region, and that
    reach the mentee (a mentor keeping to their organization or municipality)."""
    deficits = deficit_areas(mentee.pk)
    candidates = (
        MentorProfile.objects.filter(active=True, person__region_id=mentee.region_id)
        .exclude(person_id=mentee.pk)
        .select_related("person")
        .prefetch_related("areas", "subjects")
    )
    if deficits:
        candidates = candidates.filter(areas__in=list(deficits)).distinct()
    if form == MentoringForm.MANAGER_MANAGER:
        candidates = candidates.filter(offers_manager=True)
    elif form == MentoringForm.TEAM_TEAM:
        candidates = candidates.filter(offers_team=True)
    candidates = list(candidates)
    ids = [p.person_id for p in candidates]
    load = load_of(ids)
    candidates = [p for p in candidates if load.get(p.person_id, 0) < p.capacity]
    ids = [p.person_id for p in candidates]
    places = places_of([*ids, mentee.pk])
    backed = backed_areas(ids)
    mentee_subjects = subjects_of([mentee.pk]).get(mentee.pk, set())
    mentee_orgs = {p.organization_id for p in places.get(mentee.pk, [])}
    mentee_muns = {p.municipality_id for p in places.get(mentee.pk, [])}
    matches = []
    for profile in candidates:
        mine = places.get(profile.person_id, [])
        same_org = bool(mentee_orgs & {p.organization_id for p in mine})
        same_mun = bool(mentee_muns & {p.municipality_id for p in mine})
        if (not profile.across_organizations and not same_org) or (
            not profile.across_municipalities and not same_mun
        ):
            continue
        strengths = {a.pk: a.name for a in profile.areas.all()}
        covered = [strengths[a] for a in deficits if a in strengths]
        proven = [strengths[a] for a in strengths if a in backed.get(profile.person_id, set())]
        subjects = [s.name for s in profile.subjects.all() if s.pk in mentee_subjects]
        match = Match(
            profile=profile,
            covered=covered,
            backed=[name for name in proven if name in covered] or proven,
            same_subject=subjects,
            same_organization=same_org,
            same_municipality=same_mun,
            free=profile.capacity - load.get(profile.person_id, 0),
        )
        if covered:
            match.reasons.append("закрывает дефициты: " + ", ".join(covered).lower())
        if subjects:
            match.reasons.append("тот же предмет: " + ", ".join(subjects))
        if same_org:
            match.reasons.append("та же организация")
        elif same_mun:
            match.reasons.append("тот же муниципалитет")
        if match.backed:
            match.reasons.append("подтверждено диагностикой: " + ", ".join(match.backed).lower())
        match.reasons.append(f"свободных мест: {match.free}")
        matches.append(match)
    matches.sort(key=lambda m: m.rank_key)
    return matches[:limit]


# -- the pages ---------------------------------------------------------------------------------
def pairs_for_list(user) -> QuerySet:
    return (
        scope_of(user)
        .visible(Pair)
        .select_related("mentor", "mentee", "organization")
        .order_by("-starts_on", "-id")
    )


def requests_for_list(user) -> QuerySet:
    return (
        scope_of(user)
        .visible(MentorshipRequest)
        .select_related("mentor", "mentee")
        .order_by("-created_at", "-id")
    )


def programs_for_list(user) -> QuerySet:
    return (
        scope_of(user)
        .visible(MentoringProgram)
        .select_related("organization__municipality", "curator")
        .annotate(
            active_pairs=Count("pairs", filter=Q(pairs__status=PairStatus.ACTIVE), distinct=True)
        )
        .order_by("organization__short_name", "-starts_on", "id")
    )


def profiles_for_list(user) -> QuerySet:
    return (
        scope_of(user)
        .visible(MentorProfile)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )


def pair_get(user, pk) -> Pair:
    rows = (
        scope_of(user)
        .visible(Pair)
        .select_related("mentor", "mentee", "organization", "program", "request")
    )
    return get_visible_or_404(rows, pk=pk)


def person_pairs(user, person) -> list[Pair]:
    """The person's pairs (as mentor or mentee) the user may see, the active ones first."""
    rows = (
        scope_of(user)
        .visible(Pair)
        .filter(Q(mentor=person) | Q(mentee=person))
        .select_related("mentor", "mentee")
    )
    return sorted(rows, key=lambda p: (p.status != PairStatus.ACTIVE, -p.starts_on.toordinal()))


# -- figures for the monitoring (MEN) ----------------------------------------------------------
def _in_municipality(path: str, municipality) -> Q:
    if municipality is None:
        return Q()
    employed = Employment.objects.filter(organization__municipality=municipality)
    return Q(**{f"{path}in": employed.values("person_id")})


def _pairs_on(on: date) -> QuerySet:
    """Pairs working on the day: started by then and not completed before it."""
    return Pair.objects.filter(starts_on__lte=on).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=on)
    )


def young_with_mentor(region, municipality=None, on: date | None = None) -> tuple[int, int]:
    """C25, F8.3: (young teachers who are mentees in a pair working on the day, young teachers)
    — young by `registry.selectors.young_teacher_q`, in the region (and municipality)."""
    on = on or date.today()
    young = Person.objects.filter(young_teacher_q(on), region=region).filter(
        _in_municipality("pk__", municipality)
    )
    mentored = young.filter(pk__in=_pairs_on(on).values("mentee_id"))
    return mentored.count(), young.count()


def pairs_by_form(region, municipality=None, on: date | None = None) -> dict[str, int]:
    """G9: pairs (and groups) working on the day by form, every form named (0 when none)."""
    on = on or date.today()
    rows = (
        _pairs_on(on)
        .filter(mentee__region=region)
        .filter(_in_municipality("mentee_id__", municipality))
        .values("form")
        .annotate(n=Count("id"))
        .values_list("form", "n")
    )
    counts = dict.fromkeys(MentoringForm.values, 0)
    counts.update(dict(rows))
    return counts


def mentors_per_municipality(region, on: date | None = None) -> dict[int, int]:
    """Mentors (people with a pair working on the day, or an active profile) per municipality of
    their places of work: municipality id → number of distinct mentors."""
    on = on or date.today()
    mentors = Person.objects.filter(region=region).filter(
        Q(pk__in=_pairs_on(on).values("mentor_id"))
        | Q(pk__in=MentorProfile.objects.filter(active=True).values("person_id"))
    )
    rows = (
        Employment.objects.filter(person__in=mentors.values("pk"))
        .values("organization__municipality_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("organization__municipality_id", "n")
    )
    return dict(rows)


def municipalities_with_school(region, on: date | None = None) -> tuple[int, int]:
    """C23: (municipalities with a mentoring school working on the day, municipalities)."""
    on = on or date.today()
    working = MentoringSchool.objects.filter(founded_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=on)
    )
    municipalities = Municipality.objects.filter(region=region)
    return (
        municipalities.filter(pk__in=working.values("municipality_id")).count(),
        municipalities.count(),
    )


def schools_in_mentoring(region, municipality=None, on: date | None = None) -> tuple[int, int]:
    """C24, D15, F8.17: (general schools with a programme or a pair working on the day, general
    schools)."""
    on = on or date.today()
    schools = Organization.objects.filter(region=region, kind=OrganizationKind.GENERAL)
    if municipality is not None:
        schools = schools.filter(municipality=municipality)
    programs = MentoringProgram.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    involved = schools.filter(
        Q(pk__in=programs.values("organization_id"))
        | Q(pk__in=_pairs_on(on).values("organization_id"))
    )
    return involved.count(), schools.count()


def pending_requests_for(person_id) -> QuerySet:
    return MentorshipRequest.objects.filter(mentor_id=person_id, status=RequestStatus.PENDING)
