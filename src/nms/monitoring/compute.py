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

from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import connection, transaction
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone

from nms.monitoring import populations
from nms.monitoring.models import Direction, Indicator, Method, ScopeType, Snapshot, Unit
from nms.registry.models import Municipality, Organization

SCOPE_TYPES = ("region", "municipality", "organization")
HUNDRED = Decimal(100)
WORK_MEM = "256MB"
WORD_BITS = 62
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

    The specs of one population model (with the same region path, subject path and counted
    unit) are counted together in one query, for every scope type whose territory is reached
    by the same joins (the region, municipality and organization of an employment are; the
    region of a person and the organizations they work in are not): the rows of the model are
    read once with a 0/1 flag per spec (a common table expression), then for each scope type each
    counted unit (a person, a row, an organization) of each territory is taken once with the
    largest of its flags, and the flags are summed per territory — the numbers of
    `COUNT(DISTINCT unit) FILTER (WHERE …)` per spec and territory, with the conditions evaluated
    once per row instead of once per row and scope type."""
    conditions = {}
    for key, spec in specs.items():
        condition = populations.checked_q(spec, ctx)
        if condition is not None:
            conditions[key] = condition
    available = set(conditions)
    groups = defaultdict(lambda: defaultdict(list))  # group → key → [(scope type, territory)]
    for key in sorted(available):
        spec = specs[key]
        pop = populations.POPULATIONS[spec["population"]]
        counted = populations.counted_path(spec)
        model = pop.model_class()
        subjects = [None]
        if key in by_subject_keys and pop.subject:
            subjects.append(pop.subject)
        for scope_type in scope_types:
            territory = pop.territory(scope_type)
            if territory is None:
                continue
            joins = _many_prefix(model, territory)
            for subject in subjects:
                group = (pop.model, pop.region, subject, counted, joins)
                groups[group][key].append((scope_type, territory))
    counts = {}
    by_unit = defaultdict(dict)  # (key, scope type, subject id) → territory id → count
    for (_model, region_path, subject, counted, _joins), by_key in groups.items():
        keys = list(by_key)
        territories = sorted({t for places in by_key.values() for t in places})
        found = _grouped_counts(region, specs, conditions, keys, region_path, territories,
                                subject, counted)  # fmt: skip
        if found is None:
            continue
        wanted = {key: {scope_type for scope_type, _ in places} for key, places in by_key.items()}
        for scope_type, territory_id, subject_id, values in found:
            if subject and subject_id is None:
                continue
            for key, value in zip(keys, values, strict=True):
                if scope_type in wanted[key]:
                    counts[(key, scope_type, territory_id, subject_id)] = value or 0
                    by_unit[(key, scope_type, subject_id)][territory_id] = value or 0
        for key, scope_types_of_key in wanted.items():
            for scope_type in scope_types_of_key:
                counts.setdefault((key, scope_type, "computed"), True)
    return {"counts": counts, "by_unit": by_unit, "available": available}


def _many_prefix(model, path: str) -> str:
    """The part of a lookup path up to its first relation to many (`person__employments`), or
    "" when it reaches one row: paths with the same prefix are read over the same joins."""
    parts = path.split("__")
    opts = model._meta
    for index, name in enumerate(parts):
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            return ""
        if field.many_to_many or field.one_to_many:
            return "__".join(parts[: index + 1])
        if not field.is_relation or field.related_model is None:
            return ""
        opts = field.related_model._meta
    return ""


def _grouped_counts(region, specs, conditions, keys, region_path, territories, subject, counted):
    """[(scope type, territory id, subject id or None, [count of each key])] of one group of
    specs over its territories [(scope type, path)], or None when a field of the population is
    not there yet."""
    pop_model = populations.POPULATIONS[specs[keys[0]]["population"]].model_class()
    aliases, columns = {}, {"nms_u": F(counted)}
    for index, (_, territory) in enumerate(territories):
        columns[f"nms_t{index}"] = F(territory)
    if subject:
        columns["nms_s"] = F(subject)
    for index, key in enumerate(keys):
        spec = specs[key]
        aliases.update(populations.annotations(populations.POPULATIONS[spec["population"]], spec))
        condition = conditions[key]
        flag = Case(When(condition, then=Value(1)), default=Value(0)) if condition else Value(1)
        columns[f"f{index}"] = ExpressionWrapper(flag, output_field=IntegerField())
    try:
        rows = (
            pop_model.objects.annotate(**aliases)
            .filter(**{region_path: region.pk})
            .annotate(**columns)
            .order_by()
            .values(*columns)
        )
        sql, params = rows.query.sql_with_params()
    except FieldError:
        return None
    q = connection.ops.quote_name
    flags = [q(f"f{index}") for index in range(len(keys))]
    heads = [q("nms_u")] + [q(f"nms_t{i}") for i in range(len(territories))]
    heads += [q("nms_s")] if subject else []
    if connection.vendor == "postgresql":
        # The flags packed into bigints (62 to a word): each unit of a territory is taken once
        # with BIT_OR of a few words instead of MAX of each flag — a region's 100 000 people
        # times dozens of aggregates was most of the time.
        words = [flags[i : i + WORD_BITS] for i in range(0, len(flags), WORD_BITS)]
        packed = [
            " | ".join(f"({f}::bigint << {bit})" for bit, f in enumerate(word))
            + f" AS {q(f'w{n}')}"
            for n, word in enumerate(words)
        ]
        sql = f"SELECT {', '.join(heads + packed)} FROM ({sql}) {q('nms_flags')}"
        once = ", ".join(f"BIT_OR({q(f'w{n}')}) AS {q(f'w{n}')}" for n in range(len(words)))
        sums = ", ".join(
            f"SUM((({q(f'w{index // WORD_BITS}')} >> {index % WORD_BITS}) & 1)::integer)"
            for index in range(len(flags))
        )
    else:
        once = ", ".join(f"MAX({f}) AS {f}" for f in flags)
        sums = ", ".join(f"SUM({f})" for f in flags)
    selects = []
    for index, (scope_type, _) in enumerate(territories):
        t = q(f"nms_t{index}")
        group = [t] + ([q("nms_s")] if subject else [])
        # «... AS "nms_*"»: the names of the columns of the first SELECT of the union.
        head = [f"'{scope_type}' AS {q('nms_scope')}", f"{t} AS {q('nms_t')}"]
        head.append(f"{q('nms_s')} AS {q('nms_s')}" if subject else f"NULL AS {q('nms_s')}")
        selects.append(
            f"SELECT {', '.join(head)}, {sums} FROM (SELECT {', '.join(group)}, {once} "
            f"FROM {q('nms_rows')} WHERE {t} IS NOT NULL AND {q('nms_u')} IS NOT NULL "
            f"GROUP BY {', '.join(group)}, {q('nms_u')}) {q(f'nms_units{index}')} "
            f"GROUP BY {', '.join(group)}"
        )
    # MATERIALIZED: the rows and their flags computed once, for every scope type (SQLite would
    # otherwise evaluate the expression again in each part of the union).
    sql = f"WITH {q('nms_rows')} AS MATERIALIZED ({sql}) " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [(row[0], row[1], row[2], row[3:]) for row in found]


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
    with populations.sharing_subqueries():
        counted = count_specs(region, specs, ctx, scope_types, by_subject_keys=by_subject)
    step("Подсчёт по записям выполнен")
    card_values = collect_cards(region, label)
    step("Информационные карты прочитаны")

    now = timezone.now()
    names = {  # scope type → id → the name as stored
        scope_type: {pk: str(name)[:500] for pk, name in units.of(scope_type).items()}
        for scope_type in scope_types
    }
    omitting = ScopeType.REGION in scope_types and ScopeType.ORGANIZATION in scope_types
    kept = {}  # the region alone recomputed: its organizations' rows omitted before stay so
    if ScopeType.REGION in scope_types and not omitting:
        for indicator_id, details in Snapshot.objects.filter(
            region=region, period=label, scope_type=ScopeType.REGION, subject__isnull=True,
            indicator__in=[i.pk for i in indicators], details__has_key=OMITTED,
        ).values_list("indicator_id", "details"):  # fmt: skip
            kept[indicator_id] = details[OMITTED]
    records = []
    for indicator in indicators:
        if indicator.method == Method.RECORDS:
            rows = _records_rows(indicator, counted, units, scope_types)
        elif indicator.method == Method.FUNCTION:
            rows = functions.run(indicator, region, ctx, units, scope_types)
        else:
            rows = card_rows(indicator, card_values, units, scope_types)
        target = target_for(indicator, label, ends_on)
        common = (region.pk, indicator.pk, label, starts_on, ends_on)
        unit, direction, version = indicator.unit, indicator.direction, indicator.definition_version
        region_at, omitted, default = None, 0, None
        for row in rows:
            value = row.value
            if value is None and row.status == Snapshot.Status.COMPUTED:
                value = _value(unit, row.numerator, row.denominator)
            met = None if target is None else met_of(direction, value, target)
            if omitting and row.scope_type == ScopeType.ORGANIZATION and row.subject_id is None:
                shape = _default_shape(row, met)
                if shape is not None and (default is None or shape == default):
                    default = shape
                    omitted += 1
                    continue
            if row.scope_type == ScopeType.REGION and row.subject_id is None:
                region_at = len(records)
            name = names[row.scope_type].get(row.scope_id, "")
            records.append(
                (*common, row.scope_type, row.scope_id, name, row.subject_id, row.numerator,
                 row.denominator, value, target, met, row.status, row.details or {}, version,
                 now)
            )  # fmt: skip
        if not omitting and indicator.pk in kept:
            omitted, default = kept[indicator.pk]["count"], kept[indicator.pk]
        if omitted and region_at is not None:
            record = list(records[region_at])
            details = dict(record[DETAILS])
            details[OMITTED] = {**default, "count": omitted}
            record[DETAILS] = details
            records[region_at] = tuple(record)
        step(indicator.code)
    Snapshot.objects.filter(
        region=region,
        period=label,
        scope_type__in=scope_types,
        indicator__in=[i.pk for i in indicators],
    ).delete()
    write(records)
    return len(records)


# An organization's row that holds only the default is not stored (a region of 2 600
# organizations has tens of thousands of them): a records or function row with 0 in the
# numerator and 0 or nothing in the denominator and no assessment against a target, a card row
# still awaiting the organization's own card, «no data» while the population's app is missing.
# The region's row of the indicator names the
# default and how many organizations have it (details["omitted_organizations"]); the readers
# put it back (`selectors.organization_rows`). Regions and municipalities are always stored.
OMITTED = "omitted_organizations"


def _default_shape(row, met) -> dict | None:
    if row.status == Snapshot.Status.COMPUTED:
        if row.numerator == 0 and row.denominator in (0, None) and met is None and not row.details:
            return {"status": row.status, "numerator": 0, "denominator": row.denominator}
        return None
    if row.status == Snapshot.Status.NO_DATA and row.numerator is None and not row.details:
        return {"status": row.status, "numerator": None, "denominator": None}
    if row.status == Snapshot.Status.CARDS_PENDING and row.details == {
        "cards_accepted": 0,
        "cards_expected": 1,
    }:
        return {"status": row.status, "numerator": None, "denominator": None}
    return None


_VALUES: dict = {}


def _value(unit, numerator, denominator):
    """value_of, remembered: most units of a big region repeat a few small (numerator,
    denominator) pairs."""
    key = (unit, numerator, denominator)
    try:
        return _VALUES[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable number: not remembered
        return value_of(unit, numerator, denominator)
    if len(_VALUES) > 100_000:
        _VALUES.clear()
    value = _VALUES[key] = value_of(unit, numerator, denominator)
    return value


COLUMNS = (
    "region_id", "indicator_id", "period", "starts_on", "ends_on", "scope_type", "scope_id",
    "scope_name", "subject_id", "numerator", "denominator", "value", "target", "met", "status",
    "details", "definition_version", "computed_at",
)  # fmt: skip


DETAILS = COLUMNS.index("details")


def write(records: list) -> None:
    """Insert the snapshots (tuples in the order of COLUMNS): COPY on PostgreSQL (a region's
    organizations times the catalogue are hundreds of thousands of rows), bulk_create in batches
    elsewhere."""
    if not records:
        return
    fields = {f.attname: f for f in Snapshot._meta.concrete_fields}
    if connection.vendor != "postgresql":
        _insert_many(records, fields)
        return
    fields = {name: field.column for name, field in fields.items()}
    columns = ", ".join(connection.ops.quote_name(fields[name]) for name in COLUMNS)
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(records), 20_000):
            copy.write(_copy_lines(records[start : start + 20_000]))


def _insert_many(records, fields) -> None:
    """Elsewhere (SQLite): one prepared INSERT for all the rows (executemany), each value
    prepared for the database by its field the way the ORM does; the values common to every row
    (dates, the time of the computation) prepared once."""
    names = [fields[name] for name in COLUMNS]
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in names)
    sql = f"INSERT INTO {connection.ops.quote_name(Snapshot._meta.db_table)} ({columns}) "
    sql += f"VALUES ({placeholders})"
    prepared: dict = {}

    def prep(index, value):
        key = (index, value if not isinstance(value, dict) else id(value))
        try:
            return prepared[key]
        except (KeyError, TypeError):
            pass
        result = names[index].get_db_prep_save(value, connection)
        if not isinstance(value, dict):
            prepared[key] = result
        return result

    rows = [[prep(i, v) for i, v in enumerate(record)] for record in records]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    return str(value)


def _copy_lines(records) -> str:
    """Rows of snapshots as COPY text: what is common to an indicator's rows (region, indicator,
    period, dates; version and time) formatted once, the rest by its known types."""
    heads, tails, names, lines = {}, {}, {}, []
    null, escapes = "\\N", _ESCAPES
    for r in records:
        key = r[1]
        head = heads.get(key)
        if head is None:
            head = heads[key] = "\t".join(_text(v) for v in r[:5])
            tails[key] = "\t".join(_text(v) for v in r[16:])
        (scope_type, scope_id, name, subject_id, numerator, denominator, value, target, met,
         status, details) = r[5:16]  # fmt: skip
        escaped = names.get(name)
        if escaped is None:  # a unit's name, escaped once for all its indicators
            escaped = names[name] = name.translate(escapes)
        lines.append(
            f"{head}\t{scope_type}\t{scope_id}\t{escaped}\t"
            f"{null if subject_id is None else subject_id}\t"
            f"{null if numerator is None else numerator}\t"
            f"{null if denominator is None else denominator}\t"
            f"{null if value is None else value}\t{null if target is None else target}\t"
            f"{null if met is None else ('t' if met else 'f')}\t{status}\t"
            f"{_text(details) if details else '{}'}\t{tails[key]}\n"
        )
    return "".join(lines)


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
    counts, available, by_unit = counted["counts"], counted["available"], counted["by_unit"]
    num_key = spec_key(indicator.numerator) if indicator.numerator else None
    den_key = spec_key(indicator.denominator) if indicator.denominator else None
    keys = [k for k in (num_key, den_key) if k]
    rows = []
    if not keys:
        return rows
    missing = [k for k in keys if k not in available]
    nothing = {}
    for scope_type in scope_types:
        if missing:
            rows += [
                Row(scope_type, scope_id, None, None, None, Snapshot.Status.NO_DATA)
                for scope_id in units.of(scope_type)
            ]
            continue
        if not all(counts.get((k, scope_type, "computed")) for k in keys):
            continue  # a population without this kind of territory: no value at this scope
        nums = by_unit.get((num_key, scope_type, None), nothing)
        dens = by_unit.get((den_key, scope_type, None), nothing) if den_key else None
        by_subject = _subject_counts(indicator, by_unit, num_key, den_key, scope_type)
        for scope_id in units.of(scope_type):
            denominator = None if dens is None else dens.get(scope_id, 0)
            rows.append(Row(scope_type, scope_id, None, nums.get(scope_id, 0), denominator))
            for subject_id, numerator, denominator in by_subject.get(scope_id, ()):
                rows.append(Row(scope_type, scope_id, subject_id, numerator, denominator))
    return rows


def _subject_counts(indicator, by_unit, num_key, den_key, scope_type) -> dict:
    """Unit → [(subject id, numerator, denominator)] of the subjects the unit has a count of
    (a by-subject indicator; subjects in order)."""
    if not indicator.by_subject:
        return {}
    found = defaultdict(list)
    subjects = sorted({s for k, t, s in by_unit if k == num_key and t == scope_type and s})
    for subject_id in subjects:
        nums = by_unit.get((num_key, scope_type, subject_id), {})
        dens = by_unit.get((den_key, scope_type, subject_id), {}) if den_key else None
        for scope_id in nums.keys() | (dens or {}).keys():
            numerator = nums.get(scope_id, 0)
            denominator = None if dens is None else dens.get(scope_id, 0)
            if numerator or denominator:
                found[scope_id].append((subject_id, numerator, denominator))
    return found


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
