"""The analytical report (аналитическая справка) for a territory unit and a period.

DOCX in the structure of seed 004 §7–9:
1. general information (the unit, the period, how many indicators met their targets);
2. the federal indicators of the РС НМС (A3–A6 and the rest of the set A) — their own section;
3. each roadmap's targets (Khakassia, Primorye, Kirov) — a section each;
4. the results by track of the municipal monitoring (tracks 1–3), the municipal programme, the
   report indicators and the region's own;
5. the units below target (one level down) for each indicator;
6. conclusions: every indicator below target named;
7. address recommendations of the period;
8. management decisions based on the period and their effect in the next one.

XLSX: every value of the unit and of the units one level down, by subject where computed,
and the sheets of recommendations and decisions.

`scope` is None (the region), a Region, a Municipality, an Organization, a `dashboards.Place`
or a pair (scope_type, scope_id). The pages check who may read it; this module reads the
snapshots of the unit as computed.
"""

from collections import defaultdict
from io import BytesIO

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from nms.common import xlsx
from nms.monitoring import decisions as decisions_module
from nms.monitoring.cards import region_indicators
from nms.monitoring.dashboards import MODELS, Place, child_ids, fmt
from nms.monitoring.models import (
    Decision,
    IndicatorSet,
    Recommendation,
    ScopeType,
    Snapshot,
)
from nms.monitoring.selectors import with_organization_defaults
from nms.registry.models import Municipality, Organization, Region

FONT = "Times New Roman"
FEDERAL = IndicatorSet.FEDERAL
ROADMAPS = (
    IndicatorSet.KHAKASSIA_ROADMAP,
    IndicatorSet.PRIMORYE_ROADMAP,
    IndicatorSet.KIROV_ROADMAP,
)
OTHERS = (IndicatorSet.KHAKASSIA_REPORT, IndicatorSet.MUNICIPAL_PROGRAM, IndicatorSet.REGION)
TRACKS = {
    1: "Трек 1. Плановое повышение профессионального мастерства педагогических работников",
    2: "Трек 2. Устранение дефицита педагогических кадров",
    3: "Трек 3. Повышение квалификации педагогических работников в рамках приоритетных "
    "региональных и федеральных программ",
}
RESULT_COLUMNS = ("Код", "Показатель", "Значение", "Цель", "Оценка")


def as_place(region, scope) -> Place:
    if scope is None:
        return Place(ScopeType.REGION, region)
    if isinstance(scope, Place):
        return scope
    if isinstance(scope, Region):
        return Place(ScopeType.REGION, scope)
    if isinstance(scope, Municipality):
        return Place(ScopeType.MUNICIPALITY, scope)
    if isinstance(scope, Organization):
        return Place(ScopeType.ORGANIZATION, scope)
    scope_type, scope_id = scope
    return Place(scope_type, MODELS[scope_type].objects.get(pk=scope_id))


class _Data:
    """What both files are made of, read once."""

    def __init__(self, region, period: str, scope):
        self.region = region
        self.period = period
        self.place = as_place(region, scope)
        self.indicators = region_indicators(region)
        ids = [i.pk for i in self.indicators]
        rows = Snapshot.objects.filter(indicator_id__in=ids, period=period, region=region)
        self.own = {
            s.indicator_id: s
            for s in rows.filter(
                scope_type=self.place.scope_type, scope_id=self.place.id, subject__isnull=True
            )
        }
        if self.place.scope_type == ScopeType.ORGANIZATION:
            self.own = with_organization_defaults(self.own, self.place.obj, period, ids)
        self.subjects = defaultdict(list)
        for s in rows.filter(
            scope_type=self.place.scope_type, scope_id=self.place.id, subject__isnull=False
        ).select_related("subject"):
            self.subjects[s.indicator_id].append(s)
        self.children = defaultdict(list)
        if self.place.child_type:
            for s in rows.filter(
                scope_type=self.place.child_type,
                scope_id__in=child_ids(self.place),
                subject__isnull=True,
            ).order_by("scope_name"):
                self.children[s.indicator_id].append(s)
        self.recommendations = list(self._recommendations())
        self.decisions = list(self._decisions())

    def _recommendations(self):
        rows = Recommendation.objects.filter(region=self.region, period=self.period).exclude(
            status=Recommendation.Status.DRAFT
        )
        if self.place.scope_type == ScopeType.MUNICIPALITY:
            rows = rows.filter(municipality_id=self.place.id)
        elif self.place.scope_type == ScopeType.ORGANIZATION:
            rows = rows.filter(organization_id=self.place.id)
        return rows.select_related("indicator", "municipality", "organization").order_by(
            "addressee", "pk"
        )

    def _decisions(self):
        rows = Decision.objects.filter(region=self.region, base_period=self.period)
        if self.place.scope_type == ScopeType.MUNICIPALITY:
            rows = rows.filter(municipalities=self.place.id) | rows.filter(
                organizations__municipality_id=self.place.id
            )
        elif self.place.scope_type == ScopeType.ORGANIZATION:
            rows = rows.filter(organizations=self.place.id)
        return rows.distinct().prefetch_related("indicators", "municipalities", "organizations")

    # -- groups --------------------------------------------------------------------------------
    def of_set(self, indicator_set) -> list:
        return [i for i in self.indicators if i.indicator_set == indicator_set]

    def of_track(self, track: int) -> list:
        return [
            i
            for i in self.indicators
            if i.indicator_set == IndicatorSet.MUNICIPAL_TRACKS and i.track == track
        ]

    def untracked_municipal(self) -> list:
        return [
            i
            for i in self.indicators
            if i.indicator_set == IndicatorSet.MUNICIPAL_TRACKS and i.track not in TRACKS
        ]

    def below(self) -> list:
        """Indicators below target for the unit itself."""
        return [i for i in self.indicators if (s := self.own.get(i.pk)) and s.met is False]

    def below_children(self) -> list:
        """(indicator, [snapshots of units below target]) for every indicator with some."""
        found = []
        for indicator in self.indicators:
            units = [s for s in self.children.get(indicator.pk, []) if s.met is False]
            if units:
                found.append((indicator, units))
        return found


def verdict(snapshot) -> str:
    if snapshot is None:
        return "не рассчитан"
    if snapshot.status != Snapshot.Status.COMPUTED:
        return snapshot.get_status_display()
    if snapshot.met is None:
        return "без оценки"
    return "достигнуто" if snapshot.met else "НЕ ДОСТИГНУТО"


# -- DOCX ---------------------------------------------------------------------------------------
def _document():
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    return document


def _results_table(document, data: _Data, indicators: list) -> None:
    if not indicators:
        document.add_paragraph("Показателей этого раздела в каталоге региона нет.")
        return
    table = document.add_table(rows=1, cols=len(RESULT_COLUMNS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, RESULT_COLUMNS, strict=True):
        cell.text = title
    for indicator in indicators:
        s = data.own.get(indicator.pk)
        cells = table.add_row().cells
        cells[0].text = indicator.code
        cells[1].text = indicator.name
        cells[2].text = fmt(s.value if s else None, indicator.unit)
        cells[3].text = fmt(s.target if s else None, indicator.unit)
        cells[4].text = verdict(s)


def analytical_report_docx(region, period: str, scope=None) -> bytes:
    data = _Data(region, period, scope)
    place = data.place
    document = _document()
    document.add_heading("Аналитическая справка по результатам мониторинга", level=0)
    document.add_paragraph(f"{place.label.capitalize()}: {place.name}. Отчётный период: {period}.")

    computed = [s for s in data.own.values()]
    met = sum(1 for s in computed if s.met is True)
    not_met = sum(1 for s in computed if s.met is False)
    document.add_heading("1. Общие сведения", level=1)
    document.add_paragraph(
        f"Показателей в каталоге региона: {len(data.indicators)}; рассчитано за период: "
        f"{len(computed)}; целевое значение достигнуто: {met}; не достигнуто: {not_met}."
    )

    document.add_heading("2. Федеральные показатели РС НМС (A3–A6)", level=1)
    _results_table(document, data, data.of_set(FEDERAL))

    number = 3
    for indicator_set in ROADMAPS:
        indicators = data.of_set(indicator_set)
        if not indicators:
            continue
        document.add_heading(
            f"{number}. Целевые показатели: {IndicatorSet(indicator_set).label}", level=1
        )
        _results_table(document, data, indicators)
        number += 1

    document.add_heading(f"{number}. Результаты по трекам и показателям", level=1)
    for track, title in TRACKS.items():
        document.add_heading(title, level=2)
        _results_table(document, data, data.of_track(track))
    if data.untracked_municipal():
        document.add_heading("Муниципальный мониторинг: прочие показатели", level=2)
        _results_table(document, data, data.untracked_municipal())
    for indicator_set in OTHERS:
        indicators = data.of_set(indicator_set)
        if indicators:
            document.add_heading(IndicatorSet(indicator_set).label.capitalize(), level=2)
            _results_table(document, data, indicators)
    number += 1

    document.add_heading(f"{number}. Единицы ниже целевого значения", level=1)
    below_children = data.below_children()
    if not place.child_type:
        document.add_paragraph("Организация — нижний уровень мониторинга.")
    elif not below_children:
        document.add_paragraph("Единиц ниже целевого значения нет.")
    for indicator, units in below_children:
        document.add_paragraph(f"{indicator.code}. {indicator.name}", style="List Bullet")
        for s in units:
            document.add_paragraph(
                f"{s.scope_name}: {fmt(s.value, indicator.unit)} при цели "
                f"{fmt(s.target, indicator.unit)}",
                style="List Bullet 2",
            )
    number += 1

    document.add_heading(f"{number}. Выводы", level=1)
    below = data.below()
    if below:
        document.add_paragraph("Целевые значения не достигнуты по показателям:")
        for indicator in below:
            s = data.own[indicator.pk]
            document.add_paragraph(
                f"{indicator.code}. {indicator.name} — {fmt(s.value, indicator.unit)} при цели "
                f"{fmt(s.target, indicator.unit)}.",
                style="List Bullet",
            )
    else:
        document.add_paragraph("Все рассчитанные показатели достигли целевых значений.")
    if below_children:
        codes = ", ".join(i.code for i, _ in below_children)
        document.add_paragraph(
            f"Ниже цели находятся отдельные единицы по показателям: {codes} (см. раздел выше)."
        )
    number += 1

    document.add_heading(f"{number}. Адресные рекомендации", level=1)
    if data.recommendations:
        for r in data.recommendations:
            whom = r.organization or r.municipality or place.name
            code = f" ({r.indicator.code})" if r.indicator else ""
            document.add_paragraph(
                f"{r.get_addressee_display().capitalize()} — {whom}{code}: {r.text}",
                style="List Bullet",
            )
    else:
        document.add_paragraph("Адресные рекомендации за период не опубликованы.")
    number += 1

    document.add_heading(f"{number}. Управленческие решения и анализ их эффективности", level=1)
    if not data.decisions:
        document.add_paragraph("Управленческих решений по итогам периода не принято.")
    for decision in data.decisions:
        document.add_paragraph(
            f"{decision.title} ({decision.document or 'без реквизитов'}, "
            f"{decision.decided_on:%d.%m.%Y}); ответственный: {decision.responsible}; "
            f"срок: {decision.deadline:%d.%m.%Y}; состояние: {decision.get_status_display()}.",
            style="List Bullet",
        )
        document.add_paragraph(f"Меры: {decision.measures}")
        compared, rows = decisions_module.effect(decision)
        if compared is None:
            document.add_paragraph("Следующий период ещё не рассчитан: эффект оценивается позже.")
            continue
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        header = ("Показатель", "Единица", decision.base_period, compared, "Изменение")
        for cell, title in zip(table.rows[0].cells, header, strict=True):
            cell.text = title
        for row in rows:
            cells = table.add_row().cells
            cells[0].text = row.indicator.code
            cells[1].text = row.unit_name
            cells[2].text = fmt(row.before.value if row.before else None, row.indicator.unit)
            cells[3].text = fmt(row.after.value if row.after else None, row.indicator.unit)
            cells[4].text = row.verdict
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- XLSX ---------------------------------------------------------------------------------------
VALUE_COLUMNS = [
    ("Код", 8),
    ("Показатель", 60),
    ("Набор", 26),
    ("Трек", 6),
    ("Уровень", 14),
    ("Единица (территория)", 36),
    ("Предмет", 20),
    ("Числитель", 12),
    ("Знаменатель", 12),
    ("Значение", 12),
    ("Цель", 12),
    ("Оценка", 16),
    ("Состояние расчёта", 22),
]


def _number(value):
    return float(value) if value is not None else None


def _value_row(indicator, s, level_label: str, unit_name: str):
    return [
        indicator.code,
        indicator.name,
        indicator.get_indicator_set_display(),
        indicator.track or "",
        level_label,
        unit_name,
        s.subject.name if s is not None and s.subject_id else "",
        _number(s.numerator) if s else None,
        _number(s.denominator) if s else None,
        _number(s.value) if s else None,
        _number(s.target) if s else None,
        verdict(s),
        s.get_status_display() if s else "не рассчитан",
    ]


def analytical_report_xlsx(region, period: str, scope=None) -> bytes:
    data = _Data(region, period, scope)
    place = data.place
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = xlsx.add_sheet(workbook, "Значения", VALUE_COLUMNS)
    for indicator in data.indicators:
        xlsx.write_row(
            sheet, _value_row(indicator, data.own.get(indicator.pk), place.label, place.name)
        )
        for s in data.subjects.get(indicator.pk, []):
            xlsx.write_row(sheet, _value_row(indicator, s, place.label, place.name))
        for s in data.children.get(indicator.pk, []):
            xlsx.write_row(
                sheet,
                _value_row(indicator, s, ScopeType(place.child_type).label, s.scope_name),
            )
    sheet.freeze_panes = "A2"

    sheet = xlsx.add_sheet(
        workbook,
        "Рекомендации",
        [
            ("Адресат", 30),
            ("Кому", 40),
            ("Показатель", 10),
            ("Рекомендация", 80),
            ("Состояние", 14),
        ],
    )
    for r in data.recommendations:
        xlsx.write_row(
            sheet,
            [
                r.get_addressee_display(),
                str(r.organization or r.municipality or place.name),
                r.indicator.code if r.indicator else "",
                r.text,
                r.get_status_display(),
            ],
        )
    sheet = xlsx.add_sheet(
        workbook,
        "Решения",
        [
            ("Решение", 40),
            ("Документ", 24),
            ("Дата", 12),
            ("Показатель", 10),
            ("Единица", 36),
            ("Базовый период", 14),
            ("Значение", 12),
            ("Следующий период", 14),
            ("Значение", 12),
            ("Изменение", 12),
            ("Оценка", 20),
        ],
    )
    for decision in data.decisions:
        compared, rows = decisions_module.effect(decision)
        for row in rows:
            xlsx.write_row(
                sheet,
                [
                    decision.title,
                    decision.document,
                    decision.decided_on.strftime("%d.%m.%Y"),
                    row.indicator.code,
                    row.unit_name,
                    decision.base_period,
                    _number(row.before.value) if row.before else None,
                    compared or "",
                    _number(row.after.value) if row.after else None,
                    _number(row.change),
                    row.verdict,
                ],
            )
    info = workbook.create_sheet("Сведения")
    xlsx.write_row(info, ["Единица", place.name])
    xlsx.write_row(info, ["Уровень", place.label])
    xlsx.write_row(info, ["Период", period])
    return xlsx.workbook_bytes(workbook)
