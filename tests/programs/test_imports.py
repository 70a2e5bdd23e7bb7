"""Imports of the app programs: the federal registry's list (XLSX and CSV), the region's
catalogue, completions — all-or-nothing, each bad row named."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import Workbook

from nms.programs import importers
from nms.programs.models import Enrollment, EnrollmentStatus, Programme, Run
from nms.routes.models import ItemStatus
from tests.programs.conftest import TODAY
from tests.programs.test_services import open_route, other_region_person

pytestmark = pytest.mark.django_db


def xlsx(rows) -> BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def d(day) -> str:
    return f"{day:%d.%m.%Y}"


FEDERAL_HEAD = [
    "Номер в ФР ДПП",
    "Наименование",
    "Объём, ч",
    "Организация-разработчик",
    "Аннотация",
]


def test_federal_registry_xlsx_creates_then_updates_by_number(users, region):
    rows = [
        FEDERAL_HEAD,
        ["2024-101", "Функциональная грамотность", 36, "Академия", "Про ФГ"],
        ["2024-102", "Цифровая школа", "72", "Академия", ""],
    ]
    report = importers.run_import(users["cnppm"], "federal", xlsx(rows))
    assert report.ok and (report.created, report.updated) == (2, 0)
    programme = Programme.objects.get(federal_number="2024-101")
    assert programme.in_federal_registry and programme.hours == 36 and programme.region == region
    rows[1][2] = 48
    report = importers.run_import(users["cnppm"], "federal", xlsx(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    programme.refresh_from_db()
    assert programme.hours == 48 and programme.version == 2


def test_federal_registry_csv_in_windows_1251(users):
    text = "Номер в ФР ДПП;Наименование;Объём, ч;Организация-разработчик\n2025-9;Инклюзия;24;ИРО\n"
    report = importers.run_import(users["cnppm"], "federal", BytesIO(text.encode("cp1251")))
    assert report.ok, report.errors
    assert Programme.objects.get(federal_number="2025-9").title == "Инклюзия"


def test_federal_registry_bad_rows_save_nothing(users):
    rows = [FEDERAL_HEAD, ["1", "А", 36], ["2", "", 36], ["3", "В", "много"], ["1", "Г", 36]]
    report = importers.run_import(users["cnppm"], "federal", xlsx(rows))
    assert not report.ok and Programme.objects.count() == 0
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "Наименование"),
        (4, "Объём, ч"),
        (5, "Номер в ФР ДПП"),
    }


def test_catalogue_import(users, areas):
    head = ["Наименование", "Вид", "Объём, ч", "Темы", "Области компетенций", "Слушатели"]
    rows = [head, ["Своя ДПП", "ПК", 36, "воспитание; профориентация", "Методическая", "педагоги"]]
    rows[1][4] = areas["methodical"].name
    report = importers.run_import(users["cnppm"], "catalogue", xlsx(rows))
    assert report.ok, report.errors
    programme = Programme.objects.get(title="Своя ДПП")
    assert programme.topics == ["upbringing", "career"] and not programme.in_federal_registry
    assert list(programme.areas.all()) == [areas["methodical"]]
    bad = [head, ["Другая", "ХЗ", 36, "космос", "Нет такой", ""]]
    report = importers.run_import(users["cnppm"], "catalogue", xlsx(bad))
    assert {e.column for e in report.errors} == {"Вид", "Темы", "Области компетенций"}
    assert Programme.objects.count() == 1


def test_only_the_catalogue_editors_import_the_catalogue(users):
    assert importers.available_kinds(users["methodist"]) == [("completions", "Завершения обучения")]
    assert importers.available_kinds(users["school"]) == []
    with pytest.raises(PermissionDenied):
        importers.run_import(users["methodist"], "federal", xlsx([FEDERAL_HEAD]))


COMPLETION_HEAD = ["СНИЛС", "Программа", "Начало", "Окончание", "Номер удостоверения"]


def test_completion_import_with_bad_rows_saves_nothing_and_names_each(
    users, two_municipalities, make_programme, make_run
):
    a = two_municipalities["a"]
    federal = make_programme("ФР", federal=True, federal_number="2024-5")
    run = make_run(federal)
    taken = Enrollment.objects.create(
        run=run,
        person=a["director"],
        enrolled_on=TODAY,
        status="completed",
        certificate_number="ЗАНЯТ",
        completed_on=run.ends_on,
    )
    stranger = other_region_person()
    start, end = TODAY - timedelta(days=30), TODAY - timedelta(days=20)
    rows = [
        COMPLETION_HEAD,
        [a["teacher"].snils, "2024-5", d(start), d(end), "OK-1"],  # row 2: fine
        ["112-233-445 95", "2024-5", d(start), d(end), "OK-2"],  # 3: unknown СНИЛС
        [a["teacher"].snils, "Нет такой программы", d(start), d(end), "OK-3"],  # 4
        [a["teacher"].snils, "ФР", d(end), d(start), "OK-4"],  # 5: end before start
        [a["teacher"].snils, "2024-5", d(start), d(end), "ЗАНЯТ"],  # 6: taken by another
        [stranger.snils, "2024-5", d(start), d(end), "OK-6"],  # 7: not employed in the scope
        [a["director"].snils, "2024-5", d(start), d(end), "OK-1"],  # 8: repeats row 2's number
    ]
    report = importers.run_import(users["cnppm"], "completions", xlsx(rows))
    assert not report.ok
    named = {(e.row, e.column): e.message for e in report.errors}
    assert named == {
        (3, "СНИЛС"): importers.UNKNOWN_SNILS,
        (4, "Программа"): importers.UNKNOWN_PROGRAMME,
        (5, "Окончание"): importers.END_BEFORE_START,
        (6, "Номер удостоверения"): importers.CERTIFICATE_TAKEN,
        (7, "СНИЛС"): importers.OUT_OF_SCOPE,
        (8, "Номер удостоверения"): "Этот номер уже встречается в строке 2",
    }
    assert list(Enrollment.objects.all()) == [taken] and Run.objects.count() == 1


def test_completion_import_records_and_closes_route_items(
    users, two_municipalities, make_programme, diagnose
):
    a = two_municipalities["a"]
    programme = make_programme("Методическая ФР", federal=True, federal_number="2023-1")
    diagnose(a["teacher"], TODAY - timedelta(days=90), methodical=20)
    route = open_route(a["teacher"], f"program:{programme.pk}")
    start, end = TODAY - timedelta(days=30), TODAY - timedelta(days=20)
    rows = [
        COMPLETION_HEAD + ["Дата удостоверения"],
        [a["teacher"].snils, "2023-1", d(start), d(end), "C-1", d(end)],
        [a["director"].snils, "Методическая ФР", d(start), d(end), "C-2", None],
    ]
    report = importers.run_import(users["cnppm"], "completions", xlsx(rows))
    assert report.ok, report.errors
    assert report.created == 2
    run = Run.objects.get()
    assert (run.starts_on, run.ends_on) == (start, end)
    mine = Enrollment.objects.get(person=a["teacher"])
    assert mine.status == EnrollmentStatus.COMPLETED and mine.completed_on == end
    assert mine.chosen_from_diagnostics and mine.organization == a["school"]
    assert route.items.get().status == ItemStatus.DONE
    # The same file again changes nothing.
    report = importers.run_import(users["cnppm"], "completions", xlsx(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_import_page_runs_the_job(users, make_programme):
    client = Client()
    client.force_login(users["cnppm"])
    assert client.get("/programs/import/").status_code == 200
    assert client.get("/programs/import/template/federal/").status_code == 200
    upload = xlsx([FEDERAL_HEAD, ["2026-1", "Профориентация", 36]])
    upload.name = "fr.xlsx"
    response = client.post("/programs/import/", {"kind": "federal", "file": upload})
    assert response.status_code == 302
    assert Programme.objects.filter(federal_number="2026-1").exists()
    other = Client()
    other.force_login(users["school"])
    assert other.get("/programs/import/").status_code == 404
