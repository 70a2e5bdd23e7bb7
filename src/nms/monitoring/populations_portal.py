"""Populations over the portal app's records (see populations.py): innovation sites, professional
communities and the resources of the navigator.

- `innovation_sites` — regional innovation sites in force during the period (their project's
  period overlaps it), counted by row (a site is one project); the territory is the
  organization's;
- `communities` — professional communities recorded by the period's end (a stock); a regional
  community has no municipality and counts at the region's scope only;
- `navigator_resources` — resources of the navigator recorded by the period's end.
"""

from nms.monitoring.populations import Population, _add

_add(
    Population(
        key="innovation_sites",
        label="региональные инновационные площадки",
        model="portal.InnovationSite",
        region="region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        interval=("starts_on", "ends_on"),
        unit="row",
        fields={"status": "status", "topic": "topic", "decided_by": "decided_by"},
    ),
    Population(
        key="communities",
        label="профессиональные сообщества",
        model="portal.Community",
        region="region_id",
        municipality="municipality_id",
        since="created_at__date",
        unit="row",
        fields={"kind": "kind", "level": "level", "published": "published"},
    ),
    Population(
        key="navigator_resources",
        label="ресурсы навигатора образовательных ресурсов",
        model="portal.Resource",
        region="region_id",
        since="created_at__date",
        unit="row",
        fields={"kind": "kind", "audience": "audience", "published": "published"},
    ),
)
