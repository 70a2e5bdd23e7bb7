"""The mentoring workbooks: what the pair and mentor lists export, read back (and, through
`mentoring_workbooks`, checked for formulas by tests/common/test_xlsx_exports.py)."""

import io
from datetime import date

from openpyxl import load_workbook

from nms.mentoring import exports, selectors
from nms.mentoring.models import MentorProfile, Pair
from nms.registry.models import Person


def mentoring_workbooks(user) -> dict[str, bytes]:
    """Both workbooks for `user`, over a pair and a profile of the first two people there are
    (the common test names them with formula payloads)."""
    mentor, mentee = Person.objects.order_by("pk")[:2]
    MentorProfile.objects.get_or_create(person=mentor)
    Pair.objects.get_or_create(
        mentor=mentor, mentee=mentee, form="teacher_teacher", starts_on=date.today(),
        defaults={"goals": "=1+1"},
    )  # fmt: skip
    return {
        "pairs_xlsx": exports.pairs_xlsx(selectors.pairs_for_list(user)),
        "profiles_xlsx": exports.profiles_xlsx(selectors.profiles_for_list(user)),
    }


def _values(content) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]


def test_workbooks_hold_the_rows_and_no_formula(world):
    books = mentoring_workbooks(world.users["cnppm"])
    pairs = _values(books["pairs_xlsx"])
    assert world.profiles.full.person.full_name in pairs
    profiles = _values(books["profiles_xlsx"])
    assert world.profiles.best.person.full_name in profiles
    school = _values(mentoring_workbooks(world.users["other_school"])["pairs_xlsx"])
    assert world.mentee.full_name not in school  # the scope holds in the export
