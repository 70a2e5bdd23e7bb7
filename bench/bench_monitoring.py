"""Benchmark of the monitoring: the full catalogue for every scope of a 100 000-person region.

    .venv/bin/python bench/bench_monitoring.py [--people 100000] [--database-url URL]
        [--period 2025] [--ratio-limit 5]

Needs PostgreSQL. The database (default postgres://postgres@127.0.0.1:5432/nms_bench_monitoring,
created if missing) is migrated, and gets a region of --people workers (`nms generate-region`
proportions: 40 municipalities and 2 600 organizations per 100 000, seed 7) unless it already
holds one of that size, which is reused. Then, in the same run:

1. the baseline: one bare pass over the employments table,
   `SELECT count(*), sum(teaching_load) FROM registry_employment` (after one warm-up pass);
2. `nms.monitoring.compute.compute(region, period)` — every indicator of the catalogue for the
   region, each municipality and each organization, written as snapshots.

Prints both times, the number of snapshots and queries, the ratio of the computation to the
baseline and where the time went (counting in SQL, building the rows in Python, formatting them
for COPY, COPY itself, the DELETE of the previous rows, COMMIT); exits with 1 when the ratio is
over --ratio-limit (the goal: 5).

Organizations' rows holding only the default (0 of 0, a count of 0 without a target, a card
still awaited) are not stored (docs/monitoring.md, «Хранение»): the number of snapshots is of
the rows written.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nms_bench_monitoring"
FLAG = re.compile(r'AS "f\d+"')  # a flag column of the computation's queries
PER_100K = {"municipalities": 40, "organizations": 2600}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("NMS_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--period", default="2025")
    parser.add_argument("--ratio-limit", type=float, default=5.0)
    return parser.parse_args()


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def sizes(people: int) -> dict:
    scale = people / 100_000
    return {
        "municipalities": max(2, round(PER_100K["municipalities"] * scale)),
        "organizations": max(6, round(PER_100K["organizations"] * scale)),
        "people": people,
    }


def main():
    args = arguments()
    if not args.database_url.startswith("postgres"):
        sys.exit("bench_monitoring.py needs PostgreSQL (--database-url postgres://…)")
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nms.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nms.monitoring import catalogue
    from nms.monitoring.compute import compute
    from nms.registry.models import Organization, Person, Region

    call_command("migrate", verbosity=0)
    wanted = sizes(args.people)
    region = None
    for candidate in Region.objects.all():
        if Person.objects.filter(region=candidate).count() == args.people:
            region = candidate
    if region is None:
        if Region.objects.exists():
            sys.exit("the database holds another region: use another --database-url")
        from nms.demo.build import build_demo_region

        started = time.perf_counter()
        print(f"generating a region: {wanted} …", flush=True)
        build_demo_region(seed=7, **wanted)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        region = Region.objects.get()
    catalogue.load()
    organizations = Organization.objects.filter(region=region).count()
    print(f"region «{region.name}»: {args.people} people, {organizations} organizations")

    baseline_sql = "SELECT count(*), sum(teaching_load) FROM registry_employment"
    with connection.cursor() as cursor:
        cursor.execute(baseline_sql)  # warm-up: the table in the cache, as for the computation
        started = time.perf_counter()
        cursor.execute(baseline_sql)
        rows, _ = cursor.fetchone()
        baseline = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The previous runs' snapshots, deleted by the recomputation, as autovacuum leaves them
        # (a busy machine may not have got round to it; the first run had an empty table).
        cursor.execute("VACUUM ANALYZE monitoring_snapshot")
    phases = _instrument()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        written = compute(region, args.period)
        elapsed = time.perf_counter() - started
    ratio = elapsed / baseline if baseline else float("inf")
    print(f"bare pass over registry_employment ({rows} rows): {baseline * 1000:.1f} ms")
    print(
        f"full catalogue, every scope, period {args.period}: {elapsed:.2f} s, "
        f"{written} snapshots, {len(queries)} queries"
    )
    print(f"ratio: {ratio:.1f}× (goal ≤ {args.ratio_limit:g}×)")
    accounted = sum(seconds for name, seconds in phases.items() if name != "COPY (Python)")
    phases["rest (Python: rows, values, targets)"] = elapsed - accounted
    for name, seconds in phases.items():
        print(f"  {name:40s} {seconds:7.2f} s  {100 * seconds / elapsed:5.1f} %")
    print("floors, in the same run (what no computation of this catalogue can go below):")
    for name, seconds in _floors(connection, region, args.period, queries).items():
        print(f"  {name:72s} {seconds * 1000:8.1f} ms  {seconds / baseline:7.1f}×")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:140]}")
    sys.exit(0 if ratio <= args.ratio_limit else 1)


def _floors(connection, region, period, queries) -> dict:
    """Two lower bounds of the computation, timed like the baseline:

    - counting: one pass over the employments with as many conditional counts as the
      computation's flags over the employments, each a plain column test, grouped by
      organization, municipality and region at once (the computation's flags are subqueries
      over the other tables: routes, results, participations, …);
    - storing: the rows the computation wrote, copied inside the database into an empty table
      of the same shape and indexes (no Python, no network)."""
    flags = max((len(FLAG.findall(q["sql"])) for q in queries.captured_queries), default=1)
    counts = ", ".join(
        f"count(*) FILTER (WHERE e.teaching_load > {i % 30})" for i in range(max(flags, 1))
    )
    counting = (
        f"SELECT e.organization_id, o.municipality_id, {counts} FROM registry_employment e "
        "JOIN registry_organization o ON o.id = e.organization_id "
        "GROUP BY GROUPING SETS ((e.organization_id), (o.municipality_id), ())"
    )
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(counting)
        started = time.perf_counter()
        cursor.execute(counting)
        cursor.fetchall()
        found[f"one pass over employments, {flags} plain conditional counts, 3 territories"] = (
            time.perf_counter() - started
        )
        cursor.execute("BEGIN")
        cursor.execute("CREATE TEMPORARY TABLE nms_floor (LIKE monitoring_snapshot INCLUDING ALL)")
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO nms_floor SELECT * FROM monitoring_snapshot "
            "WHERE region_id = %s AND period = %s",
            [region.pk, period],
        )
        written = cursor.rowcount
        found[f"storing the {written} rows written (in the database, same indexes)"] = (
            time.perf_counter() - started
        )
        cursor.execute("ROLLBACK")
    return found


def _instrument() -> dict:
    """Time the phases of the computation (wrapping the module's functions for this run)."""
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.query import QuerySet

    from nms.monitoring import compute as module

    phases = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    module.count_specs = timed("counting in SQL (count_specs)", module.count_specs)
    module.write = timed("writing (COPY, its Python included)", module.write)
    module._copy_lines = timed("COPY (Python)", module._copy_lines)
    QuerySet.delete = timed("DELETE of the previous rows", QuerySet.delete)
    BaseDatabaseWrapper.commit = timed("COMMIT", BaseDatabaseWrapper.commit)
    return phases


if __name__ == "__main__":
    main()
