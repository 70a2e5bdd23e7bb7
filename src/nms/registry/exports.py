"""XLSX exports of registry lists. They take an already scoped and filtered queryset; a big
list is exported by the generic list view's background job (nms.common.views)."""

from openpyxl import Workbook

from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no

PEOPLE_COLUMNS = [
    ("СНИЛС", 16), ("Фамилия", 18), ("Имя", 14), ("Отчество", 18), ("Дата рождения", 13),
    ("Возраст", 8), ("Пол", 9), ("Организация", 40), ("ИНН организации", 13),
    ("Должность", 28), ("Руководящая должность", 24), ("Предметы", 30),
    ("Квалификационная категория", 22), ("Педагогический стаж (лет)", 12),
    ("Совместитель", 12), ("Молодой педагог", 12), ("Email", 28),
]  # fmt: skip

ORGANIZATION_COLUMNS = [
    ("ИНН", 13), ("Наименование", 60), ("Краткое наименование", 36), ("Тип", 30),
    ("Муниципальное образование", 30), ("ОКТМО", 11), ("ШНОР", 8),
    ("Неблагоприятные условия", 14), ("Работников", 12),
]  # fmt: skip


def _counted(queryset, progress):
    """The rows of a queryset fetched CHUNK at a time, reporting progress(done, total)."""
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


def people_xlsx(people, progress=None) -> bytes:
    """One row per employment; a person without employments gets one row too.

    `progress(done, total)` (optional) is called after each person."""
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Работники", PEOPLE_COLUMNS)
    for person in _counted(people, progress):
        young = yes_no(person.is_young_teacher())
        head = [
            person.snils, person.last_name, person.first_name, person.middle_name,
            person.birth_date, person.age(), person.get_sex_display(),
        ]  # fmt: skip
        employments = list(person.employments.all())
        if not employments:
            write_row(sheet, head + [""] * 8 + [young, person.email])
        for employment in employments:
            write_row(
                sheet,
                head
                + [
                    employment.organization.short_name,
                    employment.organization.inn,
                    employment.position.name,
                    employment.get_manager_kind_display(),
                    "; ".join(s.name for s in employment.subjects.all()),
                    employment.get_category_display(),
                    float(employment.experience_on()),
                    yes_no(employment.is_part_time),
                    young,
                    person.email,
                ],
            )
    return workbook_bytes(workbook)


def organizations_xlsx(organizations, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Организации", ORGANIZATION_COLUMNS)
    for org in _counted(organizations, progress):
        write_row(
            sheet,
            [
                org.inn, org.full_name, org.short_name, org.get_kind_display(),
                org.municipality.name, org.municipality.oktmo, yes_no(org.is_low_results),
                yes_no(org.is_unfavourable), org.staff_count,
            ]
        )  # fmt: skip
    return workbook_bytes(workbook)
