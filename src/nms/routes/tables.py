"""The columns of the routes' list pages (see nms.common.tables).

Every column reads only what the list selectors fetch (`selectors.register` selects the person
and the methodist and annotates the item counts and the overdue mark; `templates_for_list`
counts the items and the routes and prefetches the areas), so a page runs a fixed number of
queries whatever the row count.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from nms.common.tables import Column, Table, display

EMPTY = "—"


# -- the register ------------------------------------------------------------------------------
def organization(route) -> str:
    """The organization of section 1 (the person's main employment when the route was made)."""
    return route.section_organization or ""  # annotated by selectors.register


def period(route) -> str:
    return f"{display(route.starts_on)} – {display(route.ends_on)}"


def methodist(route) -> str:
    return route.methodist.display_name if route.methodist else ""


def progress(route) -> str:
    return f"{route.items_done} из {route.items_total}"


def marks(route) -> str:
    return (
        format_html('<span class="badge warn">{}</span>', "просрочка") if route.is_overdue else ""
    )


class RouteTable(Table):
    css_id = "routes"

    person = Column(
        "Работник",
        "person.full_name",
        link="route-detail",
        sort=("person__last_name", "person__first_name", "person__middle_name"),
    )
    organization = Column("Организация", organization, empty=EMPTY)
    route_type = Column("Тип", "get_route_type_display", sort="route_type")
    status = Column("Состояние", "get_status_display", sort="status")
    period = Column("Период", period, sort="starts_on", css_class="nowrap")
    methodist = Column("Региональный методист", methodist, empty=EMPTY)
    progress = Column("Выполнено", progress)
    marks = Column("", marks)


# -- templates ---------------------------------------------------------------------------------
def template_name(template) -> str:
    if not template.description:
        return template.name
    return format_html('{}<div class="muted">{}</div>', template.name, template.description)


def template_areas(template) -> str:
    return format_html_join(
        "", '<span class="badge warn">{}</span>', ((a.name,) for a in template.areas.all())
    )


def apply_button(template) -> str:
    url = reverse("template-apply", args=[template.pk])
    return format_html('<a class="btn" href="{}">Применить</a>', url)


class TemplateTable(Table):
    css_id = "templates"
    empty_text = "Шаблонов нет."

    name = Column("Наименование", template_name, sort="name")
    areas = Column("Дефициты", template_areas, empty=EMPTY)
    items_count = Column("Пунктов", sort="items_count")
    routes_count = Column("Маршрутов создано", sort="routes_count")
    apply = Column("", apply_button)
