"""The events pages: the catalogue and its filters, creation and editing through the services,
recording participation, the person card's panel, the XLSX export and the import."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nms.events import services
from nms.events.models import Event, Participation
from nms.routes.models import ItemStatus

from .conftest import TODAY


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_catalogue_lists_and_filters(users, seminar, contest):
    client = page(users["teacher"])
    response = client.get(reverse("event-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert seminar.title.split("«")[0] in text and "Педагог года" in text
    assert "Добавить мероприятие" not in text and "Выгрузить в XLSX" not in text
    response = client.get(reverse("event-list"), {"kind": "contest"})
    assert "Педагог года" in response.content.decode()
    assert "Урок по обновлённым" not in response.content.decode()
    response = client.get(reverse("event-list"), {"for_low_results": "true"})
    assert "Педагог года" not in response.content.decode()


def test_nav_entry_for_everyone(users):
    for role in ("teacher", "school", "cnppm"):
        text = page(users[role]).get(reverse("home")).content.decode()
        assert f'href="{reverse("event-list")}"' in text, role


def test_export_xlsx(users, seminar, contest):
    response = page(users["cnppm"]).get(reverse("event-list"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Номер", "Наименование", "Вид")
    assert {r[1] for r in rows[1:]} == {seminar.title, contest.title}


def test_create_and_edit_an_event_on_the_page(users, two_municipalities, area):
    client = page(users["school"])
    school = two_municipalities["a"]["school"]
    data = {
        "title": "Мастер-класс «Функциональная грамотность»", "kind": "master_class",
        "level": "school", "starts_on": TODAY.strftime("%d.%m.%Y"),
        "ends_on": TODAY.strftime("%d.%m.%Y"), "organizer": school.pk,
        "topics": ["literacy"], "areas": [area.pk], "horizontal_learning": "on",
    }  # fmt: skip
    response = client.post(reverse("event-create"), data)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.horizontal_learning and event.topics == ["literacy"]
    assert event in page(users["school"]).get(reverse("event-organized")).context["events"]
    edit = reverse("event-edit", args=[event.pk])
    client.post(edit, data | {"title": "Первое", "version": 1})
    response = client.post(edit, data | {"title": "Второе", "version": 1})
    assert "Запись изменили, пока вы её редактировали" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Первое"
    refused = client.post(reverse("event-create"), data | {"level": "regional"})
    assert refused.status_code == 200 and "Вести это мероприятие вы не можете" in (
        refused.content.decode()
    )
    assert page(users["other_school"]).get(edit).status_code == 403


def test_record_participation_on_the_page_and_see_it_on_the_card(
    users, contest, two_municipalities, route_item
):
    teacher = two_municipalities["a"]["teacher"]
    item = route_item(f"event:{contest.pk}")
    client = page(users["school"])
    url = reverse("participation-create", args=[contest.pk])
    assert client.get(url).status_code == 200
    data = {"person": teacher.snils, "role": "winner", "stage": "school"}
    response = client.post(url, data | {"nomination": "Учитель года"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    response = client.post(url, {**data, "person": two_municipalities["b"]["teacher"].snils})
    assert "не найден среди ваших работников" in response.content.decode()
    card = page(users["teacher"]).get(reverse("person-detail", args=[teacher.pk]))
    text = card.content.decode()
    assert 'id="events-panel"' in text and "Педагог года" in text and "победитель" in text
    detail = page(users["cnppm"]).get(contest.get_absolute_url()).content.decode()
    assert "Победители и призёры" in detail and teacher.full_name in detail
    p = Participation.objects.get()
    edit = reverse("participation-edit", args=[p.pk])
    assert page(users["other_school"]).get(edit).status_code == 404
    response = client.post(edit, {"role": "prize", "stage": "school", "version": p.version})
    assert response.status_code == 302


def test_participation_list_scope(users, seminar, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    services.participation_record(users["cnppm"], seminar, {"person": a["teacher"]})
    services.participation_record(users["cnppm"], seminar, {"person": b["teacher"]})
    rows = page(users["school"]).get(reverse("participation-list")).context["participations"]
    assert [p.person for p in rows] == [a["teacher"]]
    detail = page(users["other_school"]).get(seminar.get_absolute_url()).content.decode()
    assert b["teacher"].full_name in detail and a["teacher"].full_name not in detail


def test_sites_pages(users, site, two_municipalities):
    assert page(users["teacher"]).get(reverse("site-list")).status_code == 200
    client = page(users["school"])
    response = client.get(site.get_absolute_url())
    assert response.status_code == 200 and "Отметить стажировку" in response.content.decode()
    data = {
        "person": two_municipalities["a"]["teacher"].snils,
        "programme": "Функциональная грамотность",
        "starts_on": TODAY.strftime("%d.%m.%Y"), "ends_on": TODAY.strftime("%d.%m.%Y"),
        "completed": "on",
    }  # fmt: skip
    response = client.post(reverse("internship-create", args=[site.pk]), data)
    assert response.status_code == 302
    assert page(users["school"]).get(reverse("internship-list")).context["internships"]
    assert page(users["school"]).get(reverse("site-edit", args=[site.pk])).status_code == 403


def _xlsx(rows) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["СНИЛС", "Номер мероприятия", "Роль", "Этап", "Номинация"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "участие.xlsx"
    return buffer


def test_import_saves_nothing_and_names_each_bad_row(users, seminar, contest, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    file = _xlsx(
        [
            [a["teacher"].snils, seminar.pk, "участник", None, None],
            ["112-233-445 95", seminar.pk, "участник", None, None],  # not in the registry
            [b["teacher"].snils, seminar.pk, "участник", None, None],  # not the school's
            [a["director"].snils, 999999, "участник", None, None],  # no such event
            [a["director"].snils, seminar.pk, "победитель", None, None],  # not a contest
            [a["director"].snils, contest.pk, "призёр", None, "Учитель года"],  # no stage
            [a["teacher"].snils, seminar.pk, "участник", None, None],  # repeated
            [a["director"].snils, contest.pk, "гость", "школьный", None],  # unknown role
        ]
    )
    response = page(users["school"]).post(
        reverse("participation-import"), {"kind": "participation", "file": file}
    )
    assert response.status_code == 302
    job = page(users["school"]).get(response["Location"])
    errors = job.context["job"].report["errors"]
    assert sorted({e["row"] for e in errors}) == [3, 4, 5, 6, 7, 8, 9]
    assert len(errors) == 7
    messages = {e["row"]: (e["column"], e["message"]) for e in errors}
    assert messages[3] == ("СНИЛС", "работника с таким СНИЛС нет в реестре")
    assert messages[4] == ("СНИЛС", "работник не найден среди ваших работников")
    assert messages[5] == ("Номер мероприятия", "мероприятие с таким номером не найдено")
    assert messages[7] == ("Этап", "укажите этап конкурса")
    assert "уже встречается в строке 2" in messages[8][1]
    assert messages[9][0] == "Роль" and "«призёр»" in messages[9][1]
    assert not Participation.objects.exists()


def test_import_of_good_rows(users, contest, two_municipalities, route_item):
    a = two_municipalities["a"]
    item = route_item(f"event:{contest.pk}")
    file = _xlsx(
        [
            [a["teacher"].snils, contest.pk, "победитель", "школьный", "Учитель года"],
            [a["teacher"].snils, contest.pk, "призёр", "муниципальный", "Учитель года"],
            [a["director"].snils, contest.pk, "член жюри или эксперт", "школьный", None],
        ]
    )
    page(users["school"]).post(
        reverse("participation-import"), {"kind": "participation", "file": file}
    )
    assert Participation.objects.filter(event=contest).count() == 3
    assert Participation.objects.filter(organization=a["school"]).count() == 3
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    template = page(users["school"]).get(reverse("participation-template"))
    assert template.status_code == 200
    assert page(users["teacher"]).get(reverse("participation-import")).status_code == 404


@pytest.mark.parametrize("name", ["participation-list", "internship-list", "event-organized"])
def test_lists_answer_the_roles_without_records(users, name, seminar):
    for role in ("teacher", "expert", "methodist", "municipal"):
        assert page(users[role]).get(reverse(name)).status_code == 200
