"""XLSX: seed 000's table imports and exports back, round-tripping every row; seed 003's rows
(Kirov) import; a bad file saves nothing and names each bad row."""

import json
from io import BytesIO

import pytest
from openpyxl import Workbook

from nms.roadmap import importers
from nms.roadmap.models import Activity, Direction, Measure, ResponsibleKind, Roadmap
from tests.roadmap.conftest import rows_for

pytestmark = pytest.mark.django_db


def workbook(rows, headers=importers.COLUMNS, title="Комплекс мер («дорожная карта»)") -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def new_roadmap(region, title="ДК"):
    return Roadmap.objects.create(region=region, title=title, starts_year=2023, ends_year=2024)


def snapshot(roadmap):
    return sorted(
        (
            a.number, a.measure.number, a.measure.title, a.measure.direction.number,
            a.measure.direction.title, a.title, a.responsible_kind, a.responsible_text,
            a.responsible_municipality_id, a.responsible_organization_id, a.executors,
            a.deadline_kind, a.deadline_text, a.deadline_dates, a.deadline_annual,
            a.deadline_from, a.deadline_to, a.result, a.indicator_id, a.target_value,
        )
        for a in Activity.objects.filter(roadmap=roadmap).select_related("measure__direction")
    )  # fmt: skip


def seed_000_rows():
    return json.loads((importers.DATA_DIR / "seed_000.json").read_text(encoding="utf-8"))["rows"]


def test_seed_000_imports_and_exports_back_round_tripping_every_row(users, region):
    user = users["cnppm"]
    first = new_roadmap(region)
    report = importers.import_roadmap(user, first, workbook(seed_000_rows()))
    assert report.ok, [str(e) for e in report.errors]
    activities = sum(1 for r in seed_000_rows() if r.get(importers.TITLE))
    assert report.created == activities == Activity.objects.filter(roadmap=first).count()
    assert Direction.objects.filter(roadmap=first).count() == 3
    assert Measure.objects.filter(direction__roadmap=first).count() == 13
    one = Activity.objects.get(roadmap=first, number="1.1.1")
    assert one.responsible_kind == ResponsibleKind.CNPPM and one.deadline_kind == "date"
    assert one.indicator.code == "B1"
    assert Activity.objects.get(roadmap=first, number="3.1.1").target_value == 250

    exported = importers.export_roadmap(first)
    second = new_roadmap(region, "Копия")
    report = importers.import_roadmap(user, second, BytesIO(exported))
    assert report.ok and report.created == activities
    assert snapshot(second) == snapshot(first)
    # the same file into the same roadmap again: every row unchanged
    again = importers.import_roadmap(user, second, BytesIO(exported))
    assert (again.created, again.updated, again.unchanged) == (0, 0, activities)


MEASURE_003 = "Наименование системообразующего мероприятия регионального уровня"
MINISTRY, IRO = "министерство образования Кировской области", "ИРО Кировской области"
# Kirov (seed 003) in the document's own columns and shape: (№, measure, activity, responsible,
# executors, deadline, result); a direction is a row of its № cell alone.
SEED_003_ROWS = [
    ("Направление 1 «Управление системой научно-методического сопровождения педагогических "
     "работников и управленческих кадров»",),
    ("1.1", "Сопровождение разработки и внедрения документации, сопровождающей "
     "функционирование РС НМС", "разработка Положение о РС НМС", MINISTRY, IRO,
     "май 2023 года", "утверждено Положение о РС НМС"),
    ("", "", "разработка комплекса мер («дорожной карты») по функционированию РС НМС на период "
     "до 2024 года", MINISTRY, IRO, "май 2023 года", "утвержден комплекс мер"),
    ("", "", "заключение соглашений (договоров) о совместной деятельности, в том числе с "
     "научно-методическими центрами", MINISTRY, IRO, "в течение 2023, 2024 годов",
     "заключено не менее 5 соглашений о сотрудничестве"),
    ("1.2", "Формирование и организация деятельности регионального методического актива",
     "рабочее совещание с представителями регионального методического актива", IRO, "ЦНППМ",
     "июнь, ежегодно", "ежегодно организуются совещания"),
    ("1.3", "Разработка критериев и индикаторов эффективности функционирования РС НМС",
     "мониторинг эффективности функционирования РС НМС", MINISTRY, IRO, "май, ноябрь ежегодно",
     "проведены мониторинги (два раза в год)"),
    ("Направление 2 «Непрерывное повышение профессионального мастерства педагогических "
     "работников и управленческих кадров»",),
    ("2.1", "Повышение квалификации с учетом выявленных профессиональных дефицитов",
     "организация диагностики уровня профессиональных компетенций педагогических работников "
     "по категориям", IRO, IRO, "февраль-март, сентябрь-ноябрь ежегодно",
     "не менее 10% ежегодно"),
    ("", "", "организация прохождения педагогами курсов повышения квалификации на базе Академии "
     "Минпросвещения России", IRO, "ЦНППМ",
     "в сроки, определенные Академией Минпросвещения России", ""),
    ("2.4", "Внедрение и реализация целевой модели наставничества",
     "адресная методическая поддержка, консультирование, сопровождение педагогических "
     "работников", IRO, "ЦНППМ, региональный методический актив", "постоянно",
     "организовано оказание адресной методической поддержки"),
    ("Направление 3 «Содержательно-методическое обеспечение непрерывного профессионального "
     "(педагогического) образования»",),
    ("3.1", "Информирование педагогической общественности об основных тенденциях развития "
     "образования", "создание, наполнение и сопровождение раздела «Навигатор образовательных "
     "ресурсов»", IRO, "ЦНППМ", "июнь 2023 года, далее – постоянно",
     "создан и регулярно наполняется раздел"),
    ("3.3", "Руководство деятельностью инновационных площадок", "организация деятельности "
     "региональных инновационных площадок по реализации проектов", MINISTRY, IRO, "ежегодно",
     "площадки функционируют"),
]  # fmt: skip
SEED_003_HEADERS = [
    "№ п/п", MEASURE_003, "Наименование мероприятия", "Ответственный субъект РС НМС",
    "Ответственный исполнитель (соисполнители)", "Срок", "Результат выполнения мероприятия",
]  # fmt: skip
SEED_003 = [
    {h: v for h, v in zip(SEED_003_HEADERS, row, strict=False) if v} for row in SEED_003_ROWS
]


def test_seed_003_rows_import_in_the_documents_own_columns(users, region):
    user = users["ministry"]
    roadmap = new_roadmap(region)
    report = importers.import_roadmap(user, roadmap, workbook(SEED_003, SEED_003_HEADERS))
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 10
    numbers = list(Activity.objects.filter(roadmap=roadmap).values_list("number", flat=True))
    assert numbers[:4] == ["1.1.1", "1.1.2", "1.1.3", "1.2.1"]
    first = Activity.objects.get(roadmap=roadmap, number="1.1.1")
    assert first.responsible_kind == ResponsibleKind.MINISTRY
    assert first.measure.title.startswith("Сопровождение разработки")
    assert Activity.objects.get(roadmap=roadmap, number="1.2.1").responsible_kind == "institute"
    assert Activity.objects.get(roadmap=roadmap, number="2.1.2").deadline_kind == "constant"
    assert Activity.objects.get(roadmap=roadmap, number="1.1.3").deadline_kind == "dates"


def test_a_bad_file_saves_nothing_and_names_each_bad_row(users, two_municipalities, region):
    user = users["cnppm"]
    roadmap = new_roadmap(region)
    rows = rows_for(two_municipalities["a"]["municipality"].name, "Школа")
    rows[2][importers.DEADLINE] = "31.02.2025"  # file row 5
    rows[3][importers.INDICATOR] = "Ж99"  # file row 6
    rows[5][importers.RESPONSIBLE] = None  # file row 8
    rows.append(
        {
            importers.TITLE: "Без номера",
            importers.NUMBER: "1.1.1",
            importers.RESPONSIBLE: "ЦНППМ",
            importers.DEADLINE: "2025",
        }
    )  # file row 12: a repeated number
    report = importers.import_roadmap(user, roadmap, workbook(rows))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (5, importers.DEADLINE), (6, importers.INDICATOR), (8, importers.RESPONSIBLE),
        (12, importers.NUMBER),
    }  # fmt: skip
    assert "ничего не сохранено" in report.summary
    assert not Activity.objects.exists() and not Direction.objects.exists()


def test_missing_columns_and_rows_before_a_direction(users, region):
    user = users["cnppm"]
    roadmap = new_roadmap(region)
    report = importers.import_roadmap(user, roadmap, workbook([{"№": "1"}], ["№", "Срок"]))
    assert {e.column for e in report.errors} == {importers.TITLE, importers.RESPONSIBLE}
    rows = [{importers.TITLE: "Что-то", importers.RESPONSIBLE: "ЦНППМ", importers.DEADLINE: "2025"}]
    report = importers.import_roadmap(user, roadmap, workbook(rows))
    assert "первого направления" in report.errors[0].message


def test_only_the_roadmaps_editors_import(users, region):
    roadmap = new_roadmap(region)
    report = importers.import_roadmap(users["municipal"], roadmap, workbook(seed_000_rows()))
    assert not report.ok and not Activity.objects.exists()
