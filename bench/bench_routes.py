"""Benchmark of the ИОМ register, its XLSX export and routes from a template.

    .venv/bin/python bench/bench_routes.py [--routes 5000] [--group 500] [--database-url URL]

Builds a region (~5 000 people, 5 000 routes in every state with six items each, some overdue)
in a fresh temporary SQLite database and measures:

(a) the register's first page and a filtered page — queries and time — at 500 and at 5 000
    routes; the query count must not depend on the number of routes;
(b) the XLSX export of all routes;
(c) routes_from_template for a group of 500 people (500 routes with their own items).

On a shared, noisy machine the ratios to the baselines measured in the same run are the result;
the absolute times are for orientation. Exits with 1 if a target is missed: more than 10 s for
the export or the template, or a query count that depends on the number of routes.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

REGISTER_URL = "/routes/"
SMALL = 500
ITEMS_PER_ROUTE = 6
LIMIT_SECONDS = 10.0
REPEAT = 3  # best of three for what can be repeated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=5_000)
    parser.add_argument("--group", type=int, default=500, help="people given a template")
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
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client talk to "testserver"
    call_command("migrate", verbosity=0)

    start = time.perf_counter()
    world = make_region(args.routes + args.group)
    make_routes(world, range(SMALL))
    register = RegisterProbe(world)
    small = register.measure()
    small_xlsx = xlsx_export(world)
    make_routes(world, range(SMALL, args.routes))
    large = register.measure()
    print(
        f"database: {os.environ['DATABASE_URL']}; data built and register measured in "
        f"{time.perf_counter() - start:.0f} s"
    )

    read = best(lambda: plain_read(world))
    write = best(lambda: plain_write(args.routes))
    xlsx = min((xlsx_export(world) for _ in range(REPEAT)), key=lambda r: r["seconds"])
    group = make_group(world, args.routes, args.group)
    inserts = best(lambda: plain_inserts(world, group))
    template = min(
        (template_routes(world, group) for _ in range(REPEAT)), key=lambda r: r["seconds"]
    )
    docx = word_export(world)

    rows = [
        (f"baseline: values_list of {args.routes} routes", read, None, ""),
        (f"baseline: openpyxl write of {args.routes} plain rows", write, None, ""),
        (f"baseline: bulk insert of {args.group} routes + items", inserts, None, ""),
    ]
    for label, measured in (("first page", "page"), ("filtered page", "filtered")):
        at_small = small[measured][1]
        for count, result in ((SMALL, small), (args.routes, large)):
            queries, seconds, matching = result[measured]
            notes = f"{queries} q, {matching} routes match"
            baselines = [at_small] if count != SMALL else None
            rows.append((f"register, {label}, {count} routes", seconds, baselines, notes))
    rows += [
        (
            f"XLSX export, {args.routes} routes",
            xlsx["seconds"],
            [read, write],
            f"{xlsx['queries']} q ({small_xlsx['queries']} q at {SMALL}), {xlsx['size']} KB",
        ),
        (
            f"routes_from_template, {args.group} people",
            template["seconds"],
            [read, inserts],
            f"{template['queries']} q, {template['routes']} routes, {template['items']} items",
        ),
        ("Word form of one route", docx["seconds"], None, f"{docx['queries']} q"),
    ]
    print(f"register measured {register.mode}")
    print(f"{'what':<48} {'time, s':>8}  {'ratio to baselines':<22} notes")
    for label, seconds, baselines, notes in rows:
        ratios = " / ".join(f"{seconds / b:5.1f}" for b in baselines) if baselines else ""
        print(f"{label:<48} {seconds:8.3f}  {ratios:<22} {notes}")
    print(
        f"ratios: register to the same page at {SMALL} routes; XLSX to (values_list, openpyxl "
        "write); template to (values_list, bulk insert)"
    )

    failures = []
    for measured in ("page", "filtered"):
        if small[measured][0] != large[measured][0]:
            failures.append(
                f"register {measured}: {small[measured][0]} queries at {SMALL} routes, "
                f"{large[measured][0]} at {args.routes}"
            )
    if small_xlsx["queries"] != xlsx["queries"]:
        failures.append(f"XLSX: {small_xlsx['queries']} vs {xlsx['queries']} queries")
    if xlsx["rows"] != args.routes:
        failures.append(f"XLSX: {xlsx['rows']} rows, expected {args.routes}")
    for label, seconds in (("XLSX export", xlsx["seconds"]), ("template", template["seconds"])):
        if seconds > LIMIT_SECONDS:
            failures.append(f"{label}: {seconds:.1f} s > {LIMIT_SECONDS:.0f} s")
    failures += register.problems + template["problems"]
    for failure in failures:
        print(f"FAILED: {failure}")
    sys.exit(1 if failures else 0)


# -- data --------------------------------------------------------------------------------------
def make_region(people: int) -> dict:
    """Municipalities, schools, people with employments (every tenth has a second, part-time
    one), a ЦНППМ user and regional methodists."""
    from nms.accounts.models import Role, User
    from nms.common.identifiers import inn_with_checksum, snils_with_checksum
    from nms.itembank.models import CompetencyArea
    from nms.registry.models import (
        Employment,
        Municipality,
        Organization,
        Person,
        Position,
        Region,
        Subject,
    )

    region = Region.objects.create(name="Синтетическая область", code="99")
    municipalities = [
        Municipality.objects.create(region=region, name=f"Округ № {n}", oktmo=f"{95700000 + n}")
        for n in range(10)
    ]
    schools = [
        Organization.objects.create(
            region=region,
            municipality=municipalities[n % len(municipalities)],
            full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»",
            short_name=f"МБОУ «Школа № {n}»",
            inn=inn_with_checksum(f"18{n:07d}"),
            kind="general",
        )  # fmt: skip
        for n in range(50)
    ]
    persons = []
    for n in range(people):
        person = Person(
            region=region, last_name=f"Фамилия{n}", first_name="Анна" if n % 2 else "Пётр",
            middle_name="Сергеевна" if n % 2 else "Иванович",
            birth_date=date(1960 + n % 40, 1 + n % 12, 1 + n % 28), sex="F" if n % 2 else "M",
            snils=snils_with_checksum(f"{500000000 + n:09d}"), education_level="higher",
        )  # fmt: skip
        person.search_text = person.compute_search_text()
        persons.append(person)
    Person.objects.bulk_create(persons)
    teacher = Position.objects.get(name="учитель")
    employments = []
    for n, person in enumerate(persons):
        places = [(schools[n % len(schools)], False)]
        if n % 10 == 0:
            places.append((schools[(n + 7) % len(schools)], True))
        for school, part_time in places:
            employment = Employment(
                person=person, organization=school, position=teacher, is_part_time=part_time,
                category="first", category_date=date(2022, 3, 15), experience_years=n % 40,
                experience_as_of=date(2024, 9, 1),
            )  # fmt: skip
            employment.experience_start = employment.compute_experience_start()
            employments.append(employment)
    Employment.objects.bulk_create(employments)
    subjects = list(Subject.objects.all()[:5])
    Employment.subjects.through.objects.bulk_create(
        Employment.subjects.through(employment=e, subject=subjects[i % len(subjects)])
        for i, e in enumerate(employments)
    )
    cnppm = User.objects.create_user("cnppm", role=Role.CNPPM, region=region)
    methodists = [
        User.objects.create_user(f"methodist{n}", role=Role.METHODIST, region=region)
        for n in range(20)
    ]
    return {
        "region": region,
        "municipalities": municipalities,
        "people": persons,
        "cnppm": cnppm,
        "methodists": methodists,
        "areas": list(CompetencyArea.objects.filter(for_managers=False)),
    }


def make_routes(world: dict, numbers: range) -> None:
    """Routes of the people with these numbers: every state, six items, some overdue."""
    from nms.routes.models import ActivityKind, ItemStatus, Level, Route, RouteItem, Status

    today = date.today()
    states = [
        Status.DRAFT, Status.COMPOSED, Status.AGREED_SCHOOL, Status.AGREED_METHODIST,
        Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.AUDIT,
        Status.COMPLETED, Status.CLOSED,
    ]  # fmt: skip
    routes = []
    for n in numbers:
        person = world["people"][n]
        starts_on = today - timedelta(days=n % 150)
        routes.append(
            Route(
                person=person,
                region=world["region"],
                status=states[n // 3 % len(states)],
                route_type="deficits" if n % 3 else "development",
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=240),
                tutor=world["cnppm"],
                methodist=world["methodists"][n % 20] if n % 7 else None,
                general_info={"full_name": person.full_name, "position": "учитель"},
                deficits=[
                    {
                        "area": "методическая",
                        "score": "4",
                        "max_score": "10",
                        "share": "40",
                        "is_deficit": True,
                    }
                ],
            )  # fmt: skip
        )
    Route.objects.bulk_create(routes)
    levels, kinds, areas = list(Level), list(ActivityKind), world["areas"]
    items = []
    for route in routes:
        under_way = route.status in (Status.IN_PROGRESS, Status.AUDIT)
        for k in range(ITEMS_PER_ROUTE):
            due_on = route.starts_on + timedelta(days=40 * (k + 1))
            if route.status == Status.COMPLETED or (
                under_way and due_on < today and route.pk % 3  # every third one is late
            ):
                status = ItemStatus.DONE
            else:
                status = ItemStatus.PLANNED
            items.append(
                RouteItem(
                    route=route,
                    position=k + 1,
                    level=levels[k % 4],
                    activity_kind=kinds[k],
                    title=f"Мероприятие {k + 1} маршрута {route.pk}",
                    area=areas[k % len(areas)],
                    competency="проектирование урока",
                    due_on=due_on,
                    result_form="отчёт",
                    starts_on=route.starts_on + timedelta(days=40 * k),
                    status=status,
                )  # fmt: skip
            )
    RouteItem.objects.bulk_create(items)


def make_group(world: dict, first: int, size: int) -> list:
    """People without routes, each with an entry diagnostics result (the template's group)."""
    from decimal import Decimal

    from nms.diagnostics.models import AreaScore, Procedure, Result

    procedure = Procedure.objects.create(
        region=world["region"], name="Входная диагностика", level="regional", kind="entry",
        starts_on=date.today() - timedelta(days=20), ends_on=date.today() - timedelta(days=10),
        is_external=True,
    )  # fmt: skip
    group = world["people"][first : first + size]
    results = Result.objects.bulk_create(
        Result(
            person=person,
            procedure=procedure,
            taken_on=procedure.ends_on,
            source="import",
            share=Decimal(55),
            has_deficit=True,
        )  # fmt: skip
        for person in group
    )
    AreaScore.objects.bulk_create(
        AreaScore(
            result=result,
            area=area,
            score=Decimal(4 + i),
            max_score=Decimal(10),
            share=Decimal(40 + 10 * i),
            is_deficit=40 + 10 * i <= 60,
        )  # fmt: skip
        for result in results
        for i, area in enumerate(world["areas"])
    )
    return group


# -- measurements ------------------------------------------------------------------------------
class RegisterProbe:
    """The register's first page and a filtered page: through the web page when it answers,
    otherwise the selectors and the paginator page the view evaluates."""

    def __init__(self, world: dict):
        from django.test import Client

        self.world = world
        self.problems = []
        self.client = Client()
        self.client.force_login(world["cnppm"])
        try:
            status = self.client.get(REGISTER_URL).status_code
            problem = "" if status == 200 else f"{REGISTER_URL} answers {status}"
        except Exception as error:  # the URL configuration may be mid-edit by others
            problem = f"{REGISTER_URL} fails: {type(error).__name__}: {error}"
        self.has_page = not problem
        self.mode = (
            f"through the page {REGISTER_URL} (test client, logged in as ЦНППМ)"
            if self.has_page
            else f"directly ({problem}): selectors.register + filter_register + a paginator page"
        )

    def measure(self) -> dict:
        """{page: (queries, seconds, routes matching)} for the first and a filtered page."""
        filters = {"municipality": self.world["municipalities"][0].pk, "overdue": "true"}
        measured = {}
        for name, query in (("page", {}), ("filtered", filters)):
            queries, seconds, shown = best_with_queries(lambda q=query: self._page(q))
            matching = self._rows(query).count()
            if shown != matching:
                self.problems.append(f"register {name}: page counts {shown}, selectors {matching}")
            measured[name] = (queries, seconds, matching)
        return measured

    def _rows(self, filters: dict):
        from nms.routes import selectors

        rows = selectors.register(self.world["cnppm"])
        if filters:
            overdue = filters["overdue"] == "true"
            rows = selectors.filter_register(
                rows, municipality=filters["municipality"], overdue=overdue
            )
        return rows

    def _page(self, filters: dict) -> int:
        """Render (or evaluate) the first page; return the number of routes it counts."""
        from django.core.paginator import Paginator

        from nms.common.pagination import PAGE_SIZE

        if self.has_page:
            response = self.client.get(REGISTER_URL, filters)
            assert response.status_code == 200, response.status_code
            return response.context["page"].paginator.count
        page = Paginator(self._rows(filters), PAGE_SIZE).page(1)
        list(page.object_list)
        return page.paginator.count


def xlsx_export(world: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    from nms.routes import selectors
    from nms.routes.exports import register_xlsx

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        data = register_xlsx(selectors.register(world["cnppm"]))
        seconds = time.perf_counter() - start
    sheet = load_workbook(BytesIO(data), read_only=True).worksheets[0]
    return {
        "seconds": seconds,
        "queries": len(captured),
        "rows": sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True)),
        "size": len(data) // 1024,
    }


def plain_read(world: dict) -> None:
    from nms.routes.models import Route

    list(
        Route.objects.filter(region=world["region"]).values_list(
            "person__last_name",
            "person__first_name",
            "person__middle_name",
            "person__snils",
            "route_type",
            "status",
            "starts_on",
            "ends_on",
            "methodist__username",
            "tutor_id",
        )  # fmt: skip
    )


def plain_write(rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ИОМ")
    for n in range(rows):
        sheet.append(
            [
                f"Фамилия{n} Анна Сергеевна", "000-000-000 00", "МБОУ «Школа № 1»", "Округ № 1",
                "восполнение профессиональных дефицитов", "реализуется", date(2025, 9, 1),
                date(2026, 5, 31), "methodist1", 6, 3, "нет", date(2026, 4, 30),
            ]
        )  # fmt: skip
    workbook.save(BytesIO())


def plain_inserts(world: dict, group: list) -> None:
    """The rows routes_from_template writes, inserted bare and rolled back."""
    from django.db import transaction

    from nms.routes.models import Route, RouteItem

    today = date.today()
    with transaction.atomic():
        routes = Route.objects.bulk_create(
            Route(
                person=person,
                region=world["region"],
                route_type="deficits",
                starts_on=today,
                ends_on=today + timedelta(days=240),
            )  # fmt: skip
            for person in group
        )
        RouteItem.objects.bulk_create(
            RouteItem(
                route=route,
                position=k,
                level="regional",
                activity_kind="event",
                title="Вебинар",
                starts_on=today,
                due_on=today,
                result_form="отчёт",
            )  # fmt: skip
            for route in routes
            for k in range(ITEMS_PER_ROUTE)
        )
        transaction.set_rollback(True)


def template_routes(world: dict, group: list) -> dict:
    """routes_from_template for the group, checked and rolled back (so it can be repeated)."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from nms.routes.models import Route, RouteItem, RouteVersion
    from nms.routes.services import routes_from_template, template_create

    areas = world["areas"]
    items = [
        {
            "level": level,
            "activity_kind": kind,
            "title": title,
            "area": areas[k % len(areas)],
            "competency": "проектирование урока",
            "start_offset_days": 30 * k,
            "duration_days": 30,
            "result_form": "отчёт",
        }  # fmt: skip
        for k, (level, kind, title) in enumerate(
            [
                ("personal", "self_study", "Изучение методических рекомендаций"),
                ("organization", "mentoring", "Работа с наставником"),
                ("organization", "event", "Открытый урок"),
                ("municipal", "event", "Семинар ММО"),
                ("regional", "program", "ДПП ПК «Функциональная грамотность»"),
                ("regional", "consultation", "Консультация регионального методиста"),
            ]
        )
    ]
    today = date.today()
    with transaction.atomic():
        template = template_create(world["cnppm"], "Методические дефициты", items, areas=areas)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            routes = routes_from_template(
                world["cnppm"], template, group, today, today + timedelta(days=240),
                methodist=world["methodists"][0],
            )  # fmt: skip
            seconds = time.perf_counter() - start
        made = Route.objects.filter(template=template)
        per_route = set(
            RouteItem.objects.filter(route__in=made)
            .values("route")
            .annotate(n=Count("id"))
            .values_list("n", flat=True)
        )
        result = {
            "seconds": seconds,
            "queries": len(captured),
            "routes": made.count(),
            "items": RouteItem.objects.filter(route__in=made).count(),
            "problems": [],
        }
        expected = len(group)
        if len(routes) != expected or result["routes"] != expected:
            result["problems"].append(f"template: {result['routes']} routes, expected {expected}")
        if made.values("person").distinct().count() != expected:
            result["problems"].append("template: routes do not belong to distinct people")
        if result["items"] != expected * len(items) or per_route != {len(items)}:
            result["problems"].append(
                f"template: {result['items']} items, expected {expected} × {len(items)} "
                f"(items per route: {sorted(per_route)})"
            )
        if RouteVersion.objects.filter(route__in=made, number=1).count() != expected:
            result["problems"].append("template: not every route has its first version")
        transaction.set_rollback(True)
    return result


def word_export(world: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nms.routes import selectors
    from nms.routes.exports import route_docx
    from nms.routes.models import Route

    pk = Route.objects.filter(status="in_progress").values_list("pk", flat=True).first()
    route = selectors.route_get(world["cnppm"], pk)
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        route_docx(route)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "queries": len(captured)}


def best(call) -> float:
    return min(timed(call) for _ in range(REPEAT))


def best_with_queries(call) -> tuple[int, float, object]:
    """(queries of one run, best time of REPEAT runs, what the call returned)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), min(timed(call) for _ in range(REPEAT)), result


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
