"""Exports of routes: one ИОМ as a Word document in the official form, the register as XLSX,
the Word documents of the whole register as one ZIP.

The Word form follows seed 002: general information, deficits found, the map of professional
development by level, evaluation and self-evaluation, then the signatures.

A big register export and the documents of the register run as background jobs
(`register_export_job`, `route_documents_job`, DESIGN.md §3): the job filters (and sorts) the
register again as the user who asked, with the query of the list page (or of the API call). The
register export job is the list page's above NMS_EXPORT_SYNC_LIMIT rows and the API's
`POST /api/v1/routes/export/`.
"""

import re
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import QueryDict
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook import Workbook

from nms.common.jobs import JobFailed, JobOutcome, job_start, job_work
from nms.common.xlsx import CHUNK, add_sheet, workbook_bytes, write_row, yes_no
from nms.diagnostics.models import Result
from nms.registry.models import Employment
from nms.routes.filters import RouteFilterSet
from nms.routes.models import Level, Route, Status
from nms.routes.selectors import outcome, register, with_overdue
from nms.routes.tables import RouteTable

FONT = "Times New Roman"
TITLE = "Индивидуальный образовательный маршрут педагогического работника"
SECTIONS = (
    "Раздел 1. Общие сведения",
    "Раздел 2. Выявленные профессиональные дефициты",
    "Раздел 3. Карта профессионального развития",
    "Раздел 4. Оценка и самооценка",
)
LEVEL_TITLES = {
    Level.PERSONAL: "Личностный уровень",
    Level.ORGANIZATION: "Уровень ОО",
    Level.MUNICIPAL: "Муниципальный уровень",
    Level.REGIONAL: "Региональный уровень",
}
EMPTY = "—"
DATE = "%d.%m.%Y"
BLANK_LINE = "____________"
BLANK_DATE = "«___» ___________ 20___ г."

# Column widths, cm: the text area of A4 with margins 3 + 1.5 cm is 16.5 cm wide, 25.2 cm on
# the landscape pages of the development map.
INFO_WIDTHS = (6.0, 10.5)
DEFICIT_COLUMNS = (
    ("Область компетенций", 5.5), ("Балл", 2.0), ("Максимальный балл", 3.6), ("%", 2.0),
    ("Дефицит", 3.4),
)  # fmt: skip
MAP_COLUMNS = (
    ("№", 1.2), ("Мероприятие", 8.0), ("Формируемая компетенция", 4.4), ("Сроки", 4.4),
    ("Форма представления результата", 4.0), ("Отметка о выполнении", 3.2),
)  # fmt: skip
OUTCOME_COLUMNS = (
    ("Область компетенций", 5.5), ("Входная, %", 2.8), ("Выходная, %", 3.0),
    ("Изменение", 2.6), ("Дефицит закрыт", 2.6),
)  # fmt: skip
SIGNATURE_WIDTHS = (4.6, 6.5, 5.4)
OVERDUE = "просрочен"  # the mark of an overdue item (`selectors.overdue_items_q`)


# -- the Word form ---------------------------------------------------------------------------
def route_docx(route: Route) -> bytes:
    """The route in the official form «Индивидуальный образовательный маршрут» (seed 002)."""
    info = route.general_info
    items = list(with_overdue(route.items.select_related("area")).order_by("position", "id"))
    document = _document()

    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(TITLE)
    full_name = info.get("full_name") or route.person.full_name
    _labelled(document, "ФИО", full_name)
    period = f"{route.starts_on:{DATE}}–{route.ends_on:{DATE}}"
    _labelled(document, "Период реализации", period)
    _labelled(document, "Тип маршрута", route.get_route_type_display())
    _labelled(document, "Состояние", route.get_status_display())

    document.add_heading(SECTIONS[0], level=1)
    _general_info(document, info)
    document.add_heading(SECTIONS[1], level=1)
    _deficits(document, route)
    _new_page(document, landscape=True)
    document.add_heading(SECTIONS[2], level=1)
    _development_map(document, items)
    _new_page(document, landscape=False)
    document.add_heading(SECTIONS[3], level=1)
    _evaluation(document, route)
    _signatures(document, route, full_name)

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _document():
    """An empty A4 document in Times New Roman 12 with black headings."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    for name, size in (("Normal", 12), ("Title", 14), ("Heading 1", 13)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.rPr.rFonts
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:cs"), FONT)
    document.styles["Title"].font.bold = True
    document.styles["Title"].element.pPr.remove_all("w:pBdr")
    document.styles["Normal"].paragraph_format.space_after = Pt(2)
    document.styles["Heading 1"].paragraph_format.space_before = Pt(12)
    document.styles["Heading 1"].paragraph_format.space_after = Pt(6)
    return document


def _new_page(document, landscape: bool) -> None:
    """A new section of the document: landscape for the wide map, portrait for the rest."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Cm(21), Cm(29.7)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _labelled(document, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value or EMPTY)


def _general_info(document, info: dict) -> None:
    workplace = ", ".join(p for p in (info.get("organization"), info.get("municipality")) if p)
    education = info.get("education", "")
    if education and "pedagogical_education" in info:
        kind = "педагогическое" if info["pedagogical_education"] else "непедагогическое"
        education = f"{education}, {kind}"
    experience = info.get("experience_years", "")
    rows = [
        ("Место работы", workplace),
        ("Образование", education),
        ("Занимаемая должность", info.get("position", "")),
        ("Педагогический стаж, лет", _number(experience) if experience else ""),
        ("Квалификационная категория", info.get("category", "")),
        ("Дата прохождения аттестации", info.get("attestation_date", "")),
        ("Преподаваемые предметы", info.get("subjects", "")),
    ]
    table = _table(document, INFO_WIDTHS)
    for label, value in rows:
        _row(table, (label, value or EMPTY), INFO_WIDTHS)


def _deficits(document, route: Route) -> None:
    result = (
        Result.objects.select_related("procedure").filter(pk=route.entry_result_id).first()
        if route.entry_result_id
        else None
    )
    if result is not None:
        _labelled(document, "Диагностика", f"{result.procedure.name}, {result.taken_on:{DATE}}")
    if not route.deficits:
        document.add_paragraph("Результаты диагностики не внесены.")
        return
    table = _table(document, _widths(DEFICIT_COLUMNS), DEFICIT_COLUMNS)
    for row in route.deficits:
        values = (
            row["area"], _number(row["score"]), _number(row["max_score"]),
            _number(row["share"]), "да" if row["is_deficit"] else "нет",
        )  # fmt: skip
        _row(table, values, _widths(DEFICIT_COLUMNS))
    found = [row["area"] for row in route.deficits if row["is_deficit"]]
    summary = f"Выявлены дефициты: {', '.join(found)}." if found else "Дефициты не выявлены."
    document.add_paragraph(summary).paragraph_format.space_before = Pt(6)


def _development_map(document, items) -> None:
    """A row group per level in the fixed order; a level without items shows a dash."""
    widths = _widths(MAP_COLUMNS)
    table = _table(document, widths, MAP_COLUMNS)
    number = 0
    for level, title in LEVEL_TITLES.items():
        cells = _row(table, ("",) * len(widths), widths)
        merged = cells[0].merge(cells[-1])
        merged.text = title
        merged.paragraphs[0].runs[0].bold = True
        _shade(merged)
        level_items = [item for item in items if item.level == level]
        if not level_items:
            _row(table, (EMPTY,) * len(widths), widths)
        for item in level_items:
            number += 1
            kind = item.get_activity_kind_display()
            competency = ": ".join(p for p in (item.area and item.area.name, item.competency) if p)
            values = (
                f"{number}", f"{kind[0].upper()}{kind[1:]}: {item.title}", competency or EMPTY,
                f"{item.starts_on:{DATE}}–{item.due_on:{DATE}}", item.result_form,
                item.get_status_display() + (f", {OVERDUE}" if item.is_overdue else ""),
            )  # fmt: skip
            _row(table, values, widths)


def _evaluation(document, route: Route) -> None:
    rows = [
        ("Оценка реализации ИОМ (методист)", route.evaluation),
        ("Самооценка педагога", route.self_evaluation),
        ("Предложения администрации ОО", route.school_proposals),
    ]
    if route.status == Status.CLOSED:
        rows.append(("Причина досрочного закрытия", route.closed_reason))
    table = _table(document, INFO_WIDTHS)
    for label, value in rows:
        _row(table, (label, value or EMPTY), INFO_WIDTHS)
    results = outcome(route) if route.status == Status.COMPLETED else []
    if not results:
        return
    heading = document.add_paragraph("Результаты входной и выходной диагностики")
    heading.paragraph_format.space_before = Pt(6)
    heading.runs[0].bold = True
    table = _table(document, _widths(OUTCOME_COLUMNS), OUTCOME_COLUMNS)
    for row in results:
        exit_share, change = row["exit"], row["change"]
        values = (
            row["area"], _number(row["entry"]),
            EMPTY if exit_share is None else _number(exit_share),
            EMPTY if change is None else ("+" if change > 0 else "") + _number(change),
            ("да" if row["closed"] else "нет") if row["was_deficit"] else EMPTY,
        )  # fmt: skip
        _row(table, values, _widths(OUTCOME_COLUMNS))


def _signatures(document, route: Route, full_name: str) -> None:
    document.add_paragraph().paragraph_format.space_before = Pt(12)
    methodist = route.methodist.display_name if route.methodist else ""
    table = _table(document, SIGNATURE_WIDTHS, style=None)
    for role, name in (
        ("Педагог", _initials(full_name)),
        ("Региональный методист", methodist),
        ("Руководитель ОО", ""),
    ):
        cells = _row(
            table, (role, f"{BLANK_LINE} / {name or BLANK_LINE} /", BLANK_DATE), SIGNATURE_WIDTHS
        )
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(12)


def _table(document, widths, columns=None, style="Table Grid"):
    """A table of fixed column widths; with `columns`, a bold header repeated on every page."""
    table = document.add_table(rows=0, cols=len(widths))
    if style:
        table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    if columns:
        cells = _row(table, [header for header, _ in columns], widths)
        for cell in cells:
            cell.paragraphs[0].runs[0].bold = True
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
    return table


def _row(table, values, widths):
    cells = table.add_row().cells
    for cell, value, width in zip(cells, values, widths, strict=True):
        cell.width = Cm(width)
        cell.text = str(value)
    return cells


def _shade(cell) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "E7E6E6")
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(columns) -> tuple:
    return tuple(width for _, width in columns)


def _number(value) -> str:
    """40.00 → 40, 37.50 → 37,5 (decimal comma)."""
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _initials(full_name: str) -> str:
    """«Иванова Анна Сергеевна» → «Иванова А. С.»."""
    last, *rest = full_name.split() or [""]
    return " ".join([last, *(f"{part[0]}." for part in rest)])


# -- the register as XLSX --------------------------------------------------------------------
REGISTER_COLUMNS = [
    ("ФИО", 34), ("СНИЛС", 16), ("Организация", 36), ("Муниципалитет", 26), ("Тип", 34),
    ("Состояние", 30), ("Начало", 12), ("Окончание", 12), ("Региональный методист", 28),
    ("Пунктов всего", 10), ("Выполнено", 11), ("Просрочено", 11), ("Дата аудита", 12),
]  # fmt: skip


def register_xlsx(routes: QuerySet[Route], progress=None) -> bytes:
    """The register (`selectors.register`, possibly filtered) as one sheet, in one query
    (one more to count the rows when `progress(done, total)` is given).

    The organization and municipality are those of the person's main employment (the same
    choice as section 1: not part-time first, then the oldest record).
    """
    total = routes.count() if progress else 0
    main = Employment.objects.filter(person=OuterRef("person_id")).order_by("is_part_time", "id")
    routes = routes.annotate(
        main_organization=Subquery(main.values("organization__short_name")[:1]),
        main_municipality=Subquery(main.values("organization__municipality__name")[:1]),
    )
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "ИОМ", REGISTER_COLUMNS)

    def day(value):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD.MM.YYYY"
        return cell

    for done, route in enumerate(routes.iterator(chunk_size=CHUNK), start=1):
        person = route.person
        if progress:
            progress(done, total)
        write_row(
            sheet,
            [
                person.full_name, person.snils, route.main_organization or "",
                route.main_municipality or "", route.get_route_type_display(),
                route.get_status_display(), day(route.starts_on), day(route.ends_on),
                route.methodist.display_name if route.methodist else "", route.items_total,
                route.items_done, yes_no(route.is_overdue), day(route.audit_due_on),
            ]
        )  # fmt: skip
    return workbook_bytes(workbook)


# -- the Word documents of the register as one ZIP --------------------------------------------
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def document_name(route: Route) -> str:
    """«Иванова Анна Сергеевна, ИОМ 01.09.2025–31.05.2026.docx»."""
    name = UNSAFE.sub("_", route.person.full_name).strip(" .") or f"ИОМ {route.pk}"
    return f"{name}, ИОМ {route.starts_on:{DATE}}–{route.ends_on:{DATE}}.docx"


def routes_zip(routes: QuerySet[Route], progress=None) -> tuple[bytes, int]:
    """One Word document per route (`route_docx`) in a ZIP, and how many; `progress(done,
    total)` after each document. Two routes of one name and period get «(2)», «(3)»…"""
    total = routes.count()
    buffer, names = BytesIO(), set()
    # A DOCX is compressed already: it is stored as it is.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for done, route in enumerate(routes.iterator(chunk_size=CHUNK), start=1):
            name = document_name(route)
            stem, number = name.removesuffix(".docx"), 1
            while name.casefold() in names:
                number += 1
                name = f"{stem} ({number}).docx"
            names.add(name.casefold())
            archive.writestr(name, route_docx(route))
            if progress:
                progress(done, total)
    return buffer.getvalue(), total


# -- background jobs ---------------------------------------------------------------------------
ZIP = "application/zip"


def _query(query: QueryDict) -> str:
    """The register's filters of a request, without the page and the format."""
    query = query.copy()
    for name in ("format", "page"):
        query.pop(name, None)
    return query.urlencode()


def _filtered(job) -> QuerySet[Route]:
    """The register as the list page showed it to the user who started the job."""
    data = QueryDict(job.params.get("query", ""))
    request = SimpleNamespace(user=job.user)
    routes = RouteFilterSet(data, queryset=register(job.user), request=request).qs
    return RouteTable.order(routes, data)


REGISTER_EXPORT_KIND = "export_routes"
REGISTER_EXPORT_TITLE = "Выгрузка реестра ИОМ в XLSX"


def register_export_start(user, query: QueryDict, filename: str):
    """The register export as a background job (the API's; the list page starts the same job
    through `ScopedListView`); returns the job."""
    return job_start(
        user,
        kind=REGISTER_EXPORT_KIND,
        title=REGISTER_EXPORT_TITLE,
        work=register_export_job,
        params={"query": _query(query), "filename": filename},
    )


@job_work(atomic=False, phase="Подготовка выгрузки…")
def register_export_job(job, progress) -> JobOutcome:
    content = register_xlsx(_filtered(job), progress)
    return JobOutcome(
        file=content,
        filename=job.params.get("filename", "ИОМ.xlsx"),
        message=f"Файл готов. Выгружено маршрутов: {job.total}.",
    )


def documents_start(user, query: QueryDict):
    """«Документы ИОМ»: the Word documents of the register (its filters in `query`) as one ZIP,
    always a background job — there may be thousands of them; returns the job."""
    return job_start(
        user,
        kind="route_documents",
        title="Документы ИОМ (Word, ZIP-архив)",
        work=route_documents_job,
        params={"query": _query(query), "filename": f"Документы_ИОМ_{date.today():{DATE}}.zip"},
    )


@job_work(atomic=False, phase="Подготовка документов…")
def route_documents_job(job, progress) -> JobOutcome:
    content, count = routes_zip(_filtered(job), progress)
    if not count:
        raise JobFailed("В реестре с выбранными фильтрами нет маршрутов: документов нет.")
    return JobOutcome(
        file=content,
        filename=job.params.get("filename", "Документы_ИОМ.zip"),
        content_type=ZIP,
        message=f"Архив готов. Документов ИОМ: {count}.",
    )


# -- routes from a template: who got one, who was skipped ------------------------------------
APPLIED_COLUMNS = [("ФИО", 34), ("СНИЛС", 16), ("Начало", 12), ("Окончание", 12)]
SKIPPED_COLUMNS = [("ФИО", 34), ("СНИЛС", 16), ("Причина", 40)]


def template_applied_xlsx(applied) -> bytes:
    """The result of applying a template (`services.TemplateApplied`): the routes created and
    the people skipped with the reason, one sheet each."""
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Созданы", APPLIED_COLUMNS)
    for route in applied.routes:
        person = route.person
        write_row(
            sheet,
            [
                person.full_name,
                person.snils,
                f"{route.starts_on:{DATE}}",
                f"{route.ends_on:{DATE}}",
            ],
        )
    sheet = add_sheet(workbook, "Пропущены", SKIPPED_COLUMNS)
    for person, reason in applied.skipped:
        write_row(sheet, [person.full_name, person.snils, reason])
    return workbook_bytes(workbook)
