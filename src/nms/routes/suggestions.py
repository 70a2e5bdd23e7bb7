"""Activities proposed for each deficit of a route, from whatever catalogues exist.

Each source is a function (area, subject_names, region_id) -> list[Suggestion]; later catalogues
(programmes, events, internship sites) plug in by adding themselves to SOURCES.
"""

from dataclasses import dataclass

from django.db.models import Count

from nms.itembank.models import CompetencyArea
from nms.routes.models import ActivityKind, Level, RouteItem, TemplateItem


@dataclass(frozen=True)
class Suggestion:
    area_id: int
    level: str
    activity_kind: str
    title: str
    result_form: str
    source: str = ""
    why: str = ""


# Typical activities by area and level, for when no catalogue offers anything yet.
TYPICAL = {
    "methodical": [
        (Level.REGIONAL, ActivityKind.PROGRAM, "ДПП ПК «Реализация требований обновлённых ФГОС»",
         "удостоверение о повышении квалификации"),
        (Level.MUNICIPAL, ActivityKind.EVENT, "Методический семинар по проектированию урока",
         "технологическая карта урока"),
        (Level.ORGANIZATION, ActivityKind.MENTORING, "Взаимопосещение уроков с наставником",
         "анализ посещённых уроков"),
    ],
    "psychological": [
        (Level.REGIONAL, ActivityKind.EVENT, "Вебинар «Учёт возрастных особенностей обучающихся»",
         "конспект, план применения"),
        (Level.ORGANIZATION, ActivityKind.CONSULTATION, "Консультация педагога-психолога ОО",
         "индивидуальный план работы с классом"),
    ],
    "communicative": [
        (Level.MUNICIPAL, ActivityKind.EVENT, "Тренинг «Конструктивное общение с родителями»",
         "сценарий родительского собрания"),
    ],
    "ict": [
        (Level.REGIONAL, ActivityKind.PROGRAM, "ДПП ПК «Цифровая образовательная среда»",
         "удостоверение о повышении квалификации"),
        (Level.PERSONAL, ActivityKind.SELF_STUDY, "Освоение ресурсов ФГИС «Моя школа»",
         "разработанный цифровой урок"),
    ],
    "upbringing": [
        (Level.REGIONAL, ActivityKind.EVENT, "Семинар «Рабочая программа воспитания»",
         "план воспитательной работы класса"),
    ],
    "subject": [
        (Level.REGIONAL, ActivityKind.PROGRAM, "ДПП ПК по предмету (предметные компетенции)",
         "удостоверение о повышении квалификации"),
        (Level.PERSONAL, ActivityKind.SELF_STUDY, "Решение заданий ЕГЭ/ОГЭ повышенной сложности",
         "портфолио решённых заданий"),
    ],
    "management": [
        (Level.REGIONAL, ActivityKind.INTERNSHIP, "Стажировка в ОО с высокими результатами",
         "программа развития ОО"),
    ],
}  # fmt: skip


def typical_source(area: CompetencyArea, subjects: list[str], region_id: int) -> list[Suggestion]:
    return [
        Suggestion(area.pk, level, kind, title, form, why="типовое мероприятие")
        for level, kind, title, form in TYPICAL.get(area.code, [])
    ]


def templates_source(area: CompetencyArea, subjects: list[str], region_id) -> list[Suggestion]:
    items = TemplateItem.objects.filter(area=area, template__region_id=region_id)
    return [
        Suggestion(area.pk, i.level, i.activity_kind, i.title, i.result_form, i.source,
                   why=f"из шаблона «{i.template.name}»")
        for i in items.select_related("template")[:5]
    ]  # fmt: skip


def practice_source(area: CompetencyArea, subjects: list[str], region_id) -> list[Suggestion]:
    """Activities most often put into other routes of the region for this area."""
    popular = (
        RouteItem.objects.filter(area=area, route__region_id=region_id)
        .values("level", "activity_kind", "title", "result_form", "source")
        .annotate(uses=Count("id"))
        .order_by("-uses", "title")[:5]
    )
    return [
        Suggestion(area.pk, p["level"], p["activity_kind"], p["title"], p["result_form"],
                   p["source"], why=f"в {p['uses']} маршрутах региона")
        for p in popular
    ]  # fmt: skip


SOURCES = [templates_source, practice_source, typical_source]


def suggest(route) -> dict[str, list[Suggestion]]:
    """Proposals for each deficit area of the route (or every area of a development route)."""
    rows = [d for d in route.deficits if d["is_deficit"]] or route.deficits
    areas = CompetencyArea.objects.in_bulk([d["area_id"] for d in rows])
    subjects = [s.strip() for s in route.general_info.get("subjects", "").split(",") if s.strip()]
    proposals = {}
    for row in rows:
        area = areas.get(row["area_id"])
        if area is None:
            continue
        seen, found = set(), []
        for source in SOURCES:
            for suggestion in source(area, subjects, route.region_id):
                if suggestion.title not in seen:
                    seen.add(suggestion.title)
                    found.append(suggestion)
        proposals[area.name] = found
    return proposals
