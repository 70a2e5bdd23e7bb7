"""C28, C32, D11 and F5.5 over the banks, computed by the monitoring from the entries of
monitoring/data/updates/catalogs.json on hand-built data (the world of tests/monitoring).

Municipality A: school S1 (young1, old1, head1 — the director) and kindergarten K (tutor_k);
B: school S2 (old1 part-time, young2, old2). Period 2025."""

import json
from datetime import date
from pathlib import Path

import pytest

import nms.monitoring
from nms.catalogs.models import Authorship, Item, Replication
from nms.monitoring.catalogue import passport
from nms.monitoring.models import Indicator
from tests.monitoring.conftest import counts, world  # noqa: F401  (the monitoring's world)

pytestmark = pytest.mark.django_db
UPDATES = Path(nms.monitoring.__file__).parent / "data" / "updates" / "catalogs.json"


@pytest.fixture(autouse=True)
def _entries(db):
    for entry in json.loads(UPDATES.read_text()):
        Indicator.objects.update_or_create(
            region=None, code=entry["code"], defaults=passport(entry)
        )


def item(region, organization, kind="practice", status="published", published_on=None, authors=()):
    made = Item.objects.create(
        region=region, kind=kind, title=f"{kind} {organization}", description="…",
        organization=organization, level="school", status=status, published_on=published_on,
        material_kind="collection" if kind == "material" else "",
    )  # fmt: skip
    for n, person in enumerate(authors):
        Authorship.objects.create(item=made, person=person, order=n)
    return made


def at(found, w, key):
    if key == "region":
        return found[("region", w["region"].pk)]
    scope_type = "municipality" if key in ("a", "b") else "organization"
    return found.get((scope_type, w[key].pk))


def test_banks_counts(world):  # noqa: F811
    w, region = world, world["region"]
    item(region, w["s1"], published_on=date(2025, 3, 1))
    item(region, w["s2"], published_on=date(2024, 11, 1))  # published the year before
    item(region, w["s2"], status="review")  # not published
    item(region, w["s2"], published_on=date(2026, 2, 1))  # after the period
    item(region, w["s1"], kind="material", published_on=date(2025, 5, 1))
    item(region, w["k"], kind="material", published_on=date(2023, 5, 1))
    c32 = counts(region, "C32")
    assert at(c32, w, "region")[0] == 1 and at(c32, w, "b")[0] == 0
    c28 = counts(region, "C28")
    assert at(c28, w, "region")[0] == 2 and at(c28, w, "a")[0] == 2
    d11 = counts(region, "D11")
    assert at(d11, w, "region")[0] == 4
    assert at(d11, w, "a")[0] == 3 and at(d11, w, "b")[0] == 1


def test_f5_5_authors_of_published_items(world):  # noqa: F811
    w, region = world, world["region"]
    item(region, w["s1"], published_on=date(2025, 3, 1), authors=[w["young1"], w["old1"]])
    item(region, w["s2"], published_on=date(2024, 3, 1), authors=[w["old2"]])
    item(region, w["s2"], status="review", authors=[w["young2"]])  # not published
    item(region, w["s1"], published_on=date(2025, 3, 1), authors=[w["head1"]])  # not a pedagogue
    found = counts(region, "F5.5")
    assert at(found, w, "region") == (3, 5)
    assert at(found, w, "a") == (2, 3)
    assert at(found, w, "b") == (2, 3)  # old1 works at S2 part-time
    assert at(found, w, "s2") == (2, 3)
    assert at(found, w, "k") == (0, 1)


def test_replications_population(world):  # noqa: F811
    from nms.monitoring.populations import Ctx, queryset

    w, region = world, world["region"]
    practice = item(region, w["s1"], published_on=date(2024, 3, 1))
    Replication.objects.create(
        item=practice, organization=w["s2"], municipality=w["b"], level="municipal",
        replicated_on=date(2025, 4, 1),
    )  # fmt: skip
    ctx = Ctx(date(2025, 1, 1), date(2025, 12, 31))
    assert queryset({"population": "catalog_replications"}, ctx).count() == 1
    spec = {"population": "catalog_replications", "filters": {"level": "regional"}}
    assert queryset(spec, ctx).count() == 0
