"""Reads of the registry. Each takes the user and starts from the user's scope."""

from datetime import date

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from nms.accounts.models import Role
from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.text import search_tokens
from nms.registry.models import (
    YOUNG_TEACHER_MAX_EXPERIENCE,
    Employment,
    Municipality,
    Organization,
    Person,
    experience_cutoff,
    young_birth_cutoff,
)

EMPLOYMENTS_FOR_LISTS = Prefetch(
    "employments",
    queryset=Employment.objects.select_related("organization", "position").prefetch_related(
        "subjects"
    ),
)


# -- people ------------------------------------------------------------------------------------
def people_visible(user) -> QuerySet[Person]:
    return scope_of(user).people()


def people_for_list(user) -> QuerySet[Person]:
    """Visible people with what a list row shows, in a fixed number of queries."""
    return people_visible(user).prefetch_related(EMPLOYMENTS_FOR_LISTS)


def person_get(user, pk) -> Person:
    return get_visible_or_404(people_for_list(user), pk=pk)


SEARCH_IDS_MAX = 2000  # up to this many found people, a search is pinned to their ids


def search_people(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """ФИО (ё and е alike, any word order, prefixes), СНИЛС with or without separators."""
    return _pinned_search(queryset, query)


def _pinned_search(queryset: QuerySet, query: str) -> QuerySet:
    """The queryset narrowed to `search_text` containing every token of the query.

    On PostgreSQL the tokens are found through the trigram index (registry 0005). Found by
    surname, people sit together in the list's order, so a page's LIMIT walking that order's
    index would read half the region to reach them; the ids found are read first (one query
    without an order, at most SEARCH_IDS_MAX + 1 rows) and the list is over those ids. A search
    finding more keeps the plain condition: so many are spread along the order anyway.
    """
    tokens = search_tokens(query)
    if not tokens:
        return queryset
    found = queryset
    for token in tokens:
        found = found.filter(search_text__contains=token)
    ids = list(found.order_by().values_list("pk", flat=True)[: SEARCH_IDS_MAX + 1])
    if len(ids) > SEARCH_IDS_MAX:
        return found
    if connection.vendor == "postgresql":
        # As a set-returning function PostgreSQL takes the ids for a few rows and reads them by
        # the primary key, then sorts; as an IN list of known length it would walk the order's
        # index expecting to meet them evenly spread.
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return queryset.filter(pk__in=ids)


def _with_employment(**lookup) -> Exists:
    return Exists(Employment.objects.filter(person=OuterRef("pk"), **lookup))


# Reverse relations from a person to the apps above the registry, read by name (no import).
HAVING = {"has_results": "diagnostic_results", "has_route": "routes"}


def filter_people_having(queryset: QuerySet[Person], **conditions) -> QuerySet[Person]:
    """People with (True) or without (False) diagnostic results (`has_results`) or routes
    (`has_route`) — the home page's «работники без диагностики / без ИОМ»."""
    for name, value in conditions.items():
        related = Person._meta.get_field(HAVING[name]).related_model
        exists = Exists(related.objects.filter(person=OuterRef("pk")))
        queryset = queryset.filter(exists if value else ~exists)
    return queryset


def filter_people(
    queryset: QuerySet[Person],
    *,
    municipality=None,
    organization=None,
    kind=None,
    position=None,
    subject=None,
    category=None,
    young=None,
    manager=None,
    on: date | None = None,
) -> QuerySet[Person]:
    """The people-list filters; each condition is on some employment of the person."""
    if municipality:
        queryset = queryset.filter(_with_employment(organization__municipality=municipality))
    if organization:
        queryset = queryset.filter(_with_employment(organization=organization))
    if kind:
        queryset = queryset.filter(_with_employment(organization__kind=kind))
    if position:
        queryset = queryset.filter(_with_employment(position=position))
    if subject:
        queryset = queryset.filter(_with_employment(subjects=subject))
    if category:
        queryset = queryset.filter(_with_employment(category=category))
    if young is not None:
        queryset = queryset.filter(young_teacher_q(on) if young else ~young_teacher_q(on))
    if manager is not None:
        has_manager_post = ~Q(manager_kind="")
        managers = Q(Exists(Employment.objects.filter(has_manager_post, person=OuterRef("pk"))))
        queryset = queryset.filter(managers if manager else ~managers)
    return queryset


def young_teacher_q(on: date | None = None) -> Q:
    """Under 35 and pedagogical experience up to 3 years, as SQL (see Person.is_young_teacher)."""
    on = on or date.today()
    longer = experience_cutoff(on, YOUNG_TEACHER_MAX_EXPERIENCE)
    return (
        Q(birth_date__gt=young_birth_cutoff(on))
        & Q(_with_employment())
        & ~Q(_with_employment(experience_start__lt=longer))
    )


def person_history(person: Person) -> list[dict]:
    """Who changed what and when, for the person and their employments, newest first."""
    entries = []
    records = list(person.history.select_related("history_user").order_by("history_date"))
    employment_records = list(
        Employment.history.filter(person_id=person.pk)
        .select_related("history_user", "organization", "position")
        .order_by("history_date")
    )
    entries += _diff_entries(records, Person, "Работник")
    entries += _diff_entries(employment_records, Employment, "Место работы")
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries


_HISTORY_TYPES = {"+": "создание", "~": "изменение", "-": "удаление"}


def _diff_entries(records, model, label) -> list[dict]:
    previous_by_object = {}
    entries = []
    skip = {"search_text", "experience_start", "id"}
    for record in records:
        previous = previous_by_object.get(record.id)
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=list(skip))
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        previous_by_object[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user.display_name if record.history_user else "система",
                "object": label
                if model is not Employment
                else f"{label}: {record.organization.short_name}",
                "action": _HISTORY_TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return entries


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target else str(value)
    return str(value)


# -- organizations -----------------------------------------------------------------------------
def organizations_visible(user) -> QuerySet[Organization]:
    return scope_of(user).organizations()


def organizations_for_list(user) -> QuerySet[Organization]:
    """Visible organizations with their municipality and the number of staff the user sees.

    The staff are counted by a correlated subquery, for the rows of the page only (a JOIN and
    GROUP BY would count the staff of every organization of the region first)."""
    scope = scope_of(user)
    staff = Employment.objects.filter(organization=OuterRef("pk"))
    if scope.has(Role.METHODIST, Role.TEACHER, Role.EXPERT) and not scope.is_all:
        # These roles see organizations through particular people: count only those.
        staff = staff.filter(person__in=scope.people())
    count = staff.order_by().values("organization").annotate(n=Count("pk")).values("n")
    return (
        scope.organizations()
        .select_related("municipality")
        .annotate(staff_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .order_by("short_name", "id")
    )


def search_organizations(queryset: QuerySet[Organization], query: str):
    """Name or ИНН, as `search_people`."""
    return _pinned_search(queryset, query)


def organization_staff(user, organization: Organization) -> QuerySet[Employment]:
    """Employments of the organization among the people the user may see."""
    return (
        Employment.objects.filter(organization=organization, person__in=people_visible(user))
        .select_related("person", "position")
        .prefetch_related("subjects")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )


MANAGER_ORDER = {"head": 0, "deputy": 1, "unit_head": 2}


def management_team(user, organization: Organization) -> list[Employment]:
    """The organization's managers: head first, then deputies, then unit heads."""
    managers = organization_staff(user, organization).exclude(manager_kind="")
    return sorted(managers, key=lambda e: (MANAGER_ORDER[e.manager_kind], e.person.full_name))


# -- territories and counts --------------------------------------------------------------------
def municipalities_visible(user) -> QuerySet[Municipality]:
    return scope_of(user).municipalities()


def employments_for_list(user) -> QuerySet[Employment]:
    """Visible employments with what a row shows, in a fixed number of queries."""
    return (
        scope_of(user)
        .employments()
        .select_related("person", "organization", "position")
        .prefetch_related("subjects")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )
