"""The columns of the programmes' list pages (see nms.common.tables)."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from nms.common.tables import Column, Table


def _badges(*pairs) -> str:
    return format_html_join("", '<span class="{}">{}</span>', [(c, t) for on, c, t in pairs if on])


def federal(programme) -> str:
    if not programme.in_federal_registry:
        return ""
    return format_html('<span class="badge">ФР ДПП № {}</span>', programme.federal_number)


def topics(programme) -> str:
    return ", ".join(programme.topic_labels)


class ProgrammeTable(Table):
    title = Column("Наименование", link="program-detail", sort="title")
    kind = Column("Вид", "get_kind_display", sort="kind")
    hours = Column("Часов", sort="hours")
    format = Column("Форма", "get_format_display")
    provider = Column("Разработчик", "provider_label")
    federal = Column("ФР ДПП", federal, sort=("in_federal_registry", "federal_number"))
    topics = Column("Темы", topics)
    status = Column("Состояние", "get_status_display", sort="status")
    run_count = Column("Потоков", sort="run_count")


def _run_link(enrollment) -> str:
    return reverse("run-detail", args=[enrollment.run_id])


def enrollment_marks(enrollment) -> str:
    return _badges(
        (enrollment.chosen_from_diagnostics, "badge", "по диагностике"),
        (enrollment.team_id, "badge", "команда"),
        (enrollment.run.programme.in_federal_registry, "badge", "ФР ДПП"),
    )


def run_dates(enrollment) -> str:
    run = enrollment.run
    return f"{run.starts_on:%d.%m.%Y}–{run.ends_on:%d.%m.%Y}"


class EnrollmentTable(Table):
    person = Column("Работник", "person.full_name", link="enrollment-detail",
                    sort=("person__last_name", "person__first_name"))  # fmt: skip
    organization = Column("Место работы", "organization.short_name")
    programme = Column("Программа", "run.programme.title", link=_run_link)
    dates = Column("Сроки", run_dates, sort="run__starts_on")
    status = Column("Состояние", "get_status_display", sort="status")
    certificate = Column("Удостоверение", "certificate_number")
    completed_on = Column("Дата", sort="completed_on")
    marks = Column("Признаки", enrollment_marks)
