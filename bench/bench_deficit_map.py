"""Benchmark of the deficit maps: a municipality with 5 000 diagnosed people, fresh SQLite database.

    .venv/bin/python bench/bench_deficit_map.py [--people 5000] [--database-url URL]

Builds a region of five municipalities (the measured one with --people diagnosed people, the other
four with a fifth of that each), with entry, exit and imported federal results over six areas,
then times the map selectors (by organization within the municipality, by municipality for the
region), the groups with similar deficits, and the whole page rendered by the Django test client.

On a shared, noisy machine the ratios are the result; the absolute times are for orientation. The
baseline is measured in the same run: fetching the municipality's area scores once into Python
(what any computation of the map in Python would have to do at least). The run fails if the page
takes a second or more.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

REPEATS = 5
PAGE_LIMIT = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
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
    started = time.perf_counter()
    try:
        world = make_region(args.people)
        print(f"database: {os.environ['DATABASE_URL']}")
        print(
            f"generated in {time.perf_counter() - started:.1f} s: {world['diagnosed']} diagnosed "
            f"people in the measured municipality, {world['results']} results, "
            f"{world['scores']} area scores in the region"
        )
        measure(world)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def make_region(people: int) -> dict:
    """Direct bulk creation, as the tests' factories do it, without history records."""
    from nms.accounts.models import Role, User
    from nms.common.identifiers import inn_with_checksum, snils_with_checksum
    from nms.diagnostics.models import AreaScore, Procedure, Result
    from nms.itembank.models import CompetencyArea
    from nms.registry.models import (
        Employment,
        Municipality,
        Organization,
        Person,
        Position,
        Region,
        Subject,
        experience_start,
    )

    rng = random.Random(1)
    region = Region.objects.create(name="Синтетическая область", code="99")
    municipalities = [
        Municipality.objects.create(region=region, name=f"Округ № {n}", oktmo=f"{95700000 + n}")
        for n in range(5)
    ]
    sizes = [people] + [people // 5] * 4
    teacher = Position.objects.get(name="учитель")
    subjects = list(Subject.objects.all())
    areas = list(CompetencyArea.objects.filter(for_managers=False))
    procedures = [
        Procedure.objects.create(
            region=region,
            name=name,
            level=level,
            kind=kind,
            starts_on=day,
            ends_on=day.replace(day=28),
            is_external=level == "federal",
        )
        for name, level, kind, day in (
            ("Федеральная оценка компетенций", "federal", "entry", date(2024, 2, 1)),
            ("Региональная входная диагностика", "regional", "entry", date(2024, 10, 1)),
            ("Региональная выходная диагностика", "regional", "exit", date(2025, 4, 1)),
        )
    ]
    organizations, persons, employments = [], [], []
    counter = 0
    for municipality, size in zip(municipalities, sizes, strict=True):
        schools = [
            Organization(
                region=region,
                municipality=municipality,
                full_name=f"Школа № {len(organizations) + n}",
                short_name=f"Школа № {len(organizations) + n}",
                inn=inn_with_checksum(f"18{len(organizations) + n:07d}"),
                kind="general",
                search_text=f"школа {len(organizations) + n}",
            )
            for n in range(max(size // 80, 1))
        ]
        organizations += schools
        for _ in range(size):
            counter += 1
            person = Person(
                region=region,
                last_name=f"Фамилия{counter}",
                first_name="Имя",
                middle_name="Отчество",
                birth_date=date(1970 + counter % 30, 1 + counter % 12, 1 + counter % 28),
                sex="F" if counter % 3 else "M",
                snils=snils_with_checksum(f"{100000000 + counter:09d}"),
                education_level="higher",
            )
            person.search_text = person.compute_search_text()
            persons.append(person)
            employments.append((person, rng.choice(schools)))
    Organization.objects.bulk_create(organizations, batch_size=500)
    Person.objects.bulk_create(persons, batch_size=500)
    as_of = date(2025, 9, 1)
    rows = [
        Employment(
            person=person,
            organization=school,
            position=teacher,
            experience_years=Decimal(10),
            experience_as_of=as_of,
            experience_start=experience_start(10, as_of),
        )
        for person, school in employments
    ]
    Employment.objects.bulk_create(rows, batch_size=500)
    through = Employment.subjects.through
    through.objects.bulk_create(
        [through(employment_id=e.pk, subject_id=rng.choice(subjects).pk) for e in rows],
        batch_size=500,
    )

    results, scores = [], []
    for person in persons:
        ability = rng.uniform(0.35, 0.95)
        taken = [procedures[1]]
        if rng.random() < 0.2:
            taken.insert(0, procedures[0])
        if rng.random() < 0.3:
            taken.append(procedures[2])
        for procedure in taken:
            result = Result(
                person=person,
                procedure=procedure,
                taken_on=procedure.starts_on.replace(day=rng.randint(1, 27)),
                source="import",
                share=Decimal(0),
            )
            results.append(result)
            for area in areas:
                share = Decimal(round(100 * min(max(rng.gauss(ability, 0.15), 0), 1)))
                scores.append((result, area, share))
    Result.objects.bulk_create(results, batch_size=500)
    AreaScore.objects.bulk_create(
        [
            AreaScore(
                result=result,
                area=area,
                score=share / 10,
                max_score=Decimal(10),
                share=share,
                is_deficit=share <= 60,
            )
            for result, area, share in scores
        ],
        batch_size=1000,
    )
    Result.objects.filter(area_scores__is_deficit=True).update(has_deficit=True)

    measured = municipalities[0]
    municipal = User.objects.create(
        username="municipal", role=Role.MUNICIPAL, municipality=measured
    )
    cnppm = User.objects.create(username="cnppm", role=Role.CNPPM, region=region)
    return {
        "municipality": measured,
        "municipal": municipal,
        "cnppm": cnppm,
        "diagnosed": people,
        "results": len(results),
        "scores": len(scores),
    }


def timed(function, repeats: int = REPEATS) -> float:
    """The median of several runs (the first one warms the caches and is not counted)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(world: dict) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from nms.deficits import maps
    from nms.diagnostics.models import AreaScore

    setup_test_environment()  # the test client then records the page's context
    municipal, cnppm, municipality = world["municipal"], world["cnppm"], world["municipality"]

    def baseline():
        scores = AreaScore.objects.filter(
            result__person__employments__organization__municipality=municipality
        )
        return list(scores.values_list("result__person_id", "area_id", "is_deficit"))

    base = timed(baseline)
    print(f"baseline, the municipality's area scores fetched into Python: {base * 1000:7.1f} ms")

    def report(label: str, seconds: float) -> None:
        print(f"{label:<52} {seconds * 1000:7.1f} ms  ratio to baseline {seconds / base:5.2f}")

    by_organization = maps.MapFilters(breakdown=maps.ORGANIZATION)
    report(
        "map by organization, municipal user:",
        timed(lambda: maps.deficit_map(municipal, by_organization)),
    )
    report(
        "map by organization, region user, municipality filter:",
        timed(
            lambda: maps.deficit_map(
                cnppm, maps.MapFilters(breakdown=maps.ORGANIZATION, municipality=municipality)
            )
        ),
    )
    report(
        "map by municipality for the region:",
        timed(lambda: maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.MUNICIPALITY))),
    )
    report(
        "groups with similar deficits, municipal user:",
        timed(lambda: maps.deficit_profiles(municipal, maps.MapFilters())),
    )

    client = Client()
    client.force_login(municipal)

    def page():
        response = client.get("/diagnostics/maps/", {"breakdown": "organization"})
        assert response.status_code == 200, response.status_code
        assert response.context["map"].total.people == world["diagnosed"]

    page_time = timed(page)
    report("page, municipal user, by organization:", page_time)
    region_client = Client()
    region_client.force_login(cnppm)
    report(
        "page, region user, by municipality:",
        timed(lambda: region_client.get("/diagnostics/maps/", {"breakdown": "municipality"})),
    )
    assert page_time < PAGE_LIMIT, f"the map page took {page_time:.2f} s (limit {PAGE_LIMIT} s)"
    print(f"OK: the municipality's map page renders in {page_time:.2f} s (< {PAGE_LIMIT} s)")


if __name__ == "__main__":
    main()
