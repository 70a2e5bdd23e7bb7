"""One request at a time: each demo role's main pages, the fastest of a few requests and the
number of SQL queries each page runs (in-process, django.test.Client; no server, no load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nms_bench .venv/bin/python bench/page_timings.py
        [--repeat 3] [--roles ministry,municipal,…] [--only <part of a page name>] [--sql]

For «one request alone takes tens of milliseconds» and to find where a page's time goes: --sql
prints the two slowest queries of each page. The database must hold the demo accounts (`nms
generate-region` or `nms demo-bootstrap`); it is only read (sessions aside). The load benchmark
(20 concurrent users, p95) is bench/bench_pages.py.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--roles", default=ROLES)
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--sql", action="store_true", help="the two slowest queries of each page")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nms.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nms.accounts.models import User
    from nms.diagnostics.models import Procedure

    settings.ALLOWED_HOSTS = ["*"]
    procedure = Procedure.objects.annotate(n=Count("results")).order_by("-n").first()
    print(f"{'role':10} {'page':32} {'status':>6} {'ms':>7} {'queries':>7}")
    for username in args.roles.split(","):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, url in pages(user, procedure.pk if procedure else 0):
            if args.only and args.only not in label:
                continue
            client.get(url)  # warm
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"{username:10} {label:32} {response.status_code:>6} {min(times):>7.0f} "
                f"{len(queries):>7}",
                flush=True,
            )
            if args.sql:
                slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]
                for query in slowest:
                    print(f"{'':12}{float(query['time']) * 1000:.0f} ms  {query['sql'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
