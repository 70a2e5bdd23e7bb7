"""XLSX exports of the mentoring lists (the scoped, filtered queryset of the list page)."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no

PAIR_COLUMNS = [
    ("Наставник", 32), ("Наставляемый", 32), ("Организация наставляемого", 36), ("Форма", 26),
    ("Начало", 12), ("Плановое окончание", 12), ("Состояние", 14), ("Завершена", 12),
    ("Досрочно", 10), ("Причина", 30), ("Из другой ОО", 10), ("Цели", 40), ("Результат", 40),
]  # fmt: skip
PROFILE_COLUMNS = [
    ("Наставник", 32), ("Мест", 8), ("Формы", 40), ("Опыт наставничества, лет", 12),
    ("В открытом реестре", 12), ("Принимает", 12),
]  # fmt: skip


def _rows(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def pairs_xlsx(pairs, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Пары", PAIR_COLUMNS)
    for pair in _rows(pairs, progress):
        write_row(
            sheet,
            [
                pair.mentor.full_name, pair.mentee.full_name,
                pair.organization.short_name if pair.organization else "",
                pair.get_form_display(), pair.starts_on, pair.ends_on,
                pair.get_status_display(), pair.completed_on, yes_no(pair.completed_early),
                pair.completion_reason, yes_no(pair.across_organizations), pair.goals,
                pair.outcome,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def profiles_xlsx(profiles, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Наставники", PROFILE_COLUMNS)
    for profile in _rows(profiles, progress):
        write_row(
            sheet,
            [
                profile.person.full_name, profile.capacity, profile.forms_display(),
                profile.mentoring_years, yes_no(profile.public), yes_no(profile.active),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
