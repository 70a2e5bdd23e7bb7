"""No export writes a user's string as a formula (CSV/XLSX injection): every XLSX goes through
`nms.common.xlsx.write_row`, which keeps text that starts with =, +, -, @, tab or CR as text.

Every function of the project that makes a workbook is found in the source (`xlsx_writers`) and
must be read back here (EXPORTS) with user strings that look like formulas in it; no module but
`nms.common.xlsx` may put a value into a cell itself."""

import ast
import io
import pathlib
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

import nms
from nms.accounts.models import Role
from nms.accounts.provisioning import IssuedAccount, accounts_xlsx
from nms.accounts.scope import scope_of
from nms.common.table_export import table_xlsx
from nms.common.xlsx import add_sheet, build_template, safe_text, workbook_bytes, write_row
from nms.deficits import maps
from nms.diagnostics import importers as result_importers
from nms.diagnostics import selectors as diagnostics_selectors
from nms.diagnostics.exports import procedure_results_xlsx
from nms.diagnostics.models import Procedure
from nms.itembank.importers import bank_export_xlsx
from nms.itembank.models import CompetencyArea, Item
from nms.monitoring import cards
from nms.monitoring.exports import card_board_xlsx, indicator_members_xlsx
from nms.monitoring.models import ScopeType
from nms.registry import importers as registry_importers
from nms.registry.exports import organizations_xlsx, people_xlsx
from nms.registry.models import Municipality, Organization, Person
from nms.registry.selectors import organizations_for_list
from nms.registry.tables import OrganizationTable
from nms.routes import selectors as route_selectors
from nms.routes import services as route_services
from nms.routes.exports import register_xlsx, template_applied_xlsx
from tests.catalogs import workbooks as catalogs
from tests.events.test_exports import events_workbooks
from tests.itembank.conftest import make_item
from tests.mentoring.test_exports import mentoring_workbooks
from tests.monitoring.workbooks import monitoring_workbooks
from tests.outcomes import workbooks as outcomes
from tests.portal import workbooks as portal
from tests.programs.test_exports import programs_workbooks
from tests.roadmap import workbooks as roadmap
from tests.routes.conftest import entry_result, item_data  # noqa: F401 -- a fixture
from tests.staffing import workbooks as staffing
from tests.support.workbooks import support_workbooks

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


def _read(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]


@pytest.fixture
def everything(poisoned, entry_result, two_municipalities):  # noqa: F811 -- the fixture
    """Besides `poisoned`: a result of the teacher in a procedure, a municipality and an area
    named with payloads."""
    Municipality.objects.filter(pk=two_municipalities["a"]["municipality"].pk).update(
        name=PAYLOADS[4]
    )
    Procedure.objects.filter(pk=entry_result.procedure_id).update(name=PAYLOADS[5])
    CompetencyArea.objects.filter(code="methodical").update(name=PAYLOADS[3])
    return poisoned


def _exports(users, result) -> dict[str, bytes]:
    """name: the workbook, for each function in EXPORTS."""
    cnppm = users["cnppm"]
    scope = scope_of(cnppm)
    teacher = Person.objects.get(pk=result.person_id)
    procedure = Procedure.objects.get(pk=result.procedure_id)
    school = teacher.employments.get().organization
    route = route_selectors.register(cnppm).get(person=teacher)
    deficits = [CompetencyArea.objects.get(code="methodical")]
    issued = [
        IssuedAccount(teacher, school.short_name, "teacher-1", PAYLOADS[2]),
        IssuedAccount(teacher, school.short_name, PAYLOADS[1], skipped=True),
    ]
    applied = route_services.TemplateApplied(routes=[route], skipped=[(teacher, PAYLOADS[5])])
    return {
        "people_xlsx": people_xlsx(scope.people()),
        "organizations_xlsx": organizations_xlsx(organizations_for_list(cnppm)),
        "register_xlsx": register_xlsx(route_selectors.register(cnppm)),
        "bank_export_xlsx": bank_export_xlsx(Item.objects.all()),
        "procedure_results_xlsx": procedure_results_xlsx(
            diagnostics_selectors.procedure_results(cnppm, procedure),
            diagnostics_selectors.procedure_areas(procedure),
        ),
        "map_xlsx": b"".join(  # every breakdown: rows named by municipalities, organizations
            maps.map_xlsx(
                maps.deficit_map(cnppm, maps.MapFilters(breakdown=breakdown)),
                maps.MapFilters(breakdown=breakdown, procedure=procedure),
                PAYLOADS[0],
            )
            for breakdown in maps.BREAKDOWNS
        ),
        "members_xlsx": maps.members_xlsx(
            maps.profile_members(cnppm, maps.MapFilters(), deficits), PAYLOADS[0]
        ),
        "accounts_xlsx": accounts_xlsx(issued),
        "template_applied_xlsx": template_applied_xlsx(applied),
        "_staff_template": registry_importers.import_template(cnppm, registry_importers.STAFF),
        "_organizations_template": registry_importers.import_template(
            cnppm, registry_importers.ORGANIZATIONS
        ),
        "import_template": result_importers.import_template(cnppm),
        "build_template": build_template([], {PAYLOADS[0]: PAYLOADS}),
        "table_workbook": table_xlsx(OrganizationTable, "Организации")(
            organizations_for_list(cnppm)
        ),
        "indicator_members_xlsx": indicator_members_xlsx(
            Person.objects.order_by("pk"), PAYLOADS[0]
        ),
        "card_board_xlsx": card_board_xlsx(
            cards.board(cnppm, scope.default_region(), "2025"), ScopeType.ORGANIZATION
        ),
        **programs_workbooks(cnppm),
        **mentoring_workbooks(cnppm),
        **events_workbooks(cnppm),
        **support_workbooks(cnppm),
        **monitoring_workbooks(cnppm),
        **outcomes.outcomes_workbooks(cnppm),
        **catalogs.catalogs_workbooks(cnppm),
        **roadmap.roadmap_workbooks(cnppm),
        **portal.portal_workbooks(cnppm),
        **staffing.staffing_workbooks(cnppm),
    }


# The text each workbook must hold unchanged (a payload stored in a name it shows).
EXPECTED = {
    "people_xlsx": [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], PAYLOADS[2]],
    "organizations_xlsx": [PAYLOADS[2]],
    "bank_export_xlsx": [PAYLOADS[0]],
    "procedure_results_xlsx": [PAYLOADS[2]],
    "members_xlsx": [PAYLOADS[0]],
    "accounts_xlsx": [PAYLOADS[1], PAYLOADS[2]],
    "template_applied_xlsx": [PAYLOADS[5]],
    "_staff_template": [PAYLOADS[2]],
    "_organizations_template": [PAYLOADS[4]],
    "import_template": [PAYLOADS[3], PAYLOADS[5]],
    "build_template": PAYLOADS,
    "table_workbook": [PAYLOADS[2], PAYLOADS[4]],
    "card_board_xlsx": [PAYLOADS[2], PAYLOADS[4]],
    "indicator_members_xlsx": [PAYLOADS[0]],
    # the new apps' workbooks (tests/<app>/workbooks.py, tests/<app>/test_exports.py)
    "programmes_xlsx": [PAYLOADS[0], PAYLOADS[1]],
    "enrollments_xlsx": [PAYLOADS[0]],
    "as_workbook": [PAYLOADS[0]],
    "events_xlsx": [PAYLOADS[0]],
    "memberships_xlsx": [PAYLOADS[0], PAYLOADS[1]],
    "requests_xlsx": [PAYLOADS[0]],
    "acts_xlsx": [PAYLOADS[0]],
    "unassigned_xlsx": [PAYLOADS[0]],
    "table_xlsx": [PAYLOADS[0]],
    "analytical_report_xlsx": [PAYLOADS[0]],
    "snapshots_xlsx": [PAYLOADS[0]],
    **outcomes.EXPECTED,
    **catalogs.EXPECTED,
    **roadmap.EXPECTED,
    **portal.EXPECTED,
    **staffing.EXPECTED,
}


def test_no_export_writes_a_formula(everything, entry_result):  # noqa: F811 -- the fixture
    exports = _exports(everything, entry_result)
    assert set(exports) == set(xlsx_writers()), "a workbook made and not read back here"
    for name, content in exports.items():
        if name == "map_xlsx":
            continue  # several workbooks: read one by one below
        assert formulas(content) == [], name
        values = _read(content)
        for payload in EXPECTED.get(name, []):
            assert payload in values, (name, payload)
        if name in (
            "procedure_results_xlsx", "members_xlsx", "register_xlsx", "experts_xlsx",
            "caseloads_xlsx", "requests_xlsx",
        ):  # fmt: skip
            full_name = f"{PAYLOADS[0]} {PAYLOADS[1]} {PAYLOADS[3]}"
            assert full_name in values, name  # the person's name, as stored
    cnppm = everything["cnppm"]
    for breakdown in maps.BREAKDOWNS:
        content = maps.map_xlsx(
            maps.deficit_map(cnppm, maps.MapFilters(breakdown=breakdown)),
            maps.MapFilters(breakdown=breakdown),
            PAYLOADS[0],
        )
        assert formulas(content) == [], breakdown
        values = _read(content)
        named = {maps.MUNICIPALITY: PAYLOADS[4], maps.ORGANIZATION: PAYLOADS[2]}
        assert PAYLOADS[0] in values and named.get(breakdown, PAYLOADS[0]) in values, breakdown
    assert Role.CNPPM in scope_of(cnppm).roles


def test_the_staffing_templates_write_no_formula(everything):
    """The staffing import's `import_template` (its name is the diagnostics' one, read back
    above): the reference lists keep a position and a specialty named like formulas as text."""
    cnppm = everything["cnppm"]
    staffing.staffing_workbooks(cnppm)
    templates = staffing.import_templates(cnppm)
    assert set(templates) == set(staffing.TEMPLATE_EXPECTED)
    for kind, content in templates.items():
        assert formulas(content) == [], kind
        values = _read(content)
        for payload in staffing.TEMPLATE_EXPECTED[kind]:
            assert payload in values, (kind, payload)


# -- every workbook goes through nms.common.xlsx ---------------------------------------------
SOURCE = pathlib.Path(nms.__file__).parent
MAKES_A_WORKBOOK = {"Workbook", "workbook_bytes", "build_template"}
SHEET_FACTORIES = {"add_sheet", "create_sheet", "active"}


def _called(node) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


def _modules():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def xlsx_writers() -> set[str]:
    """The functions of the project that make a workbook (but the writer's own helpers)."""
    found = set()
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and _called(node) & MAKES_A_WORKBOOK
                and (path.name != "xlsx.py" or node.name == "build_template")
            ):
                found.add(node.name)
    return found


def _sheet_names(function) -> set[str]:
    """Names given a worksheet in a function: `sheet = add_sheet(…)`, `= workbook.active`."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            source = value.func if isinstance(value, ast.Call) else value
            attr = source.id if isinstance(source, ast.Name) else getattr(source, "attr", "")
            if attr in SHEET_FACTORIES:
                names.add(node.targets[0].id)
    return names


def test_every_cell_is_written_by_the_safe_writer():
    """Outside nms.common.xlsx no code appends a row to a sheet, gives a cell a value or saves a
    workbook itself: `write_row`, `write_cell`, `workbook_bytes` do."""
    direct = []
    for path, tree in _modules():
        if path == SOURCE / "common" / "xlsx.py":
            continue
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            sheets = _sheet_names(function)
            for node in ast.walk(function):
                where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    receiver = node.func.value
                    on_sheet = isinstance(receiver, ast.Name) and receiver.id in sheets
                    if on_sheet and node.func.attr == "append":
                        direct.append(f"{where} {ast.unparse(node)}")
                    if node.func.attr == "cell" and (
                        len(node.args) > 2 or any(k.arg == "value" for k in node.keywords)
                    ):
                        direct.append(f"{where} {ast.unparse(node)}")
                    if node.func.attr == "save" and "Workbook" in _called(function):
                        direct.append(f"{where} {ast.unparse(node)}")
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Attribute) and target.attr == "value":
                            direct.append(f"{where} {ast.unparse(node)}")
                        if (
                            isinstance(target, ast.Subscript)
                            and isinstance(target.value, ast.Name)
                            and target.value.id in sheets
                        ):
                            direct.append(f"{where} {ast.unparse(node)}")
    assert direct == []
    assert {"people_xlsx", "map_xlsx", "accounts_xlsx"} <= xlsx_writers()  # the search works
