"""Build data/catalogue.json from CHECKLIST.md §2 (run once; the JSON is committed).

    .venv/bin/python src/nms/monitoring/data/build_catalogue.py ../shared/CHECKLIST.md

Every row of the §2 tables becomes an indicator: code, name, source, the numerator/denominator
wording, the target text with numeric targets per year where the text gives them, the
checklist's status. The computable ones are mapped by hand below (MAPPING) to population specs
(nms.monitoring.populations); the ones whose data the system does not keep (documents,
agreements, staffing tables, publications) are information-card items, unless an app's file
in data/updates/ defines them over its records (those entries replace the rows whole).
"""

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("catalogue.json")
# The indicators over the records of the later apps (catalogs, roadmap, staffing, outcomes,
# portal): one JSON list per app of whole entries, each replacing the checklist row of its code.
UPDATES = Path(__file__).with_name("updates")
ROW = re.compile(r"^\|\s*([A-G]\d+(?:\.\d+)?)\s*\|(.*)\|\s*$")
SETS = "ABCDEFG"


def P(population, distinct=None, also=None, any_of=None, none_of=None, match=None, **filters):
    spec = {"population": population}
    if filters:
        spec["filters"] = filters
    if distinct:
        spec["distinct"] = distinct
    if also:
        spec["also"] = also
    if any_of:
        spec["any_of"] = any_of
    if none_of:
        spec["none_of"] = none_of
    if match:
        spec["match"] = match
    return spec


def share(num, den, **extra):
    return {"method": "records", "unit": "share", "numerator": num, "denominator": den, **extra}


def count(num, **extra):
    return {"method": "records", "unit": "count", "numerator": num, **extra}


def card(scope="region", unit=None, note=""):
    extra = {"method": "card", "card_scope": scope}
    if unit:
        extra["unit"] = unit
    if note:
        extra["choices_made"] = note
    return extra


NOT_DRAFT = {"status__ne": "draft"}
IN_WORK = {"status__in": ["in_progress", "audit"]}
TECH_SUBJECTS = ["математика", "физика", "информатика", "химия", "биология"]
ROUTE_NOW = P("routes_active", **NOT_DRAFT)
CONTEST = P("participations", event_kind="contest")
PEDS = P("pedagogues")
YOUNG = P("young_teachers")
GENERAL_ORGS = P("organizations", kind="general")


def peds_with(*subs, base="pedagogues", **filters):
    return P(base, also=list(subs), **filters)


def org_with(*subs, **filters):
    return P("organizations", any_of=[{**s, "match": "organization"} for s in subs], **filters)


MONITORING_CYCLE = {
    "method": "function",
    "function": "monitoring_done",
    "unit": "yes_no",
    "choices_made": "Цикл мониторинга считается завершённым, если за год периода рассчитаны "
    "значения показателей региона (есть снимки за этот год).",
}

MAPPING = {
    # -- A ------------------------------------------------------------------------------------
    "A1": card(
        "region",
        "yes_no",
        "Дорожная карта не ведётся в системе: значение — по информационной карте региона (да/нет).",
    ),
    "A2": MONITORING_CYCLE,
    "A3": {
        "method": "function",
        "function": "a3",
        "unit": "share",
        "choices_made": "Знаменатель — все педагогические работники (должность педагогическая), "
        "не только прошедшие диагностику. Числитель — завершившие за период ДПП из ФР, "
        "адресующую область дефицита по результату диагностики, полученному до начала "
        "обучения, или выбранную пунктом ИОМ (правило nms.programs.selectors.a3_counts, "
        "выраженное через совокупности; use_programs_selector = true — считать регион и "
        "муниципалитеты самим a3_counts).",
        "parameters": {
            "numerator_spec": peds_with(P("completions", federal=True, chosen_by_diagnostics=True)),
            "denominator_spec": PEDS,
            "use_programs_selector": False,
        },
    },
    "A4": share(
        P(
            "organizations",
            with_management_team=True,
            also=[P("completions", manager=True, match="organization")],
        ),
        P("organizations", with_management_team=True),
        parameters={
            "team_rule": "any",
            "numerator_if_all": P(
                "organizations",
                with_management_team=True,
                none_of=[P("managers", match="organization", none_of=[P("completions")])],
            ),
        },
        choices_made="Команда «приняла участие», если хотя бы один её руководитель (руководитель, "
        "заместитель, руководитель подразделения) завершил ДПП за период (параметр team_rule = "
        "any; вариант «все руководители» — спецификация numerator_if_all). Знаменатель — ОО, "
        "где есть руководящие должности.",
    ),
    "A5": {
        "method": "records",
        "unit": "ratio",
        "direction": "at_most",
        "numerator": P("workers"),
        "denominator": P("rma_members", level="regional", status__ne="candidate"),
        "choices_made": "Числитель — ПР и УК региона (муниципалитета), знаменатель — члены "
        "регионального методического актива, действующие в периоде (кроме кандидатов).",
    },
    "A6": share(
        P(
            "young_teachers",
            any_of=[
                P("mentees"),
                ROUTE_NOW,
                P("support_acts"),
                P("caseloads"),
                P("participations"),
            ],
        ),
        YOUNG,
        choices_made="Формы поддержки: наставничество (наставляемый в паре), ИОМ (не черновик), "
        "акт методической поддержки, закрепление за методистом, участие в мероприятиях. Молодой "
        "педагог — до 35 лет со стажем до 3 лет на конец периода.",
    ),
    # -- B ------------------------------------------------------------------------------------
    "B1": card("region", "yes_no"),
    "B2": card("region", "yes_no"),
    "B3": card("region", "yes_no", "Паспорт ДПО не ведётся в системе."),
    "B4": share(
        P("routes_active", distinct="row", status="completed"),
        P("routes_active", distinct="row", **NOT_DRAFT),
        choices_made="Значение — доля завершённых ИОМ среди действующих в периоде.",
    ),
    "B5": share(P("results", level="federal", has_deficit=True), P("results", level="federal")),
    "B6": count(P("rma_members", level="regional", status__ne="candidate")),
    "B7": share(
        P("rma_members", level="regional", also=[P("completions")]),
        P("rma_members", level="regional"),
    ),
    "B8": card("region", "yes_no"),
    "B9": count(P("internship_sites")),
    "B10": share(peds_with(P("participations", horizontal=True), base="workers"), P("workers")),
    "B11": card("region", "count", "Тема «профессиональное выгорание» не отмечается у ДПП."),
    "B12": count(P("expert_roles")),
    "B13": card("region", "count"),
    "B14": card("region", "count"),
    "B15": card("region", "yes_no"),
    # -- C ------------------------------------------------------------------------------------
    **{c: card("region", "yes_no") for c in ("C1", "C2", "C5", "C6", "C7", "C8", "C30", "C34")},
    "C3": card(
        "municipality",
        "yes_no",
        "Соглашения с МО не ведутся: по карте МО; по региону — доля МО с соглашением.",
    ),
    "C4": card("region", "count"),
    "C9": count(P("rma_members", level="regional")),
    "C10": count(
        P(
            "rma_members",
            status="candidate",
            also=[
                P(
                    "workers",
                    category="highest",
                    education_level="higher",
                    pedagogical_education=True,
                    experience_gte=5,
                )
            ],
        ),
        choices_made="Требования к кандидату: высшая категория, высшее педагогическое "
        "образование, стаж не менее 5 лет.",
    ),
    "C11": share(peds_with(P("results")), PEDS),
    "C12": share(
        P("programmes", review_submitted_on__isnull=False),
        P("programmes"),
        choices_made="«Разработанные за год» — программы, внесённые в период.",
    ),
    "C13": share(
        peds_with(P("completions", federal=True), base="teachers"),
        P("teachers"),
        choices_made="Каскадная модель и Академия не различаются: считаются ДПП из ФР.",
    ),
    "C14": share(
        P("organizations", kind="general", also=[P("teams", federal=True, match="organization")]),
        GENERAL_ORGS,
    ),
    "C15": share(
        P("completions", also=[P("routes_active", route_type="post_course")]),
        P("completions"),
        choices_made="ИОМ после курса — маршрут типа «посткурсовое сопровождение», "
        "действующий в периоде.",
    ),
    "C16": share(P("internship_sites", programmes_updated_on__isnull=False), P("internship_sites")),
    "C17": count(P("internship_sites", new=True)),
    "C18": share(peds_with(P("internships")), PEDS),
    "C19": share(peds_with(P("routes", **NOT_DRAFT)), PEDS),
    "C20": count(P("rma_members", role="tutor")),
    "C21": share(
        P("routes_active", distinct="row", methodist__isnull=False, tutor__isnull=False, **IN_WORK),
        P("routes_active", distinct="row", **IN_WORK),
    ),
    "C22": share(
        P("organizations", low_results=True, also=[P("participations", match="organization")]),
        P("organizations", low_results=True),
    ),
    "C23": share(
        P("municipalities", also=[P("mentoring_schools", match="municipality")]),
        P("municipalities"),
    ),
    "C24": share(org_with(P("mentoring_programs"), P("mentees"), kind="general"), GENERAL_ORGS),
    "C25": share(P("young_teachers", also=[P("mentees")]), YOUNG),
    "C26": count(P("events", kind=["seminar", "webinar", "master_class", "round_table"])),
    "C27": share(peds_with(P("participations", burnout=True)), PEDS),
    "C28": card("region", "count"),
    "C29": card("region", "count"),
    "C31": count(P("events", kind="contest")),
    "C32": card("region", "count"),
    "C33": count(P("events", level="regional", kind=["forum", "conference"])),
    "C35": card("region", "count"),
    "C36": card("region", "share"),
    "C37": share(peds_with(P("expert_roles")), PEDS),
    # -- D ------------------------------------------------------------------------------------
    "D1": count(P("workers")),
    "D2": card("region", "count", "Кадры ЦНППМ по видам договоров не ведутся."),
    "D3": card("municipality", "yes_no"),
    "D4": count(P("rma_members", level="regional")),
    "D5": count(P("rma_members", also=[P("completions")])),
    "D6": share(
        P("rma_members", role="methodist", also=[P("completions")]),
        P("rma_members", role="methodist"),
    ),
    "D7": share(
        P("area_scores", distinct="row", is_deficit=True),
        P("area_scores", distinct="row"),
        choices_made="Общая доля баллов в дефиците; по областям — карта дефицитов.",
    ),
    "D8": count(P("events")),
    "D9": count(P("organizations", low_results=True)),
    "D10": count(P("events", for_low_results=True)),
    "D11": card("region", "count"),
    "D12": share(
        P("routes", distinct="row", route_type="deficits"), P("routes", distinct="row", **NOT_DRAFT)
    ),
    "D13": {
        "method": "function",
        "function": "routes_of_plan",
        "unit": "share",
        "parameters": {"plan": {}},
        "choices_made": "План — параметр plan (по году или default).",
    },
    "D14": card("region", "yes_no"),
    "D15": share(org_with(P("mentoring_programs"), P("mentees")), P("organizations")),
    "D16": count(P("participations", event_kind="contest", mentor=True)),
    "D17": card("region", "count"),
    "D18": card("region", "count"),
    # -- E ------------------------------------------------------------------------------------
    **{c: card("region", "yes_no") for c in ("E1", "E2", "E4", "E6", "E16", "E17")},
    "E3": card("region", "count"),
    "E5": count(P("events", kind="meeting")),
    "E7": {**MONITORING_CYCLE, "unit": "count", "function": "monitoring_cycles"},
    "E8": share(peds_with(P("results", level="regional"), base="workers"), P("workers")),
    "E9": share(peds_with(P("routes", entry_level="regional"), base="workers"), P("workers")),
    "E10": count(P("completions", federal=True)),
    "E11": count(P("events", horizontal=True)),
    "E12": card("region", "count"),
    "E13": count(P("support_acts")),
    "E14": share(
        P("organizations", low_results=True, also=[P("teams", match="organization")]),
        P("organizations", low_results=True),
    ),
    "E15": share(
        P("workers", low_results=True, also=[P("results"), P("routes_active")]),
        P("workers", low_results=True),
    ),
    "E18": card("region", "count"),
    "E19": card("region", "count"),
    # -- F ------------------------------------------------------------------------------------
    "F1.1": share(
        peds_with(P("results", level="federal"), base="teachers"), P("teachers"), by_subject=True
    ),
    "F1.2": share(peds_with(P("results", level="regional")), PEDS, by_subject=True),
    "F1.3": share(peds_with(P("results", level=["self", "municipal"])), PEDS),
    "F2.1": share(
        peds_with(ROUTE_NOW, organization_kind="general"),
        P("pedagogues", organization_kind="general"),
    ),
    "F2.2": card("organization", "share", "Признака ИППР у маршрута нет: по карте ОО."),
    "F2.3": share(
        peds_with(P("results", level="regional"), ROUTE_NOW),
        peds_with(P("results", level="regional")),
    ),
    "F3.1": share(peds_with(P("participations", event_kind=["club", "festival"])), PEDS),
    "F3.2": share(peds_with(CONTEST), PEDS),
    "F3.3": card("organization", "share"),
    "F4.1": {
        "method": "records",
        "unit": "yes_no",
        "numerator": P("municipal_coordinators"),
        "denominator": P("municipalities"),
        "choices_made": "Куратор — пользователь с ролью «муниципальный координатор»; по "
        "региону — доля МО, где он есть.",
    },
    "F4.2": share(
        P(
            "pedagogues",
            any_of=[
                P("routes_active", methodist__isnull=False, **NOT_DRAFT),
                P("routes_active", tutor__isnull=False, **NOT_DRAFT),
            ],
        ),
        PEDS,
    ),
    "F5.1": card("municipality", "yes_no"),
    "F5.2": share(peds_with(P("participations", event_level="municipal")), PEDS),
    "F5.3": share(P("pedagogues", any_of=[P("participations", role="speaker")]), PEDS),
    "F5.4": share(peds_with(P("expert_roles", level="regional")), PEDS),
    "F5.5": card("organization", "share"),
    "F5.6": share(
        peds_with(P("participations", event_level="regional")),
        PEDS,
        choices_made="Сетевые проекты региона — мероприятия регионального уровня.",
    ),
    "F5.7": count(P("internship_sites")),
    "F6.1": card("organization", "share"),
    "F6.2": share(P("pedagogues", part_time=True), PEDS, direction="at_most"),
    "F6.3": card("organization", "share"),
    "F6.4": share(P("pedagogues", load_total_gte=27), PEDS, direction="none"),
    "F6.5": card("organization", "yes_no"),
    "F7.1": card("organization", "share"),
    **{c: card("municipality", "yes_no") for c in ("F7.2", "F7.3", "F7.4", "F7.5")},
    "F8.1": card("municipality", "share"),
    "F8.2": card("organization", "share"),
    "F8.3": share(P("young_teachers", also=[P("mentees")]), YOUNG),
    "F8.4": share(peds_with(P("mentors")), PEDS),
    "F8.5": share(P("mentors", also=[CONTEST]), P("mentors")),
    "F8.6": card("organization", "yes_no"),
    "F8.7": card("municipality", "yes_no"),
    "F8.8": card("municipality", "yes_no"),
    "F8.9": card("organization", "share"),
    "F8.10": share(
        P("young_teachers", any_of=[P("caseloads"), P("routes_active", methodist__isnull=False)]),
        YOUNG,
    ),
    "F8.11": count(
        P("pedagogues", any_of=[P("support_acts"), P("mentees"), P("caseloads"), ROUTE_NOW])
    ),
    "F8.13": count(P("mentees", young=True)),
    "F8.15": count(P("young_teachers", also=[CONTEST])),
    "F8.16": share(P("young_teachers", also=[CONTEST]), YOUNG),
    "F8.17": share(org_with(P("mentoring_programs"), P("mentees")), P("organizations")),
    "F8.18": count(P("pedagogues", any_of=[P("mentees"), P("mentors")])),
    "F8.19": share(P("pedagogues", any_of=[P("mentees"), P("mentors")]), PEDS),
    "F8.20": count(peds_with(P("participations", event_kind="contest", stage="regional"))),
    "F8.21": share(peds_with(P("participations", event_kind="contest", stage="regional")), PEDS),
    "F8.22": count(peds_with(P("participations", event_kind="contest", stage="federal"))),
    "F8.23": count(P("participations", stage="federal", role=["prize", "winner"])),
    "F9.1": share(peds_with(P("completions", programme_kind="pk")), PEDS),
    "F9.2": share(peds_with(P("completions", federal=True)), PEDS),
    "F9.3": share(
        peds_with(P("completions", topic="fgos"), organization_kind="general"),
        P("pedagogues", organization_kind="general"),
    ),
    "F9.4": share(peds_with(P("completions", topic="digital")), PEDS),
    "F9.5": share(peds_with(P("completions", topic="literacy"), base="teachers"), P("teachers")),
    "F9.6": share(peds_with(P("completions", topic="quality")), PEDS),
    "F9.7": share(
        P(
            "pedagogues",
            also=[P("completions", programme_kind="pk")],
            any_of=[P("pedagogues", low_results=True), P("pedagogues", unfavourable=True)],
        ),
        P(
            "pedagogues",
            any_of=[P("pedagogues", low_results=True), P("pedagogues", unfavourable=True)],
        ),
    ),
    "F9.8": share(peds_with(P("completions", topic="gifted")), PEDS),
    "F9.9": card("organization", "share", "Совпадение предмета ДПП с преподаваемым — по карте ОО."),
    "F9.10": share(peds_with(P("completions", topic="inclusion")), PEDS),
    "F9.11": share(
        peds_with(
            P("completions", programme_kind="pk"), position="педагог дополнительного образования"
        ),
        P("pedagogues", position="педагог дополнительного образования"),
    ),
    "F9.12": share(peds_with(P("completions", topic="career")), PEDS),
    "F9.13": share(peds_with(P("completions", topic="upbringing")), PEDS),
    "F9.14": share(
        peds_with(P("completions", topic="preschool"), organization_kind="preschool"),
        P("pedagogues", organization_kind="preschool"),
    ),
    "F9.15": share(
        peds_with(P("completions", topic="tech"), base="teachers", subject=TECH_SUBJECTS),
        P("teachers", subject=TECH_SUBJECTS),
        choices_made="«За 3 года» — период расчёта задаётся трёхлетним диапазоном "
        "дат; в годовом периоде — за год.",
    ),
    # -- G ------------------------------------------------------------------------------------
    "G1": share(peds_with(P("completions", programme_kind="pk")), PEDS),
    "G2": share(
        P("routes_active", distinct="row", status="completed", evaluation__ne=""),
        P("routes_active", distinct="row", status="completed"),
    ),
    "G3": card("municipality", "yes_no"),
    "G4": card("organization", "share"),
    "G5": card("municipality", "yes_no"),
    "G6": share(
        peds_with(P("completions", federal=True)),
        PEDS,
        choices_made="Первая часть (≥3% ПР); вторая (≥50% команды каждой ОО) — A4 с "
        "правилом команды.",
    ),
    "G7": count(P("internship_sites")),
    "G8": card("municipality", "count"),
    "G9": count(P("mentees", distinct="row")),
    "G10": count(P("mentees")),
    "G11": card("municipality", "yes_no"),
    "G12": card("municipality", "yes_no"),
    "G13": card("municipality", "count"),
    "G14": count(P("workers")),
    "G15": share(P("workers", education_level=["higher", "postgraduate"]), P("workers")),
    "G16": share(
        P("pedagogues", category="highest"),
        PEDS,
        choices_made="Значение — доля высшей категории; первая и СЗД — тем же фильтром category.",
    ),
    "G17": share(peds_with(P("completions", programme_kind="pk")), PEDS),
    "G18": share(peds_with(ROUTE_NOW), PEDS),
    "G19": card("municipality", "share"),
    "G20": share(P("teachers", load_total_gte=27), P("teachers")),
    "G21": share(YOUNG, PEDS),
    "G22": share(
        P("workers", age_gte=55),
        P("workers"),
        parameters={"age": 55},
        choices_made="Пенсионный и предпенсионный возраст — 55 лет и старше.",
    ),
    "G23": {"method": "records", "unit": "yes_no", "numerator": P("mentoring_programs")},
    "G24": card("municipality", "yes_no"),
}


def clean(text: str) -> str:
    text = re.sub(r"\*\*(.*?)\*\*", r"\1", text)
    return re.sub(r"`([^`]*)`", r"\1", text).strip()


def targets_of(text: str):
    """(targets, direction) from a target text: «2023 ≥20% (000 ДК); 2024 ≥30%» →
    ({"2023": 20, "2024": 30}, at_least); «≤250 к 2024» → ({"2024": 250}, at_most)."""
    direction = "at_most" if re.search(r"[≤<]", text) else "at_least"
    targets = {}
    for year, value in re.findall(r"(20\d\d)\s*[≥≤<>]\s*(\d+(?:[.,]\d+)?)", text):
        targets[year] = float(value.replace(",", "."))
    if not targets:
        m = re.search(r"[≥≤<>]\s*(\d+(?:[.,]\d+)?)\s*%?(?:\s*(?:к|\()\s*(20\d\d))?", text)
        if m:
            key = m[2] or "default"
            targets[key] = float(m[1].replace(",", "."))
        elif re.match(r"^100\s*%", text):
            targets["default"] = 100.0
    for key, value in list(targets.items()):
        if value == int(value):
            targets[key] = int(value)
    return targets, direction


def unit_of(numden: str) -> str:
    low = numden.lower()
    if low.startswith("да/нет") and "ч:" not in low:
        return "yes_no"
    if "ч:" in low or "доля" in low:
        return "share"
    return "count"


def parse(checklist: str) -> list[dict]:
    text = Path(checklist).read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1].split("## 3.", 1)[0]
    rows = []
    for line in section.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m[2].split("|")]
        short, source, numden, target, data, status = cells[:6]
        code = m[1]
        targets, direction = targets_of(target)
        row = {
            "code": code,
            "name": clean(short),
            "indicator_set": code[0],
            "source": clean(source)[:300],
            "formation": clean(numden),
            "target_text": clean(target),
            "data_source": clean(data)[:300],
            "checklist_status": clean(status),
            "unit": unit_of(clean(numden)),
            "direction": direction if targets else "none",
            "targets": targets,
        }
        mapped = MAPPING.get(code)
        if mapped is None:
            mapped = card("region" if code[0] in "ABCDE" else "organization")
        row.update(json.loads(json.dumps(mapped)))
        if "card_scope" in row and row["method"] != "card":
            row.pop("card_scope")
        rows.append(row)
    return apply_updates(rows)


def apply_updates(rows: list[dict]) -> list[dict]:
    """Replace the rows whose codes an app's updates file defines (unknown codes are an error)."""
    by_code = {row["code"]: n for n, row in enumerate(rows)}
    seen = {}
    for path in sorted(UPDATES.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            code = entry["code"]
            if code not in by_code:
                raise SystemExit(f"{path.name}: no row {code} in the checklist")
            if code in seen:
                raise SystemExit(f"{path.name}: {code} is already defined by {seen[code]}")
            seen[code] = path.name
            rows[by_code[code]] = entry
    return rows


def main(argv):
    checklist = argv[1] if len(argv) > 1 else "../shared/CHECKLIST.md"
    rows = parse(checklist)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} показателей → {OUT}")


if __name__ == "__main__":
    main(sys.argv)
