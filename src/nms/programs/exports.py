"""XLSX exports of the programmes' lists (through nms.common.xlsx). They take an already scoped
and filtered queryset; a big list is exported by the generic list view's background job."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no

PROGRAMME_COLUMNS = [
    ("Наименование", 60), ("Вид", 26), ("Объём, ч", 9), ("Форма реализации", 16),
    ("Организация-разработчик", 40), ("В ФР ДПП", 9), ("Номер в ФР ДПП", 16),
    ("Дата включения в ФР ДПП", 14), ("Направлена на экспертизу", 14), ("Итог экспертизы", 22),
    ("Области компетенций", 40), ("Предметы", 30), ("Слушатели", 20), ("Темы", 40),
    ("Происхождение", 24), ("Состояние", 14), ("Аннотация", 60),
]  # fmt: skip

ENROLLMENT_COLUMNS = [
    ("СНИЛС", 16), ("ФИО", 36), ("Место работы", 40), ("Программа", 60), ("Номер в ФР ДПП", 16),
    ("Начало", 12), ("Окончание", 12), ("Группа", 12), ("Состояние", 18),
    ("Номер удостоверения", 20), ("Дата удостоверения", 14), ("Подобрана по диагностике", 12),
    ("Команда", 10), ("Причина отчисления", 30),
]  # fmt: skip


def _counted(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def programmes_xlsx(programmes, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Программы ДПП", PROGRAMME_COLUMNS)
    programmes = programmes.prefetch_related("areas", "subjects")
    for p in _counted(programmes, progress):
        write_row(
            sheet,
            [
                p.title, p.get_kind_display(), p.hours, p.get_format_display(), p.provider_label,
                yes_no(p.in_federal_registry), p.federal_number, p.federal_since,
                p.review_submitted_on, p.get_review_outcome_display() if p.review_outcome else "",
                "; ".join(a.name for a in p.areas.all()),
                "; ".join(s.name for s in p.subjects.all()), p.get_audience_display(),
                "; ".join(p.topic_labels), p.get_origin_display(), p.get_status_display(),
                p.annotation,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


def enrollments_xlsx(enrollments, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Обучение", ENROLLMENT_COLUMNS)
    for e in _counted(enrollments, progress):
        run, person = e.run, e.person
        write_row(
            sheet,
            [
                person.snils, person.full_name,
                e.organization.short_name if e.organization_id else "", run.programme.title,
                run.programme.federal_number, run.starts_on, run.ends_on, run.group_name,
                e.get_status_display(), e.certificate_number, e.completed_on,
                yes_no(e.chosen_from_diagnostics), yes_no(e.team_id), e.drop_reason,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)
