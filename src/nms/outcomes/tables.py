"""The columns of the students' results list (see nms.common.tables)."""

from nms.common.tables import Column, Table


def _figure(name):
    def read(row):
        value = getattr(row, name)
        return "" if value is None else f"{value:.1f}".replace(".", ",")

    return read


class StudentResultTable(Table):
    school_year = Column("Учебный год", "school_year_label", sort="school_year")
    kind = Column("Процедура", "get_kind_display", sort="kind")
    subject = Column("Предмет", "subject.name", sort="subject__name")
    group_label = Column("Класс (группа)", link="outcomes-result-detail", sort="group_label")
    teacher = Column(
        "Учитель", "teacher.full_name", link=lambda r: r.teacher.get_absolute_url(),
        sort=("teacher__last_name", "teacher__first_name"),
    )  # fmt: skip
    organization = Column("Организация", "organization.short_name", sort="organization__short_name")
    participants = Column("Участников", sort="participants")
    average_score = Column("Средний балл", _figure("average_score"), sort="average_score")
    share_passing = Column("Справились, %", _figure("share_passing"), sort="share_passing")
    share_below = Column("Ниже порога, %", _figure("share_below"), sort="share_below")
