"""Imports are bounded: files that expand (a huge shared string, 500 000 rows, a cell in column
XFD on every row) and a file over the byte limit are refused in seconds, in bounded memory, by
the importer, the page (the job's report), the API and the command; a formula cell and a too
long cell are reported for that cell; the report lists the first NMS_IMPORT_MAX_ERRORS errors.

The files are built here, part by part with zipfile, to keep the tests fast."""

import resource
import time
import zipfile
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.models import Job
from nms.common.xlsx import FORMULA, FileError, read_sheet
from nms.registry.importers import STAFF_COLUMNS, import_staff
from tests.registry.test_import import SNILS_A, staff_values

HEADERS = [c.header for c in STAFF_COLUMNS]
SECONDS, MEGABYTES = 10, 300

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""  # noqa: E501
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""  # noqa: E501
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"""  # noqa: E501
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""  # noqa: E501
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(_inline(f"{get_column_letter(i)}1", h) for i, h in enumerate(HEADERS, 1))
    return f'<row r="1">{cells}</row>'


def _workbook(rows, shared: bytes = b"") -> BytesIO:
    """An XLSX written part by part: the sheet XML streamed from `rows` (strings)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            part = []
            for row in rows:
                part.append(row)
                if len(part) == 10_000:
                    sheet.write("".join(part).encode())
                    part = []
            sheet.write(("".join(part) + "</sheetData></worksheet>").encode())
        if shared:
            with archive.open("xl/sharedStrings.xml", "w") as strings:
                strings.write(shared)
        else:
            archive.writestr(
                "xl/sharedStrings.xml",
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                ' count="0" uniqueCount="0"/>',
            )
    buffer.seek(0)
    buffer.name = "list.xlsx"
    return buffer


def huge_shared_string() -> BytesIO:
    """409 KB in the issue holding one 400 MB string; here 50 MB, declared in the ZIP."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            (
                "xl/worksheets/sheet1.xml",
                SHEET_HEAD + _header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
                "</sheetData></worksheet>",
            ),
        ):
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>'
            )
            block = b"x" * (1024 * 1024)
            for _ in range(50):
                strings.write(block)
            strings.write(b"</t></si></sst>")
    buffer.seek(0)
    buffer.name = "list.xlsx"
    return buffer


def many_rows(count: int = 500_000) -> BytesIO:
    """500 000 rows of one cell each below the staff headers (73 KB in the issue)."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, count + 2))
    return _workbook([_header_row(), *rows])


def far_right(count: int = 20_000) -> BytesIO:
    """A cell in column XFD (the last one) on every row, and the СНИЛС in column A."""
    rows = (
        f'<row r="{n}"><c r="A{n}"><v>1</v></c>{_inline(f"XFD{n}", "x")}</row>'
        for n in range(2, count + 2)
    )
    return _workbook([_header_row(), *rows])


def over_the_byte_limit() -> BytesIO:
    """A file just over the byte limit (21 MB of stored bytes: not a valid workbook either)."""
    buffer = BytesIO(b"PK" + b"\0" * (21 * 1024 * 1024))
    buffer.name = "list.xlsx"
    return buffer


def measured(call, *args, **kwargs):
    """The call's result; it must take under SECONDS and grow the process's peak resident
    memory (ru_maxrss) by under MEGABYTES (tracemalloc would slow the parsing several times)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = call(*args, **kwargs)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{getattr(call, '__name__', call)}: {seconds:.2f} s, peak RSS +{grown:.0f} MB")
    assert seconds < SECONDS, seconds
    assert grown < MEGABYTES, grown
    return result


FILES = {
    "shared string": (huge_shared_string, "общие строки"),
    "rows": (many_rows, "строк с данными"),
    "column XFD": (far_right, None),
    "bytes": (over_the_byte_limit, "слишком большой"),
}


@pytest.fixture(scope="module")
def files():
    """Each file built once for the module (building is the slow part)."""
    return {name: make() for name, (make, _) in FILES.items()}


def _file(files, name) -> BytesIO:
    file = BytesIO(files[name].getvalue())
    file.name = "list.xlsx"
    return file


@pytest.fixture
def lenient_ratio(settings):
    """Let the rows and XFD files past the compression-ratio check, to show the reading itself
    is bounded (with the default, the ZIP directory alone refuses them)."""
    settings.NMS_IMPORT_MAX_RATIO = 100_000


def _refused(report, words):
    assert not report.ok
    if words:
        assert any(words in error.message for error in report.errors), report.errors[:3]


@pytest.mark.parametrize("name", list(FILES))
def test_importer_refuses_quickly(name, files, lenient_ratio, db):
    report = measured(import_staff, None, _file(files, name))
    _refused(report, FILES[name][1])
    assert len(report.errors) <= 1000


def test_shared_string_refused_by_its_declared_size(files, settings):
    settings.NMS_IMPORT_MAX_RATIO = 10**9  # the declared size alone refuses it
    with pytest.raises(FileError, match="общие строки"):
        measured(read_sheet, _file(files, "shared string"), HEADERS)


def test_column_xfd_is_not_read(files, lenient_ratio):
    sheet = measured(read_sheet, _file(files, "column XFD"), HEADERS)
    assert len(sheet.rows) == 20_000
    assert set(sheet.rows[0][1]) == set(HEADERS)


@pytest.mark.parametrize("name", list(FILES))
def test_page_job_api_and_command_refuse(name, files, make_user, client, tmp_path, settings):
    settings.NMS_IMPORT_MAX_RATIO = 100_000
    user = make_user(Role.CNPPM)
    words = FILES[name][1]

    client.force_login(user)
    response = measured(
        client.post,
        reverse("registry-import"),
        {"kind": "staff", "file": _file(files, name)},
    )
    if name == "bytes":  # refused by the upload form, before any job holds it
        assert response.status_code == 200
        assert words in response.content.decode()
        assert not Job.objects.filter(user=user).exists()
    else:
        assert response.status_code == 302
        job = Job.objects.filter(user=user).latest("pk")
        report = job.import_report
        _refused(report, words)

    api = APIClient()
    api.force_authenticate(user)
    response = measured(
        api.post, "/api/v1/import/staff/", {"file": _file(files, name)}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert len(body["errors"]) <= 1000
    if words:
        assert any(words in error["message"] for error in body["errors"])

    path = tmp_path / "list.xlsx"
    path.write_bytes(files[name].getvalue())

    def command():
        with pytest.raises(CommandError):
            call_command("import-staff", str(path))

    measured(command)


def test_errors_reported_are_the_first_thousand_with_the_total(lenient_ratio, settings, db):
    settings.NMS_IMPORT_MAX_ROWS = 5000
    file = many_rows(3000)  # 3000 rows, each missing its required cells
    report = import_staff(None, file)
    assert len(report.errors) == 1000
    assert report.error_count > 3000
    assert f"Найдено ошибок: {report.error_count} (показаны первые 1000)" in report.summary
    assert report.as_dict()["error_count"] == report.error_count


def _xlsx(rows) -> BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_formula_and_long_cells_are_reported_for_the_cell(db):
    values = staff_values(SNILS_A, "7700000000")
    values["Фамилия"] = '=CONCAT("Сидо","рова")'
    values["Имя"] = "А" * 2001
    report = import_staff(None, _xlsx([HEADERS, [values.get(h) for h in HEADERS]]))
    messages = {(e.column, e.message) for e in report.errors}
    assert ("Фамилия", FORMULA) in messages
    assert ("Имя", "значение длиннее 2000 символов") in messages
    assert not any(
        e.column in ("Фамилия", "Имя") and "не заполнено" in e.message for e in report.errors
    )
    assert all(len(e.value) <= 101 for e in report.errors)


def test_upload_form_refuses_a_file_over_the_limit_before_a_job(make_user, client, settings):
    settings.NMS_IMPORT_MAX_BYTES = 3 * 1024 * 1024 // 2  # 1,5 МБ
    user = make_user(Role.CNPPM)
    client.force_login(user)
    big = BytesIO(b"PK" + b"\0" * (2 * 1024 * 1024))
    big.name = "большой.xlsx"
    response = client.post(reverse("registry-import"), {"kind": "staff", "file": big})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Файл слишком большой" in content
    assert "не больше 1,5 МБ" in content
    assert not Job.objects.filter(user=user).exists()
