"""XLSX exports of the roadmap lists (the scoped, filtered queryset of the list page); the
roadmap itself in the import's layout is importers.export_roadmap."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no
from nms.roadmap.models import State

PERIOD_COLUMNS = [
    ("Дорожная карта", 30), ("№", 10), ("Мероприятие", 60), ("Ответственный", 30),
    ("Срок", 20), ("Год", 8), ("Срок в периоде", 12), ("Состояние", 14), ("Выполнено", 12),
    ("Подтверждение", 50), ("Ссылки", 40),
]  # fmt: skip
AGREEMENT_COLUMNS = [
    ("Вид", 30), ("Номер", 14), ("Подписано", 12), ("Действует с", 12), ("Действует по", 12),
    ("Муниципалитет", 28), ("Организации", 40), ("Другая сторона", 30), ("Предмет", 60),
]  # fmt: skip
DOCUMENT_COLUMNS = [
    ("Вид", 30), ("Наименование", 60), ("Номер", 14), ("Дата", 12), ("Утратил силу", 12),
    ("Уровень", 14), ("Территория", 30), ("Опубликован", 10),
]  # fmt: skip


def _rows(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def periods_xlsx(periods, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Исполнение", PERIOD_COLUMNS)
    for p in _rows(periods, progress):
        a = p.activity
        write_row(
            sheet,
            [
                a.roadmap.title, a.number, a.title, a.responsible_display, a.deadline_text,
                p.year, p.due_on, State(getattr(p, "state", p.status)).label, p.done_on,
                p.evidence, p.links,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def agreements_xlsx(agreements, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Соглашения", AGREEMENT_COLUMNS)
    for a in _rows(agreements, progress):
        organizations = ", ".join(o.short_name for o in a.organizations.all())
        write_row(
            sheet,
            [
                a.get_kind_display(), a.number, a.signed_on, a.valid_from, a.valid_to,
                a.municipality.name if a.municipality else "", organizations, a.partner,
                a.subject,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def documents_xlsx(documents, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Документы", DOCUMENT_COLUMNS)
    for d in _rows(documents, progress):
        write_row(
            sheet,
            [
                d.get_kind_display(), d.title, d.number, d.adopted_on, d.repealed_on,
                d.get_level_display(), str(d.organization or d.municipality or "регион"),
                yes_no(d.published),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
