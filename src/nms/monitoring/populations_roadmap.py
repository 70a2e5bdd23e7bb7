"""Populations over the roadmap app's records (see populations.py).

- `roadmap_periods` — an activity of a roadmap in a reporting period (a year it is due),
  placed in the monitoring period by its due date; flags `on_time` (done by the due date: A1)
  and `overdue` (the due date passed, not done — the roadmap's rule, `overdue_q`). Its
  municipality and organization are the responsible subject's (a municipality's service, an
  organization), so a municipality's A1 is over the activities it answers for.
- `roadmaps` — roadmaps approved by the period's end (B1, E2).
- `agreements` — agreements in force during the period (from–to), with their kind and the
  municipality that is a party (C3, D3, C4, E3, F7.3, G13).
- `system_documents` — documents of the system in force during the period (adopted, not yet
  repealed), by kind and level, with the municipality or organization they belong to (E1, C1,
  C2, F7.2, G12).
"""

from datetime import date

from django.db.models import F, Q

from nms.monitoring.populations import Population, _add


def _on_time(value, ctx, pop):
    q = Q(status="done", done_on__isnull=False, done_on__lte=F("due_on"))
    return q if value else ~q


def _overdue(value, ctx, pop):
    """The roadmap's rule (roadmap.models.overdue_q), read on the period's last day (or today)."""
    on = min(ctx.ends_on, date.today())
    q = Q(due_on__lt=on) & ~Q(status="done")
    return q if value else ~q


_add(
    Population(
        key="roadmap_periods",
        label="мероприятия дорожной карты со сроком в периоде",
        model="roadmap.ActivityPeriod",
        region="activity__roadmap__region_id",
        municipality="activity__responsible_municipality_id",
        organization="activity__responsible_organization_id",
        date="due_on",
        unit="row",
        fields={
            "status": "status",
            "responsible_kind": "activity__responsible_kind",
            "roadmap": "activity__roadmap_id",
        },
        flags={"on_time": _on_time, "overdue": _overdue},
    ),
    Population(
        key="roadmaps",
        label="утверждённые дорожные карты",
        model="roadmap.Roadmap",
        region="region_id",
        since="approved_on",
        unit="row",
    ),
    Population(
        key="agreements",
        label="действующие соглашения",
        model="roadmap.Agreement",
        region="region_id",
        municipality="municipality_id",
        interval=("valid_from", "valid_to"),
        unit="row",
        fields={"kind": "kind"},
    ),
    Population(
        key="system_documents",
        label="действующие документы системы",
        model="roadmap.Document",
        region="region_id",
        municipality="municipality_id",
        organization="organization_id",
        interval=("adopted_on", "repealed_on"),
        unit="row",
        fields={"kind": "kind", "level": "level", "published": "published"},
    ),
)
