"""The diagnostics API: the whole online testing flow, scope (404 and absence from lists), rights
(403), service errors as 400 in Russian, no answer keys for the test-taker, fixed query counts.
The item bank's API is tested in tests/itembank/test_api.py."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.diagnostics import services
from nms.diagnostics.models import Attempt, Procedure, ResultSource
from nms.diagnostics.variants import assemble_variants
from nms.itembank.models import ItemKind
from tests.api_helpers import client_for, ids, keys_anywhere
from tests.factories import PersonFactory
from tests.itembank.conftest import make_item

API = "/api/v1/diagnostics"


@pytest.fixture
def items(areas):
    """Two ИКТ and two методическая items, all basic level; their keys are in make_item."""
    return {
        "ict_single": make_item(areas["ict"], "i1", 1, kind=ItemKind.SINGLE),  # key 1
        "ict_multi": make_item(areas["ict"], "i2", 1, kind=ItemKind.MULTIPLE),  # key [0, 2]
        "met_short": make_item(areas["methodical"], "m1", 1, kind=ItemKind.SHORT),  # ["ФГОС"]
        "met_match": make_item(areas["methodical"], "m2", 1, kind=ItemKind.MATCHING),  # [2, 0, 1]
    }


def procedure_payload(areas, **overrides) -> dict:
    today = date.today()
    data = {
        "name": "Региональная входная диагностика",
        "level": "regional",
        "kind": "entry",
        "starts_on": f"{today - timedelta(days=1):%d.%m.%Y}",
        "ends_on": f"{today + timedelta(days=30):%d.%m.%Y}",
        "time_limit_minutes": 45,
        "blueprint": [
            {"area": areas["ict"].pk, "easy": 2},
            {"area": areas["methodical"].pk, "easy": 2},
        ],
    }
    return {**data, **overrides}


@pytest.fixture
def procedure(region, areas, items, users, two_municipalities):
    """A regional procedure with one group (school A's two teachers) and its variant."""
    today = date.today()
    proc = Procedure.objects.create(
        region=region,
        name="Региональная диагностика",
        level="regional",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        time_limit_minutes=45,
    )
    proc.blueprint.create(area=areas["ict"], easy=2)
    proc.blueprint.create(area=areas["methodical"], easy=2)
    school = two_municipalities["a"]["school"]
    services.group_create(users["cnppm"], proc, "Школа А", {"organization": school})
    assemble_variants(proc)
    return proc


# -- the flow ----------------------------------------------------------------------------------
def test_teacher_takes_the_diagnostics_through_the_api(users, areas, items, two_municipalities):
    cnppm = client_for(users["cnppm"])
    response = cnppm.post(f"{API}/procedures/", procedure_payload(areas), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["level"] == "regional"
    assert created["starts_on"] == f"{date.today() - timedelta(days=1):%Y-%m-%d}"
    assert {row["area"]: row["easy"] for row in created["blueprint"]} == {
        areas["ict"].pk: 2,
        areas["methodical"].pk: 2,
    }
    procedure = f"{API}/procedures/{created['id']}"
    school = two_municipalities["a"]["school"]
    response = cnppm.post(
        f"{procedure}/groups/", {"name": "Школа А", "organization": school.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["member_count"] == 2
    assert response.json()["criteria"] == {"organization": school.pk}
    response = cnppm.post(f"{procedure}/assemble/")
    assert response.status_code == 200, response.content
    assert response.json() == {"pairs": [], "max_share": 0.0}
    [group] = cnppm.get(f"{procedure}/groups/").json()
    assert group["item_count"] == 4

    teacher = client_for(users["teacher"])
    response = teacher.post(f"{procedure}/start/")
    assert response.status_code == 200, response.content
    attempt = response.json()
    assert attempt["status"] == "in_progress"
    assert 44 * 60 < attempt["seconds_left"] <= 45 * 60
    assert not keys_anywhere(attempt)
    questions = {q["item"]: q for q in attempt["questions"]}
    assert set(questions) == {item.pk for item in items.values()}
    matching = questions[items["met_match"].pk]
    assert matching["kind"] == "matching"
    assert matching["options"] == {"left": ["1", "2", "3"], "right": ["x", "y", "z"]}
    assert matching["area"] == "методическая"
    assert matching["response"] is None

    sheet = f"{API}/attempts/{attempt['id']}"
    for item, response in [
        ("ict_single", 1),  # right
        ("ict_multi", [0]),  # half
        ("met_short", "фгос"),  # right
        ("met_match", [2, 1, 0]),  # a third, changed below to nothing
        ("met_match", [0, 1, 2]),
    ]:
        saved = teacher.post(
            f"{sheet}/answer/", {"item": items[item].pk, "response": response}, format="json"
        )
        assert saved.status_code == 200, saved.content
        assert saved.json() == {"item": items[item].pk, "response": response}
    reopened = teacher.get(f"{sheet}/").json()
    assert {q["item"]: q["response"] for q in reopened["questions"]}[items["met_short"].pk] == (
        "фгос"
    )
    assert not keys_anywhere(reopened)

    response = teacher.post(f"{sheet}/submit/")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["share"] == "62.50"
    assert result["has_deficit"] is True
    scores = {s["area_name"]: s for s in result["area_scores"]}
    assert scores["ИКТ"] == {
        "area": areas["ict"].pk,
        "area_name": "ИКТ",
        "score": "1.50",
        "max_score": "2.00",
        "share": "75.00",
        "is_deficit": False,
    }
    assert scores["методическая"]["share"] == "50.00"
    assert scores["методическая"]["is_deficit"] is True

    closed = teacher.get(f"{sheet}/").json()
    assert closed["status"] == "submitted"
    assert closed["seconds_left"] == 0
    late = teacher.post(
        f"{sheet}/answer/", {"item": items["ict_single"].pk, "response": 0}, format="json"
    )
    assert late.status_code == 400
    assert late.json()["non_field_errors"] == ["Тестирование уже завершено, ответы не принимаются."]

    listed = teacher.get(f"{API}/results/").json()
    assert listed["count"] == 1
    assert listed["results"][0] == result
    deficits = teacher.get(f"{API}/results/", {"has_deficit": "true"})
    assert ids(deficits) == {result["id"]}


def test_start_again_resumes_and_answers_are_checked(procedure, users, items, areas):
    teacher = client_for(users["teacher"])
    first = teacher.post(f"{API}/procedures/{procedure.pk}/start/").json()
    sheet = f"{API}/attempts/{first['id']}"
    teacher.post(f"{sheet}/answer/", {"item": items["ict_single"].pk, "response": 3}, format="json")
    again = teacher.post(f"{API}/procedures/{procedure.pk}/start/").json()
    assert again["id"] == first["id"]
    answered = {q["item"]: q["response"] for q in again["questions"]}
    assert answered[items["ict_single"].pk] == 3

    outside = make_item(areas["ict"], "outside", 1)
    response = teacher.post(f"{sheet}/answer/", {"item": outside.pk, "response": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Такого задания нет в вашем варианте."]
    response = teacher.post(f"{sheet}/answer/", {"response": 1}, format="json")
    assert response.status_code == 400
    assert "item" in response.json()


def test_overdue_attempt_is_closed_on_the_server(procedure, users, items):
    teacher = client_for(users["teacher"])
    attempt = teacher.post(f"{API}/procedures/{procedure.pk}/start/").json()
    sheet = f"{API}/attempts/{attempt['id']}"
    teacher.post(f"{sheet}/answer/", {"item": items["ict_single"].pk, "response": 1}, format="json")
    overdue = timezone.now() - timedelta(minutes=5)
    Attempt.objects.filter(pk=attempt["id"]).update(deadline=overdue)
    response = teacher.get(f"{sheet}/")
    assert response.json()["status"] == "expired"
    assert response.json()["seconds_left"] == 0
    [result] = teacher.get(f"{API}/results/").json()["results"]
    assert {s["area_name"]: s["share"] for s in result["area_scores"]}["ИКТ"] == "50.00"


def test_someone_elses_attempt_is_404(procedure, users, items):
    teacher = client_for(users["teacher"])
    attempt = teacher.post(f"{API}/procedures/{procedure.pk}/start/").json()
    teacher.post(f"{API}/attempts/{attempt['id']}/submit/")
    sheet = f"{API}/attempts/{attempt['id']}"
    answer = {"item": items["ict_single"].pk, "response": 1}
    # A colleague in the same group, the school administration and ЦНППМ alike.
    for user in ("colleague", "school", "cnppm"):
        other = client_for(users[user])
        assert other.get(f"{sheet}/").status_code == 404, user
        assert other.post(f"{sheet}/answer/", answer, format="json").status_code == 404, user
        assert other.post(f"{sheet}/submit/").status_code == 404, user
    colleague = client_for(users["colleague"])
    assert colleague.get(f"{API}/results/").json()["count"] == 0
    assert (
        colleague.get(f"{API}/results/", {"person": users["teacher"].person_id}).json()["count"]
        == 0
    )


def test_start_needs_a_variant_for_the_user(procedure, users):
    response = client_for(users["expert"]).post(f"{API}/procedures/{procedure.pk}/start/")
    # The expert's person is in no group: the procedure is not even visible to them.
    assert response.status_code == 404
    # Nor to an account with no person: only one's own procedures can be started.
    response = client_for(users["municipal"]).post(f"{API}/procedures/{procedure.pk}/start/")
    assert response.status_code == 404


# -- results -----------------------------------------------------------------------------------
def record(person, procedure, areas, ict: str, methodical: str):
    scores = {
        areas["ict"]: (Decimal(ict), Decimal(10)),
        areas["methodical"]: (Decimal(methodical), Decimal(10)),
    }
    return services.result_record(person.pk, procedure, date.today(), scores, ResultSource.IMPORT)


def test_school_sees_results_of_its_school_only(procedure, users, areas, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    own = record(a["teacher"], procedure, areas, "9", "5")
    other = record(b["teacher"], procedure, areas, "9", "9")
    school = client_for(users["school"])
    assert ids(school.get(f"{API}/results/")) == {own.pk}
    assert school.get(f"{API}/results/{other.pk}/").status_code == 404
    assert school.get(f"{API}/results/", {"person": b["teacher"].pk}).json()["count"] == 0
    row = school.get(f"{API}/results/{own.pk}/").json()
    assert row["person_name"] == a["teacher"].full_name
    assert row["procedure_name"] == procedure.name
    assert [(s["area_name"], s["share"], s["is_deficit"]) for s in row["area_scores"]] == [
        ("методическая", "50.00", True),
        ("ИКТ", "90.00", False),
    ]
    cnppm = client_for(users["cnppm"])
    assert ids(cnppm.get(f"{API}/results/")) == {own.pk, other.pk}
    assert ids(cnppm.get(f"{API}/results/", {"has_deficit": "true"})) == {own.pk}
    assert ids(cnppm.get(f"{API}/results/", {"has_deficit": "false"})) == {other.pk}
    assert ids(cnppm.get(f"{API}/results/", {"person": b["teacher"].pk})) == {other.pk}
    assert ids(cnppm.get(f"{API}/results/", {"procedure": procedure.pk})) == {own.pk, other.pk}


LIST_QUERIES = {
    "results": 3,  # count, page of results with person and procedure, their area scores
    "procedures": 3,  # count, page with municipality and number of groups, blueprints
    "items": 2,  # count, page
}


def _add_rows(procedure, areas, region, n: int) -> None:
    for _ in range(n):
        person = PersonFactory(region=region)
        record(person, procedure, areas, "5", "7")
        other = Procedure.objects.create(
            region=region,
            name=person.last_name,
            level="regional",
            starts_on=date.today(),
            ends_on=date.today(),
        )
        other.blueprint.create(area=areas["ict"], easy=1)
        make_item(areas["ict"], person.last_name, 1)


def test_lists_run_a_fixed_number_of_queries(procedure, users, areas, region, count_queries):
    client = client_for(users["cnppm"])

    def _queries(client, path) -> int:
        count, response = count_queries(client.get, path)
        assert response.status_code == 200
        return count

    _add_rows(procedure, areas, region, 2)
    few = {path: _queries(client, f"{API}/{path}/") for path in LIST_QUERIES}
    _add_rows(procedure, areas, region, 18)
    assert client.get(f"{API}/results/").json()["count"] == 20
    many = {path: _queries(client, f"{API}/{path}/") for path in LIST_QUERIES}
    assert few == many == LIST_QUERIES


# -- procedures: rights and errors ---------------------------------------------------------------
def test_municipal_service_runs_only_municipal_procedures(users, areas, procedure, items):
    municipal = client_for(users["municipal"])
    response = municipal.post(f"{API}/procedures/", procedure_payload(areas), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Муниципальная служба проводит только муниципальную диагностику."
    )
    assert not Procedure.objects.filter(name="Региональная входная диагностика").exists()

    payload = procedure_payload(areas, name="Муниципальная диагностика", level="municipal")
    response = municipal.post(f"{API}/procedures/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "municipal"
    municipality = scope_of(users["municipal"]).of_role(Role.MUNICIPAL)[0].municipality
    assert response.json()["municipality"] == municipality.pk

    # The regional procedure is visible to the municipal service, but not theirs to change.
    regional = f"{API}/procedures/{procedure.pk}"
    assert municipal.get(f"{regional}/").status_code == 200
    assert municipal.post(f"{regional}/assemble/").status_code == 403
    assert municipal.post(f"{regional}/groups/", {"name": "Х"}, format="json").status_code == 403


def test_teacher_may_not_run_diagnostics(users, areas, procedure):
    teacher = client_for(users["teacher"])
    response = teacher.post(f"{API}/procedures/", procedure_payload(areas), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "У вас нет прав на проведение диагностики."
    # Procedures are for those who run them: to a teacher — even one taking part — they
    # answer 404 as on the pages; the teacher starts the test from its own start address.
    assert teacher.post(f"{API}/procedures/{procedure.pk}/assemble/").status_code == 404
    assert teacher.get(f"{API}/procedures/{procedure.pk}/").status_code == 404
    assert teacher.get(f"{API}/procedures/{procedure.pk}/groups/").status_code == 404
    assert teacher.get(f"{API}/procedures/{procedure.pk}/overlap/").status_code == 404
    assert ids(teacher.get(f"{API}/procedures/")) == set()
    assert ids(client_for(users["expert"]).get(f"{API}/procedures/")) == set()


def test_procedure_errors_are_400_in_russian(users, areas):
    cnppm = client_for(users["cnppm"])
    payload = procedure_payload(areas, blueprint=[])
    response = cnppm.post(f"{API}/procedures/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Спецификация пуста: укажите число заданий хотя бы для одной области."
    ]
    twice = [{"area": areas["ict"].pk, "easy": 1}, {"area": areas["ict"].pk, "hard": 1}]
    response = cnppm.post(
        f"{API}/procedures/", procedure_payload(areas, blueprint=twice), format="json"
    )
    assert response.status_code == 400
    assert response.json()["blueprint"] == ["Каждая область указывается один раз."]
    late = procedure_payload(areas, ends_on="01.01.2000")
    response = cnppm.post(f"{API}/procedures/", late, format="json")
    assert response.status_code == 400
    assert response.json()["ends_on"] == ["Окончание не может быть раньше начала."]
    assert not Procedure.objects.exists()


def test_blueprint_shortfall_on_assemble_is_400(users, areas, items, two_municipalities):
    cnppm = client_for(users["cnppm"])
    payload = procedure_payload(areas, blueprint=[{"area": areas["ict"].pk, "easy": 3}])
    procedure = cnppm.post(f"{API}/procedures/", payload, format="json").json()
    path = f"{API}/procedures/{procedure['id']}"
    response = cnppm.post(f"{path}/assemble/")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Добавьте хотя бы одну группу."]
    school = two_municipalities["a"]["school"]
    cnppm.post(f"{path}/groups/", {"name": "Школа А", "organization": school.pk}, format="json")
    response = cnppm.post(f"{path}/assemble/")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "группа «Школа А»: область «ИКТ», уровень «базовый» — нужно 3, утверждено в банке 2"
    ]


@pytest.fixture
def bank_for_two_groups(areas):
    for n in range(4):
        make_item(areas["ict"], f"ict-{n}", 1)


def test_groups_and_overlap(users, areas, bank_for_two_groups, two_municipalities):
    cnppm = client_for(users["cnppm"])
    payload = procedure_payload(areas, blueprint=[{"area": areas["ict"].pk, "easy": 2}])
    procedure = cnppm.post(f"{API}/procedures/", payload, format="json").json()
    path = f"{API}/procedures/{procedure['id']}"
    for key in ("a", "b"):
        group = {"name": f"Округ {key}", "municipality": two_municipalities[key]["municipality"].pk}
        assert cnppm.post(f"{path}/groups/", group, format="json").status_code == 201
    response = cnppm.post(f"{path}/groups/", {"manager": True}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Под условия отбора не подходит ни один работник, не входящий в другие группы."
    ]
    report = cnppm.post(f"{path}/assemble/").json()
    assert report == cnppm.get(f"{path}/overlap/").json()
    [pair] = report["pairs"]
    assert (pair["a"], pair["b"]) == ("Округ a", "Округ b")
    assert pair["common"] == 0
    groups = cnppm.get(f"{path}/groups/").json()
    assert [(g["number"], g["member_count"], g["item_count"]) for g in groups] == [
        (1, 2, 2),
        (2, 2, 2),
    ]
    # The municipal service counts only its own people.
    municipal = client_for(users["municipal"])
    assert [g["member_count"] for g in municipal.get(f"{path}/groups/").json()] == [2, 0]


def test_schema_has_the_diagnostics_paths(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in (
        "/api/v1/diagnostics/areas/",
        "/api/v1/diagnostics/items/{id}/",
        "/api/v1/diagnostics/procedures/{id}/groups/",
        "/api/v1/diagnostics/procedures/{id}/assemble/",
        "/api/v1/diagnostics/attempts/{id}/answer/",
        "/api/v1/diagnostics/results/",
    ):
        assert f"{path}:" in schema, path
