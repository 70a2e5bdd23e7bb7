"""Pages: the section for the administration (not for teachers), lists with search (ё as е),
filters and XLSX export, forms through the services, the public vacancy list for anonymous
visitors, the organization's staffing card, the import page."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.registry.models import Position, Subject
from nms.staffing.models import ScheduleRow, StaffSchedule, TargetContract, Vacancy
from tests.staffing.conftest import workbook

pytestmark = pytest.mark.django_db


def _vacancy(organization, published=True, **kwargs):
    return Vacancy.objects.create(
        organization=organization, position=Position.objects.get(name="учитель"),
        subject=Subject.objects.get(name="химия"), rates=Decimal(1), published=published,
        requirements="Высшее педагогическое", opened_on=date(2025, 9, 1), **kwargs,
    )  # fmt: skip


def test_public_vacancy_list_for_anonymous_visitors(client, world):
    shown = _vacancy(world.a["school"])
    _vacancy(world.b["school"], published=False)
    _vacancy(world.b["school"], closed_on=date(2025, 10, 1))
    response = client.get(reverse("public-vacancy-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.a["school"].short_name in page and world.b["school"].short_name not in page
    assert world.a["municipality"].name in page
    assert world.a["teacher"].last_name not in page  # no person's data
    found = client.get(reverse("public-vacancy-list"), {"q": "ХИМИЯ"})
    assert shown.requirements in found.content.decode()
    none = client.get(reverse("public-vacancy-list"), {"q": "физика"})
    assert "Вакансий не найдено" in none.content.decode()


def test_the_section_is_not_for_teachers(client, world):
    client.force_login(world.users["teacher"])
    assert client.get(reverse("staffing-home")).status_code == 404
    assert client.get(reverse("staffing-schedule-list")).status_code == 404
    client.force_login(world.users["school"])
    page = client.get(reverse("staffing-home")).content.decode()
    assert "Кадровая карточка" in page


def test_schedule_pages_rows_and_export(client, world):
    client.force_login(world.users["school"])
    response = client.post(
        reverse("staffing-schedule-create"),
        {"organization": world.a["school"].pk, "year": 2025, "approved_on": "30.08.2025"},
    )
    schedule = StaffSchedule.objects.get()
    assert response.status_code == 302 and response.url == schedule.get_absolute_url()
    add = reverse("staffing-schedule-row-add", args=[schedule.pk])
    teacher = Position.objects.get(name="учитель").pk
    maths = Subject.objects.get(name="математика").pk
    client.post(
        add, {"position": teacher, "subject": maths, "rates": "2", "filled": "3", "version": 1}
    )
    assert not ScheduleRow.objects.exists()  # filled over the rates: refused
    client.post(
        add, {"position": teacher, "subject": maths, "rates": "2", "filled": "1,5", "version": 1}
    )
    row = ScheduleRow.objects.get()
    page = client.get(schedule.get_absolute_url()).content.decode()
    assert "Открыть вакансию" in page and "0,50" in page
    listing = client.get(reverse("staffing-schedule-list"), {"q": world.a["school"].short_name[:6]})
    assert world.a["school"].short_name in listing.content.decode()
    export = client.get(reverse("staffing-schedule-list"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == (world.a["school"].inn, "2025/26", "учитель", "математика")
    client.post(reverse("staffing-schedule-row-delete", args=[row.pk]), {"version": 3})
    assert ScheduleRow.objects.exists()  # a stale version: nothing deleted
    client.post(reverse("staffing-schedule-row-delete", args=[row.pk]), {"version": 2})
    assert not ScheduleRow.objects.exists()


def test_another_schools_objects_answer_404(client, world):
    schedule = StaffSchedule.objects.create(organization=world.b["school"], year=2025)
    vacancy = _vacancy(world.b["school"])
    client.force_login(world.users["school"])
    for url in (
        reverse("staffing-schedule-detail", args=[schedule.pk]),
        reverse("staffing-schedule-edit", args=[schedule.pk]),
        reverse("staffing-vacancy-detail", args=[vacancy.pk]),
        reverse("staffing-organization", args=[world.b["school"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("staffing-vacancy-action", args=[vacancy.pk, "close"]))
    assert response.status_code == 404
    assert (
        world.b["school"].short_name
        not in client.get(reverse("staffing-vacancy-list")).content.decode()
    )


def test_vacancy_publish_from_its_page(client, world):
    vacancy = _vacancy(world.a["school"], published=False)
    client.force_login(world.users["school"])
    client.post(reverse("staffing-vacancy-action", args=[vacancy.pk, "publish"]), {"version": 1})
    vacancy.refresh_from_db()
    assert vacancy.published
    ministry = world.users["ministry"]
    client.force_login(ministry)
    assert client.get(vacancy.get_absolute_url()).status_code == 200
    client.post(reverse("staffing-vacancy-action", args=[vacancy.pk, "close"]), {"version": 2})
    vacancy.refresh_from_db()
    assert vacancy.closed_on is None  # the ministry reads only


def test_diploma_list_search_folds_yo_and_the_card(client, world):
    client.force_login(world.users["municipal"])
    page = client.get(reverse("staffing-diploma-list"), {"q": "далекова"}).content.decode()
    assert "Далёкова" in page and world.a["teacher"].last_name not in page
    card = client.get(reverse("staffing-organization", args=[world.a["school"].pk]))
    assert "преподают не по профилю: 1" in card.content.decode()
    person = client.get(reverse("person-detail", args=[world.far.pk])).content.decode()
    assert "Образование и профиль" in person and "не по профилю" in person


def test_contract_form_and_search(client, world):
    client.force_login(world.users["municipal"])
    response = client.post(
        reverse("staffing-contract-create"),
        {
            "municipality": world.a["municipality"].pk, "organization": world.a["school"].pk,
            "student_name": "Семёнова Анна", "institution": "УрГПУ", "signed_on": "01.09.2021",
            "study_ends_on": "30.06.2025", "graduated_on": "30.06.2025", "status": "studying",
            "person": world.far.snils,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = TargetContract.objects.get()
    assert contract.status == "employed" and contract.employment.person == world.far
    page = client.get(reverse("staffing-contract-list"), {"q": "семенова"}).content.decode()
    assert "Семёнова Анна" in page


def test_import_page_runs_the_job_and_reports_rows(client, world):
    client.force_login(world.users["school"])
    assert client.get(reverse("staffing-import")).status_code == 200
    headers = [
        "ИНН организации",
        "Учебный год",
        "Должность",
        "Предмет",
        "Ставок по штату",
        "Занято ставок",
    ]
    data = workbook(headers, [(world.a["school"].inn, "2025/26", "учитель", "физика", 1, 5)])
    data.name = "штат.xlsx"
    response = client.post(
        reverse("staffing-import"), {"kind": "schedule", "file": data}, follow=True
    )
    page = response.content.decode()
    assert "ничего не сохранено" in page and "больше, чем по штату" in page
    assert not StaffSchedule.objects.exists()
    template = client.get(reverse("staffing-import-template", args=["schedule"]))
    assert template.status_code == 200
    client.force_login(world.users["teacher"])
    assert client.get(reverse("staffing-import")).status_code == 404


def test_specialty_directory_pages(client, world):
    client.force_login(world.users["municipal"])
    page = client.get(reverse("staffing-specialty-list"), {"q": "математика"}).content.decode()
    assert "математика и информатика" in page
    assert client.get(reverse("staffing-specialty-create")).status_code == 404
    client.force_login(world.users["cnppm"])
    chemistry = Subject.objects.get(name="химия").pk
    response = client.post(
        reverse("staffing-specialty-create"),
        {"code": "44.03.01", "name": "Педагогическое образование (химия)", "subjects": [chemistry]},
    )
    assert response.status_code == 302
