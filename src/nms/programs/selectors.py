"""Reads of the app programs: lists for the pages, the person's training history, whether a
programme was chosen from diagnostics, completions and the indicator A3."""

from datetime import date

from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from nms.accounts.scope import scope_of
from nms.diagnostics.models import AreaScore
from nms.programs.models import Enrollment, EnrollmentStatus, Programme, Run, Team
from nms.registry.models import Employment, Person
from nms.routes.models import RouteItem

TEAM_RULES = ("any", "all")


# -- lists ---------------------------------------------------------------------------------------
def programmes_for_list(user):
    return (
        scope_of(user)
        .visible(Programme)
        .select_related("provider")
        .annotate(run_count=Count("runs", distinct=True))
        .order_by("title", "id")
    )


def runs_for_list(user):
    return scope_of(user).visible(Run).select_related("programme", "tutor")


def enrollments_for_list(user):
    return (
        scope_of(user)
        .visible(Enrollment)
        .select_related("run__programme", "person", "organization", "team")
    )


def own_organizations(user) -> list:
    """The organizations of the user's school administration assignments: their own programmes
    (provider = the organization) are a filter of the catalogue away."""
    from nms.accounts.models import Role

    return [a.organization for a in scope_of(user).of_role(Role.SCHOOL) if a.organization_id]


def search_programmes(queryset, text: str):
    text = text.strip()
    return queryset.filter(
        Q(title__icontains=text) | Q(federal_number__iexact=text) | Q(provider_name__icontains=text)
    )


def person_history(user, person):
    """The person's training as the user may see it: programme, run dates, status, certificate."""
    return enrollments_for_list(user).filter(person=person).order_by("-run__starts_on", "-id")


# -- chosen from diagnostics -----------------------------------------------------------------------
def route_sources(programme_id: int, run_id: int | None = None) -> list[str]:
    sources = [f"program:{programme_id}"]
    if run_id is not None:
        sources.insert(0, f"run:{run_id}")
    return sources


def chosen_from_diagnostics(person_id: int, programme: Programme, run: Run | None = None) -> bool:
    """The programme addresses an area where the person's latest diagnostics result found a
    deficit, or a route of the person proposes it (an item with source program:<id> or run:<id>)."""
    from nms.routes.services import latest_result  # the person's latest result, as routes read it

    result = latest_result(person_id)
    if result is not None:
        area_ids = set(programme.areas.values_list("pk", flat=True))
        if any(s.is_deficit and s.area_id in area_ids for s in result.area_scores.all()):
            return True
    sources = route_sources(programme.pk, run.pk if run else None)
    return RouteItem.objects.filter(route__person_id=person_id, source__in=sources).exists()


# -- teams ---------------------------------------------------------------------------------------
def team_rule() -> str:
    """settings.NMS_TEAM_PARTICIPATION: "any" — a team took part when at least one of its members
    completed the programme (the default); "all" — when every member did (a member who dropped
    out counts as not completed)."""
    rule = getattr(settings, "NMS_TEAM_PARTICIPATION", "any")
    return rule if rule in TEAM_RULES else "any"


def team_participated(team: Team) -> bool:
    statuses = list(team.members.values_list("status", flat=True))
    done = [s == EnrollmentStatus.COMPLETED for s in statuses]
    if not done:
        return False
    return all(done) if team_rule() == "all" else any(done)


def teams_participated_q(rule: str | None = None) -> Q:
    """A Q on Team: the team took part under the rule (one query with the team list)."""
    rule = rule or team_rule()
    completed = Enrollment.objects.filter(team=OuterRef("pk"), status=EnrollmentStatus.COMPLETED)
    if rule == "all":
        others = Enrollment.objects.filter(team=OuterRef("pk")).exclude(
            status=EnrollmentStatus.COMPLETED
        )
        return Q(Exists(completed)) & ~Q(Exists(others))
    return Q(Exists(completed))


# -- completions and A3 ------------------------------------------------------------------------
def completions_q(since: date | None = None, until: date | None = None) -> Q:
    """A Q on Enrollment: completed (a certificate recorded) within [since, until]."""
    q = Q(status=EnrollmentStatus.COMPLETED)
    if since is not None:
        q &= Q(completed_on__gte=since)
    if until is not None:
        q &= Q(completed_on__lte=until)
    return q


def _text(expression):
    return Cast(expression, output_field=CharField())


def a3_counts(municipality=None, *, since: date, until: date, region=None) -> tuple[int, int]:
    """A3 «доля педагогов, освоивших программы ФР ДПП, подобранные по результатам диагностики»
    as (numerator, denominator), in ONE SQL query.

    Denominator (CHECKLIST A3, «З: ПР»): the pedagogical workers — people with an employment in a
    pedagogical position (`Position.is_pedagogical`) in an organization of the municipality (of
    the region when no municipality is given; everybody when neither) — counted once each,
    whatever they completed; not only those who took part in diagnostics, since the indicator is
    a share of all teachers.

    Numerator: those of them who completed within [since, until] a programme that is in the
    federal registry (`in_federal_registry`) and was chosen with the diagnostics in mind:
    either (a) a diagnostics result of the person taken on or before the run's start found a
    deficit in an area the programme addresses, or (b) a route item of the person points at the
    programme or the run (source program:<id> / run:<id>). So a completion of a programme outside
    the registry, of a registry programme unrelated to the person's deficits, or one that started
    before the diagnostics that found the deficit, does not count.
    """
    employments = Employment.objects.filter(position__is_pedagogical=True)
    if municipality is not None:
        employments = employments.filter(organization__municipality=municipality)
    elif region is not None:
        employments = employments.filter(organization__region=region)
    deficit = AreaScore.objects.filter(
        result__person_id=OuterRef("person_id"),
        result__taken_on__lte=OuterRef("run__starts_on"),
        is_deficit=True,
        area__programmes=OuterRef("run__programme_id"),
    )
    proposed = RouteItem.objects.filter(route__person_id=OuterRef("person_id")).filter(
        Q(source=Concat(Value("program:"), _text(OuterRef("run__programme_id"))))
        | Q(source=Concat(Value("run:"), _text(OuterRef("run_id"))))
    )
    completed = Enrollment.objects.filter(
        completions_q(since, until),
        person_id=OuterRef("pk"),
        run__programme__in_federal_registry=True,
    ).filter(Q(Exists(deficit)) | Q(Exists(proposed)))
    counts = Person.objects.filter(pk__in=employments.values("person_id")).aggregate(
        numerator=Count("pk", filter=Q(Exists(completed))), denominator=Count("pk")
    )
    return counts["numerator"], counts["denominator"]


# -- route suggestions -------------------------------------------------------------------------
SUGGESTED = 5


def suggestion_source(area, subject_names, region_id):
    """Programmes of the region addressing the area (in force, not archived), those of the
    federal registry first — for `nms.routes.suggestions.SOURCES`."""
    from nms.routes.models import ActivityKind, Level
    from nms.routes.suggestions import Suggestion

    programmes = (
        Programme.objects.filter(region_id=region_id, areas=area)
        .exclude(status="archived")
        .order_by("-in_federal_registry", "title", "id")[:SUGGESTED]
    )
    return [
        Suggestion(
            area.pk,
            Level.REGIONAL,
            ActivityKind.PROGRAM,
            f"ДПП {p.get_kind_display()} «{p.title}» ({p.hours} ч)",
            "удостоверение о повышении квалификации",
            source=f"program:{p.pk}",
            why=f"ФР ДПП № {p.federal_number}" if p.in_federal_registry else "каталог ДПП региона",
        )
        for p in programmes
    ]


# -- the person card's panel -------------------------------------------------------------------
def person_panel(user, person) -> dict | None:
    scope = scope_of(user)
    enrollments = list(person_history(user, person))
    if not enrollments and not scope.can("programs.enroll", person):
        return None
    return {"enrollments": enrollments, "can_post_course": scope.can("routes.create_any")}
