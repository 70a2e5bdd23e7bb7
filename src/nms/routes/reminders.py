"""The daily record of what is due: overdue map items and routes whose audit has come."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail

from nms.routes.models import Reminder, ReminderKind, Route, RouteItem, Status
from nms.routes.selectors import audit_due_q, overdue_items_q, today


@dataclass
class ReminderRun:
    new_overdue: int
    new_audits: int
    emailed: int


def record_reminders(on: date | None = None) -> ReminderRun:
    """Record (once) each overdue item and each due audit; e-mail them when mail is configured."""
    on = on or today()
    under_way = Route.objects.filter(status__in=(Status.IN_PROGRESS, Status.AUDIT))
    overdue = RouteItem.objects.filter(overdue_items_q(on), route__in=under_way)
    candidates = [
        Reminder(route_id=i.route_id, item=i, kind=ReminderKind.ITEM_OVERDUE, due_on=i.due_on,
                 recorded_on=on)
        for i in overdue.only("id", "route_id", "due_on")
    ] + [
        Reminder(route=r, kind=ReminderKind.AUDIT_DUE, due_on=r.audit_due_on, recorded_on=on)
        for r in Route.objects.filter(audit_due_q(on)).only("id", "ends_on")
    ]  # fmt: skip
    known = set(
        Reminder.objects.filter(route_id__in={c.route_id for c in candidates}).values_list(
            "route_id", "item_id", "kind", "due_on"
        )
    )
    new = [c for c in candidates if (c.route_id, c.item_id, c.kind, c.due_on) not in known]
    Reminder.objects.bulk_create(new, batch_size=500)
    emailed = _email(new) if getattr(settings, "EMAIL_HOST", "") else 0
    return ReminderRun(
        new_overdue=sum(1 for r in new if r.kind == ReminderKind.ITEM_OVERDUE),
        new_audits=sum(1 for r in new if r.kind == ReminderKind.AUDIT_DUE),
        emailed=emailed,
    )


def _email(reminders: list[Reminder]) -> int:
    routes = Route.objects.select_related("person", "methodist").in_bulk(
        {r.route_id for r in reminders}
    )
    messages = []
    for reminder in reminders:
        route = routes[reminder.route_id]
        recipients = [e for e in (route.person.email, getattr(route.methodist, "email", "")) if e]
        if not recipients:
            continue
        subject = f"НМС: {reminder.get_kind_display()}"
        body = f"{route}: {reminder.get_kind_display()}, срок {reminder.due_on:%d.%m.%Y}."
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(messages, fail_silently=True)
    Reminder.objects.filter(pk__in=[r.pk for r in reminders if r.pk]).update(emailed=True)
    return len(messages)
