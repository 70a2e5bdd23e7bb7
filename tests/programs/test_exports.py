"""The programmes' workbooks (catalogue, enrollments, a CSV read as a sheet, import templates):
names that look like formulas stay text. `programs_workbooks` is also read back by
tests/common/test_xlsx_exports.py, which checks every workbook the project makes."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from nms.programs.exports import enrollments_xlsx, programmes_xlsx
from nms.programs.importers import as_workbook, import_template
from nms.programs.models import Enrollment, Programme, Run
from nms.programs.selectors import enrollments_for_list, programmes_for_list
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://x.example","y")'


def programs_workbooks(user) -> dict[str, bytes]:
    """A programme and an enrollment named with a formula payload, and every workbook made of
    them (the user's region gets the programme)."""
    from nms.accounts.scope import scope_of

    region = scope_of(user).default_region()
    programme = Programme.objects.create(region=region, title=PAYLOAD, hours=36, provider_name="+1")
    run = Run.objects.create(programme=programme, starts_on=TODAY, ends_on=TODAY, group_name="@1")
    person = scope_of(user).people().first()
    if person is not None:
        Enrollment.objects.create(run=run, person=person, enrolled_on=TODAY, drop_reason="-1+2")
    csv = f'Номер в ФР ДПП;Наименование\n1;"{PAYLOAD.replace(chr(34), chr(34) * 2)}"\n'
    return {
        "programmes_xlsx": programmes_xlsx(programmes_for_list(user)),
        "enrollments_xlsx": enrollments_xlsx(enrollments_for_list(user)),
        "as_workbook": as_workbook(BytesIO(csv.encode())).getvalue(),
    }


def test_programme_workbooks_keep_payloads_as_text(users, two_municipalities):
    workbooks = programs_workbooks(users["cnppm"])
    workbooks["import_template"] = import_template(users["cnppm"], "catalogue")
    for name, content in workbooks.items():
        book = load_workbook(BytesIO(content))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"], name
        if name != "import_template":
            assert PAYLOAD in [c.value for c in cells], name
