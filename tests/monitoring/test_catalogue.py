"""The built-in catalogue: every code of CHECKLIST.md §2, each with a way of computing, specs
that validate, loading that is idempotent and keeps a region's overrides."""

import re
from pathlib import Path

import pytest

from nms.monitoring import catalogue, definitions
from nms.monitoring.functions import FUNCTIONS
from nms.monitoring.models import Indicator, Method
from nms.monitoring.populations import validate_spec

CHECKLIST = Path(__file__).resolve().parents[3] / "shared" / "CHECKLIST.md"
ROW = re.compile(r"^\|\s*([A-G]\d+(?:\.\d+)?)\s*\|")


def checklist_codes() -> list[str]:
    if not CHECKLIST.exists():
        pytest.skip(f"{CHECKLIST} is not next to the working tree")
    section = CHECKLIST.read_text(encoding="utf-8").split("## 2.", 1)[1].split("## 3.", 1)[0]
    return [m[1] for line in section.splitlines() if (m := ROW.match(line))]


def test_every_code_of_the_checklist_is_in_the_catalogue():
    codes = checklist_codes()
    assert len(codes) == 183
    assert sorted(catalogue.codes()) == sorted(codes)


def test_every_entry_has_a_way_of_computing():
    for entry in catalogue.entries():
        method = entry["method"]
        assert method in Method.values, entry["code"]
        if method == Method.RECORDS:
            validate_spec(entry["numerator"], where=entry["code"])
            if entry.get("denominator"):
                validate_spec(entry["denominator"], where=entry["code"])
            else:
                assert entry["unit"] in ("count", "yes_no"), entry["code"]
        elif method == Method.FUNCTION:
            assert entry["function"] in FUNCTIONS, entry["code"]
        else:
            assert entry["card_scope"] in ("region", "municipality", "organization")
    federal = {e["code"]: e["method"] for e in catalogue.entries() if e["code"][0] == "A"}
    assert federal["A4"] == federal["A5"] == federal["A6"] == "records"
    assert federal["A3"] == "function"


@pytest.mark.django_db
def test_loaded_by_the_migration_and_idempotent(region):
    assert Indicator.objects.filter(region__isnull=True).count() == 183
    a4 = Indicator.objects.get(region__isnull=True, code="A4")
    assert "хотя бы один" in a4.choices_made and a4.parameters["team_rule"] == "any"
    assert a4.targets == {"2023": 20, "2024": 40}
    override = definitions.save(region, {"name": "A4 региона", "targets": {"2025": 60}}, "A4")
    Indicator.objects.filter(pk=a4.pk).update(name="изменено вручную")
    assert catalogue.load() == {"created": 0, "updated": 1}
    assert catalogue.load() == {"created": 0, "updated": 0}
    override.refresh_from_db()
    assert (override.name, override.targets) == ("A4 региона", {"2025": 60})
    a4.refresh_from_db()
    assert a4.name != "изменено вручную"
