"""The columns of the events lists (see nms.common.tables); they read only what the list
selectors fetch."""

from django.urls import reverse
from django.utils.html import format_html

from nms.common.tables import Column, Table, display

EMPTY = "—"


def period(row) -> str:
    if row.ends_on == row.starts_on:
        return display(row.starts_on)
    return f"{display(row.starts_on)} – {display(row.ends_on)}"


def flags(event) -> str:
    marks = []
    if event.horizontal_learning:
        marks.append("горизонтальное обучение")
    if event.burnout_prevention:
        marks.append("профилактика выгорания")
    if event.for_low_results:
        marks.append("для ШНОР")
    return ", ".join(marks)


class EventTable(Table):
    css_id = "events"
    empty_text = "Мероприятий не найдено."

    title = Column("Наименование", link="event-detail", sort="title")
    kind = Column("Вид", "get_kind_display", sort="kind")
    level = Column("Уровень", "get_level_display", sort="level")
    period = Column("Даты", period, sort="starts_on", css_class="nowrap")
    organizer = Column("Организатор", "organizer_display", empty=EMPTY)
    topics = Column("Темы", "topic_labels", empty=EMPTY)
    flags = Column("Отметки", flags)


def event_link(p):
    return reverse("event-detail", args=[p.event_id])


def person_link(p):
    """The card's address when the user may open it (`mark_visible_people` set the mark)."""
    if not getattr(p, "person_visible", False):
        return ""
    return reverse("person-detail", args=[p.person_id])


def mark_visible_people(user, rows) -> list:
    """Mark the rows whose person the user may open (the regional methodists see the region's
    participation, but only their caseload's cards): one query per page."""
    from nms.accounts.scope import scope_of

    rows = list(rows)
    ids = {r.person_id for r in rows}
    visible = set(scope_of(user).people().filter(pk__in=ids).values_list("pk", flat=True))
    for row in rows:
        row.person_visible = row.person_id in visible
    return rows


class ParticipationTable(Table):
    css_id = "participations"
    empty_text = "Участия не найдено."

    person = Column(
        "Работник", "person.full_name", link=person_link,
        sort=("person__last_name", "person__first_name"),
    )  # fmt: skip
    organization = Column("Организация", "organization.short_name", empty=EMPTY)
    event = Column("Мероприятие", "event.title", link=event_link, sort="event__title")
    date = Column("Дата", "event.starts_on", sort="event__starts_on", css_class="nowrap")
    role = Column("Роль", "get_role_display", sort="role")
    stage = Column("Этап", "get_stage_display", empty=EMPTY)
    nomination = Column("Номинация", empty=EMPTY)


class ParticipationEditTable(ParticipationTable):
    """For those who record participation: every row they see is one of their people's."""

    edit = Column("", lambda p: format_html(
        '<a href="{}">изменить</a>', reverse("participation-edit", args=[p.pk])
    ))  # fmt: skip


class SiteTable(Table):
    css_id = "sites"
    empty_text = "Стажировочных площадок нет."

    organization = Column(
        "Организация", "organization.short_name", link="site-detail",
        sort="organization__short_name",
    )  # fmt: skip
    municipality = Column("Муниципалитет", "organization.municipality.name")
    period = Column("Статус", period, sort="starts_on", css_class="nowrap")
    decree = Column("Приказ", lambda s: f"№ {s.order_number} от {display(s.order_date)}")
    topics = Column("Темы", "topic_labels", empty=EMPTY)
    updated = Column("Программы актуализированы", "programmes_updated_on", empty=EMPTY)


def site_link(i):
    return reverse("site-detail", args=[i.site_id])


class InternshipTable(Table):
    css_id = "internships"
    empty_text = "Стажировок не найдено."

    person = Column(
        "Работник", "person.full_name", link=person_link,
        sort=("person__last_name", "person__first_name"),
    )  # fmt: skip
    organization = Column("Организация", "organization.short_name", empty=EMPTY)
    site = Column("Площадка", "site.organization.short_name", link=site_link)
    programme = Column("Программа", empty=EMPTY)
    period = Column("Даты", period, sort="starts_on", css_class="nowrap")
    completed = Column("Завершена", sort="completed")


class InternshipEditTable(InternshipTable):
    edit = Column("", lambda i: format_html(
        '<a href="{}">изменить</a>', reverse("internship-edit", args=[i.pk])
    ))  # fmt: skip
