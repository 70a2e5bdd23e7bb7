"""XLSX exports of the portal's working lists (the scoped, filtered queryset of the list page)."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no

SITE_COLUMNS = [
    ("Проект", 50), ("Организация", 40), ("Муниципалитет", 24), ("Направление", 30),
    ("Период с", 12), ("по", 12), ("Состояние", 18), ("Дата заявки", 12),
    ("Решение приняло", 18), ("Номер приказа", 14), ("Дата приказа", 12),
]  # fmt: skip
COMMUNITY_COLUMNS = [
    ("Сообщество", 40), ("Вид", 24), ("Уровень", 16), ("Муниципалитет", 24), ("Тематика", 30),
    ("Участников", 10), ("Ссылки", 40), ("На портале", 10),
]  # fmt: skip
RESOURCE_COLUMNS = [
    ("Ресурс", 40), ("Вид", 28), ("Адрес", 40), ("Для кого", 24), ("Теги", 30),
    ("Описание", 50), ("На портале", 10),
]  # fmt: skip
NEWS_COLUMNS = [("Заголовок", 60), ("Дата", 12), ("Опубликована", 12)]


def _rows(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def sites_xlsx(sites, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Инновационные площадки", SITE_COLUMNS)
    for s in _rows(sites, progress):
        write_row(
            sheet,
            [
                s.project, s.organization.short_name, s.organization.municipality.name, s.topic,
                s.starts_on, s.ends_on, s.get_status_display(), s.applied_on,
                s.get_decided_by_display(), s.order_number, s.order_date,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def communities_xlsx(communities, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Сообщества", COMMUNITY_COLUMNS)
    for c in _rows(communities, progress):
        write_row(
            sheet,
            [
                c.name, c.get_kind_display(), c.get_level_display(),
                c.municipality.name if c.municipality else "регион", c.topic,
                getattr(c, "member_count", None), "\n".join(c.link_list), yes_no(c.published),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def resources_xlsx(resources, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Навигатор", RESOURCE_COLUMNS)
    for r in _rows(resources, progress):
        write_row(
            sheet,
            [
                r.title, r.get_kind_display(), r.url, r.get_audience_display(), r.tags,
                r.description, yes_no(r.published),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def news_xlsx(items, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Новости", NEWS_COLUMNS)
    for n in _rows(items, progress):
        write_row(sheet, [n.title, n.published_on, yes_no(n.published)])
    return workbook_bytes(workbook)
