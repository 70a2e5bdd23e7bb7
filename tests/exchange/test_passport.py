"""The regional passport of further professional education on a hand-built dataset: the
workbook's cells (opened with openpyxl), the page, the API and the access."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.exchange import passport
from nms.exchange.models import PassportExport
from nms.programs.models import Enrollment, Programme, Run
from tests.api_helpers import client_for

pytestmark = pytest.mark.django_db
START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def data(region, two_municipalities, users):
    from nms.diagnostics.models import Procedure, Result
    from nms.events.models import Event, Participation

    a, b = two_municipalities["a"], two_municipalities["b"]
    p1 = Programme.objects.create(
        region=region, title="Функциональная грамотность", hours=36, kind="pk",
        in_federal_registry=True, federal_number="ФР-1", provider_name="ИРО",
    )  # fmt: skip
    p2 = Programme.objects.create(
        region=region, title="Менеджмент в образовании", hours=250, kind="pp",
        provider_name="ИРО",
    )  # fmt: skip
    Programme.objects.create(region=region, title="Без потоков", hours=16, provider_name="Вуз")
    r1 = Run.objects.create(programme=p1, starts_on=date(2025, 2, 1), ends_on=date(2025, 3, 1))
    r2 = Run.objects.create(programme=p2, starts_on=date(2025, 4, 1), ends_on=date(2025, 6, 1))
    Run.objects.create(programme=p2, starts_on=date(2024, 2, 1), ends_on=date(2024, 3, 1))
    Enrollment.objects.create(
        run=r1, person=a["teacher"], organization=a["school"], status="completed",
        enrolled_on=date(2025, 2, 1), completed_on=date(2025, 3, 1), certificate_number="У-1",
    )  # fmt: skip
    Enrollment.objects.create(
        run=r2, person=a["director"], organization=a["school"], enrolled_on=date(2025, 4, 1)
    )
    Enrollment.objects.create(
        run=r1, person=b["teacher"], organization=b["school"], status="dropped",
        enrolled_on=date(2025, 2, 1), dropped_on=date(2025, 2, 15),
    )  # fmt: skip
    event = Event.objects.create(
        region=region, title="Семинар", kind="seminar", level="regional",
        starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 10),
    )  # fmt: skip
    Participation.objects.create(event=event, person=b["teacher"], organization=b["school"])
    procedure = Procedure.objects.create(
        region=region, name="Диагностика", level="regional", starts_on=START, ends_on=END
    )
    Result.objects.create(
        person=a["teacher"], procedure=procedure, taken_on=date(2025, 1, 15), source="import",
        share=40, has_deficit=True,
    )  # fmt: skip
    return {"a": a, "b": b, "users": users, "region": region}


def _sheet_dict(sheet):
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_workbook_cells(data):
    content = passport.passport_xlsx(passport.build(data["region"], START, END))
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == [
        "Паспорт",
        "Программы",
        "Категории",
        "Муниципалитеты",
        "Разработчики",
    ]
    summary = _sheet_dict(book["Паспорт"])
    assert summary["Регион"] == data["region"].name
    assert summary["Программ ДПП в каталоге региона"] == 3
    assert summary["Из них в ФР ДПП"] == 1
    assert summary["Программ профессиональной переподготовки"] == 1
    assert summary["Организаций-разработчиков"] == 2
    assert summary["Потоков (групп) в периоде"] == 2
    assert summary["Зачислений в периоде"] == 3
    assert summary["Завершений обучения в периоде"] == 1
    assert summary["Из них по программам ФР ДПП"] == 1
    assert summary["Отчислений в периоде"] == 1
    assert summary["Педагогических работников"] == 4
    assert summary["Прошли обучение по ДПП в периоде, чел."] == 1
    assert summary["Доля педагогических работников, прошедших обучение, %"] == 25
    assert summary["Участники мероприятий в периоде, чел."] == 1
    assert summary["Прошли диагностику профессиональных компетенций, чел."] == 1
    assert summary["Из них с выявленными дефицитами, чел."] == 1
    programmes = list(book["Программы"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[6], r[7], r[8], r[9]) for r in programmes] == [
        ("Менеджмент в образовании", "нет", 1, 1, 0),
        ("Функциональная грамотность", "да", 1, 2, 1),
    ]
    categories = {r[0]: r[1:] for r in book["Категории"].iter_rows(min_row=2, values_only=True)}
    assert categories["Педагогические работники"] == (4, 3, 1, 25)
    assert categories["Руководители (управленческие работники)"] == (2, 1, 0, 0)
    municipalities = list(book["Муниципалитеты"].iter_rows(min_row=2, values_only=True))
    by_name = {r[0]: r for r in municipalities}
    a_row = by_name[data["a"]["municipality"].name]
    b_row = by_name[data["b"]["municipality"].name]
    assert a_row[2:] == (2, 1, 50, 0, 1)
    assert b_row[2:] == (2, 0, 0, 1, 0)
    providers = list(book["Разработчики"].iter_rows(min_row=2, values_only=True))
    assert providers == [("Вуз", 1, 0), ("ИРО", 2, 1)]


def test_page_forms_the_passport_and_records_it(client, data):
    users = data["users"]
    client.force_login(users["school"])
    assert client.get(reverse("exchange-home")).status_code == 404
    client.force_login(users["cnppm"])
    assert client.get(reverse("exchange-home")).status_code == 200
    response = client.post(
        reverse("exchange-home"),
        {"region": data["region"].pk, "starts_on": "01.01.2025", "ends_on": "31.12.2025"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert _sheet_dict(book["Паспорт"])["Завершений обучения в периоде"] == 1
    record = PassportExport.objects.get()
    assert (record.starts_on, record.completions, record.created_by) == (START, 1, users["cnppm"])
    bad = client.post(
        reverse("exchange-home"),
        {"region": data["region"].pk, "starts_on": "01.01.2025", "ends_on": "01.01.2024"},
    )
    assert "раньше его начала" in bad.content.decode()
    assert PassportExport.objects.count() == 1


def test_api(data):
    users = data["users"]
    api = client_for(users["ministry"])
    params = {"starts_on": "2025-01-01", "ends_on": "31.12.2025"}
    answer = api.get("/api/v1/exchange/passport/", params)
    assert answer.status_code == 200, answer.content
    summary = {row["label"]: row["value"] for row in answer.json()["summary"]}
    assert summary["Завершений обучения в периоде"] == "1"
    assert PassportExport.objects.count() == 0
    file = api.get("/api/v1/exchange/passport/xlsx/", params)
    assert file.status_code == 200 and PassportExport.objects.count() == 1
    assert client_for(users["school"]).get("/api/v1/exchange/passport/").status_code == 403
    other = api.get("/api/v1/exchange/passport/", {"region": data["region"].pk + 1000})
    assert other.status_code == 404
