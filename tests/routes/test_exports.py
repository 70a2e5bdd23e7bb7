"""Exports of routes: the Word form of one ИОМ and the XLSX register."""

from datetime import timedelta
from io import BytesIO

import docx
import pytest
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from nms.accounts.scope import scope_of
from nms.routes import selectors, services
from nms.routes.exports import LEVEL_TITLES, REGISTER_COLUMNS, SECTIONS, register_xlsx, route_docx
from nms.routes.models import ItemStatus, Level, Route, RouteItem, RouteType, Status
from tests.factories import EmploymentFactory
from tests.routes.conftest import TODAY, item_data

MAP_ITEMS = [
    (Level.PERSONAL, "Изучение методических рекомендаций по функциональной грамотности"),
    (Level.REGIONAL, "ДПП ПК «Формирование функциональной грамотности»"),
    (Level.MUNICIPAL, "Семинар муниципального методического объединения"),
    (Level.PERSONAL, "Открытый урок для коллег"),
]


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["cnppm"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=180)
    )


def _add_map(route, actors, items=MAP_ITEMS):
    for level, title in items:
        services.item_add(actors["cnppm"], route, item_data(level=level, title=title), None)


def _open(data: bytes):
    """The document and its tables as lists of rows of cell texts, keyed by the first cell."""
    document = docx.Document(BytesIO(data))
    tables = {}
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables.setdefault(rows[0][0], []).append(rows)
    return document, tables


def test_word_form_holds_all_four_sections(route, actors, entry_result):
    _add_map(route, actors)
    route = selectors.route_get(actors["cnppm"], route.pk)
    document, tables = _open(route_docx(route))
    paragraphs = [p.text for p in document.paragraphs]

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTIONS)
    assert any(route.person.full_name in text for text in paragraphs)
    period = f"{route.starts_on:%d.%m.%Y}–{route.ends_on:%d.%m.%Y}"
    assert f"Период реализации: {period}" in paragraphs
    assert "Тип маршрута: восполнение профессиональных дефицитов" in paragraphs
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert document.styles["Normal"].font.name == "Times New Roman"

    info = dict(tables["Место работы"][0])
    assert info["Занимаемая должность"] == "учитель"
    assert route.general_info["organization"] in info["Место работы"]

    assert f"Диагностика: Входная, {entry_result.taken_on:%d.%m.%Y}" in paragraphs
    assert tables["Область компетенций"][0][1:] == [
        ["методическая", "4", "10", "40", "да"],
        ["ИКТ", "8", "10", "80", "нет"],
    ]
    assert "Выявлены дефициты: методическая." in paragraphs


def test_word_map_groups_items_by_level_in_fixed_order(route, actors):
    _add_map(route, actors)
    document, tables = _open(route_docx(route))
    assert document.sections[1].orientation == WD_ORIENT.LANDSCAPE  # the wide map
    rows = tables["№"][0][1:]
    levels = [row[0] for row in rows if len(set(row)) == 1 and row[0] in LEVEL_TITLES.values()]
    assert levels == list(LEVEL_TITLES.values())

    by_level, current = {}, None
    for row in rows:
        if row[0] in LEVEL_TITLES.values():
            current = row[0]
            by_level[current] = []
        else:
            by_level[current].append(row)
    titles = {level: [row[1] for row in items] for level, items in by_level.items()}
    personal = titles[LEVEL_TITLES[Level.PERSONAL]]
    assert personal[0].endswith(MAP_ITEMS[0][1]) and personal[1].endswith(MAP_ITEMS[3][1])
    assert titles[LEVEL_TITLES[Level.MUNICIPAL]][0].endswith(MAP_ITEMS[2][1])
    assert titles[LEVEL_TITLES[Level.REGIONAL]] == [
        f"Программа повышения квалификации: {MAP_ITEMS[1][1]}"
    ]
    assert by_level[LEVEL_TITLES[Level.ORGANIZATION]] == [["—"] * 6]

    first = by_level[LEVEL_TITLES[Level.PERSONAL]][0]
    data = item_data()
    assert first[0] == "1"
    assert first[2] == "методическая: проектирование урока"
    assert first[3] == f"{data['starts_on']:%d.%m.%Y}–{data['due_on']:%d.%m.%Y}"
    assert first[4:] == [data["result_form"], "запланировано"]


def test_word_form_of_completed_route_has_evaluation_and_outcome(
    route, actors, exit_result_factory
):
    _add_map(route, actors, MAP_ITEMS[:1])
    exit_result_factory(methodical_share=70)
    route.exit_result = services.exit_result_for(route)
    route.status = Status.COMPLETED
    route.methodist = actors["methodist"]
    route.evaluation = "Цели маршрута достигнуты"
    route.self_evaluation = "Освоила приёмы формирующего оценивания"
    route.save()
    _, tables = _open(route_docx(route))

    texts = dict(tables["Оценка реализации ИОМ (методист)"][0])
    assert texts["Оценка реализации ИОМ (методист)"] == "Цели маршрута достигнуты"
    assert texts["Самооценка педагога"] == "Освоила приёмы формирующего оценивания"
    assert texts["Предложения администрации ОО"] == "—"
    _, outcome = tables["Область компетенций"]
    assert outcome == [
        ["Область компетенций", "Входная, %", "Выходная, %", "Изменение", "Дефицит закрыт"],
        ["методическая", "40", "70", "+30", "да"],
        ["ИКТ", "80", "90", "+10", "—"],
    ]
    signatures = tables["Педагог"][0]
    assert [row[0] for row in signatures] == ["Педагог", "Региональный методист", "Руководитель ОО"]
    assert actors["methodist"].display_name in signatures[1][1]


def test_word_export_queries_do_not_grow_with_the_map(route, actors, count_queries):
    def queries():
        fresh = selectors.route_get(actors["cnppm"], route.pk)
        count, _ = count_queries(route_docx, fresh)
        return count

    _add_map(route, actors, MAP_ITEMS[:1])
    one = queries()
    _add_map(route, actors)
    assert queries() == one


# -- the XLSX register -----------------------------------------------------------------------
def _sheet_rows(data: bytes):
    rows = list(load_workbook(BytesIO(data), read_only=True)["ИОМ"].iter_rows(values_only=True))
    return rows[0], {row[1]: row for row in rows[1:]}


def test_register_xlsx_has_a_row_per_route_with_its_values(route, actors, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    # The main employment is the full-time one, even when a part-time one is older.
    route.person.employments.update(is_part_time=True)
    EmploymentFactory(person=route.person, organization=b["school"])
    _add_map(route, actors, MAP_ITEMS[:3])
    route.items.filter(position=1).update(status=ItemStatus.DONE)
    route.items.filter(position=2).update(due_on=TODAY - timedelta(days=1))
    Route.objects.filter(pk=route.pk).update(
        status=Status.IN_PROGRESS, methodist=actors["methodist"]
    )
    other = services.route_create(actors["cnppm"], a["director"], TODAY, TODAY + timedelta(days=90))

    header, rows = _sheet_rows(register_xlsx(selectors.register(actors["cnppm"])))
    assert list(header) == [name for name, _ in REGISTER_COLUMNS]
    assert len(rows) == 2
    row = rows[route.person.snils]
    assert row[0] == route.person.full_name
    assert row[2:4] == (b["school"].short_name, b["municipality"].name)
    assert row[4:6] == ("восполнение профессиональных дефицитов", "реализуется")
    assert row[6].date() == route.starts_on and row[7].date() == route.ends_on
    assert row[8] == actors["methodist"].display_name
    assert row[9:12] == (3, 1, "да")
    assert row[12].date() == route.audit_due_on
    row = rows[other.person.snils]
    assert row[2:4] == (a["school"].short_name, a["municipality"].name)
    assert row[4:6] == (RouteType.DEVELOPMENT.label, "черновик")
    assert row[8:12] == (None, 0, 0, "нет")


def test_register_xlsx_keeps_to_the_scope(route, actors, two_municipalities):
    b = two_municipalities["b"]
    services.route_create(actors["cnppm"], b["teacher"], TODAY, TODAY + timedelta(days=90))
    _, rows = _sheet_rows(register_xlsx(selectors.register(actors["other_school"])))
    assert list(rows) == [b["teacher"].snils]


def _make_routes(count, school, region, methodist):
    for _ in range(count):
        person = EmploymentFactory(organization=school).person
        route = Route.objects.create(
            person=person, region=region, route_type=RouteType.DEFICITS, starts_on=TODAY,
            ends_on=TODAY + timedelta(days=90), methodist=methodist, status=Status.IN_PROGRESS,
        )  # fmt: skip
        for position in (1, 2):
            RouteItem.objects.create(
                route=route, position=position, level=Level.REGIONAL, activity_kind="event",
                title=f"Вебинар {position}", starts_on=TODAY, due_on=TODAY, result_form="отчёт",
            )  # fmt: skip


def test_register_xlsx_queries_do_not_grow_with_the_rows(
    region, actors, two_municipalities, count_queries
):
    school = two_municipalities["a"]["school"]

    def export():
        count, data = count_queries(lambda: register_xlsx(selectors.register(actors["cnppm"])))
        return count, len(_sheet_rows(data)[1])

    scope_of(actors["cnppm"])  # the scope's assignments are read once per request
    _make_routes(3, school, region, actors["methodist"])
    three, rows = export()
    assert rows == 3
    _make_routes(27, school, region, actors["methodist"])
    assert export() == (three, 30)
