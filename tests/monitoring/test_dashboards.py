"""Dashboards: every indicator against its target, filters, the units below target, the
drill-down region → municipality → organization → the people behind a numerator (within the
user's scope), the trend, XLSX of the table; 404 outside the scope."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from nms.monitoring import dashboards
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator
from tests.monitoring.m2_data import indicator, snap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    a, b = two_municipalities["a"], two_municipalities["b"]
    share = indicator(
        region, "T1", name="Доля руководителей", unit="share", indicator_set="F", track=1
    )
    count = indicator(region, "T2", name="Число событий", unit="count", indicator_set="A")
    snap(share, region, "2024", 40, 50)
    snap(share, region, "2025", 55, 50)
    snap(share, a["municipality"], "2025", 30, 50)
    snap(share, b["municipality"], "2025", 80, 50)
    snap(share, a["school"], "2025", 30, 50)
    snap(count, region, "2025", 7, 10)
    return {"share": share, "count": count, **two_municipalities}  # fmt: skip


def test_the_region_table_against_targets(users, world, region):
    place = dashboards.home_place(users["ministry"])
    assert place.scope_type == "region" and place.id == region.pk
    rows = {r.indicator.code: r for r in dashboards.table(users["ministry"], place, "2025")}
    assert rows["T1"].met is True and rows["T1"].below == 1
    assert rows["T2"].met is False
    not_met = dashboards.table(users["ministry"], place, "2025", {"met": "no"})
    assert [r.indicator.code for r in not_met] == ["T2"]
    track = dashboards.table(users["ministry"], place, "2025", {"track": "1"})
    assert [r.indicator.code for r in track] == ["T1"]
    assert dashboards.periods(region.pk) == ["2024", "2025"]


def test_breakdown_and_trend(users, world, region):
    place = dashboards.place_or_404(users["cnppm"], "region", region.pk)
    bars = dashboards.breakdown(users["cnppm"], world["share"], place, "2025")
    assert [s.scope_id for s in bars] == sorted(
        [world["a"]["municipality"].pk, world["b"]["municipality"].pk],
        key=lambda pk: next(s.scope_name for s in bars if s.scope_id == pk),
    )
    chart = dashboards.bars_chart(world["share"], bars)
    assert [d["type"] for d in chart["datasets"]] == ["bar", "line"]
    assert [s.period for s in dashboards.trend(users["cnppm"], world["share"], place)] == [
        "2024",
        "2025",
    ]


def test_scope_of_the_dashboards(client, users, world, region):
    a, b = world["a"], world["b"]
    client.force_login(users["municipal"])
    home = client.get("/monitoring/")
    assert home.status_code == 200 and str(a["municipality"]) in home.content.decode()
    assert f"/monitoring/region/{region.pk}/" not in home.content.decode()  # no crumb to 404
    assert client.get(f"/monitoring/region/{region.pk}/").status_code == 404
    assert client.get(f"/monitoring/municipality/{b['municipality'].pk}/").status_code == 404
    assert client.get(f"/monitoring/organization/{a['school'].pk}/").status_code == 200
    client.force_login(users["teacher"])
    assert client.get("/monitoring/").status_code == 404
    client.force_login(users["school"])
    assert client.get(f"/monitoring/organization/{b['school'].pk}/").status_code == 404


def test_the_pages_and_the_export(client, users, world, region):
    client.force_login(users["ministry"])
    page = client.get(f"/monitoring/region/{region.pk}/?period=2025").content.decode()
    assert "Доля руководителей" in page and "не достигнуто" in page
    answer = client.get(f"/monitoring/region/{region.pk}/?period=2025&met=no&format=xlsx")
    sheet = load_workbook(BytesIO(answer.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["T2"]
    page = client.get(
        f"/monitoring/region/{region.pk}/indicators/{world['share'].pk}/?period=2025"
    ).content.decode()
    assert str(world["a"]["municipality"]) in page and 'data-chart="bars-data"' in page


def test_drill_down_to_the_people_behind_a_numerator(client, users, region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    managers = indicator(
        region, "T3", name="Доля руководителей среди работников",
        numerator={"population": "managers"}, denominator={"population": "workers"},
        targets={"2025": 10},
    )  # fmt: skip
    compute(region, "2025")
    a, b = two_municipalities["a"], two_municipalities["b"]
    ministry = users["ministry"]
    place = dashboards.place_or_404(ministry, "organization", a["school"].pk)
    people = dashboards.members(ministry, managers, place, "2025", "numerator")
    assert list(people) == [a["director"]]
    everyone = dashboards.members(ministry, managers, place, "2025", "denominator")
    assert set(everyone) == {a["director"], a["teacher"]}

    client.force_login(users["municipal"])
    url = f"/monitoring/organization/{a['school'].pk}/indicators/{managers.pk}/people/"
    page = client.get(url, {"period": "2025", "part": "numerator"}).content.decode()
    assert a["director"].last_name in page and a["teacher"].last_name not in page
    other = f"/monitoring/organization/{b['school'].pk}/indicators/{managers.pk}/people/"
    assert client.get(other, {"period": "2025"}).status_code == 404
