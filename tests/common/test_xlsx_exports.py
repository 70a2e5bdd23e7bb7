"""No export writes a user's string as a formula (CSV/XLSX injection): every XLSX goes through
`nms.common.xlsx.write_row`, which keeps text that starts with =, +, -, @, tab or CR as text."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.xlsx import add_sheet, safe_text, workbook_bytes, write_row
from nms.itembank.importers import bank_export_xlsx
from nms.itembank.models import CompetencyArea, Item
from nms.registry.exports import organizations_xlsx, people_xlsx
from nms.registry.models import Organization, Person
from nms.registry.selectors import organizations_for_list
from nms.routes import selectors as route_selectors
from nms.routes import services as route_services
from nms.routes.exports import register_xlsx
from tests.itembank.conftest import make_item
from tests.routes.conftest import item_data

PAYLOADS = ['=HYPERLINK("http://x.example","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def formulas(content: bytes) -> list[str]:
    """Cells that a spreadsheet would evaluate: formulas, or text starting with = unquoted."""
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else ""
                if cell.data_type == "f" or (
                    text[:1] in ("=", "+", "-", "@") and not cell.quotePrefix
                ):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_writer_keeps_a_payload_as_text(payload):
    book = Workbook()
    sheet = add_sheet(book, "Лист", [("Текст", 20), ("Число", 10), ("Дата", 12)])
    write_row(sheet, [payload, 42, date(2026, 12, 1)])
    content = workbook_bytes(book)
    assert formulas(content) == []
    row = list(load_workbook(io.BytesIO(content))["Лист"].iter_rows(values_only=True))[-1]
    assert row[1] == 42 and row[2].date() == date(2026, 12, 1)  # numbers and dates stay such
    assert safe_text(42) == 42


@pytest.fixture
def poisoned(users, two_municipalities):
    """A person, an organization, a route item and a bank item named with formula payloads."""
    a = two_municipalities["a"]
    Person.objects.filter(pk=a["teacher"].pk).update(
        last_name=PAYLOADS[0], first_name=PAYLOADS[1], middle_name=PAYLOADS[3]
    )
    Organization.objects.filter(pk=a["school"].pk).update(short_name=PAYLOADS[2])
    teacher = Person.objects.get(pk=a["teacher"].pk)
    today = date.today()
    route = route_services.route_create(users["cnppm"], teacher, today, today + timedelta(days=90))
    route_services.item_add(users["cnppm"], route, item_data(title=PAYLOADS[0]), route.version)
    item = make_item(CompetencyArea.objects.get(code="ict"), "formula-1")
    Item.objects.filter(pk=item.pk).update(text=PAYLOADS[0])
    return users


def test_no_export_writes_a_formula(poisoned):
    cnppm = poisoned["cnppm"]
    scope = scope_of(cnppm)
    exports = {
        "people": people_xlsx(scope.people()),
        "organizations": organizations_xlsx(organizations_for_list(cnppm)),
        "routes": register_xlsx(route_selectors.register(cnppm)),
        "bank": bank_export_xlsx(Item.objects.all()),
    }
    for name, content in exports.items():
        assert formulas(content) == [], name
    people = load_workbook(io.BytesIO(exports["people"])).active
    assert any(cell.value == PAYLOADS[0] for row in people.iter_rows() for cell in row)
    assert Role.CNPPM in scope.roles
