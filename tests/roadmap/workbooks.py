"""The roadmap workbooks for tests/common/test_xlsx_exports.py: a roadmap of the user's region
(its title, direction, measure and activity look like formulas) with a reporting period whose
evidence and links do, an agreement and a document named with payloads, and each workbook the
app makes of them (the lists and the roadmap in the import's layout)."""

from datetime import date

from nms.accounts.scope import scope_of
from nms.roadmap import exports, importers, selectors
from nms.roadmap.models import (
    ActivityPeriod,
    Agreement,
    AgreementKind,
    DeadlineKind,
    Direction,
    Document,
    DocumentKind,
    DocumentLevel,
    Measure,
    ResponsibleKind,
    Roadmap,
)

PAYLOAD = '=HYPERLINK("http://x.example","y")'
SHORT = "@SUM(A1)"


def roadmap_workbooks(user) -> dict[str, bytes]:
    scope = scope_of(user)
    region = scope.default_region()
    person = scope.people().filter(region=region, employments__isnull=False).order_by("pk")[0]
    organization = person.employments.order_by("pk")[0].organization
    roadmap = Roadmap.objects.create(region=region, title=PAYLOAD, starts_year=2025, ends_year=2025)
    direction = Direction.objects.create(roadmap=roadmap, number=1, title=PAYLOAD)
    measure = Measure.objects.create(direction=direction, number="1.1", title=SHORT)
    activity = roadmap.activities.create(
        measure=measure, number="1.1.1", title=PAYLOAD, responsible_kind=ResponsibleKind.CNPPM,
        responsible_text="+1", executors="-1+2", deadline_kind=DeadlineKind.DATE,
        deadline_text=SHORT, deadline_dates=["2025-12-31"], result=PAYLOAD,
    )  # fmt: skip
    ActivityPeriod.objects.update_or_create(
        activity=activity, year=2025,
        defaults={"due_on": date(2025, 12, 31), "evidence": PAYLOAD, "links": "+1"},
    )  # fmt: skip
    agreement = Agreement.objects.create(
        region=region, kind=AgreementKind.COOPERATION, number="+1", subject=PAYLOAD,
        municipality=organization.municipality, partner=SHORT, signed_on=date(2025, 2, 1),
        valid_from=date(2025, 2, 1),
    )  # fmt: skip
    agreement.organizations.set([organization])
    Document.objects.create(
        region=region, kind=DocumentKind.OTHER, title=PAYLOAD, number="+1",
        adopted_on=date(2025, 1, 15), level=DocumentLevel.REGIONAL,
    )  # fmt: skip
    return {
        "periods_xlsx": exports.periods_xlsx(selectors.periods_for_list(user)),
        "agreements_xlsx": exports.agreements_xlsx(selectors.agreements_for_list(user)),
        "documents_xlsx": exports.documents_xlsx(selectors.documents_for_list(user)),
        "export_roadmap": importers.export_roadmap(roadmap, selectors.activities_for_list(user)),
    }


# What the lead adds to EXPECTED in tests/common/test_xlsx_exports.py.
EXPECTED = {
    "periods_xlsx": [PAYLOAD, SHORT, "+1"],
    "agreements_xlsx": [PAYLOAD, SHORT, "+1"],
    "documents_xlsx": [PAYLOAD, "+1"],
    "export_roadmap": [PAYLOAD, SHORT, "+1", "-1+2"],
}
