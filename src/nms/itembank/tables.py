"""The columns of the item bank's list pages (see nms.common.tables).

The columns read only what the list selectors fetch (`items_visible` selects the area, the
subject and the subcompetency; `areas_with_subcompetencies` prefetches the subcompetencies and
counts the items), so a page runs a fixed number of queries.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from nms.common.tables import Column, Table
from nms.itembank.models import ReviewStatus


# -- items -------------------------------------------------------------------------------------
def item_text(item) -> str:
    return Truncator(item.text).chars(160)


def item_area(item) -> str:
    if item.subject is None:
        return item.area.name
    return format_html('{}<div class="muted">{}</div>', item.area.name, item.subject.name)


def item_status(item) -> str:
    warn = "" if item.status == ReviewStatus.APPROVED else " warn"
    return format_html('<span class="badge{}">{}</span>', warn, item.get_status_display())


class ItemTable(Table):
    css_id = "bank-items"
    code = Column("Шифр", link="bank-detail", sort="code")
    text = Column("Формулировка", item_text)
    area = Column("Область", item_area, sort=("area__order", "area__name"))
    kind = Column("Тип", "get_kind_display", sort="kind")
    difficulty = Column("Сложность", "get_difficulty_display", sort="difficulty")
    points = Column("Баллы", sort="points")
    status = Column("Статус", item_status, sort="status")


# -- competency areas --------------------------------------------------------------------------
def area_name(area) -> str:
    return area.name  # the name only: codes are for the files and the API


def area_marks(area) -> str:
    marks = [("предметная",)] if area.is_subject else []
    if area.for_managers:
        marks.append(("для руководителей",))
    return format_html_join("", '<span class="badge">{}</span>', marks)


def area_subcompetencies(area) -> str:
    subs = format_html_join(
        "",
        '<div><a href="{}">{}</a></div>',
        (
            (reverse("sub-edit", args=[area.pk, sub.pk]), sub.name)
            for sub in area.subcompetencies.all()
        ),
    )
    add = reverse("sub-create", args=[area.pk])
    return format_html('{}<a href="{}">+ компетенция</a>', subs, add)


def area_edit_link(area) -> str:
    return format_html('<a href="{}">изменить</a>', reverse("area-edit", args=[area.pk]))


class AreaTable(Table):
    css_id = "areas"
    empty_text = "Областей пока нет."
    number = Column("№", "order")
    name = Column("Область", area_name)
    marks = Column("Признаки", area_marks)
    subcompetencies = Column("Компетенции", area_subcompetencies)
    items_count = Column("Заданий в банке")
    edit = Column("", area_edit_link)
