"""The columns of the roadmap lists (see nms.common.tables); each reads only what the list's
selector fetched."""

from django.utils.html import format_html

from nms.common.tables import Column, Table, display
from nms.roadmap.models import State


def _state(row):
    state = getattr(row, "state", row.status)
    css = "overdue" if state == State.OVERDUE else state
    return format_html('<span class="state state-{}">{}</span>', css, State(state).label)


def _short(text, limit=160):
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RoadmapTable(Table):
    title = Column("Дорожная карта", link="roadmap-detail", sort="title")
    period = Column("Период", "period_label", sort="starts_year")
    approved_on = Column("Утверждена", sort="approved_on")
    activities = Column("Мероприятий", "activities_count")


class ActivityTable(Table):
    number = Column("№", link="roadmap-activity-detail", sort="position")
    title = Column("Мероприятие", lambda a: _short(a.title), link="roadmap-activity-detail")
    responsible = Column("Ответственный", "responsible_display", sort="responsible_kind")
    deadline = Column("Срок", "deadline_text")
    indicator = Column("Показатель", "indicator.code")
    target = Column("Цель", "target_value")


class PeriodTable(Table):
    number = Column(
        "№", "activity.number", sort="activity__position",
        link=lambda p: p.activity.get_absolute_url(),
    )  # fmt: skip
    title = Column("Мероприятие", lambda p: _short(p.activity.title))
    responsible = Column("Ответственный", "activity.responsible_display")
    year = Column("Год", sort="year")
    due_on = Column("Срок в периоде", sort="due_on")
    state = Column("Состояние", _state, sort="status")
    done_on = Column("Выполнено", sort="done_on")


class AgreementTable(Table):
    name = Column("Соглашение", lambda a: str(a), link="roadmap-agreement-detail", sort="signed_on")
    kind = Column("Вид", "get_kind_display", sort="kind")
    parties = Column(
        "Стороны",
        lambda a: ", ".join(
            [str(a.municipality)] * bool(a.municipality)
            + [o.short_name for o in a.organizations.all()]
            + [a.partner] * bool(a.partner)
        ),
    )
    subject = Column("Предмет", lambda a: _short(a.subject, 120))
    valid = Column(
        "Действует",
        lambda a: f"{display(a.valid_from)} – {display(a.valid_to) or 'бессрочно'}",
        sort="valid_from",
    )


class DocumentTable(Table):
    title = Column("Документ", link="roadmap-document-detail", sort="title")
    kind = Column("Вид", "get_kind_display", sort="kind")
    number = Column("Номер")
    adopted_on = Column("Дата", sort="adopted_on")
    level = Column("Уровень", "get_level_display", sort="level")
    territory = Column("Территория", lambda d: str(d.organization or d.municipality or "регион"))
