"""Reading sheets by their headers, parsing cells, writing templates."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from nms.common.xlsx import (
    REFERENCE_SHEET,
    CellError,
    FileError,
    TemplateColumn,
    build_template,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_digits,
    read_sheet,
)


def workbook_bytes(rows) -> BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_headers_match_ignoring_case_spaces_and_yo():
    file = workbook_bytes(
        [
            ["  снилс ", "ФАМИЛИЯ", "Педагогический   стаж (лет)", "Учёба", "лишний"],
            ["123", "Иванов", 5, "x", "y"],
        ]
    )
    sheet = read_sheet(file, ["СНИЛС", "Фамилия", "Педагогический стаж (лет)", "Учеба"])
    assert sheet.found == ["СНИЛС", "Фамилия", "Педагогический стаж (лет)", "Учеба"]
    assert sheet.rows == [
        (2, {"СНИЛС": "123", "Фамилия": "Иванов", "Педагогический стаж (лет)": 5, "Учеба": "x"})
    ]


def test_rows_above_the_header_and_empty_rows_are_skipped_and_numbered_as_in_excel():
    file = workbook_bytes(
        [
            ["Список работников школы"],
            [],
            ["Имя", "Фамилия"],
            ["Анна", "  "],
            [None, None],
            ["  ", "Петрова"],
        ]
    )
    sheet = read_sheet(file, ["Фамилия", "Имя"])
    assert sheet.rows == [
        (4, {"Имя": "Анна", "Фамилия": None}),
        (6, {"Имя": None, "Фамилия": "Петрова"}),
    ]


def test_missing_and_duplicate_headers():
    sheet = read_sheet(workbook_bytes([["Имя", "имя"]]), ["Фамилия", "Имя"])
    assert sheet.missing(["Фамилия", "Имя"]) == ["Фамилия"]
    assert sheet.duplicates == ["Имя"]


def test_not_an_xlsx_file():
    with pytest.raises(FileError):
        read_sheet(BytesIO(b"not a workbook"), ["Имя"])


def test_empty_workbook_has_no_content():
    sheet = read_sheet(workbook_bytes([]), ["Имя"])
    assert not sheet.has_content
    assert sheet.rows == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("да", True),
        ("Да", True),
        ("нет", False),
        ("1", True),
        (1, True),
        (0, False),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        (True, True),
        ("+", True),
        ("-", False),
    ],
)
def test_yes_no(value, expected):
    assert parse_bool(value) is expected


def test_yes_no_empty_is_the_default_and_other_words_are_errors():
    assert parse_bool(None, default=True) is True
    assert parse_bool(None) is False
    with pytest.raises(CellError, match="«да» или «нет»"):
        parse_bool("возможно")


def test_dates_from_text_and_from_excel_date_cells():
    assert parse_date("01.09.2024") == date(2024, 9, 1)
    with pytest.raises(CellError, match="ДД.ММ.ГГГГ"):
        parse_date("1.9.2024")  # the day and the month take two digits each
    assert parse_date(datetime(2024, 9, 1, 0, 0)) == date(2024, 9, 1)
    assert parse_date(date(2024, 9, 1)) == date(2024, 9, 1)
    assert parse_date(None) is None


def test_excel_date_cell_read_from_a_file():
    file = workbook_bytes([["Дата рождения"], [datetime(1985, 3, 14)]])
    ((_, row),) = read_sheet(file, ["Дата рождения"]).rows
    assert parse_date(row["Дата рождения"]) == date(1985, 3, 14)


def test_impossible_and_malformed_dates():
    with pytest.raises(CellError, match="несуществующая дата"):
        parse_date("31.02.2020")
    with pytest.raises(CellError, match="ДД.ММ.ГГГГ"):
        parse_date("2020-02-01")
    with pytest.raises(CellError, match="ДД.ММ.ГГГГ"):
        parse_date(43000)


@pytest.mark.parametrize(
    "value, expected",
    [("18,5", Decimal("18.5")), (18.5, Decimal("18.5")), ("18.5", Decimal("18.5")), (18, 18)],
)
def test_decimals(value, expected):
    assert parse_decimal(value) == expected


def test_decimal_errors():
    for value in ("восемнадцать", True, "nan"):
        with pytest.raises(CellError, match="ожидается число"):
            parse_decimal(value)


def test_codes_typed_as_numbers_get_their_leading_zeros_back():
    assert parse_digits(112233445, 11) == "00112233445"
    assert parse_digits(1.0, 3) == "001"
    assert parse_digits("012-345", 10) == "012-345"


def test_template_has_bold_header_widths_and_reference_sheet():
    content = build_template(
        [TemplateColumn("СНИЛС", 16, required=True), TemplateColumn("Предметы", 40)],
        {"Предметы": ["математика", "физика"]},
        "Работники",
    )
    workbook = load_workbook(BytesIO(content))
    sheet = workbook["Работники"]
    assert [c.value for c in sheet[1]] == ["СНИЛС", "Предметы"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["A"].width == 16
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["A1"].comment is not None and sheet["B1"].comment is None
    lists = workbook[REFERENCE_SHEET]
    assert [c.value for c in lists["A"]] == ["Предметы", "математика", "физика"]
    assert lists["A1"].font.bold
