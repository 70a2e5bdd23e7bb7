"""The app's limits: settings (environment) and the region's own override (SupportSettings).

NMS_CASELOAD_CAP            teachers in one regional methodist's care, at most (250: seed 001)
NMS_METHODICAL_THRESHOLD    the methodical competency share (%) a РМА member must reach (70)
NMS_ANSWER_DAYS             days to answer a request for help (5; urgent: NMS_URGENT_ANSWER_DAYS, 2)
"""

import os
from decimal import Decimal

from django.conf import settings


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "").strip() or default
    return value


def _region_settings(region):
    from nms.support.models import SupportSettings

    region_id = getattr(region, "pk", region)
    return SupportSettings.objects.filter(region_id=region_id).first() if region_id else None


def caseload_cap(region=None) -> int:
    own = _region_settings(region)
    if own is not None and own.caseload_cap:
        return own.caseload_cap
    return int(_setting("NMS_CASELOAD_CAP", 250))


def methodical_threshold(region=None) -> Decimal:
    own = _region_settings(region)
    if own is not None and own.methodical_threshold is not None:
        return own.methodical_threshold
    return Decimal(str(_setting("NMS_METHODICAL_THRESHOLD", 70)))


def answer_days(urgent: bool) -> int:
    if urgent:
        return int(_setting("NMS_URGENT_ANSWER_DAYS", 2))
    return int(_setting("NMS_ANSWER_DAYS", 5))
