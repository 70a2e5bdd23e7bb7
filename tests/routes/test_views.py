"""ИОМ pages: scope, register and its filters, creation, the map, stale saves, workflow buttons,
reports, texts, versions, templates, exports."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nms.itembank.models import CompetencyArea
from nms.routes import services
from nms.routes.models import (
    ItemReport,
    ItemStatus,
    ReportDecision,
    Route,
    RouteItem,
    RouteTemplate,
    Status,
)
from tests.factories import EmploymentFactory, PersonFactory
from tests.routes.conftest import TODAY, item_data

WALK_TO_PROGRESS = [
    ("compose", "cnppm"),
    ("agree_school", "school"),
    ("agree_methodist", "methodist"),
    ("start", "methodist"),
]


def _d(day) -> str:
    return day.strftime("%d.%m.%Y")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["teacher"], two_municipalities["a"]["teacher"], TODAY, TODAY + timedelta(days=180)
    )


@pytest.fixture
def route_b(actors, two_municipalities):
    """A route of the other municipality's teacher, opened by the institute."""
    return services.route_create(
        actors["cnppm"], two_municipalities["b"]["teacher"], TODAY, TODAY + timedelta(days=90)
    )


def _walk(route, actors, steps):
    for name, actor in steps:
        route.refresh_from_db()
        services.transition(actors[actor], route, name, "ок", route.version)
    route.refresh_from_db()
    return route


@pytest.fixture
def running(route, actors):
    """The route with one item, walked to «реализуется»."""
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    _walk(route, actors, WALK_TO_PROGRESS)
    item.refresh_from_db()
    return route, item


# -- the register ------------------------------------------------------------------------------
def test_register_shows_only_scope(client, actors, route, route_b):
    client.force_login(actors["school"])
    page = client.get(reverse("route-list")).content.decode()
    assert route.person.last_name in page and route_b.person.last_name not in page
    assert "Найдено: 1" in page
    client.force_login(actors["other_school"])
    page = client.get(reverse("route-list")).content.decode()
    assert route_b.person.last_name in page and route.person.last_name not in page
    for name in ("route-detail", "route-versions", "route-docx", "route-item-add"):
        assert client.get(reverse(name, args=[route.pk])).status_code == 404


def test_register_filters_and_search(client, actors, running, route_b, two_municipalities):
    route, item = running
    client.force_login(actors["cnppm"])
    url = reverse("route-list")

    def found(**params):
        return int(re.search(r"Найдено: (\d+)", client.get(url, params).content.decode())[1])

    assert found() == 2
    assert found(municipality=two_municipalities["b"]["municipality"].pk) == 1
    assert found(organization=two_municipalities["a"]["school"].pk) == 1
    assert found(status=Status.IN_PROGRESS) == 1
    assert found(status=Status.DRAFT) == 1
    assert found(route_type="deficits") == 1
    assert found(methodist=actors["methodist"].pk) == 1
    assert found(overdue="true") == 0
    item.due_on = TODAY - timedelta(days=1)
    item.save()
    assert found(overdue="true") == 1 and found(overdue="false") == 1
    assert "просрочка" in client.get(url).content.decode()
    person = route.person
    person.last_name = "Семёнова"
    person.save()
    assert found(q="семенова") == 1
    assert found(q=person.snils) == 1
    partial = client.get(url, {"q": "семенова"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Семёнова" in partial


def test_register_xlsx_holds_filtered_scope(client, actors, route, route_b):
    client.force_login(actors["school"])
    response = client.get(reverse("route-list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == [route.person.snils]
    client.force_login(actors["cnppm"])
    response = client.get(reverse("route-list"), {"format": "xlsx", "status": "draft"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[1] for r in rows[1:]} == {route.person.snils, route_b.person.snils}


def _routes(actors, school, count):
    for _ in range(count):
        person = EmploymentFactory(organization=school).person
        route = services.route_create(actors["cnppm"], person, TODAY, TODAY + timedelta(days=90))
        services.item_add(actors["cnppm"], route, item_data(), None)
        route.methodist = actors["methodist"]
        route.save()


def test_register_query_count_does_not_depend_on_rows(
    client, actors, two_municipalities, count_queries
):
    def _register_queries(client) -> int:
        count, response = count_queries(client.get, reverse("route-list"))
        assert response.status_code == 200
        return count

    client.force_login(actors["cnppm"])
    school = two_municipalities["a"]["school"]
    _routes(actors, school, 3)
    few = _register_queries(client)
    _routes(actors, school, 27)
    assert _register_queries(client) == few


# -- the dashboard -----------------------------------------------------------------------------
def test_dashboard_for_each_actor(client, actors, running):
    route, item = running
    services.report_submit(actors["teacher"], item, text="Прошла курс")
    overdue = services.item_add(
        actors["methodist"], route, item_data(title="Просроченный пункт"), None
    )
    RouteItem.objects.filter(pk=overdue.pk).update(due_on=TODAY - timedelta(days=2))

    client.force_login(actors["teacher"])
    page = client.get(reverse("route-dashboard")).content.decode()
    assert "Мой маршрут" in page and "Просроченный пункт" in page
    client.force_login(actors["methodist"])
    page = client.get(reverse("route-dashboard")).content.decode()
    assert 'id="pending-reports"' in page and item.title in page
    assert f"?methodist={actors['methodist'].pk}" in page
    client.force_login(actors["other_school"])
    page = client.get(reverse("route-dashboard")).content.decode()
    assert "Просроченный пункт" not in page


def test_dashboard_lists_routes_awaiting_the_school(client, actors, route):
    services.item_add(actors["cnppm"], route, item_data(), None)
    _walk(route, actors, WALK_TO_PROGRESS[:1])
    client.force_login(actors["school"])
    page = client.get(reverse("route-dashboard")).content.decode()
    assert 'id="awaiting"' in page and route.person.full_name in page
    client.force_login(actors["cnppm"])
    assert 'id="awaiting"' not in client.get(reverse("route-dashboard")).content.decode()


# -- creation ----------------------------------------------------------------------------------
def test_teacher_creates_own_route(client, actors, entry_result):
    client.force_login(actors["teacher"])
    page = client.get(reverse("route-create")).content.decode()
    assert "СНИЛС или ФИО" not in page
    response = client.post(
        reverse("route-create"),
        {"starts_on": _d(TODAY), "ends_on": _d(TODAY + timedelta(days=120))},
    )
    route = Route.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "route-detail", args=[route.pk]
    )
    assert route.person == actors["teacher"].person and route.status == Status.DRAFT
    assert route.entry_result == entry_result
    page = client.get(response["Location"]).content.decode()
    assert "Раздел 1. Общие сведения" in page and "дефицит" in page


def test_cnppm_picks_the_person_by_snils_or_name(client, actors, two_municipalities):
    client.force_login(actors["cnppm"])
    url = reverse("route-create")
    dates = {"starts_on": _d(TODAY), "ends_on": _d(TODAY + timedelta(days=60))}
    twin = PersonFactory(last_name="Одинаков", region=two_municipalities["a"]["school"].region)
    PersonFactory(last_name="Одинаков", region=twin.region)
    page = client.post(url, {"person": "Одинаков", **dates}).content.decode()
    assert "Найдено несколько работников" in page
    page = client.post(url, {"person": "Несуществующий", **dates}).content.decode()
    assert "не найден в вашей области доступа" in page
    teacher = two_municipalities["b"]["teacher"]
    response = client.post(
        url, {"person": teacher.snils, "methodist": actors["methodist"].pk, **dates}
    )
    assert response.status_code == 302
    assert Route.objects.get(person=teacher).methodist == actors["methodist"]


def test_other_roles_cannot_open_the_creation_page(client, actors):
    for role in ("school", "methodist", "municipal", "ministry"):
        client.force_login(actors[role])
        assert client.get(reverse("route-create")).status_code == 404


# -- the map -----------------------------------------------------------------------------------
def _item_post(route, version, **overrides):
    area = CompetencyArea.objects.get(code="methodical")
    data = {
        "version": version,
        "level": "regional",
        "activity_kind": "program",
        "title": "ДПП ПК «Формирование функциональной грамотности»",
        "source": "",
        "area": area.pk,
        "competency": "проектирование урока",
        "starts_on": _d(TODAY),
        "due_on": _d(TODAY + timedelta(days=60)),
        "result_form": "удостоверение о повышении квалификации",
    }
    data.update(overrides)
    return data


def test_cnppm_adds_an_item_through_the_page(client, actors, route):
    client.force_login(actors["cnppm"])
    url = reverse("route-item-add", args=[route.pk])
    page = client.get(url).content.decode()
    assert "Добавить в карту" in page and "методическая" in page
    prefilled = client.get(url, {"title": "Методический семинар", "level": "municipal"})
    assert 'value="Методический семинар"' in prefilled.content.decode()
    response = client.post(url, _item_post(route, route.version))
    assert response.status_code == 302
    item = route.items.get()
    assert item.title.startswith("ДПП ПК") and item.level == "regional"
    route.refresh_from_db()
    assert route.version == 2
    detail = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert "Региональный уровень" in detail and item.title in detail


def test_item_after_the_route_end_is_refused_with_the_values_kept(client, actors, route):
    client.force_login(actors["cnppm"])
    late = _d(route.ends_on + timedelta(days=5))
    response = client.post(
        reverse("route-item-add", args=[route.pk]),
        _item_post(route, route.version, title="Поздний пункт", due_on=late),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Срок выходит за окончание маршрута" in page
    assert 'value="Поздний пункт"' in page
    assert not route.items.exists()


def test_stale_edit_keeps_first_change_and_second_users_input(client, actors, route):
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    route.refresh_from_db()
    url = reverse("route-item-edit", args=[route.pk, item.pk])
    client.force_login(actors["cnppm"])
    first_form = client.get(url).content.decode()
    second_form = client.get(url).content.decode()
    seen = re.search(r'name="version" value="(\d+)"', first_form)[1]
    assert seen == re.search(r'name="version" value="(\d+)"', second_form)[1] == str(route.version)

    assert client.post(url, _item_post(route, seen, title="Первая правка")).status_code == 302
    response = client.post(url, _item_post(route, seen, title="Вторая правка", competency="моё"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "уже изменён другим пользователем" in page and "сохраните ещё раз" in page
    assert 'value="Вторая правка"' in page and 'value="моё"' in page
    route.refresh_from_db()
    assert f'name="version" value="{route.version}"' in page
    item.refresh_from_db()
    assert item.title == "Первая правка"
    assert route.version == int(seen) + 1


def test_delete_item_and_teacher_cannot_edit_composed_map(client, actors, route):
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    other = services.item_add(actors["cnppm"], route, item_data(title="Лишний"), None)
    route.refresh_from_db()
    client.force_login(actors["cnppm"])
    url = reverse("route-item-delete", args=[route.pk, other.pk])
    assert client.post(url, {"version": route.version}).status_code == 302
    assert list(route.items.all()) == [item]
    _walk(route, actors, WALK_TO_PROGRESS[:1])
    client.force_login(actors["teacher"])
    assert client.get(reverse("route-item-add", args=[route.pk])).status_code == 404
    response = client.post(
        reverse("route-item-delete", args=[route.pk, item.pk]), {"version": route.version}
    )
    assert route.items.exists()
    assert "не можете менять карту" in _messages(client.get(response["Location"]))


# -- workflow ----------------------------------------------------------------------------------
def test_detail_shows_only_the_steps_of_the_role(client, actors, route):
    services.item_add(actors["cnppm"], route, item_data(), None)
    client.force_login(actors["cnppm"])
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert 'id="step-compose"' in page and 'id="step-close"' in page
    for role in ("teacher", "school", "municipal", "ministry"):
        client.force_login(actors[role])
        page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
        assert 'id="step-compose"' not in page


def test_wrong_role_posting_a_step_is_refused_and_state_kept(client, actors, route):
    services.item_add(actors["cnppm"], route, item_data(), None)
    route.refresh_from_db()
    url = reverse("route-transition", args=[route.pk, "compose"])
    data = {"comment": "попытка", "version": route.version}
    for role in ("teacher", "school", "methodist", "municipal", "ministry"):
        client.force_login(actors[role])
        response = client.post(url, data, follow=True)
        assert "выполняет другой участник" in _messages(response)
        route.refresh_from_db()
        assert route.status == Status.DRAFT
    client.force_login(actors["other_school"])
    assert client.post(url, data).status_code == 404

    client.force_login(actors["cnppm"])
    response = client.post(url, {"comment": "попытка"}, follow=True)  # no version
    assert "Страница устарела" in _messages(response)
    route.refresh_from_db()
    assert route.status == Status.DRAFT
    response = client.post(url, data, follow=True)
    assert "Выполнено" in _messages(response)
    route.refresh_from_db()
    assert route.status == Status.COMPOSED
    event = route.events.last()
    assert (event.from_status, event.to_status, event.comment) == ("draft", "composed", "попытка")
    assert "попытка" in response.content.decode()


# -- texts -------------------------------------------------------------------------------------
def test_texts_page_only_for_who_fills_them(client, actors, running):
    route, _ = running
    client.force_login(actors["school"])
    assert client.get(reverse("route-texts", args=[route.pk])).status_code == 404
    client.force_login(actors["cnppm"])
    page = client.get(reverse("route-texts", args=[route.pk])).content.decode()
    assert "Оценка методиста" in page and "Самооценка" not in page
    response = client.post(
        reverse("route-texts", args=[route.pk]),
        {"version": route.version, "evaluation": "Цели достигнуты"},
    )
    assert response.status_code == 302
    client.force_login(actors["teacher"])
    client.post(
        reverse("route-texts", args=[route.pk]),
        {"version": route.version + 1, "self_evaluation": "Освоила приёмы"},
    )
    route.refresh_from_db()
    assert (route.evaluation, route.self_evaluation) == ("Цели достигнуты", "Освоила приёмы")


# -- reports -----------------------------------------------------------------------------------
def test_report_submit_return_and_accept_through_pages(client, actors, running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    route, item = running
    url = reverse("route-item", args=[route.pk, item.pk])
    client.force_login(actors["methodist"])
    assert 'id="report-form"' not in client.get(url).content.decode()

    client.force_login(actors["teacher"])
    page = client.post(url, {"text": "", "link": ""}).content.decode()
    assert "Опишите результат" in page
    upload = SimpleUploadedFile("удостоверение.pdf", b"%PDF-1.4 test", "application/pdf")
    response = client.post(url, {"text": "Прошла курс", "link": "", "file": upload})
    assert response.status_code == 302
    report = ItemReport.objects.get()
    assert report.file.name and report.decision == ReportDecision.PENDING
    download = reverse("route-file", args=[route.pk, "report", report.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 test"
    client.force_login(actors["other_teacher"])
    assert client.get(download).status_code == 404
    client.force_login(actors["teacher"])

    decide = reverse("route-report-decide", args=[route.pk, report.pk])
    client.force_login(actors["cnppm"])
    response = client.post(decide, {"decision": "accept"}, follow=True)
    assert "принимает региональный методист" in _messages(response)
    client.force_login(actors["methodist"])
    response = client.post(decide, {"decision": "return", "comment": ""}, follow=True)
    assert "Укажите, что нужно доработать" in _messages(response)
    response = client.post(decide, {"decision": "return", "comment": "Приложите скан"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED

    client.force_login(actors["teacher"])
    client.post(url, {"text": "", "link": "https://example.ru/cert.pdf"})
    again = ItemReport.objects.get(decision=ReportDecision.PENDING)
    client.force_login(actors["methodist"])
    page = client.get(url).content.decode()
    assert "Приложите скан" in page and "Принять" in page
    client.post(reverse("route-report-decide", args=[route.pk, again.pk]), {"decision": "accept"})
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.evidence_link == "https://example.ru/cert.pdf"
    client.force_login(actors["teacher"])
    assert 'id="report-form"' not in client.get(url).content.decode()


# -- versions ----------------------------------------------------------------------------------
def test_versions_page_lists_versions_and_renders_a_snapshot(client, actors, route):
    item = services.item_add(actors["cnppm"], route, item_data(title="Первое название"), None)
    services.item_update(actors["cnppm"], item, {"title": "Второе название"}, None)
    client.force_login(actors["teacher"])
    page = client.get(reverse("route-versions", args=[route.pk])).content.decode()
    for reason in ("создание", "добавлен пункт «Первое название»", "изменён пункт"):
        assert reason in page
    for number in (1, 2, 3):
        assert reverse("route-version-detail", args=[route.pk, number]) in page
    old = client.get(reverse("route-version-detail", args=[route.pk, 2])).content.decode()
    assert "Первое название" in old and "Второе название" not in old and "региональный" in old
    new = client.get(reverse("route-version-detail", args=[route.pk, 3])).content.decode()
    assert "Второе название" in new
    assert client.get(reverse("route-version-detail", args=[route.pk, 9])).status_code == 404


# -- templates ---------------------------------------------------------------------------------
def test_template_created_and_applied_through_pages(
    client, actors, entry_result, two_municipalities
):
    client.force_login(actors["cnppm"])
    form = client.get(reverse("template-create")).content.decode()
    assert "Форма результата" in form and "Длительность, дней" in form and "Result" not in form
    methodical = CompetencyArea.objects.get(code="methodical")
    rows = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-level": "regional",
        "items-0-activity_kind": "program",
        "items-0-title": "ДПП ПК «Урок по ФГОС»",
        "items-0-area": methodical.pk,
        "items-0-start_offset_days": "0",
        "items-0-duration_days": "30",
        "items-0-result_form": "удостоверение",
        "items-1-title": "Без уровня",
    }
    data = {"name": "Методический дефицит", "description": "", "areas": [methodical.pk], **rows}
    page = client.post(reverse("template-create"), data).content.decode()
    assert "Обязательное поле" in page
    data["items-1-title"] = ""
    response = client.post(reverse("template-create"), data)
    assert response.status_code == 302
    template = RouteTemplate.objects.get()
    assert list(template.items.values_list("title", flat=True)) == ["ДПП ПК «Урок по ФГОС»"]
    assert "Методический дефицит" in client.get(reverse("template-list")).content.decode()

    EmploymentFactory(organization=two_municipalities["a"]["school"])  # no diagnostics
    url = reverse("template-apply", args=[template.pk])
    choice = {
        "municipality": two_municipalities["a"]["municipality"].pk,
        "starts_on": _d(TODAY),
        "ends_on": _d(TODAY + timedelta(days=90)),
    }
    page = client.post(url, {**choice, "preview": "1"}).content.decode()
    assert 'id="people-count">3<' in page
    page = client.post(url, {**choice, "only_deficit": "on", "preview": "1"}).content.decode()
    assert 'id="people-count">1<' in page
    assert "методическая (1 чел.)" in page
    response = client.post(url, {**choice, "create": "1"}, follow=True)
    assert "Создано 3 маршрута." in _messages(response)
    assert Route.objects.filter(template=template).count() == 3
    page = client.post(url, {**choice, "create": "1"}).content.decode()
    assert "Ни для кого из выбранных нельзя создать маршрут" in page


def test_template_pages_are_for_the_institute_only(client, actors):
    for role in ("teacher", "school", "methodist"):
        client.force_login(actors[role])
        assert client.get(reverse("template-list")).status_code == 404
        assert client.get(reverse("template-create")).status_code == 404


# -- the Word export ---------------------------------------------------------------------------
def test_route_docx_download(client, actors, route):
    services.item_add(actors["cnppm"], route, item_data(), None)
    client.force_login(actors["school"])
    response = client.get(reverse("route-docx", args=[route.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


# -- section 1 ---------------------------------------------------------------------------------
def test_teacher_fills_section_1_while_draft(client, actors, route):
    url = reverse("route-general-info", args=[route.pk])
    client.force_login(actors["teacher"])
    page = client.get(url).content.decode()
    assert route.general_info["position"] in page
    data = {
        "version": route.version,
        "organization": route.general_info["organization"],
        "position": "учитель",
        "subjects": "математика",
        "education": "высшее, педагогическое",
        "experience_years": "4,5",
        "category": "первая",
        "attestation_date": "31.02.2024",
    }
    response = client.post(url, data)
    assert "Введите правильную дату" in response.content.decode()
    data["attestation_date"] = "15.03.2024"
    assert client.post(url, data).status_code == 302
    route.refresh_from_db()
    assert route.general_info["attestation_date"] == "15.03.2024"
    assert route.general_info["experience_years"] == "4.5"
    assert route.versions.filter(reason__contains="раздел 1").exists()
    detail = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert "15.03.2024" in detail and "4,5" in detail

    client.force_login(actors["school"])
    assert client.get(url).status_code == 404
    client.force_login(actors["cnppm"])
    services.item_add(actors["cnppm"], route, item_data(), None)
    services.transition(actors["cnppm"], route, "compose", "ок", None)
    client.force_login(actors["teacher"])
    assert client.get(url).status_code == 404
