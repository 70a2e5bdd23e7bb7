"""The demo region's share of the roadmap app: the roadmap built from seed 000's rows
(nms/roadmap/data/seed_000.json; its years moved so the roadmap runs from last year to next
year), plus a measure of municipal activities (one per municipality, due on 1 March every year);
statuses for the past periods (mostly done on time, some late, some overdue) and the current
one; tri-party agreements with all municipalities but one, cooperation, network and college
agreements; the system's documents, regional and municipal.

A few dozen rows in a few queries (bulk writes), deterministic from the seed. The documents have
no files in the demo (a version is uploaded on the document's page).
"""

import json
import random
from datetime import date, timedelta

from nms.common.importing import ErrorCollector
from nms.registry.models import Municipality
from nms.roadmap import importers
from nms.roadmap.models import (
    ActivityPeriod,
    Agreement,
    AgreementKind,
    Document,
    DocumentKind,
    DocumentLevel,
    Roadmap,
    Status,
)

DATA = importers.DATA_DIR / "seed_000.json"
MUNICIPAL_MEASURE = "Координация муниципальной инфраструктуры методического сопровождения"
DONE_SHARE, LATE_SHARE = 0.8, 0.1
PARTNERS = (
    "ФГАОУ ДПО «Академия Минпросвещения России»",
    "Научно-методический центр сопровождения педагогических работников университета",
    "ФГБОУ «Федеральный институт оценки качества образования»",
    "Региональный институт развития образования соседнего субъекта",
    "Ассоциация учителей-предметников",
    "Педагогический университет (НМЦ)",
)
EVIDENCE = (
    "Приказ издан, размещён на сайте",
    "Аналитическая справка подготовлена и направлена в министерство",
    "Мероприятие проведено, протокол и список участников приложены",
    "Отчёт размещён в разделе «Дорожная карта» сайта ЦНППМ",
)


def _rows(today: date, municipalities) -> list[dict]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    shift = {"2023": str(today.year - 1), "2024": str(today.year)}
    rows = []
    for row in data["rows"]:
        row = dict(row)
        if row.get(importers.DEADLINE) in shift:
            row[importers.DEADLINE] = shift[row[importers.DEADLINE]]
        for key in (importers.TITLE, importers.RESULT):
            if row.get(key):
                row[key] = (
                    row[key]
                    .replace("(2023 год)", f"({today.year - 1} год)")
                    .replace("(2024 год)", f"({today.year} год)")
                )
        rows.append(row)
        if row.get(importers.NUMBER) == "1.4.6":  # the end of direction 1: the municipal measure
            rows.append({importers.NUMBER: "1.5", importers.MEASURE: MUNICIPAL_MEASURE})
            for index, (_, name) in enumerate(municipalities, start=1):
                rows.append(
                    {
                        importers.NUMBER: f"1.5.{index}",
                        importers.TITLE: "Утверждение муниципального плана методического "
                        f"сопровождения педагогов: {name}",
                        importers.RESPONSIBLE: name,
                        importers.EXECUTORS: "муниципальная методическая служба",
                        importers.DEADLINE: "до 1 марта ежегодно",
                        importers.RESULT: "План утверждён и размещён на сайте",
                    }
                )
    return rows


def generate(region, *, seed, today) -> str:
    rng = random.Random(seed + 87)
    municipalities = list(
        Municipality.objects.filter(region=region).order_by("name", "id").values_list("pk", "name")
    )
    if not municipalities:
        return ""
    roadmap = Roadmap(
        region=region,
        title="Комплекс мер («дорожная карта») по созданию и функционированию региональной "
        "системы научно-методического сопровождения педагогических работников и управленческих "
        f"кадров на период до {today.year + 1} года",
        starts_year=today.year - 1,
        ends_year=today.year + 1,
        approved_on=date(today.year - 1, 3, 15),
        approved_by=f"Приказ министерства образования от 15.03.{today.year - 1} № 214",
    ).fill_search()
    roadmap.save()
    errors = ErrorCollector()
    parsed = importers.parse(importers.rows_of(_rows(today, municipalities)), region, errors)
    if errors.errors:
        raise ValueError("; ".join(str(e) for e in errors.errors))
    importers.save(roadmap, parsed)
    periods = _statuses(rng, roadmap, today)
    agreements = _agreements(rng, region, roadmap, municipalities, today)
    documents = _documents(rng, region, roadmap, municipalities, today)
    overdue = sum(1 for p in periods if p.is_overdue(today))
    return (
        f"Дорожная карта: мероприятий {roadmap.activities.count()}, отметок исполнения "
        f"{len(periods)} (просрочено {overdue}); соглашений {agreements}, документов {documents}."
    )


def _statuses(rng, roadmap, today) -> list:
    periods = list(ActivityPeriod.objects.filter(activity__roadmap=roadmap))
    for period in periods:
        if period.due_on < today:
            if rng.random() < DONE_SHARE:
                late = rng.random() < LATE_SHARE
                shift = rng.randint(1, 40) if late else -rng.randint(0, 30)
                period.done_on = min(period.due_on + timedelta(days=shift), today)
                period.status = Status.DONE
                period.evidence = rng.choice(EVIDENCE)
                continue
            period.status = rng.choice((Status.PLANNED, Status.IN_PROGRESS))
        elif period.due_on.year == today.year and rng.random() < 0.4:
            period.status = Status.IN_PROGRESS
    ActivityPeriod.objects.bulk_update(periods, ["status", "done_on", "evidence"])
    return periods


def _agreements(rng, region, roadmap, municipalities, today) -> int:
    start = roadmap.approved_on + timedelta(days=30)
    made = []
    for pk, name in municipalities[:-1] if len(municipalities) > 1 else municipalities:
        signed = start + timedelta(days=rng.randint(0, 60))
        made.append(
            Agreement(
                region=region, kind=AgreementKind.TRIPARTITE, number=f"ТС-{len(made) + 1}",
                subject="О взаимодействии министерства, ЦНППМ и органа управления образованием "
                f"({name}) в рамках региональной системы научно-методического сопровождения",
                municipality_id=pk, signed_on=signed, valid_from=signed,
            )
        )  # fmt: skip
    for index, partner in enumerate(PARTNERS[:5], start=1):
        signed = start + timedelta(days=rng.randint(0, 200))
        made.append(
            Agreement(
                region=region, kind=AgreementKind.COOPERATION, number=f"С-{index}",
                subject="О сотрудничестве в сфере научно-методического сопровождения педагогов",
                partner=partner, signed_on=min(signed, today), valid_from=min(signed, today),
                valid_to=date(today.year + 1, 12, 31),
            )
        )  # fmt: skip
    made.append(
        Agreement(
            region=region, kind=AgreementKind.NETWORK, number="СВ-1",
            subject="О сетевой реализации дополнительных профессиональных программ",
            partner=PARTNERS[5], signed_on=start, valid_from=start,
        )
    )  # fmt: skip
    for pk, name in municipalities[:2]:
        made.append(
            Agreement(
                region=region, kind=AgreementKind.EDUCATION, number=f"ПВ-{pk}",
                subject=f"О взаимодействии с педагогическим колледжем в подготовке кадров ({name})",
                municipality_id=pk, partner="Педагогический колледж", signed_on=start,
                valid_from=start,
            )
        )  # fmt: skip
    Agreement.objects.bulk_create([a.fill_search() for a in made])
    return len(made)


def _documents(rng, region, roadmap, municipalities, today) -> int:
    adopted = roadmap.approved_on
    regional = [
        (DocumentKind.SYSTEM_REGULATION, "Положение о региональной системе научно-методического "
         "сопровождения педагогических работников и управленческих кадров", "212"),
        (DocumentKind.ROADMAP, roadmap.title, "214"),
        (DocumentKind.RMA_REGULATION, "Положение о региональном методическом активе", "301"),
        (DocumentKind.RMA_ORDER, "О составе регионального методического актива", "305"),
        (DocumentKind.MONITORING_PROCEDURE, "Порядок мониторинга эффективности региональной "
         "системы научно-методического сопровождения", "410"),
        (DocumentKind.RUMO_REGULATION, "Положение о региональных учебно-методических "
         "объединениях", "118"),
    ]  # fmt: skip
    made = [
        Document(
            region=region, kind=kind, title=title, number=number, level=DocumentLevel.REGIONAL,
            adopted_on=adopted + timedelta(days=rng.randint(0, 90)), published=True,
        )
        for kind, title, number in regional
    ]  # fmt: skip
    for index, (pk, name) in enumerate(municipalities):
        if index % 2 == 0:
            made.append(
                Document(
                    region=region, kind=DocumentKind.STAFFING_PLAN, level=DocumentLevel.MUNICIPAL,
                    title=f"Муниципальный план кадрового обеспечения образовательных "
                    f"организаций ({name})", number=f"{40 + index}-р", municipality_id=pk,
                    adopted_on=adopted + timedelta(days=rng.randint(30, 200)),
                )
            )  # fmt: skip
        if index % 3 == 0:
            made.append(
                Document(
                    region=region, kind=DocumentKind.MUNICIPAL_REGULATION,
                    level=DocumentLevel.MUNICIPAL, municipality_id=pk,
                    title=f"Положение о муниципальной системе научно-методического "
                    f"сопровождения ({name})", number=f"{70 + index}-р",
                    adopted_on=adopted + timedelta(days=rng.randint(30, 200)),
                )
            )  # fmt: skip
    for document in made:
        document.adopted_on = min(document.adopted_on, today)
    Document.objects.bulk_create([d.fill_search() for d in made])
    return len(made)
