"""The indicators over the roadmap's records (monitoring/data/updates/roadmap.json) computed by
the monitoring engine on hand-built data, numerator and denominator exactly."""

import json
from datetime import date
from pathlib import Path

import pytest

import nms.monitoring
from nms.monitoring.catalogue import passport
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator, Snapshot
from nms.roadmap.models import Agreement, Document, Roadmap
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
UPDATES = Path(nms.monitoring.__file__).with_name("data") / "updates" / "roadmap.json"
ENTRIES = {e["code"]: e for e in json.loads(UPDATES.read_text(encoding="utf-8"))}


def counts(region, code, period):
    entry = ENTRIES[code]
    Indicator.objects.update_or_create(region=None, code=code, defaults=passport(entry))
    compute(region, period, codes=[code])
    rows = Snapshot.objects.filter(indicator__code=code, period=period, subject__isnull=True)
    return {
        (s.scope_type, s.scope_id): (
            None if s.numerator is None else int(s.numerator),
            None if s.denominator is None else int(s.denominator),
        )
        for s in rows
    }


def test_every_entry_is_records_over_known_populations():
    from nms.monitoring.populations import validate_spec

    for entry in ENTRIES.values():
        assert entry["method"] == "records" and entry["choices_made"]
        for part in ("numerator", "denominator"):
            if entry.get(part):
                validate_spec(entry[part], where=entry["code"])


def test_a1_share_done_on_time(world):
    found = counts(world.region, "A1", "2025")
    # 2025: 1.1.1 on time; 1.1.2 late; 1.2.1 and 2.1.1 not done
    assert found[("region", world.region.pk)] == (1, 4)
    assert found[("municipality", world.a["municipality"].pk)] == (0, 1)  # its own 1.2.1
    assert found[("organization", world.a["school"].pk)] == (0, 1)
    assert counts(world.region, "A1", "2026")[("region", world.region.pk)] == (0, 3)


def test_b1_e2_roadmap_approved(world):
    assert counts(world.region, "B1", "2025")[("region", world.region.pk)] == (0, None)
    Roadmap.objects.update(approved_on=date(2025, 5, 31))
    assert counts(world.region, "E2", "2025")[("region", world.region.pk)] == (1, None)
    assert counts(world.region, "E2", "2024")[("region", world.region.pk)] == (0, None)


def test_c3_d3_share_of_municipalities_with_a_current_tripartite_agreement(world):
    a, b = world.a["municipality"], world.b["municipality"]
    MunicipalityFactory(region=world.region)  # a third, without any
    common = {"region": world.region, "subject": "О взаимодействии", "signed_on": date(2024, 1, 1)}
    Agreement.objects.create(
        kind="tripartite", municipality=a, valid_from=date(2024, 1, 1), **common
    )
    Agreement.objects.create(
        kind="tripartite", municipality=b, valid_from=date(2023, 1, 1), valid_to=date(2024, 6, 30),
        **common,
    )  # fmt: skip
    Agreement.objects.create(
        kind="cooperation", municipality=b, valid_from=date(2025, 1, 1), **common
    )
    found = counts(world.region, "C3", "2025")
    assert found[("region", world.region.pk)] == (1, 3)
    assert found[("municipality", a.pk)] == (1, 1) and found[("municipality", b.pk)] == (0, 1)
    assert counts(world.region, "D3", "2024")[("region", world.region.pk)] == (2, 3)


def test_c4_e3_g13_f7_3_counts_of_agreements(world):
    a = world.a["municipality"]
    common = {"region": world.region, "subject": "О сотрудничестве", "signed_on": date(2024, 1, 1),
              "valid_from": date(2024, 1, 1)}  # fmt: skip
    for _ in range(3):
        Agreement.objects.create(kind="cooperation", **common)
    Agreement.objects.create(kind="network", **common)
    Agreement.objects.create(kind="cooperation", **{**common, "valid_to": date(2024, 12, 31)})
    Agreement.objects.create(kind="tripartite", municipality=a, **common)
    Agreement.objects.create(kind="education", municipality=a, partner="Педколледж", **common)
    region = ("region", world.region.pk)
    assert counts(world.region, "C4", "2025")[region] == (3, None)
    assert counts(world.region, "E3", "2025")[region] == (4, None)
    assert counts(world.region, "E3", "2024")[region] == (5, None)
    g13 = counts(world.region, "G13", "2025")
    assert g13[("municipality", a.pk)] == (2, None)
    assert g13[("municipality", world.b["municipality"].pk)] == (0, None)
    f73 = counts(world.region, "F7.3", "2025")
    assert f73[("municipality", a.pk)] == (1, None)
    assert f73[("municipality", world.b["municipality"].pk)] == (0, None)


def test_documents_e1_c1_c2_f7_2_g12(world):
    a, b = world.a["municipality"], world.b["municipality"]
    common = {"region": world.region, "adopted_on": date(2024, 5, 1)}
    Document.objects.create(kind="system_regulation", level="regional", title="Положение", **common)
    Document.objects.create(
        kind="activity_plan", level="regional", title="План", repealed_on=date(2024, 12, 31),
        **common,
    )  # fmt: skip
    Document.objects.create(
        kind="staffing_plan", level="municipal", municipality=a, title="План", **common
    )
    Document.objects.create(kind="monitoring_procedure", level="municipal", municipality=b,
                            title="Порядок", **common)  # fmt: skip
    region = ("region", world.region.pk)
    assert counts(world.region, "E1", "2025")[region] == (1, None)
    assert counts(world.region, "C1", "2025")[region] == (0, None)
    assert counts(world.region, "C1", "2024")[region] == (1, None)
    assert counts(world.region, "C2", "2025")[region] == (0, None)
    f72 = counts(world.region, "F7.2", "2025")
    assert f72[("municipality", a.pk)] == (1, None) and f72[("municipality", b.pk)] == (0, None)
    g12 = counts(world.region, "G12", "2025")
    assert g12[("municipality", b.pk)] == (1, None) and g12[("municipality", a.pk)] == (0, None)
