"""The engine: periods, specs and their validation, grouped counting (queries independent of
the number of organizations), targets and «met», cards rolled up, «no data», the drill-down, the
definitions file and the command line."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nms.monitoring import definitions, populations, selectors
from nms.monitoring.compute import compute, parse_period, target_for
from nms.monitoring.models import CardValue, Indicator, InfoCard, Snapshot
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.monitoring.conftest import PERIOD

pytestmark = pytest.mark.django_db


def own(region, code, **fields):
    fields.setdefault("name", code)
    fields.setdefault("indicator_set", "R")
    fields.setdefault("method", "records")
    return Indicator.objects.create(region=region, code=code, **fields)


def test_periods():
    assert parse_period("2025") == ("2025", date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period("2025/26") == ("2025/26", date(2025, 9, 1), date(2026, 8, 31))
    assert parse_period("2025/2026")[0] == "2025/26"
    assert parse_period("2025-01-01..2025-06-30")[1:] == (date(2025, 1, 1), date(2025, 6, 30))
    for wrong in ("", "двадцать", "2025/28", "2025-06-30..2025-01-01", "2025-02-30..2025-03-01"):
        with pytest.raises(ValidationError):
            parse_period(wrong)


def test_spec_validation_in_russian():
    populations.validate_spec({"population": "teachers", "filters": {"category": "highest"}})
    with pytest.raises(ValidationError, match="неизвестная совокупность «people»"):
        populations.validate_spec({"population": "people"})
    with pytest.raises(ValidationError, match="нет фильтра «salary»"):
        populations.validate_spec({"population": "teachers", "filters": {"salary": 1}})
    with pytest.raises(ValidationError, match="не считается по «municipality»"):
        populations.validate_spec({"population": "programmes", "distinct": "municipality"})
    with pytest.raises(ValidationError, match="также"):
        populations.validate_spec({"population": "teachers", "также": []})
    populations.validate_spec(
        {"population": "teachers", "filters": {"teaching_load__gte": 18, "position__ne": "x"}}
    )


def test_targets_by_period():
    indicator = Indicator(targets={"2023": 20, "2024": 30, "2025/26": 45})
    assert target_for(indicator, "2023", date(2023, 12, 31)) == 20
    assert target_for(indicator, "2025", date(2025, 12, 31)) == 30  # the latest earlier
    assert target_for(indicator, "2025/26", date(2026, 8, 31)) == 45
    assert target_for(indicator, "2022", date(2022, 12, 31)) is None
    assert target_for(Indicator(targets={"default": 5}), "2030", date(2030, 1, 1)) == 5


def test_values_targets_and_met(world):
    region = world["region"]
    own(region, "R1", numerator={"population": "managers"}, denominator={"population": "workers"},
        targets={"2025": 20})  # fmt: skip
    own(region, "R2", numerator={"population": "young_teachers"},
        denominator={"population": "pedagogues"}, targets={"2025": 50}, direction="at_most",
        unit="ratio")  # fmt: skip
    own(region, "R3", numerator={"population": "organizations", "filters": {"kind": "general"}},
        unit="count")  # fmt: skip
    compute(region, PERIOD, codes=["R1", "R2", "R3"])
    r1 = Snapshot.objects.get(indicator__code="R1", scope_type="region")
    assert (r1.numerator, r1.denominator, r1.value, r1.met) == (1, 6, Decimal("16.67"), False)
    r2 = Snapshot.objects.get(indicator__code="R2", scope_type="region")
    assert (r2.value, r2.met) == (Decimal("0.40"), True)
    r3 = Snapshot.objects.get(indicator__code="R3", scope_type="region")
    assert (r3.numerator, r3.denominator, r3.value) == (2, None, 2)
    # Every unit has its value, zero where nothing counts: an organization's 0 (no target) is
    # not stored, the region's row says so, and the readers put it back.
    stored = Snapshot.objects.filter(indicator__code="R3", scope_type="organization")
    assert set(stored.values_list("scope_id", flat=True)) == {world["s1"].pk, world["s2"].pk}
    assert r3.details["omitted_organizations"] == {
        "count": 1, "status": "computed", "numerator": 0, "denominator": None,
    }  # fmt: skip
    rows = selectors.snapshot_rows(region, PERIOD, "organization", codes=["R3"])
    assert len(rows) == 3
    k = next(row for row in rows if row["scope_id"] == world["k"].pk)
    assert (k["numerator"], k["denominator"], k["value"], k["met"]) == (0, None, 0, None)
    # With a target the zero is assessed («not met»), so it is stored.
    Indicator.objects.filter(code="R3").update(targets={"2025": 1})
    compute(region, PERIOD, codes=["R3"])
    k = Snapshot.objects.get(
        indicator__code="R3", scope_type="organization", scope_id=world["k"].pk
    )
    assert (k.numerator, k.met) == (0, False)


def test_recompute_replaces_and_keeps_other_periods(world):
    region = world["region"]
    own(region, "R1", numerator={"population": "teachers"}, unit="count")
    compute(region, "2024", codes=["R1"])
    compute(region, PERIOD, codes=["R1"])
    EmploymentFactory(organization=world["s2"])
    compute(region, PERIOD, codes=["R1"])
    assert (
        Snapshot.objects.get(indicator__code="R1", period=PERIOD, scope_type="region").numerator
        == 5
    )
    assert Snapshot.objects.filter(period="2024", scope_type="region").count() == 1


def test_no_data_when_a_population_is_missing(world, monkeypatch):
    region = world["region"]
    missing = populations.Population(
        key="agreements", label="соглашения", model="agreements.Agreement", region="region_id"
    )
    monkeypatch.setitem(populations.POPULATIONS, "agreements", missing)
    own(region, "R9", numerator={"population": "agreements"},
        denominator={"population": "municipalities"})  # fmt: skip
    compute(region, PERIOD, codes=["R9"])
    statuses = set(Snapshot.objects.filter(indicator__code="R9").values_list("status", flat=True))
    assert statuses == {Snapshot.Status.NO_DATA}
    # The organizations' rows are not stored; the readers give each organization its «no data».
    stored = Snapshot.objects.filter(indicator__code="R9", scope_type="organization")
    assert not stored.exists()
    rows = selectors.snapshot_rows(region, PERIOD, codes=["R9"])
    organizations = [r for r in rows if r["scope_type"] == "organization"]
    assert len(organizations) == 3
    assert {r["status"] for r in organizations} == {Snapshot.Status.NO_DATA}


def test_queries_do_not_grow_with_organizations(world, region):
    """A full computation (the whole catalogue) runs the same number of reading queries with
    twice the organizations (the inserts of the snapshots are batches)."""

    def reads():
        with CaptureQueriesContext(connection) as queries:
            compute(region, PERIOD)
        return [q for q in queries if not q["sql"].lstrip().upper().startswith("INSERT")]

    first = len(reads())
    for municipality in (world["a"], world["b"]):
        for _ in range(3):
            EmploymentFactory(organization=OrganizationFactory(municipality=municipality))
    second = len(reads())
    assert second == first
    assert Snapshot.objects.filter(scope_type="organization", indicator__code="D1").count() == 9


def test_cards_roll_up(world, users_for_cards):
    region = world["region"]
    yes_no = own(region, "R5", method="card", unit="yes_no", card_scope="organization")
    number = own(region, "R6", method="card", unit="count", card_scope="organization")
    accepted = [
        ("s1", True, 3),
        ("s2", False, 4),
    ]
    for key, yes, count in accepted:
        card = InfoCard.objects.create(
            region=region, period=PERIOD, scope_type="organization", organization=world[key],
            status=InfoCard.Status.ACCEPTED, decided_at=timezone.now(),
        )  # fmt: skip
        CardValue.objects.create(card=card, indicator=yes_no, yes=yes)
        CardValue.objects.create(card=card, indicator=number, number=count)
    draft = InfoCard.objects.create(
        region=region, period=PERIOD, scope_type="organization", organization=world["k"]
    )
    CardValue.objects.create(card=draft, indicator=number, number=100)  # not accepted
    compute(region, PERIOD, codes=["R5", "R6"])

    def at(code, scope_type, unit):
        pk = region.pk if scope_type == "region" else world[unit].pk
        found = Snapshot.objects.filter(indicator__code=code, scope_type=scope_type, scope_id=pk)
        if scope_type == "organization" and not found:  # awaiting its card: not stored
            indicator = Indicator.objects.get(code=code)
            own = selectors.with_organization_defaults({}, world[unit], PERIOD, [indicator.pk])
            return own[indicator.pk]
        return found.get()

    assert at("R5", "organization", "s1").value == 1
    assert at("R5", "organization", "s2").value == 0
    assert at("R5", "organization", "k").status == Snapshot.Status.CARDS_PENDING
    region_share = at("R5", "region", None)
    assert (region_share.numerator, region_share.denominator, region_share.value) == (
        1, 2, Decimal("50.00"),
    )  # fmt: skip
    assert region_share.details["cards_accepted"] == 2
    assert region_share.details["cards_expected"] == 3
    assert at("R6", "municipality", "a").numerator == 3
    assert at("R6", "region", None).numerator == 7


@pytest.fixture
def users_for_cards():
    return None


def test_members_behind_a_numerator(world):
    region = world["region"]
    indicator = own(
        region, "R7", numerator={"population": "young_teachers"},
        denominator={"population": "pedagogues"},
    )  # fmt: skip
    people = populations.members(indicator, "numerator", PERIOD, "region", region.pk)
    assert set(people) == {world["young1"], world["young2"]}
    people = populations.members(indicator, "numerator", PERIOD, "organization", world["s1"].pk)
    assert list(people) == [world["young1"]]
    everyone = populations.members(indicator, "denominator", PERIOD, "municipality", world["b"].pk)
    assert set(everyone) == {world["old1"], world["young2"], world["old2"]}
    schools = Indicator(
        method="records",
        numerator={"population": "organizations", "filters": {"low_results": True}},
    )
    assert list(populations.members(schools, "numerator", PERIOD, "region", region.pk)) == [
        world["s1"]
    ]


def test_definitions_file_all_or_nothing(world):
    region = world["region"]
    data = {
        "indicators": [
            {"name": "Доля учителей высшей категории", "targets": {"2025": 40},
             "numerator": {"population": "teachers", "filters": {"category": "highest"}},
             "denominator": {"population": "teachers"}},
            {"code": "A5", "name": "Переопределённый A5", "unit": "count",
             "numerator": {"population": "workers"}},
        ]
    }  # fmt: skip
    loaded = definitions.load(region, data)
    assert [i.code for i in loaded] == ["Р1", "A5"]
    assert (
        Indicator.objects.filter(region__isnull=True, code="A5").get().name != "Переопределённый A5"
    )
    compute(region, PERIOD, codes=["Р1", "A5"])
    share = Snapshot.objects.get(indicator=loaded[0], scope_type="region")
    assert (share.numerator, share.denominator) == (1, 4)
    assert Snapshot.objects.get(indicator=loaded[1], scope_type="region").numerator == 6

    wrong = {"indicators": [data["indicators"][0], {"name": "X", "numerator": {"population": "?"}}]}
    with pytest.raises(ValidationError, match="Показатель 2.*неизвестная совокупность"):
        definitions.load(region, wrong)
    assert Indicator.objects.filter(region=region).count() == 2  # nothing more saved
    with pytest.raises(ValidationError, match="нужен знаменатель"):
        definitions.load(region, [{"name": "Y", "numerator": {"population": "teachers"}}])


def test_command_json(world, capsys, tmp_path):
    call_command("monitor", "--period", PERIOD, "--scope", "region", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    codes = {row["code"] for row in rows}
    assert {"A3", "A4", "A5", "A6", "F6.4", "B2"} <= codes
    keys = {"code", "name", "scope_type", "scope_id", "scope_name", "period", "numerator",
            "denominator", "value", "target", "met"}  # fmt: skip
    assert all(keys <= set(row) for row in rows)
    assert {row["scope_type"] for row in rows} == {"region"}
    f64 = next(row for row in rows if row["code"] == "F6.4")
    assert (f64["numerator"], f64["denominator"], f64["value"]) == (2, 5, 40)
    b2 = next(row for row in rows if row["code"] == "B2")
    assert b2["status"] == "cards_pending" and b2["cards_status"]
    out = tmp_path / "values.xlsx"
    call_command(
        "monitor", "--period", PERIOD, "--scope", "municipality", "--format", "xlsx",
        "--out", str(out),
    )  # fmt: skip
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet.max_row > 2 and sheet.cell(1, 1).value == "Код"


def test_written_as_computed(world):
    """The rows go to PostgreSQL by COPY in its text format: names with tabs, backslashes and
    quotes, numbers, empty values and the details come back as they were."""
    region = world["region"]
    odd = 'Школа\t№1 \\ «Ёлка» "x"\n'
    type(world["s1"]).objects.filter(pk=world["s1"].pk).update(short_name=odd)
    own(region, "R8", numerator={"population": "teachers"},
        denominator={"population": "pedagogues"}, targets={"2025": 50})  # fmt: skip
    compute(region, PERIOD, codes=["R8"])
    s1 = Snapshot.objects.get(indicator__code="R8", scope_type="organization",
                              scope_id=world["s1"].pk)  # fmt: skip
    assert s1.scope_name == odd
    assert (s1.numerator, s1.denominator, s1.value, s1.target, s1.met) == (
        2, 2, Decimal("100.00"), 50, True,
    )  # fmt: skip
    assert s1.subject_id is None and s1.details == {} and s1.status == "computed"


def test_flags_packed_into_several_words_count_the_same(world, region, monkeypatch):
    """On PostgreSQL a query's flags are packed 62 to a bigint: with words of 3 flags (every
    query of the catalogue then spans several words) each snapshot is the same."""
    from nms.monitoring import compute as module

    def snapshots():
        compute(region, PERIOD)
        return set(
            Snapshot.objects.values_list(
                "indicator__code", "scope_type", "scope_id", "subject_id", "numerator",
                "denominator",
            )
        )  # fmt: skip

    whole = snapshots()
    monkeypatch.setattr(module, "WORD_BITS", 3)
    assert snapshots() == whole
    assert any(numerator for *_, numerator, _ in whole)


def test_shared_subqueries_read_once(world):
    """While a computation shares subqueries (PostgreSQL), the same set of ids asked twice is one
    temporary table holding those ids; elsewhere, or outside a computation, the queryset itself."""
    from django.db import transaction

    from nms.registry.models import Person

    ids = Person.objects.filter(birth_date__year__gte=1999).values("pk")
    assert populations.shared_ids(ids) is ids
    with transaction.atomic(), populations.sharing_subqueries():
        first, second = populations.shared_ids(ids), populations.shared_ids(ids.all())
        if connection.vendor != "postgresql":
            assert first is ids
            return
        assert first.sql == second.sql
        found = set(Person.objects.filter(pk__in=first).values_list("pk", flat=True))
    assert found == {world["young1"].pk, world["young2"].pk}
