"""Reads of the monitoring: snapshots as rows for the command line, the API and the reports."""

from decimal import Decimal

from nms.common.text import search_tokens
from nms.monitoring.models import ScopeType, Snapshot


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return float(value)


def snapshots_of(region, period: str, scope_type: str | None = None, *, codes=None):
    rows = Snapshot.objects.filter(region=region, period=period).select_related(
        "indicator", "subject"
    )
    if scope_type:
        rows = rows.filter(scope_type=scope_type)
    if codes:
        rows = rows.filter(indicator__code__in=list(codes))
    return rows


# -- organizations' rows not stored (nms.monitoring.compute.OMITTED) ----------------------------
def _omitted_in(region_id, period: str, indicator_ids=None) -> dict:
    """indicator id → the region's snapshot naming the organizations' default row."""
    from nms.monitoring.compute import OMITTED

    rows = Snapshot.objects.filter(
        region_id=region_id,
        period=period,
        scope_type=ScopeType.REGION,
        subject__isnull=True,
        details__has_key=OMITTED,
    ).select_related("indicator")
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=list(indicator_ids))
    return {s.indicator_id: s for s in rows}


def default_row(region_snapshot: Snapshot, scope_id: int, scope_name: str) -> Snapshot:
    """The organization's row that was not stored (0 of 0, a card awaited), unsaved."""
    from nms.monitoring.compute import OMITTED, met_of, value_of

    shape = region_snapshot.details[OMITTED]
    indicator = region_snapshot.indicator
    value = None
    if shape["status"] == Snapshot.Status.COMPUTED:
        value = value_of(indicator.unit, shape["numerator"], shape["denominator"])
    details = {"cards_accepted": 0, "cards_expected": 1} if shape["numerator"] is None else {}
    return Snapshot(
        region_id=region_snapshot.region_id,
        indicator=indicator,
        period=region_snapshot.period,
        starts_on=region_snapshot.starts_on,
        ends_on=region_snapshot.ends_on,
        scope_type=ScopeType.ORGANIZATION,
        scope_id=scope_id,
        scope_name=scope_name,
        numerator=shape["numerator"],
        denominator=shape["denominator"],
        value=value,
        target=region_snapshot.target,
        met=met_of(indicator.direction, value, region_snapshot.target),
        status=shape["status"],
        details=details,
        definition_version=region_snapshot.definition_version,
        computed_at=region_snapshot.computed_at,
    )


def with_organization_defaults(own: dict, organization, period: str, indicator_ids) -> dict:
    """An organization's snapshots by indicator id, with the rows not stored put back."""
    missing = [pk for pk in indicator_ids if pk not in own]
    if not missing:
        return own
    found = dict(own)
    for indicator_id, region_snapshot in _omitted_in(
        organization.region_id, period, missing
    ).items():
        found[indicator_id] = default_row(region_snapshot, organization.pk, str(organization))
    return found


def _defaults_of(region, period: str, stored: list, *, codes=None) -> list:
    """The rows not stored of every organization of the region (for the full lists)."""
    from nms.registry.models import Organization

    omitted = _omitted_in(region.pk, period)
    if codes:
        omitted = {k: v for k, v in omitted.items() if v.indicator.code in set(codes)}
    if not omitted:
        return []
    have = {
        (s.indicator_id, s.scope_id)
        for s in stored
        if s.scope_type == ScopeType.ORGANIZATION and s.subject_id is None
    }
    organizations = list(Organization.objects.filter(region=region).values_list("pk", "short_name"))
    found = []
    for indicator_id, region_snapshot in omitted.items():
        for pk, name in organizations:
            if (indicator_id, pk) not in have:
                found.append(default_row(region_snapshot, pk, name))
    return found


def snapshot_row(snapshot: Snapshot) -> dict:
    """One snapshot as the JSON of `nms monitor`."""
    indicator = snapshot.indicator
    row = {
        "code": indicator.code,
        "name": indicator.name,
        "scope_type": snapshot.scope_type,
        "scope_id": snapshot.scope_id,
        "scope_name": snapshot.scope_name,
        "period": snapshot.period,
        "subject": snapshot.subject.name if snapshot.subject_id else None,
        "numerator": _number(snapshot.numerator),
        "denominator": _number(snapshot.denominator),
        "value": _number(snapshot.value),
        "target": _number(snapshot.target),
        "met": snapshot.met,
        "unit": indicator.unit,
        "method": indicator.method,
        "status": snapshot.status,
    }
    if indicator.method == "card":
        row["cards_status"] = snapshot.get_status_display()
        row["cards_accepted"] = snapshot.details.get("cards_accepted", 0)
        row["cards_expected"] = snapshot.details.get("cards_expected", 0)
    return row


def snapshot_rows(region, period: str, scope_type: str | None = None, *, codes=None) -> list:
    from nms.monitoring.compute import _code_key

    stored = list(snapshots_of(region, period, scope_type, codes=codes))
    if scope_type in (None, "", ScopeType.ORGANIZATION):
        stored += _defaults_of(region, period, stored, codes=codes)
    rows = [snapshot_row(s) for s in stored]
    order = {"region": 0, "municipality": 1, "organization": 2}
    rows.sort(
        key=lambda r: (
            order[r["scope_type"]], r["scope_name"], r["scope_id"], _code_key(r["code"]),
            r["subject"] or "",
        )
    )  # fmt: skip
    return rows


XLSX_COLUMNS = [
    ("Код", 10), ("Показатель", 60), ("Территория", 12), ("Наименование", 40), ("Период", 12),
    ("Предмет", 20), ("Числитель", 12), ("Знаменатель", 12), ("Значение", 12), ("Цель", 10),
    ("Достигнута", 12), ("Состояние", 24),
]  # fmt: skip
SCOPE_LABELS = {"region": "регион", "municipality": "муниципалитет", "organization": "организация"}
STATUS_LABELS = dict(Snapshot.Status.choices)


def snapshots_xlsx(region, period: str, scope_type: str | None = None, *, codes=None) -> bytes:
    """Every value of the period (and scope type) as a spreadsheet (nms.common.xlsx)."""
    from openpyxl import Workbook

    from nms.common import xlsx

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = xlsx.add_sheet(workbook, "Показатели", XLSX_COLUMNS)
    for row in snapshot_rows(region, period, scope_type, codes=codes):
        met = "" if row["met"] is None else xlsx.yes_no(row["met"])
        xlsx.write_row(
            sheet,
            [
                row["code"], row["name"], SCOPE_LABELS[row["scope_type"]], row["scope_name"],
                row["period"], row["subject"] or "", row["numerator"], row["denominator"],
                row["value"], row["target"], met, STATUS_LABELS[row["status"]],
            ],
        )  # fmt: skip
    return xlsx.workbook_bytes(workbook)


def _search_path(model) -> str | None:
    """The field holding a record's search text: its own, or its person's."""
    fields = {f.name: f for f in model._meta.get_fields()}
    if "search_text" in fields:
        return "search_text"
    person = getattr(fields.get("person"), "related_model", None)
    if person is not None and "search_text" in {f.name for f in person._meta.get_fields()}:
        return "person__search_text"
    return None


def members_for_list(rows, text: str = ""):
    """The records behind an indicator's value (`dashboards.members`) as their list shows them:
    with their person when they belong to one, and — given `text` — those whose search text
    (their own or their person's) holds every word of it; none when they have no text."""
    path = _search_path(rows.model)
    if path == "person__search_text":
        rows = rows.select_related("person")
    tokens = search_tokens(text)
    if tokens and path is None:
        return rows.none()
    for token in tokens:
        rows = rows.filter(**{f"{path}__contains": token})
    return rows
