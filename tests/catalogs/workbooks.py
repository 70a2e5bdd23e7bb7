"""The catalogs workbooks for tests/common/test_xlsx_exports.py: a practice and a material of
the user's region whose title, description, direction, audience and co-authors look like
formulas, authored by a person of the region, and the bank's list as a workbook."""

from datetime import date

from nms.accounts.scope import scope_of
from nms.catalogs import exports, selectors
from nms.catalogs.models import Authorship, Item, ItemKind, ItemLevel, ItemStatus, MaterialKind

PAYLOAD = '=HYPERLINK("http://x.example","y")'
SHORT = "@SUM(A1)"


def catalogs_workbooks(user) -> dict[str, bytes]:
    scope = scope_of(user)
    region = scope.default_region()
    author = scope.people().filter(region=region, employments__isnull=False).order_by("pk")[0]
    organization = author.employments.order_by("pk")[0].organization
    common = {
        "region": region, "organization": organization, "level": ItemLevel.SCHOOL,
        "status": ItemStatus.SUBMITTED, "submitted_on": date(2025, 3, 1),
    }  # fmt: skip
    practice = Item.objects.create(
        kind=ItemKind.PRACTICE, title=PAYLOAD, description=SHORT, direction="+1",
        coauthors="-1+2", **common,
    )  # fmt: skip
    material = Item.objects.create(
        kind=ItemKind.MATERIAL, title=SHORT, description=PAYLOAD,
        material_kind=MaterialKind.OTHER, audience=PAYLOAD, **common,
    )  # fmt: skip
    for item in (practice, material):
        Authorship.objects.create(item=item, person=author)
    return {"items_xlsx": exports.items_xlsx(selectors.items_for_list(user))}


# What the lead adds to EXPECTED in tests/common/test_xlsx_exports.py.
EXPECTED = {"items_xlsx": [PAYLOAD, SHORT, "+1"]}
