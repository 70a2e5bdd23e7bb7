"""What a scope may see and do in the app roadmap.

Seeing:
- Roadmaps, their directions and measures, activities and their statuses: the region's for the
  ministry, ЦНППМ and regional methodists (read); a municipal coordinator sees the region's
  roadmap of their municipality (the whole of it: the municipality takes part in the region's
  work); a school administration sees only the activities its organization is responsible for
  (and the roadmaps, directions and measures they are in). Teachers and experts see no roadmap.
- Agreements: the region's for the ministry, ЦНППМ and methodists; an agreement to which the
  municipality (or the organization) is a party for the municipal (the school) administration.
- Documents of the system: the region's for the ministry, ЦНППМ and methodists; the published
  regional documents and their municipality's (and organization's) for the municipal and school
  administration; a teacher reads the published documents of their region and municipality —
  the only thing of this app a teacher sees (they are the system's public rules).

Doing:
- `roadmap.edit` — roadmaps, their directions, measures and activities, import (ministry, ЦНППМ
  of the region);
- `roadmap.status` — a status with evidence for an activity the role is responsible for:
  the ministry and ЦНППМ for any activity of their region, a municipal coordinator for those of
  their municipality (responsible kind «муниципалитет»), a school administration for those of
  their organization;
- `roadmap.agreements` — agreements (ministry, ЦНППМ);
- `roadmap.documents` — documents: the ministry and ЦНППМ any of the region, a municipal
  coordinator those of their municipality.
"""

from django.db.models import Q

from nms.accounts.access import NOTHING, any_of, register_action, register_model
from nms.accounts.models import Role
from nms.registry.models import Organization
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    Direction,
    Document,
    DocumentLevel,
    DocumentVersion,
    EvidenceFile,
    Measure,
    ResponsibleKind,
    Roadmap,
)

REGION_READERS = (Role.MINISTRY, Role.CNPPM, Role.METHODIST)
EDITORS = (Role.ADMIN, Role.MINISTRY, Role.CNPPM)


def _region_of(a):
    if a.region_id:
        return a.region_id
    if a.municipality_id:
        return a.municipality.region_id
    if a.organization_id:
        return a.organization.region_id
    if a.person_id:
        return a.person.region_id
    return None


def activity_q(scope, prefix: str = "") -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in REGION_READERS or a.role == Role.MUNICIPAL:
            parts.append(Q(**{f"{prefix}roadmap__region_id": _region_of(a)}))
        elif a.role == Role.SCHOOL:
            parts.append(Q(**{f"{prefix}responsible_organization_id": a.organization_id}))
    return any_of(parts)


def responsible_q(assignments, prefix: str = "") -> Q:
    """The activities these assignments answer for ("my" activities: the home page's overdue)."""
    parts = []
    for a in assignments:
        region = Q(**{f"{prefix}roadmap__region_id": _region_of(a)})
        if a.role == Role.MINISTRY:
            parts.append(region & Q(**{f"{prefix}responsible_kind": ResponsibleKind.MINISTRY}))
        elif a.role == Role.CNPPM:
            kinds = (ResponsibleKind.CNPPM, ResponsibleKind.INSTITUTE)
            parts.append(region & Q(**{f"{prefix}responsible_kind__in": kinds}))
        elif a.role == Role.MUNICIPAL:
            parts.append(
                Q(**{f"{prefix}responsible_kind": ResponsibleKind.MUNICIPALITY})
                & Q(**{f"{prefix}responsible_municipality_id": a.municipality_id})
            )
        elif a.role == Role.SCHOOL:
            parts.append(Q(**{f"{prefix}responsible_organization_id": a.organization_id}))
    return any_of(parts)


def _whole_roadmap_regions(scope) -> list:
    """The regions whose roadmaps the scope reads whole (not a school's part of them)."""
    return [
        _region_of(a)
        for a in scope.assignments
        if a.role in REGION_READERS or a.role == Role.MUNICIPAL
    ]


def _schools_activities(scope):
    """The activities of the scope's schools (a school sees only its part of a roadmap), or
    None without a school assignment."""
    schools = [a.organization_id for a in scope.assignments if a.role == Role.SCHOOL]
    if not schools:
        return None
    return Activity.objects.filter(responsible_organization_id__in=schools)


def roadmaps(scope):
    if scope.is_all:
        return Roadmap.objects.all()
    regions = _whole_roadmap_regions(scope)
    q = Q(region_id__in=regions) if regions else NOTHING
    mine = _schools_activities(scope)
    if mine is not None:
        q |= Q(pk__in=mine.values("roadmap_id"))
    return Roadmap.objects.filter(q)


def directions(scope):
    """A roadmap's directions as its activities are seen: whole for the region's readers and the
    municipal coordinator; a school only those with its activities (as the roadmap's page and
    its export show it)."""
    if scope.is_all:
        return Direction.objects.all()
    regions = _whole_roadmap_regions(scope)
    q = Q(roadmap__region_id__in=regions) if regions else NOTHING
    mine = _schools_activities(scope)
    if mine is not None:
        q |= Q(pk__in=mine.values("measure__direction_id"))
    return Direction.objects.filter(q)


def measures(scope):
    if scope.is_all:
        return Measure.objects.all()
    regions = _whole_roadmap_regions(scope)
    q = Q(direction__roadmap__region_id__in=regions) if regions else NOTHING
    mine = _schools_activities(scope)
    if mine is not None:
        q |= Q(pk__in=mine.values("measure_id"))
    return Measure.objects.filter(q)


def activities(scope):
    return Activity.objects.filter(activity_q(scope))


def agreement_q(scope) -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        if a.role in REGION_READERS:
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL:
            parts.append(Q(municipality_id=a.municipality_id))
        elif a.role == Role.SCHOOL:
            parts.append(Q(organizations=a.organization_id))
    return any_of(parts)


def agreements(scope):
    q = agreement_q(scope)
    if any(a.role == Role.SCHOOL for a in scope.assignments) and not scope.is_all:
        # through the M2M: one row per agreement
        return Agreement.objects.filter(pk__in=Agreement.objects.filter(q).values("pk"))
    return Agreement.objects.filter(q)


def document_q(scope) -> Q:
    parts = []
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return Q()
        region = _region_of(a)
        if a.role in REGION_READERS:
            parts.append(Q(region_id=region))
            continue
        published_regional = Q(region_id=region, published=True, level=DocumentLevel.REGIONAL)
        if a.role == Role.MUNICIPAL:
            parts.append(published_regional | Q(municipality_id=a.municipality_id))
        elif a.role == Role.SCHOOL:
            org = a.organization
            parts.append(
                published_regional
                | Q(organization_id=a.organization_id)
                | Q(
                    municipality_id=org.municipality_id,
                    level=DocumentLevel.MUNICIPAL,
                    published=True,
                )
            )
        elif a.role in (Role.TEACHER, Role.EXPERT):
            municipalities = Organization.objects.filter(employments__person_id=a.person_id).values(
                "municipality_id"
            )
            parts.append(
                published_regional
                | Q(
                    municipality__in=municipalities,
                    level=DocumentLevel.MUNICIPAL,
                    published=True,
                )
            )
    return any_of(parts)


def documents(scope):
    return Document.objects.filter(document_q(scope))


# -- actions -----------------------------------------------------------------------------------
def _region_ids(scope) -> set:
    return {_region_of(a) for a in scope.assignments}


def _roadmap_region(obj):
    if isinstance(obj, Roadmap):
        return obj.region_id
    if isinstance(obj, Activity | Direction):
        return obj.roadmap.region_id
    if isinstance(obj, Measure):
        return obj.direction.roadmap.region_id
    if isinstance(obj, ActivityPeriod):
        return obj.activity.roadmap.region_id
    return getattr(obj, "region_id", None)


def _edit_check(scope, obj) -> bool:
    return scope.is_all or _roadmap_region(obj) in _region_ids(scope)


def _status_check(scope, obj) -> bool:
    activity = obj.activity if isinstance(obj, ActivityPeriod) else obj
    if scope.is_all:
        return True
    for a in scope.assignments:
        if a.role in (Role.MINISTRY, Role.CNPPM) and activity.roadmap.region_id == a.region_id:
            return True
        if (
            a.role == Role.MUNICIPAL
            and activity.responsible_kind == ResponsibleKind.MUNICIPALITY
            and activity.responsible_municipality_id == a.municipality_id
        ):
            return True
        if a.role == Role.SCHOOL and activity.responsible_organization_id == a.organization_id:
            return True
    return False


def _document_check(scope, obj) -> bool:
    if scope.is_all:
        return True
    for a in scope.assignments:
        if a.role in (Role.MINISTRY, Role.CNPPM) and obj.region_id == a.region_id:
            return True
        if a.role == Role.MUNICIPAL and obj.municipality_id == a.municipality_id:
            return obj.level == DocumentLevel.MUNICIPAL
    return False


register_model(Roadmap, roadmaps)
register_model(Activity, activities)
register_model(Direction, directions)
register_model(Measure, measures)
register_model(
    ActivityPeriod, lambda scope: ActivityPeriod.objects.filter(activity_q(scope, "activity__"))
)
register_model(
    EvidenceFile,
    lambda scope: EvidenceFile.objects.filter(activity_q(scope, "period__activity__")),
)
register_model(Agreement, agreements)
register_model(Document, documents)
register_model(
    DocumentVersion,
    lambda scope: DocumentVersion.objects.filter(document__in=documents(scope).values("pk")),
)

register_action(
    "roadmap.view",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL),
    "видеть дорожную карту и соглашения",
)
register_action("roadmap.edit", EDITORS, "вести дорожную карту региона", _edit_check)
register_action(
    "roadmap.status",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL),
    "отмечать выполнение мероприятий дорожной карты, за которые отвечает",
    _status_check,
)
register_action("roadmap.agreements", EDITORS, "вести реестр соглашений", _edit_check)
register_action(
    "roadmap.documents",
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL),
    "вести реестр документов системы",
    _document_check,
)
