"""What a scope may see and do in the app events.

- The catalogue (events, internship sites) is read by everyone signed in: the events and sites
  of the regions the user's assignments are bound to (the administrator: all).
- Participation and internships are people's records: the ministry and the ЦНППМ see their
  region's; the regional methodist the people assigned to them, the municipal service its
  people's, the school its staff's, a teacher or an expert their own (the registry's rule,
  `person_q`).
- Editing events: the ЦНППМ (regional and federal events of its region), the municipal service
  (events of its municipality, municipal or school level), the school administration (events
  of the school level it organizes); the administrator anything.
- Recording participation and internships: those who edit the registry's people, for the people
  they see (a school its staff, a municipality its people, the ЦНППМ its region).
- Internship sites (the status after a competitive selection): the ЦНППМ of the region.
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role
from nms.events.models import Event, EventLevel, Internship, InternshipSite, Participation
from nms.registry.access import person_q

REGION_ROLES = (Role.MINISTRY, Role.CNPPM)
EDIT = "events.edit"
RECORD = "events.record"
SITES = "events.sites"


def region_q(scope, path: str = "") -> Q:
    """The catalogue's rule: the objects of the scope's regions (the administrator: all)."""
    if scope.is_all:
        return Q()
    if not scope.user.is_authenticated or not scope.assignments:
        return Q(pk__in=[])
    return Q(**{f"{path}region_id__in": sorted(scope.region_ids)})


def people_q(scope, path: str = "person__") -> Q:
    """Whose participation the scope sees: region roles their region, the others the registry's
    people of their assignments."""
    if scope.is_all:
        return Q()
    regions = [a.region_id for a in scope.assignments if a.role in REGION_ROLES and a.region_id]
    others = [a.role for a in scope.assignments if a.role not in REGION_ROLES]
    parts = []
    if regions:
        parts.append(Q(**{f"{path}region_id__in": regions}))
    if others:
        parts.append(person_q(scope.restricted_to(others), path))
    return any_of(parts)


def _events(scope):
    return Event.objects.filter(region_q(scope))


def _sites(scope):
    return InternshipSite.objects.filter(region_q(scope))


register_model(Event, _events)
register_model(InternshipSite, _sites)
register_model(Participation, lambda scope: Participation.objects.filter(people_q(scope)))
register_model(Internship, lambda scope: Internship.objects.filter(people_q(scope)))


# -- actions -----------------------------------------------------------------------------------
def can_edit_event(scope, event) -> bool:
    """Whether one of the scope's assignments (already narrowed to the action's roles) may
    create or change this event (it may be unsaved: the fields decide)."""
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if a.role == Role.CNPPM and event.region_id == a.region_id:
            return True
        if (
            a.role == Role.MUNICIPAL
            and event.level in (EventLevel.MUNICIPAL, EventLevel.SCHOOL)
            and event.municipality_id == a.municipality_id
        ):
            return True
        if (
            a.role == Role.SCHOOL
            and event.level == EventLevel.SCHOOL
            and event.organizer_id is not None
            and event.organizer_id == a.organization_id
        ):
            return True
    return False


def can_record_for(scope, record) -> bool:
    """A participation or an internship (may be unsaved): its person must be one the scope
    edits in the registry."""
    return scope.people().filter(pk=record.person_id).exists()


def can_edit_site(scope, site) -> bool:
    return any(
        a.role == Role.ADMIN or (a.role == Role.CNPPM and site.region_id == a.region_id)
        for a in scope.assignments
    )


register_action(
    EDIT,
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL),
    "вести мероприятия: региональные (ЦНППМ), своего муниципалитета, своей ОО",
    can_edit_event,
)
register_action(
    RECORD,
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL),
    "отмечать участие в мероприятиях и стажировки своих работников",
    can_record_for,
)
register_action(
    SITES,
    (Role.ADMIN, Role.CNPPM),
    "присваивать статус стажировочной площадки",
    can_edit_site,
)
