"""XLSX export of the students' results list (the scoped, filtered queryset of the page)."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row

COLUMNS = [
    ("Оценочная процедура", 24), ("Учебный год", 12), ("Предмет", 24), ("Класс (группа)", 14),
    ("Учитель", 32), ("СНИЛС учителя", 16), ("Организация", 36), ("ИНН организации", 14),
    ("Муниципалитет", 28), ("Участников", 12), ("Средний балл", 12),
    ("Доля справившихся, %", 14), ("Доля ниже порога, %", 14),
]  # fmt: skip


def results_xlsx(queryset, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Результаты", COLUMNS)
    total = queryset.count() if progress else 0
    for done, r in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        write_row(
            sheet,
            [
                r.get_kind_display(), r.school_year_label, r.subject.name, r.group_label,
                r.teacher.full_name, r.teacher.snils, r.organization.short_name,
                r.organization.inn, r.organization.municipality.name, r.participants,
                r.average_score, r.share_passing, r.share_below,
            ],
        )  # fmt: skip
        if progress:
            progress(done, total)
    return workbook_bytes(workbook)
