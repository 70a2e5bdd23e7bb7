"""The columns of the registry's list pages (see nms.common.tables).

Every column reads only what the list selectors fetch (`people_for_list` prefetches the
employments with their organizations and positions, `organizations_for_list` selects the
municipality and counts the staff), so a page runs a fixed number of queries.
"""

from django.utils.html import format_html_join, mark_safe

from nms.common.tables import Column, Table


def _badges(*pairs) -> str:
    return format_html_join("", '<span class="{}">{}</span>', [(c, t) for on, c, t in pairs if on])


# -- people ------------------------------------------------------------------------------------
def employment_lines(person) -> str:
    return format_html_join(
        "",
        "<div>{} — {}{}</div>",
        (
            (
                e.organization.short_name,
                e.position.name,
                mark_safe(' <span class="muted">(совм.)</span>') if e.is_part_time else "",
            )
            for e in person.employments.all()
        ),
    )


def categories(person) -> str:
    return format_html_join(
        "", "<div>{}</div>", ((e.get_category_display(),) for e in person.employments.all())
    )


def person_marks(person) -> str:
    return _badges(
        (person.is_young_teacher(), "badge", "молодой педагог"),
        (person.is_manager(), "badge", "руководитель"),
    )


class PersonTable(Table):
    full_name = Column("ФИО", link="person-detail", sort=("last_name", "first_name", "middle_name"))
    snils = Column("СНИЛС", css_class="nowrap")
    birth_date = Column("Дата рождения", sort="birth_date")
    employments = Column("Место работы и должность", employment_lines)
    category = Column("Категория", categories)
    marks = Column("Признаки", person_marks)


# -- organizations -----------------------------------------------------------------------------
def organization_marks(organization) -> str:
    return _badges(
        (organization.is_low_results, "badge warn", "ШНОР"),
        (organization.is_unfavourable, "badge warn", "НСУ"),
    )


class OrganizationTable(Table):
    short_name = Column("Краткое наименование", link="organization-detail", sort="short_name")
    inn = Column("ИНН", sort="inn")
    kind = Column("Тип", "get_kind_display")
    municipality = Column("Муниципалитет", "municipality.name", sort="municipality__name")
    staff_count = Column("Работников", sort="staff_count")
    marks = Column("Признаки", organization_marks)
