"""Benchmark of the diagnostics results import: 10 000 and 100 000 rows into a fresh database.

    .venv/bin/python bench/bench_results_import.py [--people 20000] [--database-url URL]

Each row is one score of one person in one of 5 competency areas, so --people 20000 gives a file
of 100 000 rows; the small file has a tenth of the people (10 000 rows) and its own procedure.
Both files are imported three times: into an empty procedure, the same file again (nothing
written), and with every score changed (every result rewritten). For each run it prints the time
per 1 000 rows and the number of queries; the result is the ratio of the time per 1 000 rows of
the big file to that of the small one, measured in this one run (≈ 1 means the import scales
linearly). The ratio is of CPU time of this process, which includes SQLite's work and is less
disturbed by other programs on a shared machine than the wall-clock time (printed for
orientation). With --database-url of a server database the CPU time leaves out the server's
work: compare the wall-clock times then.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

AREAS = ("subject", "methodical", "psychological", "ict", "upbringing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000, help="people of the big file")
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
    snilses = make_people(args.people)
    sizes = {"small": snilses[: len(snilses) // 10], "big": snilses}
    print(f"database: {os.environ['DATABASE_URL']}")

    runs = {}
    for label, people in sizes.items():
        rows = len(people) * len(AREAS)
        procedure = f"Федеральная оценка компетенций, {rows} строк"
        first = workdir / f"{label}.xlsx"
        changed = workdir / f"{label}-changed.xlsx"
        write_file(first, people, procedure)
        write_file(changed, people, procedure, changed=True)
        runs[label] = (
            rows,
            [
                measure(f"{rows} rows, all new", first, rows, created=rows),
                measure(f"{rows} rows, same file again", first, rows, unchanged=rows),
                measure(f"{rows} rows, every score changed", changed, rows, updated=rows),
            ],
        )

    (small_rows, small), (big_rows, big) = runs["small"], runs["big"]
    print()
    print(f"CPU time per 1 000 rows, {big_rows} rows vs {small_rows} rows (≈ 1 is linear):")
    for before, after in zip(small, big, strict=True):
        (label, small_time, small_queries), (_, big_time, big_queries) = before, after
        name = label.split(", ", 1)[1]
        print(
            f"  {name:<22} ratio {big_time / small_time:5.2f}   "
            f"queries {small_queries} -> {big_queries}"
        )


def make_people(count: int) -> list[str]:
    from nms.common.identifiers import snils_with_checksum
    from nms.registry.models import Person, Region

    region = Region.objects.create(name="Синтетическая область", code="99")
    people = []
    for n in range(count):
        person = Person(
            region=region,
            last_name=f"Фамилия{n}",
            first_name="Анна" if n % 2 else "Пётр",
            birth_date="1980-05-17",
            sex="F" if n % 2 else "M",
            snils=snils_with_checksum(f"{500000000 + n:09d}"),
            education_level="higher",
        )
        person.search_text = person.compute_search_text()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    return [person.snils for person in people]


def write_file(path: Path, snilses: list[str], procedure: str, changed: bool = False) -> None:
    """Every person scored in every area; `changed` alters every score."""
    from openpyxl import Workbook

    from nms.diagnostics.importers import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Результаты")
    sheet.append([c.header for c in COLUMNS])
    for n, snils in enumerate(snilses):
        for k, area in enumerate(AREAS):
            score = (n + k) % 21
            sheet.append([snils, procedure, "14.05.2024", area, score + changed, 21])
    workbook.save(path)


def measure(label: str, path: Path, rows: int, **expected) -> tuple[str, float, int]:
    """CPU seconds per 1 000 rows and the number of queries of one import of the file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nms.diagnostics.importers import import_results

    with path.open("rb") as stream, CaptureQueriesContext(connection) as queries:
        start, cpu_start = time.perf_counter(), time.process_time()
        report = import_results(None, stream)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert report.ok, report.errors[:5]
    counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    assert all(counts[key] == value for key, value in expected.items()), counts
    per_thousand = cpu * 1000 / rows
    print(
        f"{label:<36} wall {seconds:7.2f} s  CPU {cpu:7.2f} s  "
        f"CPU {per_thousand:5.3f} s per 1 000 rows  {len(queries)} queries"
    )
    return label, per_thousand, len(queries)


if __name__ == "__main__":
    main()
