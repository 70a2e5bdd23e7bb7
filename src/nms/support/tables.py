"""The columns of the support lists (nms.common.tables); each reads what the selectors fetch."""

from django.utils.html import format_html

from nms.common.tables import Column, Table, display

EMPTY = "—"


def _subjects(row) -> str:
    return ", ".join(s.name for s in row.subjects.all())


def _period(row) -> str:
    return f"{display(row.starts_on)} – {display(row.ends_on) or 'н. в.'}"


class MembershipTable(Table):
    css_id = "memberships"
    person = Column(
        "Работник", "person.full_name", link="support-membership",
        sort=("person__last_name", "person__first_name"),
    )  # fmt: skip
    role = Column("Роль", "get_role_display", sort="role")
    level = Column("Актив", "get_level_display", sort="level")
    municipality = Column("Муниципалитет", "municipality.name", empty=EMPTY)
    subjects = Column("Предметы", _subjects, empty=EMPTY)
    basis = Column("Основание", "get_basis_display")
    period = Column("Период", _period, sort="starts_on", css_class="nowrap")
    status = Column("Состояние", "get_status_display", sort="status")


def _eligibility(row) -> str:
    check = row.check  # set by the view (support.eligibility) for the rows of a page
    if check is None:
        return EMPTY
    css = "ok" if check.eligible else "warn"
    return format_html('<span class="badge {}">{}</span>', css, check.summary)


class CandidateTable(Table):
    css_id = "candidates"
    empty_text = "Кандидатов нет."
    person = Column(
        "Работник", "person.full_name", link="support-membership",
        sort=("person__last_name", "person__first_name"),
    )  # fmt: skip
    municipality = Column(
        "Муниципалитет", "municipality.name", sort="municipality__name", empty=EMPTY
    )
    role = Column("Роль в муниципальном активе", "get_role_display", sort="role")
    subjects = Column("Предметы", _subjects, empty=EMPTY)
    eligibility = Column("Требования", _eligibility)


def _workplaces(person) -> str:
    return ", ".join(e.organization.short_name for e in person.employments.all())


class YoungTable(Table):
    css_id = "young-without"
    empty_text = "Все молодые педагоги охвачены поддержкой."
    person = Column("Педагог", "full_name", link="person-detail", sort=("last_name", "first_name"))
    birth_date = Column("Дата рождения", sort="birth_date")
    workplaces = Column("Место работы", _workplaces, empty=EMPTY)


def _recipient(row) -> str:
    return row.person.full_name if row.person_id else row.organization.short_name


def _answer_time(row) -> str:
    return answer_time_text(row.answer_time) if row.answer_time else ""


def answer_time_text(delta) -> str:
    """«1 д 3 ч 20 мин» — the time to answer as the pages show it."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} д")
    if hours or days:
        parts.append(f"{hours} ч")
    parts.append(f"{minutes} мин")
    return " ".join(parts)


def _request_marks(row) -> str:
    if row.is_overdue():
        return format_html('<span class="badge warn">{}</span>', "просрочен")
    return ""


class RequestTable(Table):
    css_id = "requests"
    number = Column("№", "pk", link="support-request", sort="id")
    created_at = Column("Поступил", sort="created_at", css_class="nowrap")
    recipient = Column("От кого", _recipient)
    topic = Column("Тема", sort="topic")
    urgency = Column("Срочность", "get_urgency_display", sort="urgency")
    methodist = Column("Методист", "methodist.full_name", empty=EMPTY)
    deadline = Column("Срок ответа", sort="deadline", css_class="nowrap")
    status = Column("Состояние", "get_status_display", sort="status")
    answer_time = Column("Время ответа", _answer_time, empty=EMPTY)
    marks = Column("", _request_marks)


class ActTable(Table):
    css_id = "acts"
    held_on = Column("Дата", link="support-act", sort="held_on", css_class="nowrap")
    kind = Column("Вид", "get_kind_display", sort="kind")
    format = Column("Формат", "get_format_display")
    methodist = Column("Кто оказал", "methodist.full_name", empty=EMPTY)
    recipient = Column("Кому", "recipient")
    topic = Column("Тема", sort="topic")


class ExpertTable(Table):
    css_id = "experts"
    person = Column(
        "Эксперт", "person.full_name", link=lambda r: r.person.get_absolute_url(),
        sort=("person__last_name", "person__first_name"),
    )  # fmt: skip
    kind = Column("Вид экспертизы", "get_kind_display", sort="kind")
    level = Column("Уровень", "get_level_display", sort="level")
    subject = Column("Предмет", "subject.name", empty=EMPTY)
    rank = Column("Статус", "get_rank_display", empty=EMPTY)
    period = Column("Период", _period, sort="starts_on", css_class="nowrap")


class CaseloadTable(Table):
    css_id = "caseload"
    teacher = Column(
        "Педагог", "teacher.full_name", link=lambda r: r.teacher.get_absolute_url(),
        sort=("teacher__last_name", "teacher__first_name"),
    )  # fmt: skip
    methodist = Column("Методист", "methodist.full_name", sort=("methodist__last_name",))
    assigned_on = Column("Закреплён", sort="assigned_on")
    basis = Column("По совпадению", "get_basis_display", sort="basis")
    automatic = Column("Автоматически")
