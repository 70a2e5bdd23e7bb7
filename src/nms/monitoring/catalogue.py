"""The built-in catalogue of indicators (CHECKLIST.md §2, codes A1…G24), kept in
data/catalogue.json (built by data/build_catalogue.py) and loaded into the built-in indicators
(`region` empty) by a data migration, `nms monitor --load-catalogue` and the demo.

Loading is idempotent: a built-in indicator is created or brought up to the file (its definition
version goes up when its computation changes); a region's own indicators and its overrides of
built-in ones (rows with the region and the same code) are never touched.
"""

import json
from pathlib import Path

CATALOGUE = Path(__file__).with_name("data") / "catalogue.json"

# Passport fields taken from the file (the rest are the indicator's own).
FIELDS = (
    "name", "indicator_set", "source", "unit", "direction", "targets", "formation",
    "data_source", "method", "numerator", "denominator", "function", "by_subject", "parameters",
    "choices_made", "card_scope", "track", "frequency", "responsible",
)  # fmt: skip
COMPUTATION = ("method", "numerator", "denominator", "function", "by_subject", "unit")
DEFAULTS = {
    "source": "", "unit": "share", "direction": "at_least", "targets": {}, "formation": "",
    "data_source": "", "numerator": {}, "denominator": {}, "function": "", "by_subject": False,
    "parameters": {}, "choices_made": "", "card_scope": "", "track": None, "frequency": "",
    "responsible": "",
}  # fmt: skip


def entries() -> list[dict]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def codes() -> list[str]:
    return [entry["code"] for entry in entries()]


def passport(entry: dict) -> dict:
    values = {name: entry.get(name, DEFAULTS.get(name)) for name in FIELDS}
    extra = []
    if entry.get("target_text"):
        extra.append(f"Цель по документу: {entry['target_text']}.")
    if entry.get("checklist_status"):
        extra.append(f"Статус по чек-листу: {entry['checklist_status']}.")
    if extra and not values["frequency"]:
        values["frequency"] = ""
    values["formation"] = " ".join([values["formation"] or "", *extra]).strip()
    values["name"] = values["name"][:2000]
    values["source"] = (values["source"] or "")[:300]
    values["data_source"] = (values["data_source"] or "")[:300]
    return values


def load(Indicator=None) -> dict:
    """Create or update the built-in indicators; returns {"created": n, "updated": n}."""
    if Indicator is None:
        from nms.monitoring.models import Indicator
    existing = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    created = updated = 0
    for entry in entries():
        values = passport(entry)
        indicator = existing.get(entry["code"])
        if indicator is None:
            Indicator.objects.create(region=None, code=entry["code"], **values)
            created += 1
            continue
        changed = [name for name, value in values.items() if getattr(indicator, name) != value]
        if not changed:
            continue
        for name in changed:
            setattr(indicator, name, values[name])
        if any(name in COMPUTATION for name in changed):
            indicator.definition_version += 1
        indicator.save()
        updated += 1
    return {"created": created, "updated": updated}
