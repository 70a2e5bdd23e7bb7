"""Figures over a whole territory, kept for a short while instead of recomputed on every view.

A region's deficit map or the ministry's home page groups hundreds of thousands of rows; many
people open them all day and the numbers move slowly. Such a figure is computed once, kept in the
cache for `NMS_AGGREGATE_SECONDS` (300 by default; 0 computes on every view) and shown with the
time it was computed, so nobody takes it for a live count; «обновить» recomputes it at once.
The key names everything the figure depends on: the scope (`Scope.signature`) and the filters.
"""

import hashlib
from collections import OrderedDict
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


# Values of `kept(..., read_only=True)` this process unpickled, by key: {name: (time, value)}.
_READ: OrderedDict = OrderedDict()
READ_KEPT_MAX = 64


def kept(key: str, compute, *, refresh: bool = False, read_only: bool = False) -> Kept:
    """`compute()`, or what it gave within the last `NMS_AGGREGATE_SECONDS` for the same key.

    `read_only`: the callers never change the value, so the process may hand out the same
    object again while the cache holds that computation (a small stamp says which one): a
    region's map of 2 600 organizations is not unpickled on every view."""
    seconds = settings.NMS_AGGREGATE_SECONDS
    if seconds <= 0:
        return Kept(compute(), timezone.now())
    name = "nms:kept:" + hashlib.sha256(key.encode()).hexdigest()
    if not refresh:
        if read_only:
            stamp = cache.get(name + ":at")
            held = _READ.get(name)
            if stamp is not None and held is not None and held[0] == stamp:
                return Kept(held[1], stamp)
        found = cache.get(name)
        if found is not None:
            if read_only:
                _hold(name, found[1], found[0])
            return Kept(*found)
    value, now = compute(), timezone.now()
    cache.set(name, (value, now), seconds)
    if read_only:
        cache.set(name + ":at", now, seconds)
        _hold(name, now, value)
    return Kept(value, now)


def _hold(name: str, computed_at, value) -> None:
    _READ[name] = (computed_at, value)
    _READ.move_to_end(name)
    while len(_READ) > READ_KEPT_MAX:
        _READ.popitem(last=False)


def wants_refresh(request) -> bool:
    return request.GET.get(REFRESH_PARAM) == "1"


def kept_minutes() -> int:
    seconds = settings.NMS_AGGREGATE_SECONDS
    return 0 if seconds <= 0 else max(1, round(seconds / 60))


# -- the number of rows of a big list ----------------------------------------------------------
# A list of a region's people or results is counted on every view for «Найдено: N» and the API's
# `count`: at 100 000 people that scan cost more than the page's rows. A count of at least
# KEEP_COUNT_FROM rows is kept for NMS_COUNT_SECONDS (never longer than NMS_AGGREGATE_SECONDS,
# so 0 there counts on every view); a smaller one is counted every time, as it costs little.
KEEP_COUNT_FROM = 1000


def kept_count(queryset) -> int:
    """`queryset.count()`, or the count of the same query (SQL and parameters, so the scope and
    the filters are in the key) made within the last NMS_COUNT_SECONDS when it was big."""
    seconds = min(settings.NMS_AGGREGATE_SECONDS, getattr(settings, "NMS_COUNT_SECONDS", 60))
    if seconds <= 0 or not hasattr(queryset, "query"):
        return queryset.count() if hasattr(queryset, "count") else len(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except Exception:  # an empty result set (EmptyResultSet) and the like: Django counts it
        return queryset.count()
    text = f"{queryset.db}\x00{sql}\x00{params!r}"
    key = "nms:count:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    number = queryset.count()
    if number >= KEEP_COUNT_FROM:
        cache.set(key, number, seconds)
    return number
