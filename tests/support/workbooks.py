"""The support workbooks for tests/common/test_xlsx_exports.py: an active membership, a help
request, a support act, an expert role and a caseload in the user's region, named with formula
payloads, and each workbook the app makes of them (the automatic assignment's report too)."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from nms.accounts.scope import scope_of
from nms.support import exports, selectors
from nms.support.models import (
    ActiveMembership,
    Caseload,
    CaseloadBasis,
    ExpertRole,
    HelpRequest,
    SupportAct,
)

PAYLOAD = '=HYPERLINK("http://x.example","y")'


def support_workbooks(user) -> dict[str, bytes]:
    region = scope_of(user).default_region()
    teacher, methodist = scope_of(user).people().filter(region=region).order_by("pk")[:2]
    today = date.today()
    ActiveMembership.objects.create(
        region=region, person=methodist, role="curator", level="regional",
        starts_on=today - timedelta(days=30), specialisations=PAYLOAD, order_number="+1",
    )  # fmt: skip
    request = HelpRequest.objects.create(
        region=region, person=teacher, topic=PAYLOAD, methodist=methodist,
        deadline=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    SupportAct.objects.create(
        region=region, kind="consultation", held_on=today, person=teacher, methodist=methodist,
        topic=PAYLOAD, request=request,
    )  # fmt: skip
    ExpertRole.objects.create(
        region=region, person=teacher, kind="jury", level="regional", starts_on=today
    )
    Caseload.objects.create(region=region, methodist=methodist, teacher=teacher, assigned_on=today)
    report = SimpleNamespace(
        cap=20, methodists=1, kept=0, adopted=0, by_basis={CaseloadBasis.MANUAL: 1},
        unassigned=[(teacher.pk, PAYLOAD)],
    )  # fmt: skip
    return {
        "memberships_xlsx": exports.memberships_xlsx(selectors.memberships_for_list(user)),
        "requests_xlsx": exports.requests_xlsx(selectors.requests_for_list(user)),
        "acts_xlsx": exports.acts_xlsx(selectors.acts_for_list(user)),
        "experts_xlsx": exports.experts_xlsx(selectors.experts_for_list(user)),
        "caseloads_xlsx": exports.caseloads_xlsx(selectors.caseloads_for_list(user)),
        "unassigned_xlsx": exports.unassigned_xlsx(report),
    }
