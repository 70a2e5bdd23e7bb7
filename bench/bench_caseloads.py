"""Benchmark of the automatic assignment of teachers to regional methodists (nms.support).

    .venv/bin/python bench/bench_caseloads.py [--people 11500] [--methodists 95]
        [--municipalities 13] [--organizations 300] [--database-url URL]
    .venv/bin/python bench/bench_caseloads.py --people 100000 --methodists 830 \\
        --municipalities 40 --organizations 2600

Builds a region with the demo generator (registry and accounts only) in a fresh temporary SQLite
database (or the given one, which must be empty), approves --methodists regional methodists with
subjects and municipalities, and measures in one run:

- the baseline: one bare pass over the region's pedagogical employments (values_list of person
  and municipality) — the least any assignment must read;
- the assignment from scratch (`assign_automatically`): its time and its ratio to the baseline;
- a re-run on the assigned region (nothing new to assign): its time, and that every existing
  assignment is kept;
- the outcome: no methodist above the cap, the pairs by match (subject and municipality first).

On a shared, noisy machine the ratios to the baseline measured in the same run are the result;
the absolute times are for orientation. Exits with 1 if a check fails or the assignment takes
more than --limit seconds (30).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

LIMIT_SECONDS = 30.0
REPEAT = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=11_500)
    parser.add_argument("--methodists", type=int, default=95)
    parser.add_argument("--municipalities", type=int, default=13)
    parser.add_argument("--organizations", type=int, default=300)
    parser.add_argument("--limit", type=float, default=LIMIT_SECONDS)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="nms-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["NMS_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "nms.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from nms.demo.generator import generate_region
    from nms.registry.models import Region

    if Region.objects.exists():
        sys.exit("the database already holds a region: give an empty one")
    started = time.perf_counter()
    summary = generate_region(
        municipalities=args.municipalities,
        organizations=args.organizations,
        people=args.people,
        seed=11,
    )
    region = summary.region
    methodists = approve_methodists(region, args.methodists)
    print(
        f"database: {os.environ['DATABASE_URL']}; region of {args.people} people and "
        f"{len(methodists)} methodists built in {time.perf_counter() - started:.0f} s"
    )

    from nms.support import caseloads, conf
    from nms.support.models import Caseload

    baseline = best(lambda: bare_pass(region))
    t0 = time.perf_counter()
    report = caseloads.assign_automatically(None, region)
    first = time.perf_counter() - t0
    before = dict(Caseload.objects.values_list("teacher_id", "methodist_id"))
    t0 = time.perf_counter()
    rerun = caseloads.assign_automatically(None, region)
    second = time.perf_counter() - t0
    after = dict(Caseload.objects.values_list("teacher_id", "methodist_id"))

    cap = conf.caseload_cap(region)
    loads = Counter(after.values())
    workers, count = caseloads.workers_per_methodist(region)
    checks = {
        "no methodist above the cap": max(loads.values(), default=0) <= cap,
        "every existing assignment kept on the re-run": all(
            after.get(t) == m for t, m in before.items()
        ),
        "the re-run assigns nobody new": rerun.assigned == 0,
        "subject-matched pairs first (most pairs)": (
            report.by_basis.get("subject_municipality", 0) + report.by_basis.get("subject", 0)
            >= report.by_basis.get("municipality", 0) + report.by_basis.get("other", 0)
        ),
        f"assignment under {args.limit:.0f} s": first <= args.limit,
    }
    rows = [
        (f"baseline: one pass over {workers} workers' employments", baseline, ""),
        ("assignment from scratch", first, f"{report.assigned} assigned"),
        ("re-run on the assigned region", second, f"{rerun.kept} kept"),
    ]
    print(f"\n{'measure':55} {'seconds':>9} {'× baseline':>11}  notes")
    for label, seconds, notes in rows:
        ratio = seconds / baseline if baseline else float("nan")
        print(f"{label:55} {seconds:9.3f} {ratio:11.1f}  {notes}")
    print(
        f"\nA5: {workers} workers / {count} methodists = {workers / max(count, 1):.1f}; cap {cap};"
        f" largest caseload {max(loads.values(), default=0)}; unassigned "
        f"{len(report.unassigned)}"
    )
    print("pairs by match: " + ", ".join(f"{k}: {v}" for k, v in report.by_basis.items()))
    failed = [name for name, ok in checks.items() if not ok]
    for name, ok in checks.items():
        print(f"{'ok ' if ok else 'FAIL'} {name}")
    return 1 if failed else 0


def approve_methodists(region, count: int) -> list:
    """`count` approved regional methodists: institute staff first, then teachers; each with
    one or two subjects of the region and the municipality where they work."""
    from nms.registry.models import Employment, Subject
    from nms.support.models import ActiveLevel, ActiveMembership, ActiveRole

    rng = random.Random(5)
    rows = list(
        Employment.objects.filter(organization__region=region)
        .order_by("-organization__kind", "person_id")
        .values_list("person_id", "organization__municipality_id", "organization__kind")
    )
    institute = [r for r in rows if r[2] == "institute"]
    others = [r for r in rows if r[2] != "institute"]
    picked, seen = [], set()
    for person_id, municipality_id, _ in institute + rng.sample(others, len(others)):
        if person_id not in seen:
            seen.add(person_id)
            picked.append((person_id, municipality_id))
        if len(picked) == count:
            break
    subjects = list(Subject.objects.filter(employments__organization__region=region).distinct())
    memberships = [
        ActiveMembership(
            region=region,
            person_id=person_id,
            role=ActiveRole.METHODIST,
            level=ActiveLevel.REGIONAL,
            municipality_id=municipality_id,
            starts_on=date.today() - timedelta(days=30),
            status="approved",
        )  # fmt: skip
        for person_id, municipality_id in picked
    ]
    ActiveMembership.objects.bulk_create(memberships)
    through = ActiveMembership.subjects.through
    links = []
    for index, m in enumerate(memberships):
        chosen = {subjects[index % len(subjects)], rng.choice(subjects)} if subjects else set()
        links += [through(activemembership_id=m.pk, subject_id=s.pk) for s in chosen]
    through.objects.bulk_create(links)
    return memberships


def bare_pass(region) -> None:
    from nms.support.caseloads import workers_q

    list(workers_q(region).values_list("person_id", "organization__municipality_id"))


def best(call) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return min(times)


if __name__ == "__main__":
    sys.exit(main())
