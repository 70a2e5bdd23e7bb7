"""ИОМ of the demo region: routes in every state of the workflow, built from its diagnostics.

Routes are created the real way (services.routes_from_template, as the institute's methodist
does for a group); then each is walked to its state, recording the events and versions the
right actors would have left. Deterministic from the seed.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.scope import scope_of
from nms.diagnostics.models import Procedure, Result, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.registry.models import Region
from nms.routes import services
from nms.routes.models import ItemStatus, Route, RouteEvent, RouteItem, RouteVersion, Status

# Share of routes per state, in workflow order.
STATE_SHARES = [
    (Status.DRAFT, 0.10),
    (Status.COMPOSED, 0.10),
    (Status.AGREED_SCHOOL, 0.08),
    (Status.AGREED_METHODIST, 0.07),
    (Status.IN_PROGRESS, 0.35),
    (Status.AUDIT, 0.10),
    (Status.COMPLETED, 0.15),
    (Status.CLOSED, 0.05),
]
WALK = [
    (Status.COMPOSED, "cnppm", "Маршрут составлен совместно с педагогом"),
    (Status.AGREED_SCHOOL, "school", "Согласовано администрацией ОО"),
    (Status.AGREED_METHODIST, "methodist", "Согласовано"),
    (Status.IN_PROGRESS, "methodist", "Реализация начата"),
    (Status.AUDIT, "cnppm", "Проведён методический аудит"),
    (Status.COMPLETED, "cnppm", "Маршрут выполнен, дефициты восполнены"),
]
TEMPLATE_ITEMS = [
    ("personal", "self_study", "Изучение методических рекомендаций по обновлённым ФГОС",
     "methodical", "конспект, план применения", 0, 60),
    ("organization", "mentoring", "Взаимопосещение уроков с наставником",
     "methodical", "анализ посещённых уроков", 30, 90),
    ("municipal", "event", "Муниципальный методический семинар «Функциональная грамотность»",
     "methodical", "технологическая карта урока", 60, 30),
    ("regional", "program", "ДПП ПК «Реализация требований обновлённых ФГОС»",
     "methodical", "удостоверение о повышении квалификации", 90, 60),
    ("regional", "event", "Вебинар «Цифровые образовательные ресурсы на уроке»",
     "ict", "разработанный цифровой урок", 120, 30),
]  # fmt: skip


def generate_routes(region: Region, *, seed: int = 1, today: date | None = None, limit=150):
    """Routes for people of the demo methodist's caseload (the demo teacher's in progress)."""
    today = today or date.today()
    rng = random.Random(f"routes:{seed}")
    actors = {u.username: u for u in User.objects.filter(username__in=("cnppm", "methodist"))}
    if len(actors) < 2 or not scope_of(actors["cnppm"]).regions().filter(pk=region.pk).exists():
        return 0  # the demo accounts belong to another region
    teacher = User.objects.filter(username="teacher").first()
    people = list(actors["methodist"].assigned_people.order_by("pk"))
    if teacher and teacher.person in people:
        people.remove(teacher.person)
    # The methodist and the school administrator teach too: their own routes are drafts that
    # they fill in as teachers (and may not agree themselves).
    own = [
        u.person
        for u in User.objects.filter(username__in=("methodist", "school")).select_related("person")
        if u.person is not None
    ]
    people = [p for p in people if p not in own]
    rng.shuffle(people)
    # Routes mostly follow deficits found by the diagnostics (seed 002: ≤ 60 % → closing them).
    with_deficits = set(
        Result.objects.filter(person__in=people, has_deficit=True).values_list(
            "person_id", flat=True
        )
    )
    people.sort(key=lambda p: p.pk not in with_deficits)
    people = people[: limit - 1]
    rng.shuffle(people)
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    with transaction.atomic():
        template = services.template_create(
            actors["cnppm"],
            "Восполнение методических дефицитов (демо)",
            [
                {"level": lvl, "activity_kind": kind, "title": title, "area": areas[area],
                 "competency": areas[area].name, "result_form": form,
                 "start_offset_days": offset, "duration_days": days}
                for lvl, kind, title, area, form, offset, days in TEMPLATE_ITEMS
            ],
            areas=[areas["methodical"], areas["ict"]],
        )  # fmt: skip
        plan = _plan(people, rng)
        if teacher and teacher.person:
            plan[Status.IN_PROGRESS].append(teacher.person)
        plan[Status.DRAFT].extend(own)
        created = 0
        for status, group in plan.items():
            if not group:
                continue
            starts_on, ends_on = _period(status, today)
            routes = services.routes_from_template(
                actors["cnppm"], template, group, starts_on, ends_on, methodist=actors["methodist"]
            )
            _advance(routes, status, actors, today, rng, region)
            created += len(routes)
    return created


def _plan(people, rng) -> dict:
    plan = {status: [] for status, _ in STATE_SHARES}
    bounds, total = [], 0.0
    for status, share in STATE_SHARES:
        total += share
        bounds.append((total, status))
    for index, person in enumerate(people):
        position = (index + rng.random()) / max(len(people), 1)
        plan[next(s for b, s in bounds if position < b + 1e-9)].append(person)
    return plan


def _period(status: str, today: date) -> tuple[date, date]:
    if status in (Status.DRAFT, Status.COMPOSED, Status.AGREED_SCHOOL, Status.AGREED_METHODIST):
        return today, today + timedelta(days=270)
    if status == Status.AUDIT:
        return today - timedelta(days=250), today + timedelta(days=20)
    if status in (Status.COMPLETED, Status.CLOSED):
        return today - timedelta(days=330), today - timedelta(days=10)
    return today - timedelta(days=120), today + timedelta(days=150)


def _school_admin(organization) -> User:
    """The account of the school administration that agrees its teachers' routes."""
    assignment = (
        RoleAssignment.objects.filter(role=Role.SCHOOL, organization=organization)
        .select_related("user")
        .first()
    )
    if assignment is not None:
        return assignment.user
    user = User(username=f"oo-{organization.inn}")
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.SCHOOL, organization=organization)
    return user


def _advance(routes, status, actors, today, rng, region) -> None:
    if status == Status.DRAFT:
        return
    steps = (
        WALK[: [s for s, _, _ in WALK].index(status) + 1] if status != Status.CLOSED else WALK[:4]
    )
    routes = list(
        Route.objects.filter(pk__in=[r.pk for r in routes])
        .select_related("person")
        .prefetch_related("person__employments__organization")
    )
    items = {}
    for item in RouteItem.objects.filter(route__in=routes).order_by("position"):
        items.setdefault(item.route_id, []).append(item)
    events, versions, changed_items = [], [], []
    areas = CompetencyArea.objects.in_bulk()
    for route in routes:
        previous = Status.DRAFT
        for target, who, comment in steps:
            actor = (
                _school_admin(route.person.main_employment().organization)
                if who == "school"
                else actors[who]
            )
            events.append(
                RouteEvent(route=route, from_status=previous, to_status=target, actor=actor,
                           comment=comment)
            )  # fmt: skip
            previous = target
        if status == Status.CLOSED:
            events.append(
                RouteEvent(route=route, from_status=previous, to_status=Status.CLOSED,
                           actor=actors["methodist"], comment="Педагог сменил место работы")
            )  # fmt: skip
            route.closed_reason = "Педагог сменил место работы"
        for item in items.get(route.pk, []):
            if status in (Status.AUDIT, Status.COMPLETED) or (
                status == Status.IN_PROGRESS and item.due_on < today and rng.random() < 0.7
            ):
                item.status = ItemStatus.DONE
                changed_items.append(item)
        if status in (Status.AUDIT, Status.COMPLETED):
            route.evaluation = "Мероприятия маршрута выполнены, методические приёмы освоены."
        if status == Status.COMPLETED:
            route.self_evaluation = "Освоила новые приёмы проектирования урока, применяю их."
            route.exit_result = _exit_result(route, region, rng, today, areas)
        route.status = status
        route.version = len(steps) + 1 + (status == Status.CLOSED)
        versions.append(
            RouteVersion(route=route, number=route.version,
                         snapshot=services.snapshot(route, items.get(route.pk, [])),
                         author=actors["cnppm"], reason=f"демо: {route.get_status_display()}")
        )  # fmt: skip
    RouteEvent.objects.bulk_create(events, batch_size=500)
    RouteVersion.objects.bulk_create(versions, batch_size=500)
    RouteItem.objects.bulk_update(changed_items, ["status"], batch_size=500)
    Route.objects.bulk_update(
        routes,
        ["status", "version", "evaluation", "self_evaluation", "exit_result", "closed_reason"],
        batch_size=500,
    )


def _exit_result(route, region, rng, today, areas):
    """Exit diagnostics of a completed route: the entry deficits mostly closed."""
    procedure, _ = Procedure.objects.get_or_create(
        region=region,
        name="Выходная диагностика по итогам ИОМ (демо)",
        defaults={"level": "regional", "kind": "exit", "starts_on": today - timedelta(days=40),
                  "ends_on": today - timedelta(days=15), "is_external": True},
    )  # fmt: skip
    scores = {}
    for row in route.deficits:
        share = Decimal(row["share"])
        gain = Decimal(rng.randint(15, 40)) if row["is_deficit"] else Decimal(rng.randint(0, 10))
        scores[areas[row["area_id"]]] = (
            min(share + gain, Decimal(100)),
            Decimal(100),
        )
    if not scores:
        methodical = next(a for a in areas.values() if a.code == "methodical")
        scores = {methodical: (Decimal(75), Decimal(100))}
    return result_record(
        route.person_id, procedure, today - timedelta(days=20), scores, ResultSource.IMPORT
    )
