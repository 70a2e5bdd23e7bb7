"""XLSX exports of the catalogs lists (the scoped, filtered queryset of the list page)."""

from openpyxl import Workbook

from nms.catalogs.selectors import author_names
from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row

COLUMNS = [
    ("Название", 50), ("Вид", 24), ("Авторы", 40), ("Организация", 36), ("Муниципалитет", 24),
    ("Уровень", 16), ("Направление / для кого", 30), ("Состояние", 20), ("Подана", 12),
    ("Опубликована", 12), ("Описание", 60),
]  # fmt: skip


def _rows(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def items_xlsx(items, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Банк", COLUMNS)
    for item in _rows(items, progress):
        organization = item.organization
        write_row(
            sheet,
            [
                item.title,
                item.get_material_kind_display() if item.material_kind else "практика",
                ", ".join(author_names(item)),
                organization.short_name if organization else "",
                organization.municipality.name if organization else "",
                item.get_level_display(), item.direction or item.audience,
                item.get_status_display(), item.submitted_on, item.published_on,
                item.description,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
