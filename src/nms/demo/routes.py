"""ИОМ of the demo region: routes in every state of the workflow, built from its diagnostics.

About a tenth of the region's people get a route (the demo methodist's caseload first, then the
people whose diagnostics found deficits), so activity is in proportion at any size. Routes are
created the real way (services.routes_from_template, as the institute's methodist does for a
group); then each is walked to its state, recording the events, versions, item reports and exit
results the right actors would have left — in bulk, a few queries per state whatever the number
of routes. Routed people get teacher accounts and the routes are shared among regional methodists
(institute staff) with caseloads of about CASELOAD; generated accounts have unusable passwords.
Deterministic from the seed.
"""

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.provisioning import login_base, unique_login
from nms.accounts.scope import scope_of
from nms.demo.bulk import insert, insert_rows
from nms.demo.diagnostics import write_results
from nms.diagnostics.models import Procedure, Result, ResultSource
from nms.diagnostics.services import score_result
from nms.itembank.models import CompetencyArea
from nms.registry.models import OrganizationKind, Person, Region
from nms.routes import services
from nms.routes.models import (
    ItemReport,
    ItemStatus,
    ReportDecision,
    Route,
    RouteEvent,
    RouteItem,
    RouteVersion,
    Status,
)

ROUTE_SHARE = 0.10  # of the region's people
CASELOAD = 200  # routes per generated regional methodist
RETURNED_SHARE = 0.3  # of the drafts: composed, then returned for rework
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
RETURN_COMMENT = "Уточните сроки и формы представления результатов"
CLOSE_REASON = "Педагог сменил место работы"
# Items of a route under way, by whether their date is past: (status, report decision, weight).
PAST_DUE = (
    (ItemStatus.DONE, ReportDecision.ACCEPTED, 55),
    (ItemStatus.REPORTED, ReportDecision.PENDING, 15),
    (ItemStatus.RETURNED, ReportDecision.RETURNED, 10),
    (ItemStatus.PLANNED, None, 20),  # overdue
)
STARTED = (
    (ItemStatus.DONE, ReportDecision.ACCEPTED, 15),
    (ItemStatus.REPORTED, ReportDecision.PENDING, 20),
    (ItemStatus.RETURNED, ReportDecision.RETURNED, 5),
    (ItemStatus.PLANNED, None, 60),
)
REPORT_TEXT = "Мероприятие выполнено, результат приложен по ссылке."
RETURNED_COMMENT = "Приложите технологическую карту урока."
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


def generate_routes(region: Region, *, seed: int = 1, today: date | None = None, limit=None):
    """Routes for about ROUTE_SHARE of the people (at most `limit`), the demo teacher's in
    progress; returns how many were created."""
    today = today or date.today()
    rng = random.Random(f"routes:{seed}")
    actors = {u.username: u for u in User.objects.filter(username__in=("cnppm", "methodist"))}
    if len(actors) < 2 or not scope_of(actors["cnppm"]).regions().filter(pk=region.pk).exists():
        return 0  # the demo accounts belong to another region
    teacher = User.objects.filter(username="teacher").select_related("person").first()
    # The methodist and the school administrator teach too: their own routes are drafts that
    # they fill in as teachers (and may not agree themselves).
    own = [
        u.person
        for u in User.objects.filter(username__in=("methodist", "school")).select_related("person")
        if u.person is not None
    ]
    excluded = {p.pk for p in own} | ({teacher.person_id} if teacher else set())
    wanted = round(Person.objects.filter(region=region).count() * ROUTE_SHARE)
    if limit is not None:
        wanted = min(wanted, limit)
    chosen = _choose(region, actors["methodist"], excluded, max(wanted - 1, 0), rng)
    people = Person.objects.in_bulk(chosen)
    chosen = [people[pk] for pk in chosen]
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    with transaction.atomic():
        context = _Context(region, actors, today, rng, areas)
        context.methodists = _methodists(region, actors["methodist"], chosen, rng)
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
        plan = _plan(chosen, rng)
        if teacher and teacher.person:
            plan[Status.IN_PROGRESS].append(teacher.person)
            context.demo_teacher = teacher.person_id
        plan[Status.DRAFT].extend(own)
        context.teacher_users = _teacher_accounts(region, [p for g in plan.values() for p in g])
        created = _create(plan, template, context)
    return created


def _choose(region, methodist: User, excluded: set[int], wanted: int, rng) -> list[int]:
    """Whom to give a route: the demo methodist's caseload first, people with deficits next,
    then other people with diagnostics results."""
    caseload = set(methodist.assigned_people.values_list("pk", flat=True))
    deficit = {}
    rows = Result.objects.filter(person__region=region).values_list("person_id", "has_deficit")
    for person_id, has_deficit in rows.order_by("person_id"):
        deficit[person_id] = deficit.get(person_id, False) or has_deficit
    candidates = sorted((set(deficit) | caseload) - excluded)
    order = {pk: rng.random() for pk in candidates}
    candidates.sort(key=lambda pk: (pk not in caseload, not deficit.get(pk, False), order[pk]))
    chosen = candidates[:wanted]
    rng.shuffle(chosen)
    return chosen


class _Context:
    """What the walk needs, loaded once: actors, accounts, school administrators."""

    def __init__(self, region, actors, today, rng, areas):
        self.region, self.actors, self.today, self.rng, self.areas = (
            region,
            actors,
            today,
            rng,
            areas,
        )
        self.methodists: dict[int, User] = {}  # by person id; the demo methodist by default
        self.teacher_users: dict[int, int] = {}  # user id by person id
        self.demo_teacher: int | None = None
        self.school_admins: dict[int, User] | None = None
        self.exit_results: list[tuple[Route, Result, dict]] = []
        self.exit_procedure: Procedure | None = None

    def methodist_of(self, route: Route) -> User:
        return self.methodists.get(route.person_id, self.actors["methodist"])

    def exit_result(self, route: Route) -> None:
        """Exit diagnostics of a completed route: the entry deficits mostly closed."""
        rng, today = self.rng, self.today
        if self.exit_procedure is None:
            self.exit_procedure, _ = Procedure.objects.get_or_create(
                region=self.region,
                name="Выходная диагностика по итогам ИОМ (демо)",
                defaults={"level": "regional", "kind": "exit",
                          "starts_on": today - timedelta(days=40),
                          "ends_on": today - timedelta(days=15), "is_external": True},
            )  # fmt: skip
        by_id = {a.pk: a for a in self.areas.values()}
        scores = {}
        for row in route.deficits:
            share = Decimal(row["share"])
            gain = rng.randint(15, 40) if row["is_deficit"] else rng.randint(0, 10)
            scores[by_id[row["area_id"]]] = (min(share + gain, Decimal(100)), Decimal(100))
        if not scores:
            scores = {self.areas["methodical"]: (Decimal(75), Decimal(100))}
        scored = score_result(self.exit_procedure.threshold, scores)
        result = Result(
            person_id=route.person_id,
            procedure=self.exit_procedure,
            taken_on=today - timedelta(days=20),
            source=ResultSource.IMPORT,
            share=scored.share,
            has_deficit=scored.has_deficit,
        )
        self.exit_results.append((route, result, scored.areas))

    def write_exit_results(self) -> None:
        write_results([(result, areas) for _, result, areas in self.exit_results])
        for route, result, _ in self.exit_results:
            route.exit_result = result


def _methodists(region, demo: User, people: list[Person], rng) -> dict[int, User]:
    """Regional methodists for the routed people outside the demo methodist's caseload: accounts
    of the institute's methodists, each accompanying about CASELOAD people."""
    caseload = set(demo.assigned_people.values_list("pk", flat=True))
    others = [p for p in people if p.pk not in caseload]
    if not others:
        return {}
    staff = list(
        Person.objects.filter(
            region=region,
            user__isnull=True,
            employments__organization__kind=OrganizationKind.INSTITUTE,
            employments__position__name__in=("методист", "старший методист"),
            employments__is_part_time=False,
        )
        .distinct()
        .order_by("pk")[: math.ceil(len(others) / CASELOAD)]
    )
    if not staff:
        return {}
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    users = [
        User(
            username=unique_login(login_base(p.last_name, p.first_name, p.middle_name), taken),
            first_name=p.first_name,
            last_name=p.last_name,
            person=p,
            password=make_password(None),
        )
        for p in staff
    ]
    insert(User, users)
    insert(
        RoleAssignment, [RoleAssignment(user=u, role=Role.METHODIST, region=region) for u in users]
    )
    by_person = {}
    through = User.assigned_people.through
    links = []
    for index, person in enumerate(others):
        user = users[index % len(users)]
        by_person[person.pk] = user
        links.append({"user_id": user.pk, "person_id": person.pk})
    insert_rows(through, links)
    return by_person


def _teacher_accounts(region, people: list[Person]) -> dict[int, int]:
    """Teacher accounts (unusable passwords) of the routed people who have none: the teacher
    reports on the route's items. Returns user ids by person id."""
    ids = [p.pk for p in people]
    existing = dict(
        User.objects.filter(person_id__in=ids).values_list("person_id", "pk").order_by()
    )
    missing = [p for p in people if p.pk not in existing]
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    users = [
        User(
            username=unique_login(login_base(p.last_name, p.first_name, p.middle_name), taken),
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            person=p,
            password=make_password(None),
        )
        for p in missing
    ]
    insert(User, users)
    insert(
        RoleAssignment,
        [RoleAssignment(user=u, role=Role.TEACHER, person_id=u.person_id) for u in users],
    )
    existing.update({u.person_id: u.pk for u in users})
    return existing


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
    if status == Status.COMPLETED:
        # Ended before the last school year closed: the students' results of the years before and
        # after the route compare (nms.outcomes.dynamics, indicator G4).
        return today - timedelta(days=540), today - timedelta(days=170)
    if status == Status.CLOSED:
        return today - timedelta(days=330), today - timedelta(days=10)
    return today - timedelta(days=120), today + timedelta(days=150)


def _steps(status: str, returned: bool) -> list[tuple[str, str, str, str]]:
    """(from, to, actor, comment) of the walk from a draft to `status`."""
    if status == Status.DRAFT:
        if not returned:
            return []
        return [
            (Status.DRAFT, Status.COMPOSED, "cnppm", WALK[0][2]),
            (Status.COMPOSED, Status.DRAFT, "methodist", RETURN_COMMENT),
        ]
    targets = [s for s, _, _ in WALK]
    walk = WALK[: targets.index(status) + 1] if status != Status.CLOSED else WALK[:4]
    steps, previous = [], Status.DRAFT
    for target, who, comment in walk:
        steps.append((previous, target, who, comment))
        previous = target
    if status == Status.CLOSED:
        steps.append((previous, Status.CLOSED, "methodist", CLOSE_REASON))
    return steps


def _create(plan: dict, template, context: _Context) -> int:
    """Every planned route in its state with its map, events, versions and reports: built in
    memory with the services' own snapshots (sections 1 and 2, versions) and written in bulk."""
    rng, today, cnppm = context.rng, context.today, context.actors["cnppm"]
    people = [p for group in plan.values() for p in group]
    ids = [p.pk for p in people]
    loaded = Person.objects.filter(pk__in=ids).prefetch_related(
        "employments__organization__municipality", "employments__position",
        "employments__subjects",
    )  # fmt: skip
    loaded = {p.pk: p for p in loaded}
    results = services._latest_results(ids)
    template_items = list(template.items.order_by("position", "id"))
    own = {u.person_id for u in context.actors.values()}
    built = []  # (route, items, steps, reports)
    for status, group in plan.items():
        starts_on, ends_on = _period(status, today)
        for person in group:
            person = loaded[person.pk]
            route = services._build(
                person, starts_on, ends_on, tutor=cnppm, result=results.get(person.pk)
            )
            route.template = template
            route.methodist = context.methodist_of(route)
            route.status = status
            items = [
                RouteItem(
                    route=route, position=t.position, level=t.level,
                    activity_kind=t.activity_kind, title=t.title, source=t.source,
                    area_id=t.area_id, competency=t.competency,
                    starts_on=starts_on + timedelta(days=t.start_offset_days),
                    due_on=min(
                        starts_on + timedelta(days=t.start_offset_days + t.duration_days),
                        ends_on,
                    ),
                    result_form=t.result_form,
                )
                for t in template_items
            ]  # fmt: skip
            returned = status == Status.DRAFT and person.pk not in own
            steps = _steps(status, returned and rng.random() < RETURNED_SHARE)
            decisions = list(_item_states(route, items, status, rng, today, context))
            if status == Status.CLOSED:
                route.closed_reason = CLOSE_REASON
            if status in (Status.AUDIT, Status.COMPLETED):
                route.evaluation = "Мероприятия маршрута выполнены, методические приёмы освоены."
            if status == Status.COMPLETED:
                route.self_evaluation = "Освоила новые приёмы проектирования урока, применяю их."
                context.exit_result(route)
            route.version = len(steps) + 1 if steps else 1
            built.append((route, items, steps, decisions))
    context.write_exit_results()
    _school_admins(context, [(r, steps) for r, _, steps, _ in built])
    insert(Route, [r for r, _, _, _ in built])
    insert(RouteItem, [i for _, items, _, _ in built for i in items])
    events, versions, reports = [], [], []
    for route, items, steps, decisions in built:
        events.append(
            {"route_id": route.pk, "from_status": "", "to_status": Status.DRAFT,
             "actor_id": cnppm.pk, "comment": f"по шаблону «{template}»"}
        )  # fmt: skip
        for previous, target, who, comment in steps:
            if who == "school":
                actor = context.school_admins[route.person.main_employment().organization_id]
            elif who == "methodist":
                actor = route.methodist
            else:
                actor = context.actors[who]
            events.append(
                {"route_id": route.pk, "from_status": previous, "to_status": target,
                 "actor_id": actor.pk, "comment": comment}
            )  # fmt: skip
        final = services.snapshot(route, items)
        first = {
            **final, "status": Status.DRAFT, "evaluation": "", "self_evaluation": "",
            "closed_reason": "", "items": [{**i, "status": ItemStatus.PLANNED}
                                           for i in final["items"]],
        }  # fmt: skip
        versions.append(
            RouteVersion(route=route, number=1, snapshot=first, author=cnppm,
                         reason=f"создан по шаблону «{template}»")
        )  # fmt: skip
        if route.version > 1:
            versions.append(
                RouteVersion(route=route, number=route.version, snapshot=final, author=cnppm,
                             reason=f"демо: {route.get_status_display()}")
            )  # fmt: skip
        author = context.teacher_users.get(route.person_id)
        for item, decision in decisions:
            if decision is None or author is None:
                continue
            decided = decision != ReportDecision.PENDING
            reports.append(
                {"item_id": item.pk, "author_id": author, "text": REPORT_TEXT, "file": "",
                 "link": "https://example.ru/portfolio", "decision": decision,
                 "decided_by_id": route.methodist.pk if decided else None,
                 "decided_at": _moment(min(item.due_on, today)) if decided else None,
                 "comment": RETURNED_COMMENT if decision == ReportDecision.RETURNED else ""}
            )  # fmt: skip
    insert_rows(RouteEvent, events)
    insert(RouteVersion, versions)
    insert_rows(ItemReport, reports)
    return len(built)


def _school_admins(context: _Context, routes) -> None:
    """Accounts of the school administrations that agreed routes (one per organization)."""
    admins = {}
    assignments = RoleAssignment.objects.filter(
        role=Role.SCHOOL, organization__region=context.region
    ).select_related("user")
    for assignment in assignments.order_by("pk"):
        admins.setdefault(assignment.organization_id, assignment.user)
    needed = {}
    for route, steps in routes:
        if any(who == "school" for *_, who, _ in steps):
            organization = route.person.main_employment().organization
            if organization.pk not in admins:
                needed[organization.pk] = organization
    users = [
        User(username=f"oo-{org.inn}", password=make_password(None)) for org in needed.values()
    ]
    insert(User, users)
    insert(
        RoleAssignment,
        [
            RoleAssignment(user=user, role=Role.SCHOOL, organization=org)
            for user, org in zip(users, needed.values(), strict=True)
        ],
    )
    admins.update({org_id: user for org_id, user in zip(needed, users, strict=True)})
    context.school_admins = admins


def _item_states(route, route_items, status, rng, today, context):
    """(item, report decision or None) for every item whose status is set here."""
    if status in (Status.AUDIT, Status.COMPLETED):
        for item in route_items:
            item.status = ItemStatus.DONE
            yield item, ReportDecision.ACCEPTED
        return
    if status not in (Status.IN_PROGRESS, Status.CLOSED):
        return
    if route.person_id == context.demo_teacher:
        # The demo teacher's route shows each kind: done, overdue, awaiting a decision.
        past = [i for i in route_items if i.due_on < today]
        rest = [i for i in route_items if i.due_on >= today and i.starts_on <= today]
        for item, (state, decision) in zip(
            past + rest,
            [
                (ItemStatus.DONE, ReportDecision.ACCEPTED),
                (ItemStatus.PLANNED, None),
                (ItemStatus.REPORTED, ReportDecision.PENDING),
            ],
            strict=False,
        ):
            item.status = state
            yield item, decision
        return
    for item in route_items:
        if item.starts_on > today:
            continue
        table = PAST_DUE if item.due_on < today else STARTED
        state, decision, _ = rng.choices(table, [w for *_, w in table])[0]
        if status == Status.CLOSED and state != ItemStatus.DONE:
            continue  # closed early: what was not done stays planned
        if state == ItemStatus.PLANNED:
            continue
        item.status = state
        yield item, decision


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))
