"""The app's share of the demo region, in bulk and in proportion at any size: the РМА (about one
member per 100 workers — Khakassia's 116 for 11 515, four in five regional methodists), the
municipal actives, every worker assigned to a methodist (the real set-based assignment), requests
for help (answered, waiting, overdue), support acts and the expert register. Deterministic from
the seed; no per-row queries.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.provisioning import login_base, unique_login
from nms.registry.models import Category, Employment, Person
from nms.support import caseloads
from nms.support.models import (
    ActFormat,
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    ActKind,
    Basis,
    ExpertKind,
    ExpertLevel,
    ExpertRank,
    ExpertRole,
    HelpRequest,
    RequesterKind,
    RequestStatus,
    SupportAct,
    Urgency,
)

RMA_PER_WORKERS = 116 / 11515  # Khakassia
METHODIST_SHARE = 95 / 116
MUNICIPAL_PER_WORKERS = 1 / 200
REQUESTS_PER_WORKERS = 1 / 50
ACTS_PER_WORKERS = 1 / 20
EXPERT_SHARE = 0.04
TOPICS = (
    "Рабочая программа по обновлённым ФГОС", "Функциональная грамотность на уроке",
    "Подготовка к ОГЭ", "Оценивание проектных работ", "Работа с детьми с ОВЗ",
    "Цифровые образовательные ресурсы", "Воспитательная работа классного руководителя",
    "Технологическая карта урока", "Профилактика выгорания", "Наставничество молодых педагогов",
)  # fmt: skip
ANSWER = "Рекомендации направлены; материалы — в методическом кабинете ЦНППМ."


def _accounts(people, roles_by_person, region, municipality_of):
    """Accounts (unusable passwords) for those who have none, and the role assignments the
    memberships give; returns {person_id: assignment}."""
    existing = dict(
        User.objects.filter(person_id__in=[p.pk for p in people]).values_list("person_id", "pk")
    )
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    password = make_password(None)
    new = [
        User(
            username=unique_login(login_base(p.last_name, p.first_name, p.middle_name), taken),
            first_name=p.first_name[:150],
            last_name=p.last_name[:150],
            email=p.email,
            person=p,
            password=password,
        )  # fmt: skip
        for p in people
        if p.pk not in existing
    ]
    User.objects.bulk_create(new, batch_size=2000)
    if any(u.pk is None for u in new):
        ids = dict(
            User.objects.filter(username__in=[u.username for u in new]).values_list(
                "username", "pk"
            )
        )
        for u in new:
            u.pk = ids[u.username]
    existing.update({u.person_id: u.pk for u in new})
    held = {
        (a.user_id, a.role): a for a in RoleAssignment.objects.filter(user_id__in=existing.values())
    }
    assignments, fresh = {}, []
    for person in people:
        role, starts_on = roles_by_person[person.pk]
        user_id = existing[person.pk]
        if (user_id, role) in held:
            assignments[person.pk] = held[(user_id, role)]
            continue
        binding = (
            {"municipality_id": municipality_of[person.pk]}
            if role == Role.MUNICIPAL
            else {"region_id": region.pk}
        )
        assignment = RoleAssignment(user_id=user_id, role=role, valid_from=starts_on, **binding)
        fresh.append(assignment)
        assignments[person.pk] = assignment
    RoleAssignment.objects.bulk_create(fresh, batch_size=2000)
    if any(a.pk is None for a in fresh):  # a backend without RETURNING
        found = {
            (a.user_id, a.role): a.pk
            for a in RoleAssignment.objects.filter(user_id__in=[a.user_id for a in fresh])
        }
        for a in fresh:
            a.pk = found[(a.user_id, a.role)]
    return assignments


def generate(region, *, seed: int, today) -> str:
    rng = random.Random(seed + 120)
    start_of_year = date(today.year, 1, 1)
    rows = list(
        Employment.objects.filter(organization__region=region, position__is_pedagogical=True)
        .order_by("person_id", "is_part_time", "pk")
        .values_list(
            "pk", "person_id", "organization_id", "organization__municipality_id",
            "organization__kind", "category", "organization__is_low_results",
        )
    )  # fmt: skip
    if not rows:
        return ""
    main, municipality_of, organization_of = {}, {}, {}
    highest, institute = [], []
    for pk, person_id, org_id, muni_id, kind, category, _low in rows:
        if person_id in main:
            continue
        main[person_id] = pk
        municipality_of[person_id] = muni_id
        organization_of[person_id] = org_id
        if kind == "institute":
            institute.append(person_id)
        elif category == Category.HIGHEST:
            highest.append(person_id)
    low_results = sorted({r[2] for r in rows if r[6]})
    organizations = sorted({r[2] for r in rows})
    subjects = defaultdict(list)
    through = Employment.subjects.through
    for person_id, subject_id in (
        through.objects.filter(employment__organization__region=region)
        .order_by("employment__person_id", "subject_id")
        .values_list("employment__person_id", "subject_id")
    ):
        subjects[person_id].append(subject_id)
    all_subjects = sorted({s for values in subjects.values() for s in values})
    workers = sorted(main)

    # -- the РМА: the institute's methodists with accounts first, then the institute, then
    # teachers of the highest category --------------------------------------------------------
    size = max(1, round(len(workers) * RMA_PER_WORKERS))
    current = set(
        RoleAssignment.objects.filter(role=Role.METHODIST, user__person__region=region).values_list(
            "user__person_id", flat=True
        )
    )
    pool = sorted(p for p in current if p in main)
    pool += rng.sample(
        [p for p in institute if p not in current], len([p for p in institute if p not in current])
    )
    pool += rng.sample(highest, len(highest))
    chosen = list(dict.fromkeys(pool))[:size]
    if len(chosen) < size:
        rest = [p for p in workers if p not in set(chosen)]
        chosen += rng.sample(rest, min(size - len(chosen), len(rest)))
    methodists = max(1, round(len(chosen) * METHODIST_SHARE))
    roles = [ActiveRole.METHODIST] * methodists + [ActiveRole.HEAD] + [ActiveRole.CURATOR] * 2
    roles += [ActiveRole.TUTOR] * max(0, len(chosen) - len(roles))
    memberships, subject_links = [], []
    for index, (person_id, role) in enumerate(zip(chosen, roles, strict=False)):
        starts_on = start_of_year - timedelta(days=365 * rng.randint(0, 2))
        memberships.append(
            ActiveMembership(
                region_id=region.pk, person_id=person_id, role=role,
                level=ActiveLevel.REGIONAL, municipality_id=municipality_of[person_id],
                starts_on=starts_on, basis=rng.choice([Basis.STAFF, Basis.PART_TIME,
                                                       Basis.CONTRACT]),
                order_number=f"{index // 40 + 1}-РМА", order_date=starts_on,
                status="approved",
            )
        )  # fmt: skip
    # -- municipal actives ------------------------------------------------------------------------
    by_municipality = defaultdict(list)
    taken = set(chosen)
    for person_id in workers:
        if person_id not in taken:
            by_municipality[municipality_of[person_id]].append(person_id)
    for muni_id in sorted(by_municipality):
        people = by_municipality[muni_id]
        count = max(2, round(len(people) * MUNICIPAL_PER_WORKERS))
        for number, person_id in enumerate(rng.sample(people, min(count, len(people)))):
            memberships.append(
                ActiveMembership(
                    region_id=region.pk, person_id=person_id,
                    role=ActiveRole.COORDINATOR if number == 0 else ActiveRole.METHODIST,
                    level=ActiveLevel.MUNICIPAL, municipality_id=muni_id,
                    starts_on=start_of_year, basis=Basis.PART_TIME, status="approved",
                    order_number=f"М-{muni_id}", order_date=start_of_year,
                )
            )  # fmt: skip
    people = {p.pk: p for p in Person.objects.filter(pk__in=[m.person_id for m in memberships])}
    roles_by_person = {}
    for m in memberships:
        role = (
            Role.MUNICIPAL
            if m.level == ActiveLevel.MUNICIPAL
            else Role.METHODIST
            if m.role == ActiveRole.METHODIST
            else Role.CNPPM
        )
        roles_by_person[m.person_id] = (role, m.starts_on)
    assignments = _accounts(
        [people[m.person_id] for m in memberships], roles_by_person, region, municipality_of
    )
    for m in memberships:
        m.role_assignment_id = assignments[m.person_id].pk
    ActiveMembership.objects.bulk_create(memberships, batch_size=2000)
    subject_through = ActiveMembership.subjects.through
    for m in memberships:
        own = subjects.get(m.person_id) or ([rng.choice(all_subjects)] if all_subjects else [])
        for subject_id in list(dict.fromkeys(own))[:2]:
            subject_links.append(subject_through(activemembership_id=m.pk, subject_id=subject_id))
    subject_through.objects.bulk_create(subject_links, batch_size=5000)

    # -- caseloads: the real assignment ------------------------------------------------------------
    report = caseloads.assign_automatically(None, region, on=today)
    methodist_of = dict(
        caseloads.Caseload.objects.filter(region=region).values_list("teacher_id", "methodist_id")
    )
    methodist_ids = sorted({m.person_id for m in memberships[:methodists]})

    # -- requests for help ------------------------------------------------------------------------
    now = timezone.make_aware(datetime.combine(today, time(12, 0)))
    requests = []
    askers = rng.sample(
        workers, min(len(workers), max(3, round(len(workers) * REQUESTS_PER_WORKERS)))
    )
    for number, person_id in enumerate(askers):
        created = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 10))
        urgent = rng.random() < 0.2
        deadline = created + timedelta(days=2 if urgent else 5)
        state = number % 20
        request = HelpRequest(
            region_id=region.pk,
            requester_kind=RequesterKind.TEACHER,
            person_id=person_id,
            municipality_id=municipality_of[person_id],
            subject_id=(subjects.get(person_id) or [None])[0],
            topic=rng.choice(TOPICS),
            question="Прошу помочь: какие материалы использовать и как выстроить работу?",
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            methodist_id=methodist_of.get(person_id) or rng.choice(methodist_ids),
            created_at=created,
            deadline=deadline,
        )
        if state < 12 and deadline < now:  # answered: mostly in time, some late
            late = state >= 10
            answered = (
                deadline + timedelta(hours=6)
                if late
                else created + timedelta(hours=rng.randint(2, 90))
            )
            request.answered_at = min(answered, now)
            request.status = RequestStatus.ANSWERED
            request.answer = ANSWER
        elif state < 15:  # still waiting past the deadline: overdue
            request.created_at = now - timedelta(days=8)
            request.deadline = request.created_at + timedelta(days=5)
        else:  # waiting, in time
            request.created_at = now - timedelta(hours=rng.randint(1, 40))
            request.deadline = request.created_at + timedelta(days=5)
        requests.append(request)
    HelpRequest.objects.bulk_create(requests, batch_size=2000)

    # -- support acts -----------------------------------------------------------------------------
    acts = []
    kinds = [k for k in ActKind if k != ActKind.LOW_RESULTS_VISIT]
    for person_id in rng.sample(workers, min(len(workers), round(len(workers) * ACTS_PER_WORKERS))):
        acts.append(
            SupportAct(
                region_id=region.pk, kind=rng.choice(kinds),
                held_on=today - timedelta(days=rng.randint(1, 300)),
                format=rng.choice(list(ActFormat)),
                methodist_id=methodist_of.get(person_id) or rng.choice(methodist_ids),
                person_id=person_id, topic=rng.choice(TOPICS),
            )
        )  # fmt: skip
    for organization_id in low_results or organizations[: max(1, len(organizations) // 20)]:
        acts.append(
            SupportAct(
                region_id=region.pk, kind=ActKind.LOW_RESULTS_VISIT,
                held_on=today - timedelta(days=rng.randint(1, 200)), format=ActFormat.ON_SITE,
                methodist_id=rng.choice(methodist_ids), organization_id=organization_id,
                for_team=True, topic="Адресная помощь управленческой команде",
            )
        )  # fmt: skip
    for request in requests[::4]:
        if request.status == RequestStatus.ANSWERED:
            acts.append(
                SupportAct(
                    region_id=region.pk, kind=ActKind.CONSULTATION,
                    held_on=timezone.localtime(request.answered_at).date(),
                    format=ActFormat.ONLINE, methodist_id=request.methodist_id,
                    person_id=request.person_id, topic=request.topic, request_id=request.pk,
                )
            )  # fmt: skip
    SupportAct.objects.bulk_create(acts, batch_size=2000)

    # -- the expert register ---------------------------------------------------------------------
    experts = []
    for person_id in rng.sample(workers, round(len(workers) * EXPERT_SHARE)):
        kind = rng.choice(list(ExpertKind))
        experts.append(
            ExpertRole(
                region_id=region.pk, person_id=person_id, kind=kind,
                level=rng.choice([ExpertLevel.MUNICIPAL, ExpertLevel.REGIONAL,
                                  ExpertLevel.REGIONAL, ExpertLevel.FEDERAL]),
                subject_id=(subjects.get(person_id) or [None])[0],
                rank=rng.choice([ExpertRank.BASIC, ExpertRank.SENIOR, ExpertRank.LEADING])
                if kind == ExpertKind.EXAM else "",
                starts_on=start_of_year - timedelta(days=365 * rng.randint(0, 3)),
            )
        )  # fmt: skip
    ExpertRole.objects.bulk_create(experts, batch_size=2000)
    rma = len(chosen)
    answered = sum(r.status == RequestStatus.ANSWERED for r in requests)
    overdue = sum(r.is_overdue(now) for r in requests)
    return (
        f"  РМА: {rma} (методистов {methodists}), муниципальных активов: "
        f"{len(memberships) - rma}, педагогов закреплено: {report.assigned + report.kept} "
        f"(на методиста ≈ {round(len(workers) / max(methodists, 1))}), запросов: {len(requests)} "
        f"(с ответом {answered}, просрочено {overdue}), актов поддержки: {len(acts)}, "
        f"экспертов: {len(experts)}"
    )
