"""Pages of procedures and online testing: forms, assembly, the answer sheet, results, scope."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nms.accounts.models import Role
from nms.diagnostics import services
from nms.diagnostics.models import (
    Answer,
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Group,
    Procedure,
    Result,
)
from nms.diagnostics.variants import assemble_variants
from nms.itembank.models import ItemKind
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.itembank.conftest import make_item

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def _day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).strftime("%d.%m.%Y")


def _procedure_post(**changes) -> dict:
    data = {
        "name": "Входная диагностика 2025",
        "level": "regional",
        "kind": "entry",
        "starts_on": _day(0),
        "ends_on": _day(30),
        "threshold": "60",
        "time_limit_minutes": "45",
        "seed": "7",
        "bp-methodical-easy": "2",
        "bp-methodical-medium": "1",
        "bp-ict-hard": "1",
    }
    data.update(changes)
    return data


def _block(page: str, item_pk: int) -> str:
    """The HTML of one item's form on the answer sheet."""
    start = page.index(f'id="item-{item_pk}"')
    return page[start : page.index("</form>", start)]


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


# -- procedures, groups, variants ------------------------------------------------------------
def test_create_procedure_with_blueprint(client, cnppm, areas):
    client.force_login(cnppm)
    form = client.get(reverse("procedure-create")).content.decode()
    assert 'name="bp-management-hard"' in form and "ДД.ММ.ГГГГ" in form
    response = client.post(reverse("procedure-create"), _procedure_post(threshold="55,5"))
    procedure = Procedure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedure-detail", args=[procedure.pk])
    assert procedure.starts_on == date.today() and procedure.created_by == cnppm
    assert str(procedure.threshold) == "55.50"
    rows = {r.area.code: (r.easy, r.medium, r.hard) for r in procedure.blueprint.all()}
    assert rows == {"methodical": (2, 1, 0), "ict": (0, 0, 1)}
    page = client.get(response["Location"]).content.decode()
    assert "Заданий в варианте" in page and "<th>4</th>" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "31.02.2025"}, "Введите правильную дату."),
        ({"ends_on": _day(-5)}, "Окончание не может быть раньше начала."),
        ({"threshold": "150"}, "Убедитесь, что это значение меньше либо равно 100."),
        ({"bp-ict-hard": "-1"}, "Убедитесь, что это значение больше либо равно 0."),
        ({"bp-ict-hard": "два"}, "Введите целое число."),
        (
            {"bp-methodical-easy": "", "bp-methodical-medium": "0", "bp-ict-hard": ""},
            "Спецификация пуста",
        ),
        ({"level": "municipal"}, "Для муниципальной диагностики укажите муниципалитет."),
        ({"name": ""}, "Обязательное поле."),
    ],
)
def test_bad_procedure_input_gives_russian_messages_and_saves_nothing(
    client, cnppm, areas, changes, message
):
    client.force_login(cnppm)
    response = client.post(reverse("procedure-create"), _procedure_post(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Procedure.objects.exists() and not BlueprintRow.objects.exists()


def test_three_groups_assembled_and_overlap_shown(
    client, cnppm, procedure, bank, two_municipalities
):
    client.force_login(cnppm)
    a, b = two_municipalities["a"], two_municipalities["b"]
    url = reverse("group-create", args=[procedure.pk])
    preview = client.post(url, {"organization": a["school"].pk, "preview": "1"}).content.decode()
    assert 'id="preview-count">2<' in preview
    assert not Group.objects.exists()
    for data in (
        {"name": "Школа А", "organization": a["school"].pk},
        {"name": "Руководители Б", "municipality": b["municipality"].pk, "manager": "true"},
        {"name": "Остальные"},
    ):
        assert client.post(url, data).status_code == 302
    groups = list(procedure.groups.order_by("number"))
    assert [set(g.members.all()) for g in groups] == [
        {a["teacher"], a["director"]},
        {b["director"]},
        {b["teacher"]},
    ]
    nobody = client.post(url, {"name": "Пусто"}).content.decode()
    assert "не подходит ни один работник" in nobody

    response = client.post(reverse("procedure-assemble", args=[procedure.pk]), follow=True)
    page = response.content.decode()
    assert "Варианты собраны" in page
    overlap = page[page.index('id="overlap"') :]
    assert overlap.count("<tr>") == 1 + 3  # header and three pairs
    assert "Школа А</td><td>Руководители Б" in overlap
    groups_table = page[page.index('id="groups"') : page.index('id="overlap"')]
    assert groups_table.count("<td>7</td>") == 3  # each variant has the blueprint's 7 items

    detail = client.get(reverse("group-detail", args=[groups[0].pk])).content.decode()
    assert a["teacher"].full_name in detail and b["teacher"].full_name not in detail
    assert "<th>Ключ</th>" in detail  # ЦНППМ may see the bank's keys


def test_assembly_errors_are_russian_messages(client, cnppm, procedure, areas, two_municipalities):
    client.force_login(cnppm)
    url = reverse("procedure-assemble", args=[procedure.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Добавьте хотя бы одну группу." in page
    services.group_create(cnppm, procedure, "Все", {})
    page = client.post(url, follow=True).content.decode()
    assert "нужно 1, утверждено в банке 0" in page


def test_municipal_user_cannot_manage_regional_procedure(
    client, make_user, procedure, bank, two_municipalities
):
    a = two_municipalities["a"]
    municipal = make_user(Role.MUNICIPAL, municipality=a["municipality"])
    client.force_login(municipal)
    detail = client.get(reverse("procedure-detail", args=[procedure.pk])).content.decode()
    assert 'id="assemble"' not in detail and "Добавить группу" not in detail
    group_url = reverse("group-create", args=[procedure.pk])
    assert client.get(group_url).status_code == 404
    assert client.post(group_url, {"name": "Моя"}).status_code == 404
    assert client.post(reverse("procedure-assemble", args=[procedure.pk])).status_code == 404
    assert client.get(reverse("procedure-blueprint", args=[procedure.pk])).status_code == 404
    assert not Group.objects.exists()
    # It may create only municipal procedures, and they are its municipality's.
    regional = client.post(reverse("procedure-create"), _procedure_post()).content.decode()
    assert "Выберите корректный вариант" in regional and not Procedure.objects.filter(
        name="Входная диагностика 2025"
    )
    client.post(reverse("procedure-create"), _procedure_post(level="municipal"))
    created = Procedure.objects.get(name="Входная диагностика 2025")
    assert created.level == "municipal" and created.municipality == a["municipality"]


def test_procedure_pages_are_not_for_teachers(client, make_user, procedure, two_municipalities):
    client.force_login(make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"]))
    for name in ("procedure-list", "procedure-create"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("procedure-detail", args=[procedure.pk])).status_code == 404


def test_procedure_list_and_home_for_managers(client, cnppm, make_user, procedure):
    client.force_login(cnppm)
    home = client.get(reverse("diagnostics-home")).content.decode()
    assert reverse("procedure-list") in home and "Мои диагностики" not in home
    listing = client.get(reverse("procedure-list")).content.decode()
    assert procedure.name in listing and reverse("procedure-create") in listing
    ministry = make_user(Role.MINISTRY)
    client.force_login(ministry)
    listing = client.get(reverse("procedure-list")).content.decode()
    assert procedure.name in listing and reverse("procedure-create") not in listing
    detail = client.get(reverse("procedure-detail", args=[procedure.pk])).content.decode()
    assert 'id="assemble"' not in detail
    assert client.get(reverse("procedure-create")).status_code == 404
    assert client.post(reverse("procedure-assemble", args=[procedure.pk])).status_code == 404


def test_blueprint_edit_and_group_delete(client, cnppm, procedure, areas, two_municipalities):
    client.force_login(cnppm)
    url = reverse("procedure-blueprint", args=[procedure.pk])
    assert 'value="1"' in client.get(url).content.decode()  # the current rows
    bad = client.post(url, {"bp-ict-easy": "0"}).content.decode()
    assert "Спецификация пуста" in bad and procedure.blueprint.count() == 3
    assert client.post(url, {"bp-upbringing-medium": "2"}).status_code == 302
    assert [(r.area.code, r.medium) for r in procedure.blueprint.all()] == [("upbringing", 2)]

    group = services.group_create(cnppm, procedure, "Все", {})
    response = client.post(reverse("group-delete", args=[group.pk]))
    assert response["Location"] == reverse("procedure-detail", args=[procedure.pk])
    assert not Group.objects.exists()


def test_procedure_pages_run_a_fixed_number_of_queries(
    client, cnppm, procedure, bank, count_queries
):
    school = OrganizationFactory()
    for _ in range(12):
        EmploymentFactory(organization=school)
    for n in range(3):
        services.group_create(cnppm, procedure, f"Группа {n}", {"organization": school})
        school = OrganizationFactory()
        EmploymentFactory(organization=school)
    assemble_variants(procedure)
    client.force_login(cnppm)
    group = procedure.groups.first()
    for url in (
        reverse("procedure-list"),
        reverse("procedure-detail", args=[procedure.pk]),
        reverse("group-detail", args=[group.pk]),
    ):
        count, response = count_queries(client.get, url)
        assert response.status_code == 200
        assert count <= 15


# -- testing ---------------------------------------------------------------------------------
@pytest.fixture
def sheet(areas, procedure, cnppm, make_user, two_municipalities):
    """School A takes a variant of five items of every kind; its teacher is logged in."""
    procedure.blueprint.all().delete()
    procedure.blueprint.create(area=areas["ict"], easy=2)
    procedure.blueprint.create(area=areas["methodical"], easy=3)
    items = {
        "single": make_item(areas["ict"], "i1", 1, kind=ItemKind.SINGLE),  # key 1
        "multiple": make_item(areas["ict"], "i2", 1, kind=ItemKind.MULTIPLE),  # [0, 2]
        "short": make_item(areas["methodical"], "m1", 1, kind=ItemKind.SHORT),  # ["ФГОС"]
        "matching": make_item(areas["methodical"], "m2", 1, kind=ItemKind.MATCHING),  # [2, 0, 1]
        "ordering": make_item(areas["methodical"], "m3", 1, kind=ItemKind.ORDERING),  # [0, 1, 2]
    }
    a = two_municipalities["a"]
    services.group_create(cnppm, procedure, "Школа А", {"organization": a["school"]})
    assemble_variants(procedure)
    teacher = make_user(Role.TEACHER, person=a["teacher"])
    return {"items": items, "teacher": teacher, "procedure": procedure}


def _start(client, sheet) -> Attempt:
    client.force_login(sheet["teacher"])
    response = client.post(reverse("attempt-start", args=[sheet["procedure"].pk]))
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("attempt-detail", args=[attempt.pk])
    return attempt


def _answer(client, attempt, item, *values, headers=FETCH):
    url = reverse("attempt-answer", args=[attempt.pk])
    return client.post(url, {"item": item.pk, "value": list(values)}, **headers)


def test_teacher_takes_test_reloads_and_sees_deficits(client, sheet):
    items = sheet["items"]
    client.force_login(sheet["teacher"])
    home = client.get(reverse("diagnostics-home")).content.decode()
    assert "не начата" in home and "Начать" in home
    attempt = _start(client, sheet)
    page = client.get(reverse("attempt-detail", args=[attempt.pk])).content.decode()
    assert page.count('class="card question"') == 5 and 'data-remaining="' in page
    assert "Сохранено" not in page

    saved = _answer(client, attempt, items["single"], "1")
    assert saved.status_code == 200 and "Сохранено в" in saved.content.decode()
    _answer(client, attempt, items["multiple"], "0")
    _answer(client, attempt, items["short"], "  фгос ")
    _answer(client, attempt, items["matching"], "0", "1", "")
    _answer(client, attempt, items["ordering"], "0", "1", "2")
    _answer(client, attempt, items["ordering"], "2", "1", "0")  # changed: only the middle right
    responses = {a.item_id: a.response for a in Answer.objects.all()}
    assert responses == {
        items["single"].pk: 1,
        items["multiple"].pk: [0],
        items["short"].pk: "фгос",
        items["matching"].pk: [0, 1, -1],
        items["ordering"].pk: [2, 1, 0],
    }

    page = client.get(reverse("attempt-detail", args=[attempt.pk])).content.decode()
    assert 'value="1" checked' in _block(page, items["single"].pk)
    multiple = _block(page, items["multiple"].pk)
    assert 'value="0" checked' in multiple and 'value="2" checked' not in multiple
    assert 'value="фгос"' in _block(page, items["short"].pk)
    matching = _block(page, items["matching"].pk)
    assert re.findall(r'<option value="(\d)" selected>', matching) == ["0", "1"]
    ordering = _block(page, items["ordering"].pk)
    assert re.findall(r'<option value="(\d)" selected>', ordering) == ["2", "1", "0"]
    assert page.count("Сохранено в") == 5
    home = client.get(reverse("diagnostics-home")).content.decode()
    assert "идёт, осталось 45 мин" in home and "Продолжить" in home

    response = client.post(reverse("attempt-submit", args=[attempt.pk]))
    result = Result.objects.get()
    assert response["Location"] == reverse("result-detail", args=[result.pk])
    page = client.get(response["Location"]).content.decode().replace("&nbsp;", " ")
    rows = dict(re.findall(r"<td>([^<]+)</td>((?:(?!</tr>).)*)</tr>", page, re.S))
    # ИКТ: (1 + 1/2) / 2 = 75 %; методическая: (1 + 0 + 1/3) / 3 = 44,44 % — a deficit.
    assert "<td>75</td>" in rows["ИКТ"] and "выше порога" in rows["ИКТ"]
    assert "<td>44,44</td>" in rows["методическая"] and ">дефицит<" in rows["методическая"]
    assert 'id="threshold">60 %' in page
    assert "Выявлены дефициты: <strong>методическая</strong>." in page
    assert 'id="overall">56,67 %' in page  # (1,5 + 1,33) of 5 points
    home = client.get(reverse("diagnostics-home")).content.decode()
    assert "завершена" in home and reverse("result-detail", args=[result.pk]) in home
    # The sheet of a finished attempt leads to the result, and answers are no longer taken.
    detail = client.get(reverse("attempt-detail", args=[attempt.pk]))
    assert detail["Location"] == reverse("result-detail", args=[result.pk])
    late = _answer(client, attempt, items["single"], "0")
    assert late.status_code == 409 and "ответы не принимаются" in late.content.decode()


def test_bad_answers_are_refused_in_russian(client, sheet, areas):
    attempt = _start(client, sheet)
    out_of_range = _answer(client, attempt, sheet["items"]["single"], "9")
    assert out_of_range.status_code == 400
    assert "Выбран несуществующий вариант ответа." in out_of_range.content.decode()
    stranger = make_item(areas["ict"], "outside", 1)
    foreign = _answer(client, attempt, stranger, "1")
    assert foreign.status_code == 400
    assert "Такого задания нет в вашем варианте." in foreign.content.decode()
    assert not Answer.objects.exists()


def test_answer_without_javascript_comes_back_to_the_sheet(client, sheet):
    attempt = _start(client, sheet)
    item = sheet["items"]["short"]
    response = _answer(client, attempt, item, "ФГОС", headers={})
    assert response["Location"] == reverse("attempt-detail", args=[attempt.pk]) + f"#item-{item.pk}"
    assert Answer.objects.get().response == "ФГОС"


def test_time_over_refused_on_server(client, sheet):
    attempt = _start(client, sheet)
    _answer(client, attempt, sheet["items"]["single"], "1")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    late = _answer(client, attempt, sheet["items"]["multiple"], "0", "2")
    assert late.status_code == 409
    text = late.content.decode()
    assert "Время тестирования истекло" in text and "Перейти к результату" in text
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    response = client.get(reverse("attempt-detail", args=[attempt.pk]), follow=True)
    page = response.content.decode()
    assert "засчитаны ответы, сохранённые вовремя" in page and "Результат диагностики" in page


# -- who sees what -----------------------------------------------------------------------------
@pytest.fixture
def finished(client, sheet):
    attempt = _start(client, sheet)
    _answer(client, attempt, sheet["items"]["single"], "1")
    client.post(reverse("attempt-submit", args=[attempt.pk]), {"confirmed": "1"})
    client.logout()
    return {"attempt": attempt, "result": Result.objects.get()}


def test_other_teacher_gets_404_on_attempt_and_result(
    client, sheet, finished, make_user, two_municipalities
):
    colleague = make_user(Role.TEACHER, person=two_municipalities["a"]["director"])
    client.force_login(colleague)
    attempt, result = finished["attempt"], finished["result"]
    assert client.get(reverse("attempt-detail", args=[attempt.pk])).status_code == 404
    assert _answer(client, attempt, sheet["items"]["single"], "0").status_code == 404
    assert client.post(reverse("attempt-submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("result-detail", args=[result.pk])).status_code == 404
    person = two_municipalities["a"]["teacher"]
    assert client.get(reverse("person-results", args=[person.pk])).status_code == 404


def test_school_admin_sees_own_school_results_but_not_answer_sheets(
    client, finished, make_user, two_municipalities
):
    attempt, result = finished["attempt"], finished["result"]
    teacher = two_municipalities["a"]["teacher"]
    other_school = make_user(Role.SCHOOL, organization=two_municipalities["b"]["school"])
    client.force_login(other_school)
    assert client.get(reverse("result-detail", args=[result.pk])).status_code == 404
    assert client.get(reverse("person-results", args=[teacher.pk])).status_code == 404

    same_school = make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"])
    client.force_login(same_school)
    page = client.get(reverse("result-detail", args=[result.pk])).content.decode()
    assert teacher.full_name in page and 'id="area-scores"' in page
    assert client.get(reverse("attempt-detail", args=[attempt.pk])).status_code == 404
    history = client.get(reverse("person-results", args=[teacher.pk])).content.decode()
    assert "Региональная входная диагностика" in history


def test_person_results_compare_entry_and_exit(client, finished, sheet, areas, cnppm):
    entry = finished["result"]
    exit_procedure = Procedure.objects.create(
        region=entry.procedure.region,
        name="Выходная диагностика",
        level="regional",
        kind="exit",
        starts_on=date.today(),
        ends_on=date.today(),
    )
    services.result_record(
        entry.person_id,
        exit_procedure,
        date.today() + timedelta(days=1),
        {areas["ict"]: (Decimal(2), Decimal(2)), areas["methodical"]: (Decimal(2), Decimal(3))},
        "import",
    )
    client.force_login(cnppm)
    page = client.get(reverse("person-results", args=[entry.person_id])).content.decode()
    page = page.replace("&nbsp;", " ")  # «50 %» with a non-breaking space
    table = page[page.index('id="results-comparison"') :]
    assert "Изменение" in table
    assert re.search(r"<td>ИКТ</td>\s*<td>50 %.*?<td>100 %</td>\s*<td>\+50</td>", table, re.S)
    assert re.search(
        r"<td>методическая</td>\s*<td>0 %.*?<td>66,67 %</td>\s*<td>\+66,67</td>", table, re.S
    )
