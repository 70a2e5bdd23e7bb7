"""The outcomes and exchange workbooks for tests/common/test_xlsx_exports.py: a student's result
whose class label and teacher's name look like formulas, a programme whose title and provider
do, and each workbook the two apps make of them (the results list, the results file's
template, the regional passport of further professional education)."""

from datetime import date

from nms.accounts.scope import scope_of
from nms.exchange import passport
from nms.outcomes import exports, importers, selectors
from nms.outcomes.models import StudentResult
from nms.programs.models import Enrollment, Programme, Run
from nms.registry.models import Subject

PAYLOAD = '=HYPERLINK("http://x.example","y")'
SHORT = "@SUM(A1)"


def outcomes_workbooks(user) -> dict[str, bytes]:
    scope = scope_of(user)
    region = scope.default_region()
    teacher = scope.people().filter(region=region, employments__isnull=False).order_by("pk")[0]
    organization = teacher.employments.order_by("pk")[0].organization
    StudentResult.objects.create(
        region=region, kind="oge", school_year=2024, subject=Subject.objects.order_by("pk")[0],
        group_label=SHORT, teacher=teacher, organization=organization, participants=20,
        share_passing=60,
    )  # fmt: skip
    programme = Programme.objects.create(
        region=region, title=PAYLOAD, hours=36, provider_name=PAYLOAD, federal_number="+1"
    )
    run = Run.objects.create(
        programme=programme, starts_on=date(2025, 2, 1), ends_on=date(2025, 3, 1)
    )
    Enrollment.objects.create(run=run, person=teacher, enrolled_on=date(2025, 2, 1))
    return {
        "results_xlsx": exports.results_xlsx(selectors.results_for_list(user)),
        "results_template": importers.results_template(user),
        "passport_xlsx": passport.passport_xlsx(
            passport.build(region, date(2025, 1, 1), date(2025, 12, 31))
        ),
    }


# What the lead adds to EXPECTED in tests/common/test_xlsx_exports.py.
EXPECTED = {"results_xlsx": [SHORT], "passport_xlsx": [PAYLOAD, "+1"]}
