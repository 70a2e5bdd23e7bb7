"""One request at a time: each demo role's main pages, with the server's cost of each — the CPU
time of this (the server's) process, the number of SQL queries and the time they took
(in-process, django.test.Client; no server, no load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nms_bench .venv/bin/python bench/page_timings.py
        [--repeat 3] [--roles ministry,municipal,…] [--only <part of a page name>] [--sql]
        [--cold] [--profile <part of a page name>]

The CPU time (time.process_time) is the figure to compare on a shared, loaded machine: wall-clock
times there depend on the other processes, CPU time much less. Each figure is the smallest of
--repeat requests after one to warm up (kept figures are then in the cache: --cold clears the
cache before each request, for the cost of the first view). --sql prints the two slowest queries
of each page; --profile prints the functions that took the most CPU time on the pages named.
The database must hold the demo accounts (`nms generate-region` or `nms demo-bootstrap`); it is
only read (sessions aside). The load benchmark (20 concurrent users, p95) is bench/bench_pages.py.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROLES = "ministry,cnppm,municipal,methodist,school,teacher"
BREAKDOWNS = ("municipality", "organization", "subject", "group", "region")


def pages(user, procedure_id: int) -> list[tuple[str, str]]:
    from django.db.models import Count

    from nms.accounts.scope import scope_of

    common = (
        scope_of(user).people().values("last_name").annotate(n=Count("id")).order_by("-n").first()
    )
    surname = (common or {"last_name": "Иванова"})["last_name"].lower()
    return [
        ("login (anonymous)", "/login/"),
        ("home", "/"),
        ("people", "/registry/people/"),
        ("people: surname", f"/registry/people/?q={surname}"),
        ("people: page 3 by birth date", "/registry/people/?page=3&sort=-birth_date"),
        ("people: young", "/registry/people/?young=true"),
        ("organizations", "/registry/organizations/"),
        ("organizations: search", "/registry/organizations/?q=школа"),
        *((f"deficit map: {b}", f"/diagnostics/maps/?breakdown={b}") for b in BREAKDOWNS),
        ("deficit clusters", "/diagnostics/maps/clusters/"),
        ("procedures", "/diagnostics/procedures/"),
        ("procedure results", f"/diagnostics/procedures/{procedure_id}/results/"),
        ("routes", "/routes/"),
        ("routes: attention", "/routes/attention/"),
        ("api people", "/api/v1/people/"),
        ("api people: surname", f"/api/v1/people/?q={surname}"),
        ("api organizations", "/api/v1/organizations/"),
        ("api employments", "/api/v1/employments/"),
        ("api results", "/api/v1/diagnostics/results/"),
        ("api routes", "/api/v1/routes/"),
        ("api deficit map", "/api/v1/diagnostics/maps/"),
    ]


class SqlTimer:
    """Counts the queries and sums their wall-clock time (an execute wrapper)."""

    def __init__(self, keep: bool = False):
        self.count, self.seconds, self.keep, self.queries = 0, 0.0, keep, []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.seconds += spent
            if self.keep:
                self.queries.append((spent, sql, params))


def buffers(connection, queries) -> int:
    """The shared buffers (8 kB pages, hit or read) PostgreSQL's plans touched for these
    queries: a measure of the database's work that a loaded machine does not change."""
    total = 0
    for _, sql, params in queries:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = plan[0]["Plan"] if isinstance(plan, list) else plan
        total += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--roles", default=ROLES)
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--sql", action="store_true", help="the two slowest queries of each page")
    parser.add_argument("--cold", action="store_true", help="clear the cache before each request")
    parser.add_argument("--profile", default="", help="profile the pages whose name has this")
    parser.add_argument(
        "--buffers",
        action="store_true",
        help="PostgreSQL's work per page: the buffers its queries touched (EXPLAIN BUFFERS)",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nms.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from nms.accounts.models import User
    from nms.diagnostics.models import Procedure

    settings.ALLOWED_HOSTS = ["*"]
    procedure = Procedure.objects.annotate(n=Count("results")).order_by("-n").first()
    print(
        f"{'role':10} {'page':30} {'status':>6} {'cpu ms':>7} {'wall ms':>7} {'queries':>7} "
        f"{'sql ms':>7}" + (f" {'buffers':>8}" if args.buffers else "")
    )
    totals = {}
    for username in args.roles.split(","):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, url in pages(user, procedure.pk if procedure else 0):
            if args.only and args.only not in label:
                continue
            get = Client().get if label.startswith("login") else client.get
            get(url)  # warm
            best = None
            for _ in range(max(args.repeat, 1)):
                if args.cold:
                    cache.clear()
                timer = SqlTimer(keep=args.sql or args.buffers)
                with connection.execute_wrapper(timer):
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = get(url)
                    cpu = (time.process_time() - cpu) * 1000
                    wall = (time.perf_counter() - wall) * 1000
                if best is None or cpu < best[0]:
                    best = (cpu, wall, timer)
            cpu, wall, timer = best
            totals.setdefault(username, []).append(cpu)
            extra = f" {buffers(connection, timer.queries):>8}" if args.buffers else ""
            print(
                f"{username:10} {label:30} {response.status_code:>6} {cpu:>7.1f} {wall:>7.1f} "
                f"{timer.count:>7} {timer.seconds * 1000:>7.1f}{extra}",
                flush=True,
            )
            if args.sql:
                for spent, sql, _ in sorted(timer.queries, key=lambda q: -q[0])[:2]:
                    print(f"{'':12}{spent * 1000:.0f} ms  {sql[:300]}")
            if args.profile and args.profile in label:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                get(url)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    for username, values in totals.items():
        print(f"{username:10} mean CPU ms per page: {sum(values) / len(values):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
