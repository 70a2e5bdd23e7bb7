"""The columns of the mentoring lists (see nms.common.tables); each reads only what the list's
selector fetched."""

from django.urls import reverse

from nms.common.tables import Column, Table, display


def _period(obj) -> str:
    end = display(obj.ends_on) if obj.ends_on else "…"
    return f"{display(obj.starts_on)} – {end}"


class PairTable(Table):
    mentor = Column(
        "Наставник",
        "mentor.full_name",
        link="mentoring-pair-detail",
        sort=("mentor__last_name", "mentor__first_name"),
    )
    mentee = Column(
        "Наставляемый", "mentee.full_name", sort=("mentee__last_name", "mentee__first_name")
    )
    organization = Column("Организация наставляемого", "organization.short_name")
    form = Column("Форма", "get_form_display", sort="form")
    period = Column("Период", _period, sort="starts_on")
    status = Column("Состояние", "get_status_display", sort="status")
    early = Column("Досрочно", "completed_early")


class RequestTable(Table):
    mentee = Column(
        "Наставляемый",
        "mentee.full_name",
        link="mentoring-request-detail",
        sort=("mentee__last_name", "mentee__first_name"),
    )
    mentor = Column(
        "Наставник", "mentor.full_name", sort=("mentor__last_name", "mentor__first_name")
    )
    form = Column("Форма", "get_form_display", sort="form")
    created_at = Column("Отправлен", "created_at", sort="created_at")
    status = Column("Состояние", "get_status_display", sort="status")


class ProgramTable(Table):
    title = Column("Программа", link="mentoring-program-detail", sort="title")
    organization = Column("Организация", "organization.short_name", sort="organization__short_name")
    municipality = Column("Муниципалитет", "organization.municipality.name")
    curator = Column("Куратор", "curator.full_name")
    period = Column("Период", _period, sort="starts_on")
    active_pairs = Column("Действующих пар", sort="active_pairs")


class ProfileTable(Table):
    person = Column(
        "Наставник",
        "person.full_name",
        link="mentor-detail",
        sort=("person__last_name", "person__first_name"),
    )
    capacity = Column("Мест", sort="capacity")
    forms = Column("Формы", "forms_display")
    public = Column("В открытом реестре", sort="public")
    active = Column("Принимает", sort="active")


def _edit_link(url_name):
    """The edit page's address on rows the user may change (`can_edit`, set by the view)."""
    return lambda row: reverse(url_name, args=[row.pk]) if getattr(row, "can_edit", False) else ""


class CuratorTable(Table):
    person = Column("Куратор", "person.full_name", link=_edit_link("mentoring-curator-edit"))
    level = Column("Уровень", "get_level_display", sort="level")
    municipality = Column("Муниципалитет", "municipality.name", sort="municipality__name")
    organization = Column("Организация", "organization.short_name")
    period = Column("Период", _period, sort="starts_on")


class SchoolTable(Table):
    name = Column("Школа наставничества", link=_edit_link("mentoring-school-edit"), sort="name")
    municipality = Column("Муниципалитет", "municipality.name", sort="municipality__name")
    base = Column("Базовая организация", "base.short_name")
    founded_on = Column("Создана", sort="founded_on")
    closed_on = Column("Прекратила работу", sort="closed_on")
