"""The demo region's banks: about 60 effective practices and 40 methodical materials in every
state of the review, with the experts' assignments and reviews, the history of each item and a
few replications — Khakassia's «Методический арсенал» style: 48 practices published after the
professional and public review.

Authors are pedagogues of the region (one to three, sometimes with a co-author from outside the
registry); experts are people of the expert register (support.ExpertRole), the demo expert among
them with two items waiting for their review. The demo teacher has a draft and a practice
returned for revision. Written in bulk (nms.demo.bulk.insert); deterministic from the seed.
"""

import random
from datetime import datetime, time, timedelta

from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from nms.accounts.models import User
from nms.catalogs import services
from nms.catalogs.models import (
    Assignment,
    Authorship,
    Item,
    ItemKind,
    ItemLevel,
    ItemStatus,
    MaterialKind,
    Replication,
    Review,
    Tag,
    Transition,
    Verdict,
)
from nms.demo.bulk import insert
from nms.events.models import Event
from nms.itembank.models import CompetencyArea
from nms.registry.models import Employment, Organization, Person, Subject
from nms.support.models import ExpertKind, ExpertLevel, ExpertRole

# Count of items in each final or intermediate state.
PRACTICE_STATES = {
    ItemStatus.PUBLISHED: 48, ItemStatus.DRAFT: 2, ItemStatus.SUBMITTED: 2, ItemStatus.REVIEW: 4,
    ItemStatus.REVISION: 2, ItemStatus.REJECTED: 2,
}  # fmt: skip
MATERIAL_STATES = {
    ItemStatus.PUBLISHED: 26, ItemStatus.DRAFT: 3, ItemStatus.SUBMITTED: 3, ItemStatus.REVIEW: 4,
    ItemStatus.REVISION: 2, ItemStatus.REJECTED: 2,
}  # fmt: skip
PRACTICE_TOPICS = (
    "Смысловое чтение на уроках истории", "Формирующее оценивание в начальной школе",
    "Проектная лаборатория «Зелёная школа»", "Учёт затруднений учеников в электронном журнале",
    "Наставничество «учитель — молодой учитель» в сельской школе",
    "Естественнонаучная грамотность через исследования", "Финансовая грамотность в 7–9 классах",
    "Школьный медиацентр как среда воспитания", "Цифровые тренажёры по математике",
    "Сетевой урок для малокомплектных школ", "Развитие креативного мышления на уроках ИЗО",
    "Профилактика выгорания: педагогическая мастерская", "Клуб молодого педагога",
    "Индивидуальный маршрут ученика с трудностями в обучении", "Театральная педагогика",
    "Единые требования к письменной речи", "Практикум «Читаем ёмко и точно»",
    "Краеведческий квест «Моя Хакасия»", "Билингвальное обучение в национальной школе",
    "Решение олимпиадных задач в малых группах",
)  # fmt: skip
FORMATS = ("практика", "опыт", "модель", "система работы", "технология")
MATERIAL_TOPICS = (
    "Методические рекомендации по составлению ИОМ педагога",
    "Сборник заданий по функциональной грамотности", "Разработка урока по обновлённым ФГОС",
    "Рекомендации по работе с детьми с ОВЗ", "Сборник лучших практик наставничества",
    "Пособие по подготовке к ОГЭ по математике", "Программа курса внеурочной деятельности",
    "Рекомендации по профилактике профессионального выгорания",
    "Сборник материалов конференции «Ёмкие практики»", "Разработка классного часа",
)  # fmt: skip
DIRECTIONS = (
    "функциональная грамотность", "обновлённые ФГОС", "воспитание", "наставничество",
    "школы с низкими результатами", "цифровая образовательная среда", "инклюзивное образование",
)  # fmt: skip
AUDIENCES = (
    "учителя",
    "молодые педагоги",
    "руководители ОО",
    "педагоги дополнительного образования",
)
TAGS = (
    "функциональная грамотность", "фгос", "наставничество", "цифровые ресурсы", "проекты",
    "оценивание", "воспитание", "инклюзия", "сельская школа", "молодые педагоги", "шнор",
    "читательская грамотность",
)  # fmt: skip
COAUTHORS = ("Ковалёва Н. П. (ХГУ)", "Иванов С. А. (ИРО)", "Михайлова Т. В. (вуз-партнёр)")
REVISE_NOTES = (
    "Добавьте результаты за два года и описание условий тиражирования.",
    "Материалы неполные: приложите сценарии занятий.",
)
REJECT_NOTES = ("Практика не отличается новизной и не подтверждена результатами.",)
REPLICATIONS = 16
MIN_EXPERTS = 8


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _backdate(transitions) -> None:
    """created_at is auto_now_add: the history gets its generated moments in a few updates."""
    for start in range(0, len(transitions), 500):
        chunk = transitions[start : start + 500]
        moments = Case(
            *[When(pk=t.pk, then=Value(t.when)) for t in chunk], output_field=DateTimeField()
        )
        Transition.objects.filter(pk__in=[t.pk for t in chunk]).update(created_at=moments)


def _experts(region, rng, today, jobs) -> tuple[list[int], int | None]:
    """People of the expert register, those reviewing practices first; the demo expert is one.
    A register too small for two experts a practice gets «экспертиза практик» roles for a few
    more pedagogues."""
    roles = ExpertRole.objects.filter(region=region, starts_on__lte=today, ends_on__isnull=True)
    practice = list(
        roles.filter(kind=ExpertKind.PRACTICE_REVIEW).values_list("person_id", flat=True)
    )
    others = list(
        roles.exclude(kind=ExpertKind.PRACTICE_REVIEW).values_list("person_id", flat=True)
    )
    demo = User.objects.filter(username="expert").values_list("person_id", flat=True).first()
    new = []
    if demo and demo not in practice and Person.objects.filter(pk=demo, region=region).exists():
        new.append(demo)
    pool = list(dict.fromkeys([*new, *practice, *others[: max(0, MIN_EXPERTS - len(practice))]]))
    if len(pool) < MIN_EXPERTS:
        free = [p for p in dict.fromkeys(p for p, _ in jobs) if p not in pool]
        added = rng.sample(free, min(len(free), MIN_EXPERTS - len(pool)))
        new += added
        pool += added
    ExpertRole.objects.bulk_create(
        ExpertRole(
            region=region, person_id=person_id, kind=ExpertKind.PRACTICE_REVIEW,
            level=ExpertLevel.REGIONAL, starts_on=today - timedelta(days=400),
        )
        for person_id in new
    )  # fmt: skip
    return pool, demo


def generate(region, *, seed: int, today) -> str:
    rng = random.Random(seed + 143)
    jobs = list(
        Employment.objects.filter(
            person__region=region, position__is_pedagogical=True, is_part_time=False
        )
        .order_by("person_id", "id")
        .values_list("person_id", "organization_id")
    )
    if len(jobs) < 4:
        return ""
    experts, demo_expert = _experts(region, rng, today, jobs)
    if len(experts) < 2:
        return ""
    demo_teacher = User.objects.filter(username="teacher").values_list("person_id", flat=True)
    demo_teacher = demo_teacher.first()
    teacher_org = dict(jobs).get(demo_teacher)
    cnppm = User.objects.filter(username="cnppm").first()
    areas = list(CompetencyArea.objects.values_list("pk", flat=True))
    subjects = list(Subject.objects.values_list("pk", flat=True))
    contests = list(
        Event.objects.filter(region=region, kind="contest").values_list("pk", flat=True)[:10]
    )
    criteria = services.criteria()
    Tag.objects.bulk_create([Tag(name=n) for n in TAGS], ignore_conflicts=True)
    tags = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))

    plan = [(ItemKind.PRACTICE, s) for s, n in PRACTICE_STATES.items() for _ in range(n)]
    plan += [(ItemKind.MATERIAL, s) for s, n in MATERIAL_STATES.items() for _ in range(n)]
    items, authors_of, extra = [], [], []
    demo_items = {"teacher": [], "expert": []}
    for n, (kind, status) in enumerate(plan):
        person_id, org_id = rng.choice(jobs)
        own = status in (ItemStatus.DRAFT, ItemStatus.REVISION) and kind == ItemKind.PRACTICE
        taken = any(s == status for s, _ in demo_items["teacher"])
        if own and demo_teacher and teacher_org and not taken:
            person_id, org_id = demo_teacher, teacher_org
            demo_items["teacher"].append((status, n))
        co = [p for p, _ in rng.sample(jobs, rng.choice((0, 0, 1, 2)))]
        people = list(dict.fromkeys([person_id, *co]))
        if kind == ItemKind.PRACTICE:
            topic = PRACTICE_TOPICS[n % len(PRACTICE_TOPICS)]
            title = f"{topic}: {FORMATS[(n // len(PRACTICE_TOPICS)) % len(FORMATS)]}"
            description = (
                f"Описание практики «{topic}»: цель, этапы внедрения, достигнутые результаты "
                "(рост доли учащихся, освоивших умения), условия и ресурсы для переноса в "
                "другие организации."
            )
        else:
            topic = MATERIAL_TOPICS[n % len(MATERIAL_TOPICS)]
            title = f"{topic} (выпуск {n // len(MATERIAL_TOPICS) + 1})"
            description = (
                f"Аннотация: «{topic}» — назначение, структура, как использовать в работе "
                "методических объединений и при составлении ИОМ."
            )
        submitted = today - timedelta(days=rng.randint(20, 700))
        final = status in (ItemStatus.PUBLISHED, ItemStatus.REJECTED, ItemStatus.REVISION)
        decided = min(submitted + timedelta(days=rng.randint(10, 45)), today - timedelta(days=1))
        item = Item(
            kind=kind, region_id=region.pk, title=title, description=description,
            organization_id=org_id,
            coauthors=rng.choice(COAUTHORS) if rng.random() < 0.15 else "",
            level=rng.choice([ItemLevel.SCHOOL, ItemLevel.MUNICIPAL, ItemLevel.MUNICIPAL,
                              ItemLevel.REGIONAL, ItemLevel.REGIONAL, ItemLevel.FEDERAL]),
            links=f"https://edu.example.ru/bank/{kind}/{n + 1}" if rng.random() < 0.6 else "",
            direction=rng.choice(DIRECTIONS) if kind == ItemKind.PRACTICE else "",
            event_id=rng.choice(contests) if kind == ItemKind.PRACTICE and contests
            and rng.random() < 0.3 else None,
            material_kind=rng.choice(list(MaterialKind.values)) if kind == ItemKind.MATERIAL
            else "",
            audience=rng.choice(AUDIENCES) if kind == ItemKind.MATERIAL else "",
            status=status,
            round=0 if status == ItemStatus.DRAFT else 1,
            submitted_on=None if status == ItemStatus.DRAFT else submitted,
            published_on=decided if status == ItemStatus.PUBLISHED else None,
            version=1,
        )  # fmt: skip
        item.search_text = item.compute_search_text()
        items.append(item)
        authors_of.append(people)
        extra.append((submitted, decided if final else None))
    insert(Item, items)

    authorships, through_areas, through_subjects, through_tags = [], [], [], []
    assignments, reviews, transitions, replications = [], [], [], []
    for item, people, (submitted, decided) in zip(items, authors_of, extra, strict=True):
        for order, person_id in enumerate(people):
            authorships.append(Authorship(item_id=item.pk, person_id=person_id, order=order))
        for area in rng.sample(areas, min(len(areas), rng.randint(1, 2))):
            through_areas.append(Item.areas.through(item_id=item.pk, competencyarea_id=area))
        for subject in rng.sample(subjects, min(len(subjects), rng.randint(0, 2))):
            through_subjects.append(Item.subjects.through(item_id=item.pk, subject_id=subject))
        for name in rng.sample(TAGS, rng.randint(1, 3)):
            through_tags.append(Item.tags.through(item_id=item.pk, tag_id=tags[name]))
        created = submitted - timedelta(days=rng.randint(1, 10))
        steps = [("", ItemStatus.DRAFT, created, "")]
        if item.status != ItemStatus.DRAFT:
            steps.append((ItemStatus.DRAFT, ItemStatus.SUBMITTED, submitted, ""))
        if item.status in (ItemStatus.REVIEW, ItemStatus.PUBLISHED, ItemStatus.REVISION,
                           ItemStatus.REJECTED):  # fmt: skip
            candidates = [e for e in experts if e not in people]
            count = 3 if rng.random() < 0.2 and len(candidates) > 2 else 2
            chosen = rng.sample(candidates, min(count, len(candidates)))
            waiting_for_demo = (
                item.status == ItemStatus.REVIEW
                and demo_expert in candidates
                and len(demo_items["expert"]) < 2
            )
            if waiting_for_demo:
                chosen = [demo_expert, *[c for c in chosen if c != demo_expert]][:count]
                demo_items["expert"].append(item.pk)
            assigned = submitted + timedelta(days=rng.randint(1, 5))
            steps.append((ItemStatus.SUBMITTED, ItemStatus.REVIEW, assigned, "Эксперты назначены"))
            verdicts = {
                ItemStatus.PUBLISHED: (Verdict.PUBLISH, Verdict.PUBLISH, Verdict.REVISE),
                ItemStatus.REVISION: (Verdict.REVISE, Verdict.PUBLISH, Verdict.REVISE),
                ItemStatus.REJECTED: (Verdict.REJECT, Verdict.REJECT, Verdict.REVISE),
            }.get(item.status)
            for k, expert in enumerate(chosen):
                assignment = Assignment(
                    item_id=item.pk, expert_id=expert, round=1, assigned_by=cnppm
                )
                assignments.append(assignment)
                done = verdicts is not None or (k == 1 and expert != demo_expert)
                if not done:
                    continue
                verdict = verdicts[k] if verdicts else Verdict.PUBLISH
                high = verdict == Verdict.PUBLISH
                scores = {
                    str(c.pk): rng.randint(c.max_score - 1 if high else 0, c.max_score)
                    if high else rng.randint(0, c.max_score - 1)
                    for c in criteria
                }  # fmt: skip
                reviews.append(
                    (assignment, Review(
                        item_id=item.pk, expert_id=expert, round=1, scores=scores,
                        total=sum(scores.values()), max_total=sum(c.max_score for c in criteria),
                        verdict=verdict,
                        comment="" if high else rng.choice(REVISE_NOTES + REJECT_NOTES),
                    ))
                )  # fmt: skip
        if decided is not None:
            note = {
                ItemStatus.REVISION: rng.choice(REVISE_NOTES),
                ItemStatus.REJECTED: REJECT_NOTES[0],
            }.get(item.status, "")
            steps.append((ItemStatus.REVIEW, item.status, decided, note))
        for from_status, to_status, day, comment in steps:
            transition = Transition(
                item_id=item.pk, from_status=from_status, to_status=to_status,
                actor=cnppm if to_status not in (ItemStatus.DRAFT, ItemStatus.SUBMITTED)
                else None, comment=comment,
            )  # fmt: skip
            transition.when = _at(day)
            transitions.append(transition)
    insert(Authorship, authorships)
    insert(Item.areas.through, through_areas)
    insert(Item.subjects.through, through_subjects)
    insert(Item.tags.through, through_tags)
    insert(Assignment, assignments)
    for assignment, review in reviews:
        review.assignment_id = assignment.pk
    insert(Review, [r for _, r in reviews])
    insert(Transition, transitions)
    _backdate(transitions)

    published = [i for i in items if i.kind == ItemKind.PRACTICE and i.status == "published"]
    organizations = sorted({org for _, org in jobs})
    municipality_of = dict(
        Organization.objects.filter(region=region).values_list("pk", "municipality_id")
    )
    for item in rng.sample(published, min(REPLICATIONS, len(published))):
        org = rng.choice(organizations)
        replications.append(
            Replication(
                item_id=item.pk, organization_id=org, municipality_id=municipality_of.get(org),
                level=rng.choice([ItemLevel.SCHOOL, ItemLevel.MUNICIPAL, ItemLevel.REGIONAL]),
                replicated_on=min(item.published_on + timedelta(days=rng.randint(20, 200)), today),
                note="внедрена в работу методического объединения", recorded_by=cnppm,
            )
        )  # fmt: skip
    insert(Replication, replications)
    practices = sum(1 for i in items if i.kind == ItemKind.PRACTICE)
    published_count = sum(1 for i in items if i.status == ItemStatus.PUBLISHED)
    return (
        f"  Банки: практик {practices}, методических материалов {len(items) - practices}, "
        f"опубликовано после экспертизы {published_count}, экспертных заключений {len(reviews)}, "
        f"тиражирований {len(replications)}"
    )
