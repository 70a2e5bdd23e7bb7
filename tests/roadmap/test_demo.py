"""The demo's roadmap step (nms.demo.roadmap.generate) on the region of tests/conftest.py:
built from seed 000's rows, with statuses (done, in progress, overdue), agreements and
documents. (Run on its own: the whole demo region is built by tests/demo.)"""

from datetime import date

import pytest

from nms.demo import roadmap as demo
from nms.registry.models import Municipality
from nms.roadmap import selectors
from nms.roadmap.models import Activity, ActivityPeriod, Agreement, Document, Roadmap

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)
SEED_ACTIVITIES = 24  # seed 000's rows (nms/roadmap/data/seed_000.json)


def test_demo_roadmap_from_seed_000(region, two_municipalities, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        summary = demo.generate(region, seed=2, today=TODAY)
    assert summary.startswith("Дорожная карта:")
    roadmap = Roadmap.objects.get(region=region)
    assert roadmap.directions.count() == 3 and roadmap.years == [2025, 2026, 2027]
    municipalities = Municipality.objects.filter(region=region).count()
    assert Activity.objects.filter(roadmap=roadmap).count() == SEED_ACTIVITIES + municipalities
    assert Activity.objects.filter(roadmap=roadmap, responsible_kind="municipality").count() == (
        municipalities
    )
    assert Activity.objects.get(roadmap=roadmap, number="2.1.1").deadline_dates == ["2025-12-31"]
    statuses = set(ActivityPeriod.objects.values_list("status", flat=True))
    assert statuses >= {"done", "planned"}
    assert selectors.periods_for_list_for_region(region, TODAY).filter(state="overdue").exists()
    covered, total = selectors.tripartite_coverage(region, TODAY)
    assert total == municipalities and covered == total - 1
    assert Agreement.objects.filter(kind="cooperation").count() == 5
    assert Document.objects.filter(kind="system_regulation").exists()
