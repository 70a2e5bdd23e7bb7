"""The monitoring indicators of data/updates/portal.json, computed by the monitoring engine on
hand-built data: E16 (the navigator), B13 and E19 (innovation sites), E12 (methodical
associations) over the portal's records; B15, C29 and G8 (the [PUB] rows: practices published on
the open portal) over the catalogs app's population `catalog_published`."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

import nms.monitoring.populations_portal  # noqa: F401  (registers the populations)
from nms.monitoring.catalogue import passport
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator, Snapshot
from nms.portal.models import Community, InnovationSite, Resource
from tests.portal.conftest import site

pytestmark = pytest.mark.django_db

UPDATES = Path(nms.monitoring.populations_portal.__file__).parent / "data/updates/portal.json"
PERIOD = "2025"


def _entries() -> dict:
    return {entry["code"]: entry for entry in json.loads(UPDATES.read_text(encoding="utf-8"))}


def _value(region, code, scope_type="region", scope_id=None):
    entry = _entries()[code]
    Indicator.objects.update_or_create(region=region, code=code, defaults=passport(entry))
    compute(region, PERIOD, codes=[code])
    snapshot = Snapshot.objects.get(
        indicator__region=region, indicator__code=code, period=PERIOD, scope_type=scope_type,
        scope_id=scope_id or region.pk, subject__isnull=True,
    )  # fmt: skip
    return snapshot.numerator


def _created(obj, day: date):
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def test_the_entries_are_records_with_their_choices():
    entries = _entries()
    assert set(entries) == {"E16", "B13", "E19", "E12", "B15", "C29", "G8"}
    for entry in entries.values():
        assert entry["method"] == "records" and entry["numerator"]["population"]
        assert entry["choices_made"]


def test_e16_counts_published_resources_recorded_by_the_periods_end(region):
    kept = Resource.objects.create(region=region, title="Р1", kind="academy", url="https://a.ru")
    hidden = Resource.objects.create(
        region=region, title="Р2", kind="platform", url="https://b.ru", published=False
    )
    later = Resource.objects.create(region=region, title="Р3", kind="course", url="https://c.ru")
    _created(kept, date(2025, 3, 1))
    _created(hidden, date(2025, 3, 1))
    _created(later, date(2026, 2, 1))
    assert _value(region, "E16") == 1


def test_b13_and_e19_count_sites_in_force_with_the_status(region, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    period = {"starts_on": date(2024, 9, 1), "ends_on": date(2027, 8, 31)}
    site(a["school"], "П1", **period)
    site(a["school"], "П2", status="completed", starts_on=date(2023, 9, 1),
         ends_on=date(2025, 5, 31))  # fmt: skip
    site(b["school"], "П3", status="applied", **period)
    site(b["school"], "П4", status="rejected", **period)
    site(b["school"], "П5", starts_on=date(2026, 9, 1), ends_on=date(2028, 8, 31))
    assert _value(region, "B13") == 2
    assert _value(region, "B13", "municipality", a["municipality"].pk) == 2
    assert _value(region, "E19", "municipality", b["municipality"].pk) == 0
    assert InnovationSite.objects.count() == 5


def test_e12_counts_methodical_associations_and_rumo(region, two_municipalities):
    a = two_municipalities["a"]
    made = [
        Community.objects.create(region=region, municipality=a["municipality"], name="МО 1",
                                 kind="methodical", level="municipal"),
        Community.objects.create(region=region, name="РУМО", kind="rumo", level="regional"),
        Community.objects.create(region=region, name="Ассоциация", kind="association",
                                 level="regional"),
    ]  # fmt: skip
    for community in made:
        _created(community, date(2025, 1, 10))
    assert _value(region, "E12") == 2
    assert _value(region, "E12", "municipality", a["municipality"].pk) == 1


def test_b15_c29_g8_count_practices_published_on_the_portal(region, two_municipalities):
    from django.apps import apps

    import nms.monitoring.populations_catalogs  # noqa: F401  (catalog_published)

    Item = apps.get_model("catalogs", "Item")
    a, b = two_municipalities["a"], two_municipalities["b"]

    def item(kind="practice", status="published", published_on=date(2025, 3, 1), org=None):
        return Item.objects.create(
            region=region, kind=kind, title=f"Практика {kind} {status}", description="…",
            level="school", status=status, published_on=published_on,
            organization=org or a["school"],
        )  # fmt: skip

    item()
    item(org=b["school"], published_on=date(2024, 5, 1))
    item(status="review", published_on=None)
    item(kind="material")
    item(published_on=date(2026, 1, 10))  # after the period
    assert _value(region, "B15") == 2
    assert _value(region, "C29") == 2
    assert _value(region, "G8", "municipality", a["municipality"].pk) == 1
