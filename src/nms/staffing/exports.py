"""XLSX exports of the staffing lists (the scoped, filtered queryset of the list page). The staff
schedules' export has the import's columns, so a file exported can be corrected and loaded
back."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no
from nms.staffing.importers import DIPLOMA_COLUMNS, SCHEDULE_COLUMNS
from nms.staffing.models import school_year_label

SCHEDULE_EXPORT = [(c.header, c.width) for c in SCHEDULE_COLUMNS] + [
    ("Вакантно ставок", 14), ("Организация", 40), ("Муниципалитет", 30),
]  # fmt: skip
VACANCY_COLUMNS = [
    ("Организация", 40), ("Муниципалитет", 30), ("Должность", 36), ("Предмет", 28),
    ("Ставок", 10), ("Нагрузка, ч/нед", 12), ("Требования", 60), ("Условия", 40),
    ("Опубликована", 12), ("Открыта", 12), ("Закрыта", 12),
]  # fmt: skip
DIPLOMA_EXPORT = [(c.header, c.width) for c in DIPLOMA_COLUMNS] + [("Работник", 36)]
CONTRACT_COLUMNS = [
    ("Номер", 14), ("Обучающийся", 36), ("Вуз или колледж", 40), ("Специальность", 40),
    ("Муниципалитет", 30), ("Организация", 36), ("Заключён", 12),
    ("Плановое окончание обучения", 14), ("Окончил обучение", 14), ("Состояние", 16),
    ("Трудоустроен", 14),
]  # fmt: skip
CLASS_COLUMNS = [
    ("Организация", 40), ("Муниципалитет", 30), ("Учебный год", 12), ("Параллель", 10),
    ("Профиль", 26), ("Обучающихся", 12), ("Партнёр", 40),
]  # fmt: skip


def _rows(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def schedules_xlsx(schedules, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Штатные расписания", SCHEDULE_EXPORT)
    queryset = schedules.prefetch_related("rows__position", "rows__subject")
    for schedule in _rows(queryset, progress):
        organization = schedule.organization
        for row in schedule.rows.all():
            write_row(
                sheet,
                [
                    organization.inn, school_year_label(schedule.year), row.position.name,
                    row.subject.name if row.subject_id else "", row.rates, row.filled,
                    row.vacant, organization.short_name, organization.municipality.name,
                ],
            )  # fmt: skip
    return workbook_bytes(workbook)


def vacancies_xlsx(vacancies, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Вакансии", VACANCY_COLUMNS)
    for v in _rows(vacancies, progress):
        write_row(
            sheet,
            [
                v.organization.short_name, v.organization.municipality.name, v.position.name,
                v.subject.name if v.subject_id else "", v.rates, v.load_hours, v.requirements,
                v.conditions, yes_no(v.published), v.opened_on, v.closed_on,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def diplomas_xlsx(diplomas, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Дипломы", DIPLOMA_EXPORT)
    for d in _rows(diplomas, progress):
        write_row(
            sheet,
            [
                d.person.snils, d.get_level_display(), d.institution, d.year, d.specialty.name,
                d.qualification, yes_no(d.is_pedagogical), d.person.full_name,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def contracts_xlsx(contracts, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Целевые договоры", CONTRACT_COLUMNS)
    for c in _rows(contracts, progress):
        write_row(
            sheet,
            [
                c.number, c.student_name, c.institution, c.specialty.name if c.specialty else "",
                c.municipality.name, c.organization.short_name if c.organization else "",
                c.signed_on, c.study_ends_on, c.graduated_on, c.get_status_display(),
                c.employed_on,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def classes_xlsx(classes, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Педагогические классы", CLASS_COLUMNS)
    for c in _rows(classes, progress):
        write_row(
            sheet,
            [
                c.organization.short_name, c.organization.municipality.name,
                school_year_label(c.year), c.grade, c.get_profile_display(), c.pupils, c.partner,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
