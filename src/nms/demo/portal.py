"""The demo region's share of the portal app: innovation sites in every state of the selection,
professional communities of every kind with members and leaders (and some of the region's
events), the navigator of educational resources (fictional but plausible addresses) and news —
a few of them drafts.

A few queries read the region; everything is written in bulk (nms.demo.bulk.insert), so the step
takes well under a second whatever the region's size. Deterministic from the seed.
"""

import io
import random
from collections import defaultdict
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from docx import Document

from nms.common.text import search_key
from nms.demo.bulk import insert
from nms.events.models import Event
from nms.portal.models import (
    Audience,
    Community,
    CommunityKind,
    CommunityLevel,
    CommunityMember,
    DecisionBody,
    DocumentKind,
    InnovationSite,
    MemberRole,
    News,
    Resource,
    ResourceKind,
    SiteDocument,
    SiteStatus,
)
from nms.registry.models import Employment, Municipality, Organization, OrganizationKind, Subject

PROJECTS = (
    ("Формирование функциональной грамотности через межпредметные проекты",
     "функциональная грамотность"),
    ("Школа полного дня: модель воспитательной среды сельской школы", "воспитание"),
    ("Цифровая образовательная среда как ресурс индивидуализации обучения",
     "цифровая образовательная среда"),
    ("Инженерный класс: ранняя профориентация на предприятия региона", "профориентация"),
    ("Инклюзивная школа: сопровождение детей с ОВЗ в общем классе", "инклюзия и ОВЗ"),
    ("Модель наставничества «педагог – педагог» в малокомплектной школе", "наставничество"),
    ("Внутришкольная система оценки качества по обновлённым ФГОС", "оценка качества образования"),
    ("Сетевая форма реализации программ технологического профиля", "технологический суверенитет"),
    ("Работа с одарёнными детьми в муниципальной сети школ", "одарённые дети"),
    ("Читательская грамотность в начальной школе: школьный библиотечный центр",
     "функциональная грамотность"),
    ("Дошкольная STEM-лаборатория", "дошкольное образование"),
    ("Управленческая команда школы с низкими результатами: переход в эффективный режим",
     "управление"),
)  # fmt: skip
SITE_KINDS = (
    OrganizationKind.GENERAL, OrganizationKind.PRESCHOOL, OrganizationKind.ADDITIONAL,
    OrganizationKind.VOCATIONAL,
)  # fmt: skip
# The states of the sites in turn: most work, some applied, a refusal, a finished one.
SITE_STATES = (
    SiteStatus.ACTIVE, SiteStatus.ACTIVE, SiteStatus.APPLIED, SiteStatus.ACTIVE,
    SiteStatus.COMPLETED, SiteStatus.ACTIVE, SiteStatus.REJECTED, SiteStatus.ACTIVE,
    SiteStatus.APPLIED, SiteStatus.ACTIVE, SiteStatus.TERMINATED,
)  # fmt: skip
COMMUNITIES = (
    ("Ассоциация учителей математики", CommunityKind.ASSOCIATION, "математика", "математика"),
    ("Ассоциация учителей русского языка и литературы", CommunityKind.ASSOCIATION,
     "русский язык", "русский язык"),
    ("Сетевое сообщество «Функциональная грамотность»", CommunityKind.NETWORK,
     "функциональная грамотность", None),
    ("Сетевое сообщество молодых педагогов «Старт»", CommunityKind.NETWORK,
     "поддержка молодых педагогов", None),
    ("РУМО учителей физики", CommunityKind.RUMO, "физика", "физика"),
    ("РУМО учителей химии и биологии", CommunityKind.RUMO, "естественные науки", "химия"),
    ("РУМО учителей начальных классов", CommunityKind.RUMO, "начальное общее образование", None),
    ("Клуб «Педагог года»", CommunityKind.CLUB, "конкурсное движение", None),
    ("Ассоциация руководителей образовательных организаций", CommunityKind.ASSOCIATION,
     "управление", None),
    ("Сетевое сообщество учителей информатики", CommunityKind.NETWORK, "информатика",
     "информатика"),
)  # fmt: skip
MUNICIPAL_MO = (
    "Методическое объединение учителей математики",
    "Методическое объединение учителей начальных классов",
    "Методическое объединение классных руководителей",
    "Методическое объединение учителей истории и обществознания",
    "Методическое объединение педагогов дополнительного образования",
)
RESOURCES = (
    ("Цифровая экосистема ДПО Академии Минпросвещения", ResourceKind.ACADEMY,
     "https://academy-demo.example.ru/ecosystem", Audience.ALL, "ДПО, курсы, ФР ДПП"),
    ("Федеральный реестр ДПП (демо)", ResourceKind.ACADEMY,
     "https://academy-demo.example.ru/registry", Audience.METHODISTS, "ФР ДПП, программы"),
    ("Библиотека цифрового образовательного контента", ResourceKind.LIBRARY,
     "https://content-demo.example.ru", Audience.TEACHERS, "ЦОС, контент"),
    ("Банк заданий по функциональной грамотности", ResourceKind.PLATFORM,
     "https://fg-demo.example.ru/bank", Audience.TEACHERS, "функциональная грамотность, задания"),
    ("Конструктор рабочих программ (демо)", ResourceKind.PLATFORM,
     "https://edsoo-demo.example.ru/constructor", Audience.TEACHERS, "ФГОС, рабочие программы"),
    ("Методические рекомендации по обновлённым ФГОС", ResourceKind.ACADEMY,
     "https://academy-demo.example.ru/fgos", Audience.ALL, "ФГОС"),
    ("Школа молодого педагога: онлайн-курс", ResourceKind.COURSE,
     "https://courses-demo.example.ru/young", Audience.YOUNG, "молодые педагоги, наставничество"),
    ("Курс «Профилактика профессионального выгорания»", ResourceKind.COURSE,
     "https://courses-demo.example.ru/burnout", Audience.ALL, "выгорание, психология"),
    ("Курс «Управленческая команда школы»", ResourceKind.COURSE,
     "https://courses-demo.example.ru/management", Audience.MANAGERS, "управление, ШНОР"),
    ("Сообщество учителей математики региона", ResourceKind.COMMUNITY,
     "https://community-demo.example.ru/math", Audience.TEACHERS, "математика, сообщество"),
    ("Сообщество «Учитель будущего»", ResourceKind.COMMUNITY,
     "https://community-demo.example.ru/future", Audience.TEACHERS, "сообщество, инновации"),
    ("Сетевое сообщество наставников", ResourceKind.COMMUNITY,
     "https://community-demo.example.ru/mentors", Audience.ALL, "наставничество"),
    ("Электронная библиотека методиста", ResourceKind.LIBRARY,
     "https://library-demo.example.ru/methodist", Audience.METHODISTS, "методика, библиотека"),
    ("Открытая платформа олимпиадной подготовки", ResourceKind.PLATFORM,
     "https://olymp-demo.example.ru", Audience.TEACHERS, "одарённые дети, олимпиады"),
    ("Платформа дистанционного обучения ЦНППМ", ResourceKind.PLATFORM,
     "https://lms-demo.example.ru", Audience.ALL, "ДПО, дистанционно"),
    ("Навигатор инклюзивного образования", ResourceKind.PLATFORM,
     "https://inclusion-demo.example.ru", Audience.ALL, "инклюзия, ОВЗ"),
    ("Дошкольное образование: методический кабинет", ResourceKind.LIBRARY,
     "https://preschool-demo.example.ru", Audience.PRESCHOOL, "дошкольное образование"),
    ("Профориентационный портал «Билет в будущее» (демо)", ResourceKind.PLATFORM,
     "https://career-demo.example.ru", Audience.TEACHERS, "профориентация"),
    ("Цифровая лаборатория естественных наук", ResourceKind.PLATFORM,
     "https://lab-demo.example.ru", Audience.TEACHERS, "естественные науки, ЦОС"),
    ("Вебинары по оценке качества образования", ResourceKind.COURSE,
     "https://webinars-demo.example.ru/quality", Audience.MANAGERS, "оценка качества"),
    ("Курс «Воспитательная работа классного руководителя»", ResourceKind.COURSE,
     "https://courses-demo.example.ru/upbringing", Audience.TEACHERS, "воспитание"),
    ("Банк успешных практик наставничества", ResourceKind.LIBRARY,
     "https://practices-demo.example.ru/mentoring", Audience.ALL, "наставничество, практики"),
    ("Открытый методический лекторий", ResourceKind.COURSE,
     "https://lecture-demo.example.ru", Audience.ALL, "методика"),
)  # fmt: skip
NEWS = (
    "Стартовал региональный этап конкурса «Учитель года»",
    "Открыт набор на курсы повышения квалификации по обновлённым ФГОС",
    "Итоги мониторинга региональной системы научно-методического сопровождения",
    "Новые региональные инновационные площадки получили статус",
    "Форум молодых педагогов собрал участников из всех муниципалитетов",
    "Методический десант в школы с низкими результатами",
    "Навигатор образовательных ресурсов пополнился новыми курсами",
    "Стажировочные площадки приглашают на стажировки",
    "Заседание РУМО учителей физики: итоги учебного года",
    "Августовское педагогическое совещание: повестка и материалы",
    "Конкурс эффективных практик наставничества: приём заявок",
    "Сетевое сообщество «Функциональная грамотность» проводит вебинар",
    "Подготовка к диагностике профессиональных компетенций: график",
)
NEWS_TEXT = (
    "Центр непрерывного повышения профессионального мастерства педагогических работников "
    "сообщает: {title}. Подробности — у методистов ЦНППМ и в муниципальных методических "
    "службах.\n\nМатериалы размещены в навигаторе образовательных ресурсов."
)


def generate(region, *, seed: int, today) -> str:
    rng = random.Random(seed + 95)
    schools = list(
        Organization.objects.filter(region=region, kind__in=SITE_KINDS)
        .order_by("kind", "pk")
        .values_list("pk", flat=True)[:400]
    )
    if not schools:
        return ""
    sites = _sites(rng, region, schools, today)
    communities, members, subjects, events = _communities(rng, region, today)
    resources = _resources(region)
    for resource in resources:  # as Resource.save() keeps it
        resource.search_text = search_key(
            resource.title, resource.description[:400], resource.tags
        )[:1000]
    news = _news(region, today)
    insert(InnovationSite, sites)
    documents = _site_documents(sites)
    insert(SiteDocument, documents)
    insert(Community, communities)
    for member in members:
        member.community_id = member.community.pk
    insert(CommunityMember, members)
    insert(
        Community.subjects.through,
        [Community.subjects.through(community_id=c.pk, subject_id=s) for c, s in subjects],
    )
    insert(
        Community.events.through,
        [Community.events.through(community_id=c.pk, event_id=e) for c, e in events],
    )
    insert(Resource, resources)
    insert(News, news)
    return (
        f"  портал: инновационных площадок {len(sites)} (документов {len(documents)}), "
        f"сообществ {len(communities)} "
        f"(участников {len(members)}), ресурсов навигатора {len(resources)}, "
        f"новостей {len(news)}"
    )


def _sites(rng, region, schools, today):
    chosen = rng.sample(schools, min(len(schools), len(SITE_STATES)))
    sites = []
    for index in range(len(SITE_STATES)):
        org = chosen[index % len(chosen)]  # a small region: an organization may run two projects
        project, topic = PROJECTS[index]
        state = SITE_STATES[index]
        starts = date(today.year - (2 if state == SiteStatus.COMPLETED else 1), 9, 1)
        ends = date(starts.year + 3 if state != SiteStatus.COMPLETED else starts.year + 1, 8, 31)
        applied = starts - timedelta(days=90)
        decided = state != SiteStatus.APPLIED
        order_date = applied + timedelta(days=45)
        sites.append(
            InnovationSite(
                region=region,
                organization_id=org,
                project=project,
                topic=topic,
                description=f"Инновационный проект по направлению «{topic}»: разработка, "
                "апробация и диссеминация модели в образовательных организациях региона.",
                starts_on=starts,
                ends_on=ends,
                status=state,
                applied_on=applied,
                decided_by=(DecisionBody.MINISTRY if index % 2 else DecisionBody.CNPPM)
                if decided
                else "",
                order_number=f"{rng.randint(100, 999)}-од" if decided else "",
                order_date=order_date if decided else None,
                search_text=search_key(project, topic),
            )
        )
    return sites


def _site_documents(sites):
    """Each working or finished site's plan for its first year, a finished site's report and,
    for the first decided site, the selection's expert opinion (never public): small DOCX files
    in the media storage, as an upload would leave them."""
    documents = []
    for index, site in enumerate(sites):
        if site.status not in (SiteStatus.ACTIVE, SiteStatus.COMPLETED):
            continue
        kinds = [(DocumentKind.PLAN, site.starts_on.year)]
        if site.status == SiteStatus.COMPLETED:
            kinds.append((DocumentKind.REPORT, site.ends_on.year))
        if index == 0:
            kinds.append((DocumentKind.EXPERTISE, site.applied_on.year))
        for kind, year in kinds:
            name = f"{kind.label.capitalize()} {year}.docx"
            stored = default_storage.save(
                f"portal/sites/{site.pk}/{year}/{kind.value}-{year}.docx",
                ContentFile(_document_text(site, kind, year)),
            )
            documents.append(
                SiteDocument(site=site, kind=kind, year=year, file=stored, original_name=name)
            )
    return documents


def _document_text(site, kind, year) -> bytes:
    document = Document()
    document.add_heading(f"{kind.label.capitalize()} инновационной площадки, {year} год", 1)
    document.add_paragraph(f"Проект: «{site.project}».")
    document.add_paragraph(f"Направление: {site.topic}.")
    document.add_paragraph(
        "Демонстрационный документ: цели и задачи этапа, мероприятия и сроки, ожидаемые "
        "и полученные результаты, продукты для диссеминации."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _communities(rng, region, today):
    subjects = dict(Subject.objects.values_list("name", "pk"))
    municipalities = list(
        Municipality.objects.filter(region=region).order_by("pk").values_list("pk", flat=True)
    )
    people = defaultdict(list)
    for person_id, municipality in (
        Employment.objects.filter(person__region=region, is_part_time=False)
        .order_by("person_id")
        .values_list("person_id", "organization__municipality_id")[:6000]
    ):
        people[municipality].append(person_id)
    everyone = sorted({p for group in people.values() for p in group})
    event_ids = list(
        Event.objects.filter(region=region).order_by("-starts_on").values_list("pk", flat=True)[:60]
    )
    communities, members, with_subjects, with_events = [], [], [], []
    plans = [(name, kind, CommunityLevel.REGIONAL, None, topic, subject)
             for name, kind, topic, subject in COMMUNITIES]  # fmt: skip
    for index, name in enumerate(MUNICIPAL_MO):
        if not municipalities:
            break
        municipality = municipalities[index % len(municipalities)]
        plans.append(
            (name, CommunityKind.METHODICAL, CommunityLevel.MUNICIPAL, municipality,
             name.split(" ", 2)[-1], None)
        )  # fmt: skip
    for index, (name, kind, level, municipality, topic, subject) in enumerate(plans):
        community = Community(
            region=region,
            municipality_id=municipality,
            name=name,
            kind=kind,
            level=level,
            topic=topic,
            description=f"{name}: обмен опытом, методическая поддержка, совместные мероприятия.",
            links=f"https://community-demo.example.ru/{index + 1}",
            founded_on=date(today.year - 1 - index % 4, 9, 1),
            published=index != 3,  # one kept off the portal
            search_text=search_key(name, topic),
        )
        communities.append(community)
        pool = people.get(municipality, []) if municipality else everyone
        size = min(len(pool), rng.randint(6, 20))
        for order, person_id in enumerate(rng.sample(pool, size) if size else []):
            members.append(
                CommunityMember(
                    community=community,
                    person_id=person_id,
                    role=MemberRole.LEADER
                    if order < (2 if index % 3 == 0 else 1)
                    else MemberRole.MEMBER,
                    joined_on=community.founded_on,
                )
            )
        if subject and subject in subjects:
            with_subjects.append((community, subjects[subject]))
        for event_id in rng.sample(event_ids, min(len(event_ids), 2)):
            with_events.append((community, event_id))
    return communities, members, with_subjects, with_events


def _resources(region):
    return [
        Resource(
            region=region,
            title=title,
            kind=kind,
            url=url,
            description=f"{title}: материалы, курсы и инструменты для педагогов. "
            "Ресурс отобран методистами ЦНППМ.",
            tags=tags,
            audience=audience,
            published=index != 5,
            search_text=search_key(title, "", tags),
        )
        for index, (title, kind, url, audience, tags) in enumerate(RESOURCES)
    ] + [
        Resource(
            region=region,
            title="Муниципальная методическая служба: консультации",
            kind=ResourceKind.MUNICIPAL,
            url="https://mms-demo.example.ru/consult",
            description="Запись на консультации методистов муниципальной методической службы.",
            tags="консультации, ММС",
            audience=Audience.ALL,
            search_text=search_key("Муниципальная методическая служба: консультации", "", "ММС"),
        ),
        Resource(
            region=region,
            title="Муниципальный методический центр: банк материалов",
            kind=ResourceKind.MUNICIPAL,
            url="https://mms-demo.example.ru/bank",
            description="Материалы муниципальных методических объединений.",
            tags="ММС, материалы",
            audience=Audience.TEACHERS,
            search_text=search_key("Муниципальный методический центр: банк материалов"),
        ),
    ]


def _news(region, today):
    items = []
    for index, title in enumerate(NEWS):
        items.append(
            News(
                region=region,
                title=title,
                published_on=today - timedelta(days=7 * index + 1),
                text=NEWS_TEXT.format(title=title.lower()),
                published=index not in (4, 11),
                search_text=search_key(title),
            )
        )
    return items
