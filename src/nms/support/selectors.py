"""Reads of the app support; each starts from the user's scope."""

from collections import defaultdict
from datetime import date

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.registry.models import Employment, Municipality, Person
from nms.registry.selectors import young_teacher_q
from nms.support.models import (
    ActiveLevel,
    ActiveMembership,
    Caseload,
    ExpertRole,
    HelpRequest,
    MembershipStatus,
    RequestStatus,
    SupportAct,
)


def _active(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


# -- lists ---------------------------------------------------------------------------------------
def memberships_for_list(user) -> QuerySet[ActiveMembership]:
    return (
        scope_of(user)
        .visible(ActiveMembership)
        .select_related("person", "municipality")
        .prefetch_related("subjects")
    )


def membership_get(user, pk) -> ActiveMembership:
    return get_visible_or_404(memberships_for_list(user), pk=pk)


def candidate_bank(user, on: date | None = None) -> QuerySet[ActiveMembership]:
    """Members of the municipal actives in force who are not in the РМА: whom ЦНППМ draws from."""
    on = on or date.today()
    in_rma = ActiveMembership.objects.filter(
        level=ActiveLevel.REGIONAL,
        status__in=(MembershipStatus.APPROVED, MembershipStatus.CANDIDATE),
    ).values("person_id")
    return (
        memberships_for_list(user)
        .filter(_active(on), level=ActiveLevel.MUNICIPAL, status=MembershipStatus.APPROVED)
        .exclude(person_id__in=in_rma)
        .order_by("person__last_name", "person__first_name", "pk")
    )


def rma_composition(user, region, on: date | None = None) -> list[ActiveMembership]:
    """The approved РМА in force on the day (the yearly order's composition)."""
    on = on or date.today()
    return list(
        memberships_for_list(user)
        .filter(_active(on), region=region, level=ActiveLevel.REGIONAL,
                status=MembershipStatus.APPROVED)
        .order_by("role", "person__last_name", "person__first_name", "pk")
    )  # fmt: skip


def training_of(person_ids) -> dict[int, list]:
    """The further training the people completed (programs' enrollments), newest first."""
    try:
        enrollment = apps.get_model("programs", "Enrollment")
    except LookupError:
        return {}
    found = defaultdict(list)
    try:
        rows = (
            enrollment.objects.filter(person_id__in=list(person_ids), status="completed")
            .select_related("run__programme")
            .order_by("-completed_on", "-pk")
        )
        for row in rows:
            found[row.person_id].append(row)
    except (FieldError, ValueError):
        return {}
    return found


def caseloads_for_list(user) -> QuerySet[Caseload]:
    return scope_of(user).visible(Caseload).select_related("teacher", "methodist")


def methodists_overview(user, region, on: date | None = None) -> list[dict]:
    """Each current regional methodist with their caseload count (A5 per methodist)."""
    from nms.support.caseloads import active_methodists

    on = on or date.today()
    memberships = (
        active_methodists(region, on)
        .filter(pk__in=scope_of(user).visible(ActiveMembership).values("pk"))
        .select_related("person", "municipality")
        .prefetch_related("subjects")
    )
    counts = dict(
        Caseload.objects.filter(region=region)
        .values("methodist_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("methodist_id", "n")
    )
    seen, rows = set(), []
    for m in memberships:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        rows.append({"membership": m, "person": m.person, "count": counts.get(m.person_id, 0)})
    rows.sort(key=lambda r: (r["person"].last_name, r["person"].first_name, r["person"].pk))
    return rows


def requests_for_list(user) -> QuerySet[HelpRequest]:
    return (
        scope_of(user)
        .visible(HelpRequest)
        .select_related("person", "organization", "methodist", "subject")
    )


def request_get(user, pk) -> HelpRequest:
    return get_visible_or_404(requests_for_list(user), pk=pk)


def overdue_q(now=None) -> Q:
    """Not answered by the deadline: still waiting past it, or answered after it."""
    now = now or timezone.now()
    late = Q(status=RequestStatus.ANSWERED, answered_at__gt=F("deadline"))
    return Q(status=RequestStatus.OPEN, deadline__lt=now) | late


def acts_for_list(user) -> QuerySet[SupportAct]:
    return (
        scope_of(user)
        .visible(SupportAct)
        .select_related("person", "organization", "methodist", "request", "route")
    )


def act_get(user, pk) -> SupportAct:
    return get_visible_or_404(acts_for_list(user), pk=pk)


def experts_for_list(user) -> QuerySet[ExpertRole]:
    return scope_of(user).visible(ExpertRole).select_related("person", "subject")


def expert_share(region, on: date | None = None) -> tuple[int, int]:
    """C37: (pedagogical workers of the region in the expert register on the day, all of them)."""
    from nms.support.caseloads import workers_q

    on = on or date.today()
    workers = workers_q(region).values("person_id")
    experts = ExpertRole.objects.filter(_active(on), region=region).values("person_id")
    total = Person.objects.filter(pk__in=workers).count()
    inside = Person.objects.filter(pk__in=workers).filter(pk__in=experts).count()
    return inside, total


# -- young teachers (A6, C25) -------------------------------------------------------------------
def _optional(app_label, model_name):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def support_forms(on: date | None = None) -> dict:
    """Each form of support a young teacher may receive, as an EXISTS on the person: a mentoring
    pair as the mentee, an individual route, a support act, a participation in an event (the
    apps mentoring and events are read by name, when they are there)."""
    from nms.routes.models import Route

    forms = {
        "route": Exists(Route.objects.filter(person=OuterRef("pk"))),
        "acts": Exists(SupportAct.objects.filter(person=OuterRef("pk"))),
    }
    pair = _optional("mentoring", "Pair")
    if pair is not None and _has_field(pair, "mentee"):
        mentoring = Exists(pair.objects.filter(mentee=OuterRef("pk")))
        if _has_field(pair, "members"):  # a group's other mentees
            # Two EXISTS, not one over a join with OR: PostgreSQL answers those by index; the
            # OR across the join scanned the pairs for each person (11 s at 100 000 people).
            members = pair._meta.get_field("members").remote_field.through
            in_group = Exists(members.objects.filter(person=OuterRef("pk")))
            mentoring = ExpressionWrapper(Q(mentoring) | Q(in_group), BooleanField())
        forms["mentoring"] = mentoring
    participation = _optional("events", "Participation")
    if participation is not None and _has_field(participation, "person"):
        forms["events"] = Exists(participation.objects.filter(person=OuterRef("pk")))
    return forms


FORM_LABELS = {
    "mentoring": "наставничество",
    "route": "ИОМ",
    "acts": "методическая поддержка",
    "events": "мероприятия",
}


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def supported_q(on: date | None = None) -> Q:
    """The person receives at least one form of support."""
    combined = Q(pk__in=[])
    for condition in support_forms(on).values():
        combined |= Q(condition)
    return combined


def young_teachers(user, on: date | None = None) -> QuerySet[Person]:
    """The young teachers (the registry's rule) the user sees, each annotated `has_<form>`."""
    on = on or date.today()
    forms = {f"has_{name}": condition for name, condition in support_forms(on).items()}
    return scope_of(user).people().filter(young_teacher_q(on)).annotate(**forms)


def young_without_support(user, on: date | None = None) -> QuerySet[Person]:
    on = on or date.today()
    return scope_of(user).people().filter(young_teacher_q(on)).exclude(supported_q(on))


def young_without_support_for_list(user) -> QuerySet[Person]:
    """The young teachers with no form of support, as their list shows them (with their jobs)."""
    return (
        young_without_support(user)
        .prefetch_related(
            Prefetch("employments", Employment.objects.select_related("organization"))
        )
        .order_by("last_name", "first_name", "pk")
    )


def young_teachers_support(user=None, *, region=None, municipality=None, on: date | None = None):
    """A6/C25 per municipality: [{municipality, young, supported, share}] — young teachers (by
    the registry's rule) working there, and those receiving at least one form of support. A
    person working in two municipalities counts in each. In one grouped query."""
    on = on or date.today()
    people = Person.objects.filter(young_teacher_q(on))
    if user is not None:
        people = people.filter(pk__in=scope_of(user).people().values("pk"))
    if region is not None:
        people = people.filter(region=region)
    supported = people.filter(supported_q(on)).values("pk")
    employments = Employment.objects.filter(person__in=people.values("pk"))
    if municipality is not None:
        employments = employments.filter(organization__municipality=municipality)
    rows = (
        employments.values("organization__municipality_id")
        .annotate(
            young=Count("person_id", distinct=True),
            supported=Count("person_id", distinct=True, filter=Q(person_id__in=supported)),
        )
        .order_by()
    )
    names = dict(Municipality.objects.values_list("pk", "name"))
    result = []
    for row in rows:
        young, helped = row["young"], row["supported"]
        result.append(
            {
                "municipality_id": row["organization__municipality_id"],
                "municipality": names.get(row["organization__municipality_id"], ""),
                "young": young,
                "supported": helped,
                "share": round(100 * helped / young, 1) if young else None,
            }
        )
    result.sort(key=lambda r: r["municipality"])
    return result
