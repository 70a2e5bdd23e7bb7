"""Computing the indicators for a period and every territory, stored as snapshots.

`compute(region, period)` reads the region's indicators (the built-in catalogue with the
region's overrides and own indicators), and for each scope type (region, municipalities,
organizations):

- indicators from records: every distinct numerator/denominator spec is counted in grouped SQL —
  one query per model and territory column (the specs of one model become conditional aggregates
  of the same query, `COUNT(DISTINCT …) FILTER (WHERE …)`), never a query per unit;
- indicators by a function (`functions.FUNCTIONS`) return their counts per unit themselves;
- card indicators take the accepted information cards of the period (organization cards roll up
  to the municipality and the region: yes/no → the share of units with «да», numbers → the sum).

The snapshots of the computed indicators, period and scope types are replaced in one transaction.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldError, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from nms.monitoring import populations
from nms.monitoring.models import Direction, Indicator, Method, ScopeType, Snapshot, Unit
from nms.registry.models import Municipality, Organization

SCOPE_TYPES = ("region", "municipality", "organization")
HUNDRED = Decimal(100)
WORK_MEM = "256MB"
CENT = Decimal("0.01")

_YEAR = re.compile(r"^(\d{4})$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{2}|\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> tuple[str, date, date]:
    """«2025» — the calendar year; «2025/26» — the school year 1 September – 31 August;
    «2025-01-01..2025-06-30» — a range of dates. Returns (label, starts_on, ends_on)."""
    text = (text or "").strip()
    if m := _YEAR.match(text):
        year = int(m[1])
        return text, date(year, 1, 1), date(year, 12, 31)
    if m := _SCHOOL_YEAR.match(text):
        year = int(m[1])
        following = int(m[2]) if len(m[2]) == 4 else (year // 100) * 100 + int(m[2])
        if following != year + 1:
            raise ValidationError(f"Учебный год «{text}»: второй год должен следовать за первым.")
        return f"{year}/{str(year + 1)[2:]}", date(year, 9, 1), date(year + 1, 8, 31)
    if m := _RANGE.match(text):
        try:
            starts_on, ends_on = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            raise ValidationError(f"Период «{text}»: неверная дата.") from None
        if starts_on > ends_on:
            raise ValidationError(f"Период «{text}»: начало позже окончания.")
        return text, starts_on, ends_on
    raise ValidationError(
        f"Период «{text}» не распознан: укажите год (2025), учебный год (2025/26) "
        "или диапазон дат (2025-01-01..2025-06-30)."
    )


# -- the region's indicators -------------------------------------------------------------------
def indicators_for(region, codes=None, *, active_only: bool = True) -> list[Indicator]:
    """The built-in indicators with the region's overrides (same code) and its own ones."""
    rows = Indicator.objects.filter(Q(region__isnull=True) | Q(region=region))
    if codes:
        rows = rows.filter(code__in=list(codes))
    chosen = {}
    for indicator in rows.order_by("region_id"):  # built-in first, the region's own replace them
        if indicator.region_id is None and indicator.code in chosen:
            continue
        chosen[indicator.code] = indicator
    found = [i for i in chosen.values() if i.active or not active_only]
    return sorted(found, key=lambda i: (i.indicator_set, _code_key(i.code)))


def _code_key(code: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code)]


# -- the territory ---------------------------------------------------------------------------
@dataclass
class Units:
    region: object
    municipalities: dict  # id -> name
    organizations: dict  # id -> (name, municipality_id)

    def __post_init__(self):
        self._names = {
            ScopeType.REGION: {self.region.pk: self.region.name},
            ScopeType.MUNICIPALITY: self.municipalities,
            ScopeType.ORGANIZATION: {pk: name for pk, (name, _) in self.organizations.items()},
        }

    def of(self, scope_type: str) -> dict:
        """The units of a scope type: id → name."""
        return self._names[scope_type]


def units_of(region) -> Units:
    municipalities = dict(
        Municipality.objects.filter(region=region).order_by("name").values_list("pk", "name")
    )
    organizations = {
        pk: (name, municipality_id)
        for pk, name, municipality_id in Organization.objects.filter(region=region)
        .order_by("short_name", "pk")
        .values_list("pk", "short_name", "municipality_id")
    }
    return Units(region, municipalities, organizations)


# -- counting specs --------------------------------------------------------------------------
def spec_key(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


def count_specs(region, specs: dict, ctx, scope_types, *, by_subject_keys=()) -> dict:
    """Counts of each spec (key → spec) per (key, scope_type, scope_id, subject_id); a spec that
    cannot be computed (its app or fields missing) is absent from `available`.

    One query per (model, region path, territory path, subject path): the specs sharing them are
    conditional aggregates of it."""
    conditions = {}
    for key, spec in specs.items():
        condition = populations.checked_q(spec, ctx)
        if condition is not None:
            conditions[key] = condition
    available = set(conditions)
    groups = defaultdict(list)
    for key in sorted(available):
        spec = specs[key]
        pop = populations.POPULATIONS[spec["population"]]
        for scope_type in scope_types:
            territory = pop.territory(scope_type)
            if territory is None:
                continue
            subjects = [None]
            if key in by_subject_keys and pop.subject:
                subjects.append(pop.subject)
            for subject in subjects:
                groups[(pop.model, pop.region, territory, subject, scope_type)].append(key)
    counts = {}
    for (_model, region_path, territory, subject, scope_type), keys in groups.items():
        pop_model = populations.POPULATIONS[specs[keys[0]]["population"]].model_class()
        aliases, aggregates = {}, {}
        for index, key in enumerate(keys):
            spec = specs[key]
            pop = populations.POPULATIONS[spec["population"]]
            aliases.update(populations.annotations(pop, spec))
            condition = conditions[key]
            aggregates[f"c{index}"] = Count(
                populations.counted_path(spec), filter=condition, distinct=True
            )
        columns = [territory] + ([subject] if subject else [])
        rows = (
            pop_model.objects.annotate(**aliases)
            .filter(**{region_path: region.pk, f"{territory}__isnull": False})
            .order_by()
            .values(*columns)
            .annotate(**aggregates)
        )
        try:
            rows = list(rows)
        except FieldError:
            continue
        for row in rows:
            subject_id = row[subject] if subject else None
            if subject and subject_id is None:
                continue
            for index, key in enumerate(keys):
                counts[(key, scope_type, row[territory], subject_id)] = row[f"c{index}"]
        for key in keys:
            counts.setdefault((key, scope_type, "computed"), True)
    return {"counts": counts, "available": available}


# -- values, targets ---------------------------------------------------------------------------
def target_for(indicator: Indicator, label: str, ends_on: date):
    """The target of the period: by its label, else by the year it ends in, else the latest
    earlier year's (a target «к 2024» still holds after), else «default»."""
    targets = indicator.targets or {}
    for key in (label, str(ends_on.year)):
        if key in targets and targets[key] is not None:
            return _decimal(targets[key])
    years = sorted(int(k) for k in targets if str(k).isdigit() and int(k) <= ends_on.year)
    if years:
        return _decimal(targets[str(years[-1])])
    if targets.get("default") is not None:
        return _decimal(targets["default"])
    return None


def _decimal(value):
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None


def value_of(unit: str, numerator, denominator):
    if numerator is None:
        return None
    numerator = Decimal(numerator)
    if unit in (Unit.SHARE,) or (unit == Unit.YES_NO and denominator is not None):
        if not denominator:
            return None
        return (HUNDRED * numerator / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)
    if unit == Unit.RATIO:
        if not denominator:
            return None
        return (numerator / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)
    if unit == Unit.YES_NO:
        return Decimal(1 if numerator > 0 else 0)
    return numerator.quantize(CENT)


def met_of(direction: str, value, target):
    if value is None or target is None or direction == Direction.NONE:
        return None
    if direction == Direction.AT_MOST:
        return value <= target
    return value >= target


# -- the computation ---------------------------------------------------------------------------
@dataclass
class Row:
    scope_type: str
    scope_id: int
    subject_id: int | None
    numerator: object
    denominator: object
    status: str = Snapshot.Status.COMPUTED
    details: dict | None = None
    value: object = None


def compute(
    region,
    period: str,
    *,
    scope_types=SCOPE_TYPES,
    codes=None,
    progress=None,
) -> int:
    """Compute and store the region's indicators for the period (one transaction); returns the
    number of snapshots written."""
    with transaction.atomic():
        _enough_memory()
        return _compute(region, period, scope_types=scope_types, codes=codes, progress=progress)


def _compute(region, period, *, scope_types, codes, progress) -> int:
    from nms.monitoring import functions

    label, starts_on, ends_on = parse_period(period)
    ctx = populations.Ctx(starts_on, ends_on)
    scope_types = [ScopeType(s).value for s in scope_types]
    indicators = indicators_for(region, codes)
    units = units_of(region)
    step = _stepper(progress, len(indicators) + 2)

    specs, by_subject = {}, set()
    for indicator in indicators:
        if indicator.method != Method.RECORDS:
            continue
        for part in (indicator.numerator, indicator.denominator):
            if part:
                key = spec_key(part)
                specs[key] = part
                if indicator.by_subject:
                    by_subject.add(key)
    counted = count_specs(region, specs, ctx, scope_types, by_subject_keys=by_subject)
    step("Подсчёт по записям выполнен")
    card_values = collect_cards(region, label)
    step("Информационные карты прочитаны")

    now = timezone.now()
    snapshots = []
    for indicator in indicators:
        if indicator.method == Method.RECORDS:
            rows = _records_rows(indicator, counted, units, scope_types)
        elif indicator.method == Method.FUNCTION:
            rows = functions.run(indicator, region, ctx, units, scope_types)
        else:
            rows = card_rows(indicator, card_values, units, scope_types)
        target = target_for(indicator, label, ends_on)
        for row in rows:
            value = row.value
            if value is None and row.status == Snapshot.Status.COMPUTED:
                value = value_of(indicator.unit, row.numerator, row.denominator)
            snapshots.append(
                Snapshot(
                    region=region,
                    indicator=indicator,
                    period=label,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    scope_type=row.scope_type,
                    scope_id=row.scope_id,
                    scope_name=_scope_name(units, row.scope_type, row.scope_id)[:500],
                    subject_id=row.subject_id,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    value=value,
                    target=target,
                    met=met_of(indicator.direction, value, target),
                    status=row.status,
                    details=row.details or {},
                    definition_version=indicator.definition_version,
                    computed_at=now,
                )
            )
        step(indicator.code)
    Snapshot.objects.filter(
        region=region,
        period=label,
        scope_type__in=scope_types,
        indicator__in=[i.pk for i in indicators],
    ).delete()
    write(snapshots)
    return len(snapshots)


def write(snapshots: list) -> None:
    """Insert the snapshots: COPY on PostgreSQL (a region's organizations times the catalogue
    are hundreds of thousands of rows), bulk_create elsewhere."""
    if connection.vendor != "postgresql" or not snapshots:
        Snapshot.objects.bulk_create(snapshots, batch_size=2000)
        return
    fields = [f for f in Snapshot._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        sql = f"COPY {connection.ops.quote_name(Snapshot._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for snapshot in snapshots:
                row = [getattr(snapshot, name) for name in names]
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])


def _enough_memory() -> None:
    """On PostgreSQL, room for the hashed subqueries of the conditional aggregates (`person_id
    IN (SELECT …)` inside FILTER): a subquery whose hash does not fit in work_mem is run again
    for every row of the population — quadratic on a region of 100 000 people."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")


def _stepper(progress, total):
    state = {"done": 0}

    def step(message):
        state["done"] += 1
        if progress is not None:
            progress(state["done"], total, message)

    return step


def _scope_name(units: Units, scope_type: str, scope_id: int) -> str:
    return str(units.of(scope_type).get(scope_id, ""))


def _records_rows(indicator, counted, units, scope_types) -> list[Row]:
    counts, available = counted["counts"], counted["available"]
    num_key = spec_key(indicator.numerator) if indicator.numerator else None
    den_key = spec_key(indicator.denominator) if indicator.denominator else None
    keys = [k for k in (num_key, den_key) if k]
    rows = []
    if not keys:
        return rows
    missing = [k for k in keys if k not in available]
    for scope_type in scope_types:
        if not missing and not all(counts.get((k, scope_type, "computed")) for k in keys):
            continue  # a population without this kind of territory: no value at this scope
        subject_ids = {None}
        if indicator.by_subject and not missing:
            subject_ids |= {
                key[3]
                for key in counts
                if len(key) == 4 and key[0] == num_key and key[1] == scope_type and key[3]
            }
        for scope_id in units.of(scope_type):
            for subject_id in sorted(subject_ids, key=lambda s: (s is not None, s or 0)):
                if missing:
                    if subject_id is None:
                        rows.append(
                            Row(scope_type, scope_id, None, None, None, Snapshot.Status.NO_DATA)
                        )
                    continue
                numerator = counts.get((num_key, scope_type, scope_id, subject_id), 0)
                denominator = None
                if den_key:
                    denominator = counts.get((den_key, scope_type, scope_id, subject_id), 0)
                if subject_id is not None and not numerator and not denominator:
                    continue
                rows.append(Row(scope_type, scope_id, subject_id, numerator, denominator))
    return rows


# -- information cards -------------------------------------------------------------------------
def collect_cards(region, label: str) -> dict:
    """The accepted card values of the period by indicator: one query."""
    from nms.monitoring.models import CardValue, InfoCard

    found = defaultdict(list)
    rows = CardValue.objects.filter(
        card__region=region, card__period=label, card__status=InfoCard.Status.ACCEPTED
    ).values_list(
        "indicator_id",
        "card__scope_type",
        "card__municipality_id",
        "card__organization_id",
        "card__organization__municipality_id",
        "number",
        "yes",
    )
    for indicator_id, scope_type, municipality_id, organization_id, org_mun, number, yes in rows:
        found[indicator_id].append(
            {
                "scope_type": scope_type,
                "municipality": municipality_id or org_mun,
                "organization": organization_id,
                "number": number,
                "yes": yes,
            }
        )
    return found


def _card_value(indicator, entries, own: bool) -> tuple:
    """(numerator, denominator, value) of a set of accepted card entries of units."""
    if indicator.unit == Unit.YES_NO:
        answered = [e for e in entries if e["yes"] is not None]
        if not answered:
            return None, None, None
        yes = sum(1 for e in answered if e["yes"])
        if own:
            return yes, None, Decimal(yes)
        return yes, len(answered), None
    numbers = [Decimal(e["number"]) for e in entries if e["number"] is not None]
    if not numbers:
        return None, None, None
    if indicator.unit in (Unit.SHARE, Unit.RATIO):
        # A share or ratio stated on the card: the units' mean (each unit's own value alone).
        mean = (sum(numbers) / len(numbers)).quantize(CENT, ROUND_HALF_UP)
        return None, None, mean
    return sum(numbers), None, None


def card_rows(indicator, card_values, units, scope_types) -> list[Row]:
    """Rows of a card indicator: a unit's own card, or its organizations' (or municipalities')
    cards rolled up; «ожидаются информационные карты» where none is accepted."""
    entries = card_values.get(indicator.pk, [])
    card_scope = indicator.card_scope or ScopeType.ORGANIZATION
    own = [e for e in entries if e["scope_type"] == card_scope]
    by_unit = {"region": defaultdict(list), "municipality": defaultdict(list)}
    by_unit["organization"] = defaultdict(list)
    for entry in own:
        by_unit["region"][units.region.pk].append(entry)
        by_unit["municipality"][entry["municipality"]].append(entry)
        by_unit["organization"][entry["organization"]].append(entry)
    expected_in = defaultdict(int)
    for _, municipality_id in units.organizations.values():
        expected_in[municipality_id] += 1
    rows = []
    for scope_type in scope_types:
        if _scope_rank(scope_type) > _scope_rank(card_scope):
            continue  # an organization has no value of a municipality's card
        for scope_id in units.of(scope_type):
            mine = by_unit[scope_type].get(scope_id, [])
            expected = _expected(card_scope, scope_type, scope_id, units, expected_in)
            details = {"cards_accepted": len(mine), "cards_expected": expected}
            numerator, denominator, value = _card_value(indicator, mine, scope_type == card_scope)
            if numerator is None and value is None:
                rows.append(
                    Row(scope_type, scope_id, None, None, None,
                        Snapshot.Status.CARDS_PENDING, details)
                )  # fmt: skip
                continue
            rows.append(Row(scope_type, scope_id, None, numerator, denominator, details=details,
                            value=value))  # fmt: skip
    return rows


def _scope_rank(scope_type) -> int:
    return {"region": 0, "municipality": 1, "organization": 2}[scope_type]


def _expected(card_scope, scope_type, scope_id, units, expected_in) -> int:
    if card_scope == scope_type:
        return 1
    if card_scope == ScopeType.ORGANIZATION:
        if scope_type == ScopeType.REGION:
            return len(units.organizations)
        return expected_in[scope_id]
    return len(units.municipalities)
