"""Lists of the monitoring pages written by hand: the records behind an indicator's value and
the board of information cards, each searched by name and exported to XLSX."""

from io import BytesIO

from openpyxl import load_workbook

from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator
from tests.monitoring.m2_data import indicator
from tests.monitoring.test_cards import card_indicators  # noqa: F401 -- a fixture


def test_members_are_searched_and_exported(client, users, region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    managers = indicator(
        region, "T3", name="Доля руководителей среди работников",
        numerator={"population": "managers"}, denominator={"population": "workers"},
        targets={"2025": 10},
    )  # fmt: skip
    compute(region, "2025")
    a = two_municipalities["a"]
    client.force_login(users["municipal"])
    url = f"/monitoring/organization/{a['school'].pk}/indicators/{managers.pk}/people/"
    query = {"period": "2025", "part": "denominator"}
    page = client.get(url, query).content.decode()
    assert a["director"].last_name in page and a["teacher"].last_name in page
    assert 'name="q"' in page and 'id="export-xlsx"' in page

    found = client.get(url, {**query, "q": a["teacher"].last_name.upper()}).content.decode()
    assert a["teacher"].last_name in found and a["director"].full_name not in found

    answer = client.get(url, {**query, "q": a["teacher"].last_name, "format": "xlsx"})
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(1, a["teacher"].full_name)]


def test_the_card_board_is_searched_and_exported(
    client,
    users,
    two_municipalities,
    card_indicators,  # noqa: F811 -- the fixture
):
    a, b = two_municipalities["a"]["school"], two_municipalities["b"]["school"]
    client.force_login(users["cnppm"])
    board = client.get("/monitoring/cards/", {"period": "2025"}).content.decode()
    assert a.short_name in board and b.short_name in board and 'id="export-xlsx"' in board
    found = client.get("/monitoring/cards/", {"period": "2025", "q": a.short_name.upper()})
    assert a.short_name in found.content.decode() and b.short_name not in found.content.decode()

    answer = client.get(
        "/monitoring/cards/", {"period": "2025", "q": a.short_name, "format": "xlsx"}
    )
    sheet = load_workbook(BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [(a.short_name, a.municipality.name, "не начата")]
