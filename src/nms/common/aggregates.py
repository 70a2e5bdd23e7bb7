"""Figures over a whole territory, kept for a short while instead of recomputed on every view.

A region's deficit map or the ministry's home page groups hundreds of thousands of rows; many
people open them all day and the numbers move slowly. Such a figure is computed once, kept in the
cache for `NMS_AGGREGATE_SECONDS` (300 by default; 0 computes on every view) and shown with the
time it was computed, so nobody takes it for a live count; «обновить» recomputes it at once.
The key names everything the figure depends on: the scope (`Scope.signature`) and the filters.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

REFRESH_PARAM = "refresh"  # `?refresh=1` recomputes the page's kept figures


@dataclass
class Kept:
    value: object
    computed_at: datetime


def kept(key: str, compute, *, refresh: bool = False) -> Kept:
    """`compute()`, or what it gave within the last `NMS_AGGREGATE_SECONDS` for the same key."""
    seconds = settings.NMS_AGGREGATE_SECONDS
    if seconds <= 0:
        return Kept(compute(), timezone.now())
    name = "nms:kept:" + hashlib.sha256(key.encode()).hexdigest()
    if not refresh:
        found = cache.get(name)
        if found is not None:
            return Kept(*found)
    value, now = compute(), timezone.now()
    cache.set(name, (value, now), seconds)
    return Kept(value, now)


def wants_refresh(request) -> bool:
    return request.GET.get(REFRESH_PARAM) == "1"


def kept_minutes() -> int:
    seconds = settings.NMS_AGGREGATE_SECONDS
    return 0 if seconds <= 0 else max(1, round(seconds / 60))
