"""Files of the app support: the yearly order on the РМА's composition (DOCX), the lists (XLSX)
and the report of an automatic assignment (XLSX of those left unassigned and why)."""

from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook

from nms.common.tables import display
from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no
from nms.registry.models import Person

FONT = "Times New Roman"
DATE = "%d.%m.%Y"


def _counted(queryset, progress):
    total = queryset.count() if progress else 0
    for done, row in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield row
        if progress:
            progress(done, total)


# -- the order ------------------------------------------------------------------------------
def rma_order_docx(region, members, *, year: int, training: dict | None = None) -> bytes:
    """«Об утверждении состава регионального методического актива на <year> год»: the order's
    text and the appendix — the composition by role, with subjects, basis and the training."""
    training = training or {}
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("П Р И К А З").bold = True
    document.add_paragraph(f"от «___» ____________ {year} г.                         № ______")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(
        f"Об утверждении состава регионального методического актива на {year} год"
    ).bold = True
    document.add_paragraph(
        "В соответствии с Положением о региональной системе научно-методического сопровождения "
        "педагогических работников и управленческих кадров п р и к а з ы в а ю:"
    )
    document.add_paragraph(
        f"1. Утвердить состав регионального методического актива ({region.name}) на {year} год "
        f"в количестве {len(members)} человек (приложение)."
    )
    document.add_paragraph(
        "2. Центру непрерывного повышения профессионального мастерства педагогических работников "
        "обеспечить закрепление педагогических работников за региональными методистами из "
        "расчёта не более 250 человек на одного методиста."
    )
    document.add_paragraph("3. Контроль за исполнением приказа оставляю за собой.")
    document.add_page_break()
    appendix = document.add_paragraph()
    appendix.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    appendix.add_run(f"Приложение к приказу от «___» ____________ {year} г. № ______")
    columns = ("№", "ФИО", "Роль", "Муниципалитет", "Предметы, специализации", "Основание",
               "Повышение квалификации")  # fmt: skip
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for number, m in enumerate(members, start=1):
        subjects = ", ".join(s.name for s in m.subjects.all())
        if m.specialisations:
            subjects = f"{subjects}; {m.specialisations}" if subjects else m.specialisations
        courses = "; ".join(_course(e) for e in training.get(m.person_id, [])[:3])
        values = (
            str(number), m.person.full_name, m.get_role_display(),
            m.municipality.name if m.municipality_id else "", subjects, m.get_basis_display(),
            courses or "—",
        )  # fmt: skip
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _course(enrollment) -> str:
    run = getattr(enrollment, "run", None)
    programme = getattr(run, "programme", None)
    title = getattr(programme, "title", "") or "ДПП"
    done = getattr(enrollment, "completed_on", None)
    number = getattr(enrollment, "certificate_number", "")
    parts = [f"«{title}»"]
    if number:
        parts.append(f"удостоверение № {number}")
    if done:
        parts.append(f"от {done:{DATE}}")
    return " ".join(parts)


course_text = _course


# -- lists ------------------------------------------------------------------------------------
MEMBERSHIP_COLUMNS = [
    ("ФИО", 34), ("СНИЛС", 16), ("Роль", 24), ("Актив", 30), ("Муниципалитет", 24),
    ("Предметы", 30), ("Специализации", 30), ("Основание работы", 18), ("Начало", 12),
    ("Окончание", 12), ("Приказ №", 12), ("Дата приказа", 12), ("Состояние", 14),
]  # fmt: skip


def memberships_xlsx(memberships, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Методический актив", MEMBERSHIP_COLUMNS)
    for m in _counted(memberships, progress):
        write_row(
            sheet,
            [
                m.person.full_name, m.person.snils, m.get_role_display(), m.get_level_display(),
                m.municipality.name if m.municipality_id else "",
                "; ".join(s.name for s in m.subjects.all()), m.specialisations,
                m.get_basis_display(), m.starts_on, m.ends_on, m.order_number, m.order_date,
                m.get_status_display(),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


REQUEST_COLUMNS = [
    ("№", 8), ("Поступил", 17), ("От кого", 16), ("Педагог", 32), ("Организация", 32),
    ("Предмет", 18), ("Тема", 40), ("Срочность", 10), ("Методист", 30), ("Срок ответа", 17),
    ("Состояние", 14), ("Ответ дан", 17), ("Время ответа, ч", 12), ("Просрочен", 10),
]  # fmt: skip


def requests_xlsx(requests, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Запросы", REQUEST_COLUMNS)
    for r in _counted(requests, progress):
        hours = round(r.answer_time.total_seconds() / 3600, 1) if r.answer_time else None
        write_row(
            sheet,
            [
                r.pk, display(r.created_at), r.get_requester_kind_display(),
                r.person.full_name if r.person_id else "",
                r.organization.short_name if r.organization_id else "",
                r.subject.name if r.subject_id else "", r.topic, r.get_urgency_display(),
                r.methodist.full_name if r.methodist_id else "", display(r.deadline),
                r.get_status_display(), display(r.answered_at), hours, yes_no(r.is_overdue()),
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


ACT_COLUMNS = [
    ("Дата", 12), ("Вид", 34), ("Формат", 16), ("Кто оказал", 30), ("Кому", 40), ("Тема", 40),
    ("Запрос №", 10),
]  # fmt: skip


def acts_xlsx(acts, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Акты поддержки", ACT_COLUMNS)
    for a in _counted(acts, progress):
        write_row(
            sheet,
            [
                a.held_on, a.get_kind_display(), a.get_format_display(),
                a.methodist.full_name if a.methodist_id else "", a.recipient, a.topic,
                a.request_id or "",
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


EXPERT_COLUMNS = [
    ("ФИО", 34), ("СНИЛС", 16), ("Вид экспертизы", 32), ("Уровень", 16), ("Предмет", 20),
    ("Статус", 18), ("Начало", 12), ("Окончание", 12),
]  # fmt: skip


def experts_xlsx(roles, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Реестр экспертов", EXPERT_COLUMNS)
    for e in _counted(roles, progress):
        write_row(
            sheet,
            [
                e.person.full_name, e.person.snils, e.get_kind_display(), e.get_level_display(),
                e.subject.name if e.subject_id else "", e.get_rank_display() if e.rank else "",
                e.starts_on, e.ends_on,
            ],
        )  # fmt: skip
    return workbook_bytes(workbook)


CASELOAD_COLUMNS = [("Педагог", 34), ("СНИЛС", 16), ("Методист", 34), ("Закреплён", 12),
                    ("По совпадению", 24), ("Автоматически", 12)]  # fmt: skip


def caseloads_xlsx(caseloads, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Закрепления", CASELOAD_COLUMNS)
    for c in _counted(caseloads, progress):
        write_row(
            sheet,
            [c.teacher.full_name, c.teacher.snils, c.methodist.full_name, c.assigned_on,
             c.get_basis_display(), yes_no(c.automatic)],
        )  # fmt: skip
    return workbook_bytes(workbook)


def unassigned_xlsx(report) -> bytes:
    """The report of an automatic assignment: the counts, and who is left and why."""
    workbook = Workbook(write_only=True)
    summary = add_sheet(workbook, "Итог", [("Показатель", 44), ("Значение", 14)])
    write_row(summary, ["Предел на одного методиста", report.cap])
    write_row(summary, ["Региональных методистов", report.methodists])
    write_row(summary, ["Сохранено прежних закреплений", report.kept])
    write_row(summary, ["Взято из учётных записей методистов", report.adopted])
    for basis, count in report.by_basis.items():
        write_row(summary, [f"Закреплено: {basis.label}", count])
    write_row(summary, ["Не закреплено", len(report.unassigned)])
    sheet = add_sheet(workbook, "Не закреплены", [("ФИО", 34), ("СНИЛС", 16), ("Причина", 60)])
    reasons = dict(report.unassigned)
    ids = list(reasons)
    for start in range(0, len(ids), CHUNK):
        people = Person.objects.filter(pk__in=ids[start : start + CHUNK]).order_by(
            "last_name", "first_name", "pk"
        )
        for person in people:
            write_row(sheet, [person.full_name, person.snils, reasons[person.pk]])
    return workbook_bytes(workbook)


def order_filename(year: int) -> str:
    return f"Приказ_состав_РМА_{year}.docx"


def today_name(prefix: str) -> str:
    return f"{prefix}_{date.today():%d.%m.%Y}.xlsx"
