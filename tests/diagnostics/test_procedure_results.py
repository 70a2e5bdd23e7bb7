"""A procedure's results for managers (list, filters, XLSX) and editing a procedure's details."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.models import Job, JobStatus
from nms.diagnostics import selectors, services
from nms.diagnostics.models import AreaScore, Attempt, Procedure, Result, Variant
from tests.factories import EmploymentFactory, OrganizationFactory

TAKEN = date(2025, 3, 14)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


def _rename(person, last_name, first_name, middle_name):
    person.last_name, person.first_name, person.middle_name = last_name, first_name, middle_name
    person.save()
    return person


def _record(person, procedure, areas, **points):
    """A result from {area code: points of 10}."""
    scores = {areas[code]: (Decimal(p), Decimal(10)) for code, p in points.items()}
    return services.result_record(person.pk, procedure, TAKEN, scores, "online")


@pytest.fixture
def world(procedure, areas, two_municipalities):
    """Three results of the regional procedure (threshold 60), one person in B without one.

    A teacher Сёмина:   методическая 60 (дефицит, at the threshold), психол. 80, ИКТ 90.
    A director Петров:  методическая 70, психол. 80, ИКТ 80 — no deficit.
    B teacher Орлова:   методическая 90, психол. 90, ИКТ 50 (дефицит).
    """
    a, b = two_municipalities["a"], two_municipalities["b"]
    semina = _rename(a["teacher"], "Сёмина", "Алёна", "Игоревна")
    petrov = _rename(a["director"], "Петров", "Иван", "Сергеевич")
    orlova = _rename(b["teacher"], "Орлова", "Алёна", "Петровна")
    return {
        **two_municipalities,
        "procedure": procedure,
        "semina": _record(semina, procedure, areas, methodical=6, psychological=8, ict=9),
        "petrov": _record(petrov, procedure, areas, methodical=7, psychological=8, ict=8),
        "orlova": _record(orlova, procedure, areas, methodical=9, psychological=9, ict=5),
    }


def _url(procedure, **params):
    return reverse("procedure-results", args=[procedure.pk]), params


def _get(client, procedure, **params):
    url, query = _url(procedure, **params)
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")  # «№ 6», «60 %»: non-breaking spaces


def _names(page: str) -> list[str]:
    """The people of the results table, in order."""
    table = page[page.index('id="procedure-results"') :]
    return re.findall(r'/diagnostics/people/\d+/">([^<]+)</a>', table)


def _rows(page: str) -> dict[str, str]:
    table = page[page.index('id="procedure-results"') :]
    return {
        name: row
        for name, row in re.findall(
            r'/diagnostics/people/\d+/">([^<]+)</a></td>(.*?)</tr>', table, re.S
        )
    }


# -- the list and who sees it ------------------------------------------------------------------
def test_results_table_shows_area_columns_and_deficits(client, cnppm, world):
    client.force_login(cnppm)
    detail = client.get(reverse("procedure-detail", args=[world["procedure"].pk])).content.decode()
    assert reverse("procedure-results", args=[world["procedure"].pk]) in detail
    assert reverse("procedure-edit", args=[world["procedure"].pk]) in detail

    page = _get(client, world["procedure"])
    head = page[page.index('id="procedure-results"') : page.index("</thead>")]
    assert re.findall(r"<th>([^<]+)</th>", head) == [
        "ФИО", "Организация", "Дата", "Общий результат",
        "методическая", "психолого-педагогическая", "ИКТ",
    ]  # fmt: skip
    assert _names(page) == [
        "Орлова Алёна Петровна",
        "Петров Иван Сергеевич",
        "Сёмина Алёна Игоревна",
    ]
    rows = _rows(page)
    semina = rows["Сёмина Алёна Игоревна"]
    assert world["a"]["school"].short_name in semina and "14.03.2025" in semina
    cells = re.findall(r'<td class="nowrap">(.*?)</td>', semina)
    assert cells == ["14.03.2025", '60 % <span class="badge warn">дефицит</span>', "80 %", "90 %"]
    assert "76,67 %" in semina  # 23 of 30 points
    assert "дефицит" not in rows["Петров Иван Сергеевич"]
    assert re.findall(r'<td class="nowrap">(.*?)</td>', rows["Орлова Алёна Петровна"])[-1] == (
        '50 % <span class="badge warn">дефицит</span>'
    )
    person = world["semina"].person
    assert f'{reverse("person-results", args=[person.pk])}">Сёмина Алёна Игоревна</a>' in page


def test_scope_municipal_user_sees_own_municipality_only(client, make_user, world):
    a = world["a"]
    municipal = make_user(Role.MUNICIPAL, municipality=a["municipality"])
    client.force_login(municipal)
    detail = client.get(reverse("procedure-detail", args=[world["procedure"].pk])).content.decode()
    assert 'id="results-link"' in detail and 'id="edit-link"' not in detail
    page = _get(client, world["procedure"])
    assert _names(page) == ["Петров Иван Сергеевич", "Сёмина Алёна Игоревна"]
    assert "Найдено: 2" in page
    # Another municipality's organization is not a choice: refused, nothing shown.
    page = _get(client, world["procedure"], organization=world["b"]["school"].pk)
    assert "Выберите корректный вариант" in page and _names(page) == []


def test_ministry_sees_all_results_but_cannot_edit(client, make_user, world):
    client.force_login(make_user(Role.MINISTRY))
    assert len(_names(_get(client, world["procedure"]))) == 3
    assert client.get(reverse("procedure-edit", args=[world["procedure"].pk])).status_code == 404


def test_school_admin_and_teacher_get_404(client, make_user, world):
    """The page is for the roles of the procedure pages (views._can_view_procedures): a school's
    administration and a teacher get 404, even for a procedure their people took."""
    url = reverse("procedure-results", args=[world["procedure"].pk])
    school = make_user(Role.SCHOOL, organization=world["a"]["school"])
    teacher = make_user(Role.TEACHER, person=world["semina"].person)
    for user in (school, teacher):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url, {"format": "xlsx"}).status_code == 404
        assert (
            client.get(reverse("procedure-edit", args=[world["procedure"].pk])).status_code == 404
        )
    # The read itself follows the scope: the school's own staff only.
    mine = selectors.procedure_results(school, world["procedure"])
    assert {r.person.last_name for r in mine} == {"Сёмина", "Петров"}
    other_school = make_user(Role.SCHOOL, organization=world["b"]["school"])
    assert [
        r.person.last_name for r in selectors.procedure_results(other_school, world["procedure"])
    ] == ["Орлова"]


def test_procedure_outside_scope_is_404(client, make_user, world, region, areas):
    other = Procedure.objects.create(
        region=region,
        municipality=world["b"]["municipality"],
        name="Муниципальная диагностика Б",
        level="municipal",
        starts_on=TAKEN,
        ends_on=TAKEN,
    )
    client.force_login(make_user(Role.MUNICIPAL, municipality=world["a"]["municipality"]))
    assert client.get(reverse("procedure-results", args=[other.pk])).status_code == 404


# -- filters and search -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "семина"}, ["Сёмина"]),  # ё searched as е
        ({"q": "Сёмина алёна"}, ["Сёмина"]),
        ({"q": "алена"}, ["Орлова", "Сёмина"]),
        ({"q": "Нетакого"}, []),
        ({"has_deficit": "true"}, ["Орлова", "Сёмина"]),
        ({"has_deficit": "false"}, ["Петров"]),
        ({"deficit_area": "ict"}, ["Орлова"]),
        ({"deficit_area": "methodical"}, ["Сёмина"]),
        ({"deficit_area": "psychological"}, []),
        ({"municipality": "b"}, ["Орлова"]),
        ({"organization": "a"}, ["Петров", "Сёмина"]),
        ({"organization": "a", "has_deficit": "true"}, ["Сёмина"]),
        ({"municipality": "a", "q": "орлова"}, []),
    ],
)
def test_filters_and_search(client, cnppm, world, areas, params, expected):
    values = {"a": world["a"], "b": world["b"]}
    query = dict(params)
    if "deficit_area" in query:
        query["deficit_area"] = areas[query["deficit_area"]].pk
    if "municipality" in query:
        query["municipality"] = values[query["municipality"]]["municipality"].pk
    if "organization" in query:
        query["organization"] = values[query["organization"]]["school"].pk
    client.force_login(cnppm)
    page = _get(client, world["procedure"], **query)
    assert [name.split()[0] for name in _names(page)] == expected


def test_deficit_area_choices_are_the_procedures_areas(client, cnppm, world, areas):
    client.force_login(cnppm)
    page = _get(client, world["procedure"])
    select = page[
        page.index('name="deficit_area"') : page.index(
            "</select>", page.index('name="deficit_area"')
        )
    ]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', select) == [
        "методическая", "психолого-педагогическая", "ИКТ",
    ]  # fmt: skip
    outside = _get(client, world["procedure"], deficit_area=areas["upbringing"].pk)
    assert "Выберите корректный вариант" in outside and _names(outside) == []


def test_htmx_gets_only_the_table(client, cnppm, world):
    client.force_login(cnppm)
    url, _ = _url(world["procedure"])
    page = client.get(url, {"has_deficit": "false"}, **HX).content.decode()
    assert "<h1>" not in page and 'id="procedure-results"' in page
    assert [n.split()[0] for n in _names(page)] == ["Петров"]


def test_external_procedure_columns_are_the_areas_in_its_results(client, cnppm, world, areas):
    external = Procedure.objects.create(
        region=world["procedure"].region,
        name="Федеральная оценка",
        level="federal",
        starts_on=TAKEN,
        ends_on=TAKEN,
        is_external=True,
    )
    _record(world["semina"].person, external, areas, upbringing=3, subject=10)
    client.force_login(cnppm)
    page = _get(client, external)
    head = page[page.index('id="procedure-results"') : page.index("</thead>")]
    assert re.findall(r"<th>([^<]+)</th>", head)[4:] == ["предметная", "воспитательная"]
    cells = re.findall(r'<td class="nowrap">(.*?)</td>', _rows(page)["Сёмина Алёна Игоревна"])
    assert cells == ["14.03.2025", "100 %", '30 % <span class="badge warn">дефицит</span>']


# -- XLSX --------------------------------------------------------------------------------------
def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    return workbook["Результаты"]


def test_xlsx_export_of_the_filtered_list(client, cnppm, make_user, world):
    client.force_login(cnppm)
    url, _ = _url(world["procedure"])
    sheet = _sheet(client.get(url, {"format": "xlsx", "has_deficit": "true", "page": "2"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "ФИО", "Организация", "Дата", "Общий результат, %", "методическая, %",
        "психолого-педагогическая, %", "ИКТ, %", "Дефициты",
    )  # fmt: skip
    assert len(rows) == 3
    orlova, semina = rows[1], rows[2]
    assert orlova[0] == "Орлова Алёна Петровна" and orlova[1] == world["b"]["school"].short_name
    assert orlova[2].date() == TAKEN
    assert orlova[3:] == (pytest.approx(76.67), 90, 90, 50, "ИКТ")
    assert semina[4:] == (60, 80, 90, "методическая")
    assert sheet.cell(3, 5).fill.fgColor.rgb.endswith("F8D7DA")  # Сёмина's deficit shaded
    assert not sheet.cell(3, 6).fill.fgColor.rgb.endswith("F8D7DA")

    client.force_login(make_user(Role.MUNICIPAL, municipality=world["b"]["municipality"]))
    rows = list(_sheet(client.get(url, {"format": "xlsx"})).iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Орлова Алёна Петровна"]


# -- query count -------------------------------------------------------------------------------
def _add_results(procedure, areas, count):
    for n in range(count):
        school = OrganizationFactory()
        person = EmploymentFactory(organization=school).person
        EmploymentFactory(person=person, is_part_time=True)
        _record(person, procedure, areas, methodical=n % 11, psychological=5, ict=10)


def test_fixed_number_of_queries_whatever_the_rows(client, cnppm, procedure, areas, count_queries):
    def _queries(client, url, params) -> int:
        count, response = count_queries(client.get, url, params)
        assert response.status_code == 200
        return count

    client.force_login(cnppm)
    url = reverse("procedure-results", args=[procedure.pk])
    _add_results(procedure, areas, 3)
    few = {fmt: _queries(client, url, {"format": fmt}) for fmt in ("", "xlsx")}
    _add_results(procedure, areas, 27)
    many = {fmt: _queries(client, url, {"format": fmt}) for fmt in ("", "xlsx")}
    assert few == many
    assert few[""] <= 15
    page = client.get(url).content.decode()
    assert len(_names(page)) == 25 and "Найдено: 30" in page
    rows = list(_sheet(client.get(url, {"format": "xlsx"})).iter_rows(values_only=True))
    assert len(rows) == 31


# -- editing a procedure ----------------------------------------------------------------------
def _edit_post(procedure, **changes) -> dict:
    data = {
        "name": procedure.name,
        "kind": procedure.kind,
        "starts_on": procedure.starts_on.strftime("%d.%m.%Y"),
        "ends_on": procedure.ends_on.strftime("%d.%m.%Y"),
        "threshold": str(procedure.threshold).replace(".", ","),
        "time_limit_minutes": procedure.time_limit_minutes or "",
        "seed": procedure.seed,
        "version": procedure.version,  # the version the page was opened with
    }
    data.update(changes)
    return data


def _deficits():
    flags = {
        (s.result.person.last_name, s.area.code): s.is_deficit
        for s in AreaScore.objects.select_related("result__person", "area")
    }
    results = {r.person.last_name: r.has_deficit for r in Result.objects.select_related("person")}
    return flags, results


def test_edit_details(client, cnppm, procedure):
    client.force_login(cnppm)
    url = reverse("procedure-edit", args=[procedure.pk])
    form = client.get(url).content.decode()
    assert 'value="Региональная входная диагностика"' in form and 'id="blueprint"' not in form
    response = client.post(
        url,
        _edit_post(
            procedure,
            name="Входная диагностика (исправлено)",
            kind="exit",
            ends_on=(date.today() + timedelta(days=100)).strftime("%d.%m.%Y"),
            time_limit_minutes="60",
            seed="7",
        ),
    )
    assert response["Location"] == reverse("procedure-detail", args=[procedure.pk])
    procedure.refresh_from_db()
    assert (procedure.name, procedure.kind, procedure.ends_on) == (
        "Входная диагностика (исправлено)",
        "exit",
        date.today() + timedelta(days=100),
    )
    assert (procedure.time_limit_minutes, procedure.seed) == (60, 7)
    page = client.get(response["Location"]).content.decode()
    assert "Изменения сохранены." in page and "пересчитаны" not in page


def test_threshold_raised_recomputes_deficits_at_the_boundary(client, cnppm, world):
    procedure = world["procedure"]
    client.force_login(cnppm)
    url = reverse("procedure-edit", args=[procedure.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, _edit_post(procedure, threshold="70"), follow=True)
    assert "дефициты всех результатов пересчитаны" in response.content.decode()
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    # the procedure's version claimed, the procedure, then area scores and results: one each
    assert len(updates) == 4
    assert '"version" = ' in updates[0]
    assert "diagnostics_areascore" in updates[2] and "diagnostics_result" in updates[3]
    procedure.refresh_from_db()
    assert procedure.threshold == Decimal("70")
    flags, results = _deficits()
    assert flags == {
        ("Сёмина", "methodical"): True,  # 60 ≤ 70
        ("Сёмина", "psychological"): False,  # 80
        ("Сёмина", "ict"): False,  # 90
        ("Петров", "methodical"): True,  # 70 = 70: at the threshold is a deficit
        ("Петров", "psychological"): False,
        ("Петров", "ict"): False,
        ("Орлова", "methodical"): False,
        ("Орлова", "psychological"): False,
        ("Орлова", "ict"): True,  # 50
    }
    assert results == {"Сёмина": True, "Петров": True, "Орлова": True}


def test_threshold_lowered_clears_deficits(cnppm, world):
    procedure = world["procedure"]
    procedure.refresh_from_db()
    recomputed = services.procedure_update(cnppm, procedure, {"threshold": Decimal("50")})
    assert recomputed == 3
    flags, results = _deficits()
    assert [key for key, deficit in flags.items() if deficit] == [("Орлова", "ict")]  # 50 = 50
    assert results == {"Сёмина": False, "Петров": False, "Орлова": True}
    # The same threshold written differently is no change: nothing recomputed.
    assert services.procedure_update(cnppm, procedure, {"threshold": Decimal("50.00")}) == 0


def test_threshold_change_is_all_or_nothing(cnppm, world, monkeypatch):
    procedure = world["procedure"]
    real = services.recompute_deficits

    def fail_after(proc):
        real(proc)
        raise RuntimeError("сбой")

    monkeypatch.setattr(services, "recompute_deficits", fail_after)
    before = _deficits()
    with pytest.raises(RuntimeError):
        services.procedure_update(cnppm, procedure, {"threshold": Decimal("75"), "name": "Новое"})
    procedure.refresh_from_db()
    assert procedure.threshold == Decimal("60") and procedure.name != "Новое"
    assert _deficits() == before


@pytest.fixture
def started(cnppm, procedure, two_municipalities):
    """Variants assembled (an empty one suffices here) and one attempt under way."""
    group = services.group_create(cnppm, procedure, "Все", {})
    variant = Variant.objects.create(group=group)
    Attempt.objects.create(
        person=two_municipalities["a"]["teacher"],
        variant=variant,
        procedure=procedure,
        started_at=timezone.now(),
    )
    return procedure


def test_seed_cannot_change_after_attempts(client, cnppm, started):
    client.force_login(cnppm)
    url = reverse("procedure-edit", args=[started.pk])
    response = client.post(url, _edit_post(started, seed="43", name="Другое имя"))
    assert response.status_code == 200
    assert "Зерно сборки нельзя менять: варианты собраны и тестирование уже начато." in (
        response.content.decode()
    )
    started.refresh_from_db()
    assert started.seed == 42 and started.name == "Региональная входная диагностика"
    # The same seed with other changes is fine, and the threshold may change any time.
    response = client.post(url, _edit_post(started, threshold="65", name="Другое имя"))
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.seed, started.name, started.threshold) == (42, "Другое имя", Decimal("65"))


def test_seed_may_change_while_no_attempt(cnppm, procedure, two_municipalities):
    group = services.group_create(cnppm, procedure, "Все", {})
    Variant.objects.create(group=group)
    services.procedure_update(cnppm, procedure, {"seed": 100})
    procedure.refresh_from_db()
    assert procedure.seed == 100


def test_municipal_user_cannot_edit_regional_procedure(client, make_user, procedure, region):
    municipal = make_user(Role.MUNICIPAL, municipality=OrganizationFactory().municipality)
    client.force_login(municipal)
    url = reverse("procedure-edit", args=[procedure.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_post(procedure, name="Захват")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.procedure_update(municipal, procedure, {"name": "Захват"})
    procedure.refresh_from_db()
    assert procedure.name == "Региональная входная диагностика"
    # Its own municipality's procedure it may edit.
    own = Procedure.objects.create(
        region=region,
        municipality=scope_of(municipal).of_role(Role.MUNICIPAL)[0].municipality,
        name="Муниципальная",
        level="municipal",
        starts_on=TAKEN,
        ends_on=TAKEN,
    )
    edit = reverse("procedure-edit", args=[own.pk])
    assert client.post(edit, _edit_post(own, name="Муниципальная 2025")).status_code == 302
    own.refresh_from_db()
    assert own.name == "Муниципальная 2025"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "01.01.2020"}, "Окончание не может быть раньше начала."),
        ({"starts_on": "31.02.2025"}, "Введите правильную дату."),
        ({"threshold": "150"}, "Убедитесь, что это значение меньше либо равно 100."),
        ({"seed": "-1"}, "Убедитесь, что это значение больше либо равно 0."),
        ({"name": ""}, "Обязательное поле."),
    ],
)
def test_bad_input_gives_russian_errors_and_saves_nothing(client, cnppm, world, changes, message):
    procedure = world["procedure"]
    client.force_login(cnppm)
    before = Procedure.objects.values().get(pk=procedure.pk)
    deficits = _deficits()
    data = _edit_post(procedure, **{"name": "Новое имя", "threshold": "75", **changes})
    response = client.post(reverse("procedure-edit", args=[procedure.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Procedure.objects.values().get(pk=procedure.pk) == before
    assert _deficits() == deficits


def test_service_refuses_bad_dates(cnppm, procedure):
    with pytest.raises(ValidationError) as error:
        services.procedure_update(
            cnppm, procedure, {"starts_on": date.today(), "ends_on": date.today() - timedelta(1)}
        )
    assert error.value.message_dict == {"ends_on": ["Окончание не может быть раньше начала."]}


def test_a_big_export_is_a_job_of_the_same_rows(client, cnppm, procedure, areas, settings):
    """Above NMS_EXPORT_SYNC_LIMIT rows the export runs in the background with the same filters
    and the procedure of the URL; the file is the job's, the job only its author's."""
    client.force_login(cnppm)
    _add_results(procedure, areas, 3)
    settings.NMS_EXPORT_SYNC_LIMIT = 2
    url = reverse("procedure-results", args=[procedure.pk])

    response = client.get(url, {"format": "xlsx"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.params["kwargs"] == {"pk": procedure.pk}
    sheet = load_workbook(BytesIO(client.get(reverse("job-file", args=[job.pk])).content))
    assert len(list(sheet["Результаты"].iter_rows(values_only=True))) == 4
    assert "Выгружено результатов: 3" in job.message
