"""The monitoring workbooks for tests/common/test_xlsx_exports.py: a region's indicator named
with a formula payload and its values for the region and a municipality (named with payloads
too), and each workbook the app makes of them."""

from nms.accounts.scope import scope_of
from nms.monitoring import dashboards, reports, selectors
from nms.monitoring.dashboards import Place
from nms.registry.models import Municipality
from tests.monitoring.m2_data import indicator, snap

PAYLOAD = '=HYPERLINK("http://x.example","y")'
PERIOD = "2025"


def monitoring_workbooks(user) -> dict[str, bytes]:
    region = scope_of(user).default_region()
    share = indicator(region, "R-F1", name=PAYLOAD, source="+1", responsible="@SUM(A1)")
    snap(share, region, PERIOD, 40, 50)
    municipality = Municipality.objects.filter(region=region).first()
    if municipality is not None:
        snap(share, municipality, PERIOD, 30, 50)
    place = Place("region", region)
    return {
        "table_xlsx": dashboards.table_xlsx(place, PERIOD, dashboards.table(user, place, PERIOD)),
        "analytical_report_xlsx": reports.analytical_report_xlsx(region, PERIOD, place),
        "snapshots_xlsx": selectors.snapshots_xlsx(region, PERIOD),
    }
