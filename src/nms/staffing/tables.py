"""The columns of the staffing lists (see nms.common.tables); each reads only what the list's
selector fetched."""

from decimal import Decimal

from nms.common.tables import Column, Table


def _percent(part, whole) -> str:
    if not whole:
        return "—"
    return f"{Decimal(100) * part / whole:.1f} %".replace(".", ",")


def _rates(value) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else ""


class ScheduleTable(Table):
    organization = Column(
        "Организация",
        "organization.short_name",
        link="staffing-schedule-detail",
        sort=("organization__short_name", "id"),
    )
    municipality = Column("Муниципалитет", "organization.municipality.name")
    year = Column("Учебный год", "school_year", sort="year")
    rates = Column("Ставок по штату", lambda r: _rates(r.total_rates), sort="total_rates")
    filled = Column("Занято", lambda r: _rates(r.total_filled), sort="total_filled")
    vacant = Column("Вакантно", lambda r: _rates(max(r.total_rates - r.total_filled, 0)))
    staffing = Column("Укомплектованность", lambda r: _percent(r.total_filled, r.total_rates))


class VacancyTable(Table):
    position = Column(
        "Должность", "position.name", link="staffing-vacancy-detail", sort=("position__name", "id")
    )
    subject = Column("Предмет", "subject.name", sort="subject__name")
    organization = Column("Организация", "organization.short_name", sort="organization__short_name")
    municipality = Column("Муниципалитет", "organization.municipality.name")
    rates = Column("Ставок", lambda r: _rates(r.rates), sort="rates")
    opened_on = Column("Открыта", sort="opened_on")
    closed_on = Column("Закрыта", sort="closed_on")
    published = Column("Опубликована", sort="published")


class DiplomaTable(Table):
    person = Column(
        "Работник",
        "person.full_name",
        link="staffing-diploma-detail",
        sort=("person__last_name", "person__first_name", "id"),
    )
    level = Column("Уровень", "get_level_display", sort="level")
    institution = Column("Образовательная организация", sort="institution")
    year = Column("Год окончания", sort="year")
    specialty = Column("Специальность", "specialty.name", sort="specialty__name")
    is_pedagogical = Column("Педагогическое", sort="is_pedagogical")


def _subjects(specialty) -> str:
    return ", ".join(s.name for s in specialty.subjects.all()) or "—"


class SpecialtyTable(Table):
    code = Column("Код", sort="code")
    name = Column("Специальность", link="staffing-specialty-detail", sort="name")
    is_pedagogical = Column("Педагогическая", sort="is_pedagogical")
    subjects = Column("Даёт право преподавать", _subjects)
    diploma_count = Column("Дипломов", sort="diploma_count")


class ContractTable(Table):
    student_name = Column(
        "Обучающийся", link="staffing-contract-detail", sort=("student_name", "id")
    )
    number = Column("Номер", sort="number")
    institution = Column("Вуз или колледж", sort="institution")
    specialty = Column("Специальность", "specialty.name")
    municipality = Column("Муниципалитет", "municipality.name", sort="municipality__name")
    organization = Column("Организация", "organization.short_name")
    signed_on = Column("Заключён", sort="signed_on")
    status = Column("Состояние", "get_status_display", sort="status")


class ClassTable(Table):
    organization = Column(
        "Организация",
        "organization.short_name",
        link="staffing-class-detail",
        sort=("organization__short_name", "id"),
    )
    municipality = Column("Муниципалитет", "organization.municipality.name")
    year = Column("Учебный год", "school_year", sort="year")
    grade = Column("Параллель", sort="grade")
    profile = Column("Профиль", "get_profile_display", sort="profile")
    pupils = Column("Обучающихся", sort="pupils")
    partner = Column("Партнёр", sort="partner")
