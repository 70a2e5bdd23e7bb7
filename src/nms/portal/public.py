"""The public portal's list of pages and the published monitoring summary.

`PUBLIC_PAGES` names every page an anonymous visitor may open, in one place: the portal's own
pages and those of other apps (the mentor registry, the banks of practices and materials, the
vacancies). Each entry is (url name, object source or None): None for a page without an object;
a source is a function `source(region) -> queryset` of the objects whose detail page is public
(one page per object, reversed with its pk). A url name that does not exist (an app not built
yet) is left out (`existing_pages`), so the portal and its test work before those pages exist.
The privacy test (tests/portal/test_public_privacy.py) fetches every one of them anonymously.

The published monitoring summary (`monitoring_summary`): monitoring has no «published» mark on
indicators, so the portal publishes, at the region's scope, the latest computed period's values
of the federal set A (A1–A6) and of the region's own indicators (set R, the region's roadmap
targets the region entered itself) — `PUBLISHED_SETS`. Only the value, the target and whether
it is met are shown: never a snapshot's details (they may name people).
"""

from django.urls import NoReverseMatch, reverse

from nms.monitoring.cards import region_indicators
from nms.monitoring.dashboards import fmt
from nms.monitoring.models import IndicatorSet, ScopeType, Snapshot
from nms.portal import selectors

PUBLISHED_SETS = (IndicatorSet.FEDERAL, IndicatorSet.REGION)


def _catalog_items(kind: str):
    def source(region):
        from django.apps import apps

        try:
            Item = apps.get_model("catalogs", "Item")
        except LookupError:
            return None
        return Item.objects.filter(region=region, kind=kind, status="published")

    return source


PUBLIC_PAGES: list[tuple[str, object]] = [
    ("portal-home", None),
    ("portal-news", None),
    ("portal-news-detail", selectors.public_news),
    ("portal-communities", None),
    ("portal-community", selectors.public_communities),
    ("portal-sites", None),
    ("portal-site", selectors.public_sites),
    ("portal-navigator", None),
    ("portal-resource", selectors.public_resources),
    ("portal-internships", None),
    ("portal-internship", selectors.public_internship_sites),
    ("portal-monitoring", None),
    ("mentor-registry", None),
    ("public-practice-list", None),
    ("public-practice-detail", _catalog_items("practice")),
    ("public-material-list", None),
    ("public-material-detail", _catalog_items("material")),
    ("public-vacancy-list", None),
]


def safe_url(name: str, *args) -> str:
    """The address of a named page, or "" when no such page exists (yet)."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


def existing_pages() -> list[tuple[str, object]]:
    """The entries of PUBLIC_PAGES whose url name exists."""
    found = []
    for name, source in PUBLIC_PAGES:
        url = safe_url(name, 1) if source is not None else safe_url(name)
        if url:
            found.append((name, source))
    return found


def public_urls(region) -> list[str]:
    """Every public address of the region: the pages, and each public object's page."""
    urls = []
    query = f"?region={region.pk}"
    for name, source in existing_pages():
        if source is None:
            urls.append(reverse(name) + query)
            continue
        rows = source(region)
        if rows is None:
            continue
        for pk in rows.values_list("pk", flat=True):
            urls.append(reverse(name, args=[pk]))
    return urls


# -- the published monitoring summary ----------------------------------------------------------
def monitoring_summary(region) -> dict:
    """{"period": the latest period computed for the region, "rows": [{code, name, value,
    target, met}]} of the published indicators at the region's scope."""
    indicators = [i for i in region_indicators(region) if i.indicator_set in PUBLISHED_SETS]
    ids = [i.pk for i in indicators]
    own = Snapshot.objects.filter(
        region=region,
        indicator_id__in=ids,
        scope_type=ScopeType.REGION,
        scope_id=region.pk,
        subject__isnull=True,
    )
    latest = own.order_by("-ends_on", "-period").values_list("period", flat=True).first()
    if latest is None:
        return {"period": "", "rows": []}
    snapshots = {s.indicator_id: s for s in own.filter(period=latest)}
    rows = []
    for indicator in indicators:
        snapshot = snapshots.get(indicator.pk)
        if snapshot is None:
            continue
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "set": indicator.get_indicator_set_display(),
                "value": fmt(snapshot.value, indicator.unit),
                "target": fmt(snapshot.target, indicator.unit)
                if snapshot.target is not None
                else "—",
                "met": snapshot.met,
                "status": snapshot.get_status_display(),
            }
        )
    return {"period": latest, "rows": rows}
