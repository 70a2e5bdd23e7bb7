"""What a scope may see and do in the app portal.

- Innovation sites, communities, resources and news are the region's content: everyone signed in
  reads those of the regions their assignments are bound to (the administrator: all), drafts
  and unpublished items included — the public portal (no login) shows the published ones only
  (selectors.public_*). Members of a community and a site's documents go with their parent.
- `portal.manage` — the region's editors, the ЦНППМ and the ministry (and the administrator):
  every item of their region, the selection's decision on an innovation site.
- `portal.edit` — the editors above and the municipal coordinator: a municipal coordinator
  edits the communities of their municipality and the innovation sites of its organizations
  (and files applications for them); resources and news are the editors' only.
"""

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.events.access import region_q
from nms.portal.models import (
    Community,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
    SiteDocument,
)

EDITORS = (Role.ADMIN, Role.MINISTRY, Role.CNPPM)
MANAGE = "portal.manage"
EDIT = "portal.edit"


def sites(scope):
    return InnovationSite.objects.filter(region_q(scope))


def communities(scope):
    return Community.objects.filter(region_q(scope))


def resources(scope):
    return Resource.objects.filter(region_q(scope))


def news(scope):
    return News.objects.filter(region_q(scope))


def _region_editor(scope, obj) -> bool:
    return any(
        a.role == Role.ADMIN
        or (a.role in (Role.MINISTRY, Role.CNPPM) and a.region_id == obj.region_id)
        for a in scope.assignments
    )


def can_edit(scope, obj) -> bool:
    """Whether the scope (narrowed to the action's roles) may create or change `obj` (it may be
    unsaved: its fields decide)."""
    if isinstance(obj, CommunityMember):
        obj = obj.community
    if isinstance(obj, SiteDocument):
        obj = obj.site
    if _region_editor(scope, obj):
        return True
    for a in scope.assignments:
        if a.role != Role.MUNICIPAL:
            continue
        if isinstance(obj, Community) and obj.municipality_id == a.municipality_id:
            return True
        if (
            isinstance(obj, InnovationSite)
            and obj.organization_id
            and obj.organization.municipality_id == a.municipality_id
        ):
            return True
    return False


register_model(InnovationSite, sites)
register_model(Community, communities)
register_model(Resource, resources)
register_model(News, news)
register_model(
    CommunityMember,
    lambda scope: CommunityMember.objects.filter(community__in=communities(scope).values("pk")),
)
register_model(
    SiteDocument, lambda scope: SiteDocument.objects.filter(site__in=sites(scope).values("pk"))
)

register_action(
    MANAGE,
    EDITORS,
    "вести открытый портал региона: площадки (отбор), сообщества, навигатор, новости",
    _region_editor,
)
register_action(
    EDIT,
    (*EDITORS, Role.MUNICIPAL),
    "вести сообщества своего муниципалитета и инновационные площадки его организаций",
    can_edit,
)
