"""XLSX exports of the events lists (an already scoped and filtered queryset)."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no

EVENT_COLUMNS = [
    ("Номер", 8), ("Наименование", 50), ("Вид", 22), ("Уровень", 14), ("Начало", 12),
    ("Окончание", 12), ("Организатор", 36), ("Муниципалитет", 24), ("Место", 24),
    ("Темы", 40), ("Компетенции", 36), ("Горизонтальное обучение", 12),
    ("Профилактика выгорания", 12), ("Для ОО с низкими результатами", 12), ("Номинации", 30),
]  # fmt: skip

PARTICIPATION_COLUMNS = [
    ("СНИЛС", 16), ("ФИО", 36), ("Организация", 36), ("Номер мероприятия", 10),
    ("Мероприятие", 50), ("Вид", 22), ("Уровень", 14), ("Дата", 12), ("Роль", 20),
    ("Этап", 14), ("Номинация", 24),
]  # fmt: skip

SITE_COLUMNS = [
    ("Организация", 40), ("ИНН", 13), ("Муниципалитет", 24), ("Статус с", 12),
    ("Статус по", 12), ("Номер приказа", 14), ("Дата приказа", 12), ("Программы", 50),
    ("Программы актуализированы", 14), ("Темы", 40),
]  # fmt: skip

INTERNSHIP_COLUMNS = [
    ("СНИЛС", 16), ("ФИО", 36), ("Организация", 36), ("Площадка", 36), ("Программа", 36),
    ("Начало", 12), ("Окончание", 12), ("Завершена", 10),
]  # fmt: skip


def _counted(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def events_xlsx(events, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Мероприятия", EVENT_COLUMNS)
    events = events.prefetch_related("areas")
    for e in _counted(events, progress):
        write_row(
            sheet,
            [
                e.pk, e.title, e.get_kind_display(), e.get_level_display(), e.starts_on,
                e.ends_on, e.organizer_display, e.municipality.name if e.municipality else "",
                e.place, e.topic_labels, ", ".join(a.name for a in e.areas.all()),
                yes_no(e.horizontal_learning), yes_no(e.burnout_prevention),
                yes_no(e.for_low_results), "; ".join(e.nomination_list),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def participations_xlsx(rows, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Участие", PARTICIPATION_COLUMNS)
    for p in _counted(rows, progress):
        e = p.event
        write_row(
            sheet,
            [
                p.person.snils, p.person.full_name,
                p.organization.short_name if p.organization else "", e.pk, e.title,
                e.get_kind_display(), e.get_level_display(), e.starts_on, p.get_role_display(),
                p.get_stage_display(), p.nomination,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def sites_xlsx(sites, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Площадки", SITE_COLUMNS)
    for s in _counted(sites, progress):
        o = s.organization
        write_row(
            sheet,
            [
                o.short_name, o.inn, o.municipality.name, s.starts_on, s.ends_on,
                s.order_number, s.order_date, "; ".join(s.programme_list),
                s.programmes_updated_on, s.topic_labels,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def internships_xlsx(rows, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Стажировки", INTERNSHIP_COLUMNS)
    for i in _counted(rows, progress):
        write_row(
            sheet,
            [
                i.person.snils, i.person.full_name,
                i.organization.short_name if i.organization else "",
                i.site.organization.short_name, i.programme, i.starts_on, i.ends_on,
                yes_no(i.completed),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
