"""Benchmark of the staff import: 10 000 rows into a fresh temporary SQLite database.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--database-url URL]

Prints the time of a plain openpyxl read of the file and of three imports of it (new records,
the same file again, every row changed) with their ratio to the plain read. On a shared, noisy
machine the ratios are the result; the absolute times are for orientation.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
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
    organizations = make_registry(organizations=50)
    path = workdir / "staff.xlsx"
    write_staff_file(path, args.rows, organizations)

    read_time = timed(lambda: plain_read(path))
    print(f"rows: {args.rows}; database: {os.environ['DATABASE_URL']}")
    print(f"plain openpyxl read: {read_time:.2f} s")
    from nms.registry.importers import import_staff

    def run(label, file):
        with file.open("rb") as stream:
            start = time.perf_counter()
            report = import_staff(None, stream)
            seconds = time.perf_counter() - start
        assert report.ok, report.errors[:5]
        print(
            f"{label:<28} {seconds:6.2f} s  ratio to read {seconds / read_time:5.1f}  "
            f"(created {report.created}, updated {report.updated}, unchanged {report.unchanged})"
        )

    run("import, all new:", path)
    run("same file again:", path)
    changed = workdir / "staff-changed.xlsx"
    write_staff_file(changed, args.rows, organizations, changed=True)
    run("import, every row changed:", changed)


def make_registry(organizations: int) -> list[str]:
    from nms.common.identifiers import inn_with_checksum
    from nms.registry.models import Municipality, Organization, Region

    region = Region.objects.create(name="Синтетическая область", code="99")
    municipalities = [
        Municipality.objects.create(region=region, name=f"Округ № {n}", oktmo=f"{95700000 + n}")
        for n in range(10)
    ]
    inns = []
    for n in range(organizations):
        inn = inn_with_checksum(f"18{n:07d}")
        Organization.objects.create(
            region=region,
            municipality=municipalities[n % len(municipalities)],
            full_name=f"Школа № {n}",
            short_name=f"Школа № {n}",
            inn=inn,
            kind="general",
        )
        inns.append(inn)
    return inns


def write_staff_file(path: Path, rows: int, inns: list[str], changed: bool = False) -> None:
    """A staff list; `changed` alters the e-mail, category, experience and load of every row."""
    from openpyxl import Workbook

    from nms.common.identifiers import snils_with_checksum
    from nms.registry.importers import STAFF_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Работники")
    sheet.append([c.header for c in STAFF_COLUMNS])
    for n in range(rows):
        sheet.append(
            [
                snils_with_checksum(f"{500000000 + n:09d}"),
                f"Фамилия{n}",
                "Анна" if n % 2 else "Пётр",
                "Сергеевна" if n % 2 else "Иванович",
                f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1960 + n % 40}",
                "ж" if n % 2 else "м",
                inns[n % len(inns)],
                "учитель",
                None,
                "математика; физика" if n % 3 else "русский язык",
                "высшая" if changed else "первая",
                "15.03.2021",
                f"{n % 40 + changed},5",
                "01.09.2015",
                "высшее",
                "да",
                "нет",
                20 if changed else 18,
                f"person{n}@{'example.com' if changed else 'example.org'}",
            ]
        )
    workbook.save(path)


def plain_read(path: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    for _ in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
