"""Events of the demo region: every kind at every level over two years (some still ahead, for the
route suggestions), participation in them, contests with stages, nominations, winners and
prize-winners, internship sites (a few per region) with internships.

In proportion to the region (about a third of participation rows per person over two years) and
in bulk: the region's people and organizations are read once as tuples, every row is built in
memory and written with `nms.demo.bulk.insert` — a few queries whatever the size. Deterministic
from the seed.
"""

import random
from collections import defaultdict
from datetime import timedelta

from nms.common.text import search_key
from nms.demo.bulk import insert, insert_rows
from nms.events.models import (
    Event,
    EventKind,
    EventLevel,
    Internship,
    InternshipSite,
    Participation,
    ParticipationRole,
    Stage,
    Topic,
)
from nms.itembank.models import CompetencyArea
from nms.registry.models import Employment, Organization, OrganizationKind

DAYS = 730  # two years back
AHEAD = 120  # and some ahead
PEOPLE_PER_EVENT = 100  # one event for so many people of the region
PARTICIPATION_SHARE = 0.35  # rows per person over the two years (besides contests)
CONTEST_SHARE = 0.04  # of the people enter a contest at the school stage
CONTEST_ENTRANTS = 120  # at most, per contest
INTERNSHIP_SHARE = 0.03  # of the people per year

TITLES = {
    EventKind.SEMINAR: "Семинар «{topic}»",
    EventKind.WEBINAR: "Вебинар «{topic}: практика»",
    EventKind.MASTER_CLASS: "Мастер-класс «{topic} на уроке»",
    EventKind.WORKSHOP: "Педагогическая мастерская «{topic}»",
    EventKind.CONFERENCE: "Конференция «{topic}: опыт и перспективы»",
    EventKind.FORUM: "Форум педагогов «{topic}»",
    EventKind.ROUND_TABLE: "Круглый стол «{topic}»",
    EventKind.MEETING: "Совещание руководителей: {topic}",
    EventKind.CONTEST: "Конкурс профессионального мастерства «Педагог года» ({year})",
    EventKind.FESTIVAL: "Фестиваль педагогических идей «{topic}»",
    EventKind.CLUB: "Клуб молодых педагогов: {topic}",
}
NOMINATIONS = ["Учитель года", "Педагогический дебют", "Воспитать человека", "Сердце отдаю детям"]
SITE_PROGRAMMES = [
    "Формирование функциональной грамотности обучающихся",
    "Цифровая образовательная среда школы",
    "Управление качеством образования в ОО",
    "Инклюзивное образование: практики сопровождения",
    "Профориентационная работа в школе",
]
TOPIC_LABELS = dict(Topic.choices)


def generate(region, *, seed: int, today) -> str:
    rng = random.Random(seed + 7001)
    orgs = list(
        Organization.objects.filter(region=region).values_list(
            "id", "municipality_id", "kind", "is_low_results"
        )
    )
    if not orgs:
        return ""
    works = _main_jobs(region)  # person -> organization
    staff = defaultdict(list)
    for person, org in works.items():
        staff[org].append(person)
    by_municipality = defaultdict(list)
    org_municipality = {o[0]: o[1] for o in orgs}
    for org, people in staff.items():
        by_municipality[org_municipality[org]].extend(people)
    everyone = sorted(works)
    areas = list(CompetencyArea.objects.order_by("id").values_list("id", flat=True))
    schools = [o for o in orgs if o[2] in (OrganizationKind.GENERAL, OrganizationKind.PRESCHOOL)]
    institutes = [o[0] for o in orgs if o[2] == OrganizationKind.INSTITUTE]
    services = {o[1]: o[0] for o in orgs if o[2] == OrganizationKind.METHODICAL_SERVICE}

    events = _events(rng, region, today, len(everyone), schools, institutes, services)
    insert(Event, events)
    through = Event.areas.through
    insert_rows(
        through,
        [
            {"event_id": e.pk, "competencyarea_id": a}
            for e in events
            for a in rng.sample(areas, k=min(len(areas), rng.randint(1, 3)))
        ]
        if areas
        else [],
    )

    rows = []
    for event in events:
        if event.starts_on > today:
            continue
        pool = _pool(event, staff, by_municipality, everyone)
        if not pool:
            continue
        if event.kind == EventKind.CONTEST:
            rows += _contest(rng, event, pool, by_municipality, org_municipality, works)
            continue
        share = PARTICIPATION_SHARE * len(everyone) / max(1, len(events))
        count = min(len(pool), max(3, int(rng.gauss(share, share / 3))))
        chosen = rng.sample(pool, count)
        speakers = max(1, count // 15)
        for index, person in enumerate(chosen):
            role = ParticipationRole.SPEAKER if index < speakers else ParticipationRole.PARTICIPANT
            rows.append(_row(event, person, works, role))
    insert_rows(Participation, rows)

    sites, internships = _sites(rng, region, today, schools, everyone, works, areas)
    return (
        f"  мероприятий: {len(events)} (конкурсов: "
        f"{sum(e.kind == EventKind.CONTEST for e in events)}), участий: {len(rows)}, "
        f"стажировочных площадок: {sites}, стажировок: {internships}"
    )


def _main_jobs(region) -> dict[int, int]:
    rows = (
        Employment.objects.filter(organization__region=region)
        .order_by("person_id", "-is_part_time", "-id")
        .values_list("person_id", "organization_id")
    )
    return dict(rows.iterator(chunk_size=5000))


def _events(rng, region, today, people, schools, institutes, services) -> list[Event]:
    count = max(len(EventKind) * len(EventLevel), people // PEOPLE_PER_EVENT)
    combos = [(k, lv) for k in EventKind.values for lv in EventLevel.values]
    kinds = combos + [
        (rng.choice(EventKind.values), rng.choice(EventLevel.values))
        for _ in range(count - len(combos))
    ]
    topics = Topic.values
    events = []
    for number, (kind, level) in enumerate(kinds):
        starts = today - timedelta(days=rng.randint(-AHEAD, DAYS))
        if number < len(combos):  # each kind at each level once in the past, once ahead
            starts = today + timedelta(days=rng.randint(7, AHEAD)) if number % 5 == 0 else starts
        length = (
            0
            if kind in (EventKind.WEBINAR, EventKind.MEETING, EventKind.ROUND_TABLE)
            else (rng.randint(0, 2))
        )
        chosen = rng.sample(topics, k=rng.randint(1, 2))
        title = TITLES[kind].format(topic=TOPIC_LABELS[chosen[0]].capitalize(), year=starts.year)
        organizer, municipality, organizer_name = None, None, ""
        if level == EventLevel.SCHOOL and schools:
            school = rng.choice(schools)
            organizer, municipality = school[0], school[1]
        elif level == EventLevel.MUNICIPAL and schools:
            municipality = rng.choice(schools)[1]
            organizer = services.get(municipality) or rng.choice(
                [s[0] for s in schools if s[1] == municipality]
            )
        elif level == EventLevel.REGIONAL:
            organizer = institutes[0] if institutes else None
            organizer_name = "" if organizer else "Институт развития образования"
        else:
            organizer_name = rng.choice(
                ["Академия Минпросвещения России", "Минпросвещения России", "ФИОКО"]
            )
        if level in (EventLevel.SCHOOL, EventLevel.MUNICIPAL) and organizer is None:
            level, organizer_name = EventLevel.REGIONAL, "Институт развития образования"
        event = Event(
            region_id=region.pk,
            title=title,
            kind=kind,
            level=level,
            starts_on=starts,
            ends_on=starts + timedelta(days=length),
            municipality_id=municipality,
            organizer_id=organizer,
            organizer_name=organizer_name,
            online=kind == EventKind.WEBINAR,
            place="" if kind == EventKind.WEBINAR else "актовый зал",
            topics=chosen,
            nominations="\n".join(NOMINATIONS) if kind == EventKind.CONTEST else "",
            horizontal_learning=kind in (EventKind.CLUB, EventKind.WORKSHOP) or rng.random() < 0.1,
            burnout_prevention=rng.random() < 0.08,
            for_low_results=rng.random() < 0.12,
        )
        event.search_text = search_key(event.title, event.organizer_name)
        events.append(event)
    return events


def _pool(event, staff, by_municipality, everyone) -> list[int]:
    if event.level == EventLevel.SCHOOL:
        return staff.get(event.organizer_id, [])
    if event.level == EventLevel.MUNICIPAL:
        return by_municipality.get(event.municipality_id, [])
    return everyone


def _row(event, person, works, role, stage="", nomination="") -> dict:
    """A participation row as columns (no model instance: a big region has a few hundred
    thousand of them)."""
    return {
        "event_id": event.pk,
        "person_id": person,
        "organization_id": works.get(person),
        "role": str(role),
        "stage": str(stage),
        "nomination": nomination,
    }


def _contest(rng, event, pool, by_municipality, org_municipality, works) -> list:
    """A contest in stages up to its level: the school stage, then the best go on to the
    municipal, the regional, the federal one; winners and prize-winners per stage and
    nomination."""
    rows = []
    wanted = max(4, min(CONTEST_ENTRANTS, int(len(pool) * CONTEST_SHARE)))
    entrants = rng.sample(pool, min(len(pool), wanted))
    nominations = event.nomination_list
    chosen = {p: rng.choice(nominations) for p in entrants}
    stage_people = entrants
    last = list(EventLevel.values).index(event.level)
    for stage in list(Stage.values)[: last + 1]:
        if not stage_people:
            break
        by_nomination = defaultdict(list)
        for p in stage_people:
            by_nomination[chosen[p]].append(p)
        going_on = []
        for nomination, people in sorted(by_nomination.items()):
            for place, p in enumerate(people):
                role = (
                    ParticipationRole.WINNER
                    if place == 0
                    else ParticipationRole.PRIZE
                    if place <= 2
                    else ParticipationRole.PARTICIPANT
                )
                rows.append(_row(event, p, works, role, stage, nomination))
            going_on += people[:2]
        if stage == Stage.SCHOOL:
            going_on = going_on[: max(1, len(going_on) // 2)]
        stage_people = going_on[: max(1, len(going_on) // 2)]
    return rows


def _sites(rng, region, today, schools, everyone, works, areas) -> tuple[int, int]:
    general = [s for s in schools if s[2] == OrganizationKind.GENERAL] or schools
    if not general:
        return 0, 0
    count = min(len(general), max(3, len(general) // 60))
    chosen = rng.sample(general, count)
    sites = []
    for index, school in enumerate(chosen):
        starts = today - timedelta(days=rng.randint(200, 900))
        programmes = rng.sample(SITE_PROGRAMMES, k=rng.randint(1, 3))
        site = InternshipSite(
            organization_id=school[0],
            region_id=region.pk,
            starts_on=starts,
            ends_on=starts + timedelta(days=3 * 365),
            order_number=f"{100 + index}-о",
            order_date=starts - timedelta(days=14),
            programmes="\n".join(programmes),
            programmes_updated_on=today - timedelta(days=rng.randint(10, 500)),
            topics=rng.sample(Topic.values, k=2),
        )
        sites.append(site)
    insert(InternshipSite, sites)
    insert_rows(
        InternshipSite.areas.through,
        [
            {"internshipsite_id": s.pk, "competencyarea_id": a}
            for s in sites
            for a in rng.sample(areas, k=min(len(areas), 2))
        ],
    )
    internships = []
    count = int(len(everyone) * INTERNSHIP_SHARE * 2)
    for person in rng.sample(everyone, min(len(everyone), count)):
        site = rng.choice(sites)
        starts = site.starts_on + timedelta(
            days=rng.randint(0, max(0, (today - site.starts_on).days))
        )
        ends = starts + timedelta(days=rng.randint(3, 14))
        internships.append(
            {
                "site_id": site.pk,
                "person_id": person,
                "organization_id": works.get(person),
                "programme": rng.choice(site.programme_list),
                "starts_on": starts,
                "ends_on": ends,
                "completed": ends < today,
            }
        )
    insert_rows(Internship, internships)
    return len(sites), len(internships)
