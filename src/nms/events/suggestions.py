"""Route suggestions from the events catalogue: upcoming events of the region addressing the
deficit's competency area, and internship sites with the status working on it
(nms.routes.suggestions.SOURCES)."""

from datetime import date

from nms.events.models import Event, EventLevel, InternshipSite
from nms.routes.models import ActivityKind, Level
from nms.routes.suggestions import Suggestion

LIMIT = 5
LEVELS = {
    EventLevel.SCHOOL: Level.ORGANIZATION,
    EventLevel.MUNICIPAL: Level.MUNICIPAL,
    EventLevel.REGIONAL: Level.REGIONAL,
    EventLevel.FEDERAL: Level.REGIONAL,
}


def events_source(area, subjects, region_id, today: date | None = None) -> list[Suggestion]:
    today = today or date.today()
    events = (
        Event.objects.filter(region_id=region_id, areas=area, starts_on__gte=today)
        .exclude(level=EventLevel.SCHOOL)
        .order_by("starts_on", "id")[:LIMIT]
    )
    return [
        Suggestion(
            area.pk, LEVELS[e.level], ActivityKind.EVENT, e.title,
            "подтверждение участия (отметка организатора)", f"event:{e.pk}",
            why=f"{e.get_kind_display()}, {e.starts_on:%d.%m.%Y}",
        )
        for e in events
    ]  # fmt: skip


def sites_source(area, subjects, region_id, today: date | None = None) -> list[Suggestion]:
    today = today or date.today()
    sites = (
        InternshipSite.objects.filter(region_id=region_id, areas=area, ends_on__gte=today)
        .select_related("organization")
        .order_by("ends_on", "id")[:LIMIT]
    )
    return [
        Suggestion(
            area.pk, Level.REGIONAL, ActivityKind.INTERNSHIP,
            f"Стажировка: {s.organization.short_name}", "отчёт о стажировке", f"site:{s.pk}",
            why=f"стажировочная площадка до {s.ends_on:%d.%m.%Y}",
        )
        for s in sites
    ]  # fmt: skip


def register() -> None:
    from nms.routes.suggestions import SOURCES

    for source in (events_source, sites_source):
        if source not in SOURCES:
            SOURCES.insert(0, source)
