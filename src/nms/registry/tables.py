"""The columns of the registry's list pages (see nms.common.tables).

Every column reads only what the list selectors fetch (`people_for_list` prefetches the
employments with their organizations and positions, `organizations_for_list` selects the
municipality and counts the staff), so a page runs a fixed number of queries.
"""

from django.utils.html import format_html, format_html_join, mark_safe

from nms.accounts import access
from nms.accounts.scope import scope_of
from nms.common.tables import Column, Table

EDIT_PEOPLE = "registry.edit_people"
SELECTION_FORM = "people-selection"  # the form the row checkboxes belong to (person_table.html)


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


def selection_box(person) -> str:
    """A row's checkbox for «Учётные записи для отмеченных» (?person=<id>&person=<id>), only on
    the rows of people the user may change (the issue page refuses the others)."""
    if not getattr(person, "selectable", False):
        return ""
    return format_html(
        '<input type="checkbox" name="person" value="{}" form="{}" aria-label="Отметить: {}">',
        person.pk,
        SELECTION_FORM,
        person.full_name,
    )


SELECT_ALL = mark_safe(
    '<input type="checkbox" id="select-all" aria-label="Отметить всех на странице" '
    'data-select-all="input[name=person][form=people-selection]">'
)  # SELECTION_FORM; nms/app.js checks the boxes (no inline handlers: Content-Security-Policy)


def editable_ids(user, people) -> set[int] | None:
    """Which of `people` the user may change (one query), or None if they may change nobody."""
    scope = scope_of(user)
    if not scope.can(EDIT_PEOPLE):
        return None
    ids = [person.pk for person in people]
    if not ids:
        return set()
    editable = scope.restricted_to(access.action(EDIT_PEOPLE).roles).people()
    return set(editable.filter(pk__in=ids).values_list("pk", flat=True))


class PersonTable(Table):
    """The people list. Its first column holds the checkboxes of a selection (for accounts in
    bulk) when the user may change people, on the rows of those they may change; for anybody
    else the column is not there."""

    select = Column(SELECT_ALL, selection_box, css_class="select")
    full_name = Column("ФИО", link="person-detail", sort=("last_name", "first_name", "middle_name"))
    snils = Column("СНИЛС", css_class="nowrap")
    birth_date = Column("Дата рождения", sort="birth_date")
    employments = Column("Место работы и должность", employment_lines)
    category = Column("Категория", categories)
    marks = Column("Признаки", person_marks)

    def __init__(self, rows, request=None):
        rows = list(rows)
        super().__init__(rows, request)
        user = getattr(request, "user", None)
        editable = editable_ids(user, rows) if user is not None else None
        self.selectable = editable is not None
        if editable is None:
            self.columns = {name: c for name, c in self.columns.items() if name != "select"}
        else:
            for row in rows:
                row.selectable = row.pk in editable


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
