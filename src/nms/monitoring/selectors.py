"""Reads of the monitoring: snapshots as rows for the command line, the API and the reports."""

from decimal import Decimal

from nms.monitoring.models import Snapshot


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

    rows = [snapshot_row(s) for s in snapshots_of(region, period, scope_type, codes=codes)]
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
