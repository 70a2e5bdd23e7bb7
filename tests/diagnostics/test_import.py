"""Import of external diagnostic results from XLSX: all-or-nothing, scoped, merging, idempotent."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from nms.accounts.models import Role, User
from nms.common import jobs
from nms.common.identifiers import snils_with_checksum
from nms.common.models import Job, JobStatus
from nms.deficits import maps
from nms.diagnostics import importers
from nms.diagnostics.importers import COLUMNS, PERSON_NOT_FOUND, import_results
from nms.diagnostics.models import AreaScore, Level, Procedure, Result, ResultSource
from nms.registry.models import EducationLevel, Person, Sex

HEADERS = [c.header for c in COLUMNS]
FEDERAL = "Оценка предметных и методических компетенций учителей 2024"
URL = "/diagnostics/maps/import/"
API_URL = "/api/v1/diagnostics/import/"


def xlsx(rows, headers=HEADERS) -> BytesIO:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "results.xlsx"
    return buffer


def row(person, area="предметная", score=12, top=20, day="14.05.2024", procedure=FEDERAL):
    snils = person if isinstance(person, str) else person.snils
    return [snils, procedure, day, area, score, top]


def snapshot() -> list[tuple]:
    """Everything the import writes, to compare before and after."""
    return [
        *Procedure.objects.values_list("pk", "name", "starts_on", "ends_on").order_by("pk"),
        *Result.objects.values_list("pk", "taken_on", "share", "has_deficit").order_by("pk"),
        *AreaScore.objects.values_list("pk", "area_id", "score", "max_score").order_by("pk"),
    ]


def errors_at(report) -> set[tuple]:
    return {(e.row, e.column) for e in report.errors}


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


@pytest.fixture
def people(two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    return a["teacher"], a["director"], b["teacher"]


def good_rows(people):
    teacher, director, other = people
    return [
        row(teacher, "предметная", 12, 20),  # 60 % — a deficit
        row(teacher, "Методическая", "15,5", 20),
        row(director, "предметная", 18, 20, day=datetime(2024, 5, 20)),  # an Excel date cell
        row(director, "methodical", 8, 20, day=datetime(2024, 5, 20)),  # the area's code
        row(other, "ИКТ", 20, 20, day="02.06.2024"),
    ]


# -- rejected files ----------------------------------------------------------------------------
def test_bad_rows_save_nothing_and_each_is_named(cnppm, people):
    teacher, director, other = people
    bad_snils = teacher.snils[:-2] + f"{(int(teacher.snils[-2:]) + 1) % 100:02d}"
    unknown = snils_with_checksum("123456780")
    rows = [
        row(teacher),  # 2: fine
        row(bad_snils),  # 3: check digits
        row(unknown),  # 4: nobody with this СНИЛС
        row(director, score=25, top=20),  # 5: more than the maximum
        row(other, day="31.02.2020"),  # 6: no such date
        row(other, area="астрология"),  # 7: unknown competency
        row(director, area="ИКТ", score=None),  # 8: empty cell
        row(teacher),  # 9: the same as row 2
        row(director, area="воспитательная", top=0),  # 10: zero maximum
    ]
    before = snapshot()

    report = import_results(cnppm, xlsx(rows))

    assert not report.ok
    assert errors_at(report) == {
        (3, "СНИЛС"),
        (4, "СНИЛС"),
        (5, "Балл"),
        (6, "Дата"),
        (7, "Компетенция"),
        (8, "Балл"),
        (9, "Компетенция"),
        (10, "Максимальный балл"),
    }
    messages = {e.row: e.message for e in report.errors}
    assert messages[3] == "неверное контрольное число СНИЛС"
    assert messages[4] == PERSON_NOT_FOUND
    assert messages[5] == "балл больше максимального"
    assert messages[6] == "несуществующая дата"
    assert "неизвестная компетенция" in messages[7]
    assert messages[8] == "обязательное поле не заполнено"
    assert messages[9] == "сочетание СНИЛС, процедуры и компетенции уже встречается в строке 2"
    assert next(e for e in report.errors if e.row == 6).value == "31.02.2020"
    assert report.summary.startswith("Файл не загружен, ничего не сохранено")
    assert snapshot() == before


def test_missing_column_and_unreadable_file(cnppm, people):
    report = import_results(cnppm, xlsx([row(people[0])[:5]], headers=HEADERS[:5]))
    assert [(e.row, e.column) for e in report.errors] == [(None, "Максимальный балл")]
    report = import_results(cnppm, BytesIO(b"not a workbook"))
    assert "не книга Excel" in report.errors[0].message


def test_one_person_one_procedure_one_date(cnppm, people):
    rows = [row(people[0]), row(people[0], area="ИКТ", day="15.05.2024")]
    report = import_results(cnppm, xlsx(rows))
    assert errors_at(report) == {(3, "Дата")}
    assert "в строке 2 указана другая дата" in report.errors[0].message


def test_future_date_and_negative_score(cnppm, people):
    rows = [row(people[0], day="01.01.2999"), row(people[1], score=-1)]
    report = import_results(cnppm, xlsx(rows))
    assert errors_at(report) == {(2, "Дата"), (3, "Балл")}


# -- saved files -------------------------------------------------------------------------------
def test_good_file_creates_the_procedure_and_results(cnppm, people, areas):
    teacher, director, other = people

    report = import_results(cnppm, xlsx(good_rows(people)))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert report.procedures_created == 1
    procedure = Procedure.objects.get(name=FEDERAL)
    assert procedure.level == Level.FEDERAL and procedure.kind == "entry"
    assert procedure.is_external and procedure.created_by == cnppm
    assert (procedure.starts_on, procedure.ends_on) == (date(2024, 5, 14), date(2024, 6, 2))
    result = Result.objects.get(person=teacher, procedure=procedure)
    assert result.source == ResultSource.IMPORT and result.taken_on == date(2024, 5, 14)
    scores = {s.area.code: s for s in result.area_scores.select_related("area")}
    assert scores["subject"].share == Decimal("60.00") and scores["subject"].is_deficit
    assert scores["methodical"].score == Decimal("15.50") and not scores["methodical"].is_deficit
    assert result.has_deficit and result.share == Decimal("68.75")
    director_result = Result.objects.get(person=director)
    assert director_result.taken_on == date(2024, 5, 20)
    assert director_result.area_scores.get(area=areas["methodical"]).is_deficit


def test_reimport_changes_nothing(cnppm, people):
    import_results(cnppm, xlsx(good_rows(people)))
    before = snapshot()

    again = import_results(cnppm, xlsx(good_rows(people)))

    assert again.ok
    assert (again.created, again.updated, again.unchanged, again.procedures_created) == (0, 0, 5, 0)
    assert again.summary.startswith("Изменений нет")
    assert snapshot() == before


def test_partial_file_merges_with_stored_areas(cnppm, people, areas):
    teacher = people[0]
    import_results(cnppm, xlsx(good_rows(people)))
    rows = [
        row(teacher, "Методическая", 10, 20),  # changed
        row(teacher, "воспитательная", 19, 20),  # new area
    ]

    report = import_results(cnppm, xlsx(rows))

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    result = Result.objects.get(person=teacher)
    shares = {s.area.code: s.share for s in result.area_scores.select_related("area")}
    assert shares == {
        "subject": Decimal("60.00"),  # kept although the file does not mention it
        "methodical": Decimal("50.00"),
        "upbringing": Decimal("95.00"),
    }
    assert result.share == Decimal("68.33")


def test_changed_date_updates_the_result(cnppm, people):
    teacher = people[0]
    import_results(cnppm, xlsx(good_rows(people)))
    report = import_results(cnppm, xlsx([row(teacher, day="16.05.2024")]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert Result.objects.get(person=teacher).taken_on == date(2024, 5, 16)


def test_existing_procedure_matched_by_name_ignoring_case_and_yo(cnppm, people, region):
    procedure = Procedure.objects.create(
        region=region,
        name="Федеральная оценка компетенций учителей",
        level=Level.FEDERAL,
        starts_on=date(2024, 4, 1),
        ends_on=date(2024, 6, 30),
        is_external=True,
    )
    report = import_results(
        cnppm, xlsx([row(people[0], procedure="ФЕДЕРАЛЬНАЯ  оценка компетенций учителеЙ")])
    )
    assert report.ok and report.procedures_created == 0
    assert Result.objects.get().procedure == procedure


def test_results_of_online_procedures_are_not_imported(cnppm, people, procedure):
    report = import_results(cnppm, xlsx([row(people[0], procedure=procedure.name)]))
    assert errors_at(report) == {(2, "Процедура")}
    assert "онлайн-тестированием" in report.errors[0].message


# -- a fixed number of queries ----------------------------------------------------------------
def make_people(region, count: int, first: int) -> list[Person]:
    """Synthetic people with valid СНИЛС, in one INSERT (no history needed here)."""
    people = [
        Person(
            region=region,
            last_name=f"Синтетическая{n}",
            first_name="Анна",
            birth_date=date(1985, 3, 8),
            sex=Sex.FEMALE,
            snils=snils_with_checksum(f"{700000000 + n:09d}"),
            education_level=EducationLevel.HIGHER,
        )
        for n in range(first, first + count)
    ]
    for person in people:
        person.search_text = person.compute_search_text()
    return Person.objects.bulk_create(people)


def subject_score(i: int, changed: bool) -> int:
    return 13 + i % 7 if changed and i % 2 else 12


def scores_file(people, procedure: str, changed: bool) -> list[list]:
    """Everyone's subject score out of 20, but every tenth person left out. `changed`: the people
    left out come, every odd person's score changes, everyone gets an ИКТ score."""
    rows = []
    for i, person in enumerate(people):
        if changed or i % 10 != 9:
            rows.append(
                row(person, "предметная", subject_score(i, changed), 20, procedure=procedure)
            )
        if changed:
            rows.append(row(person, "ИКТ", i % 21, 20, procedure=procedure))
    return rows


def test_import_runs_the_same_queries_for_10_and_1000_rows(cnppm, region, areas, count_queries):
    def queries_of_import(user, rows) -> tuple[int, object]:
        """The queries of one import by a fresh copy of the user (its scope not yet cached)."""
        file = xlsx(rows)
        user = User.objects.get(pk=user.pk)
        count, report = count_queries(import_results, user, file)
        assert report.ok, report.errors[:3]
        return count, report

    groups = {count: make_people(region, count, first) for count, first in ((10, 0), (1000, 10))}
    counts = {}
    for count, people in groups.items():
        procedure = f"Федеральная оценка, {count} работников"
        left_out = sum(1 for i in range(count) if i % 10 == 9)

        first_import, report = queries_of_import(cnppm, scores_file(people, procedure, False))
        assert (report.created, report.procedures_created) == (count - left_out, 1)
        again, report = queries_of_import(cnppm, scores_file(people, procedure, False))
        assert (report.created, report.updated, report.unchanged) == (0, 0, count - left_out)
        changed, report = queries_of_import(cnppm, scores_file(people, procedure, True))
        odd = sum(1 for i in range(count) if i % 2 and i % 10 != 9)
        assert (report.created, report.updated, report.unchanged) == (
            count + left_out,
            odd,
            count - left_out - odd,
        )
        counts[count] = (first_import, again, changed)

    assert counts[10] == counts[1000], counts
    first_import, again, changed = counts[1000]
    assert again < first_import <= changed <= 20, counts

    # Every result and area score is the person's own (the bulk writes matched them right).
    expected_areas, expected_results = {}, {}
    for people in groups.values():
        for i, person in enumerate(people):
            subject, ict = subject_score(i, True), i % 21
            expected_areas[(person.snils, "subject")] = (Decimal(subject * 5), subject * 5 <= 60)
            expected_areas[(person.snils, "ict")] = (Decimal(ict * 5), ict * 5 <= 60)
            expected_results[person.snils] = (
                Decimal((subject + ict) * 100) / 40,
                subject * 5 <= 60 or ict * 5 <= 60,
            )
    stored_areas = {
        (snils, code): (share, is_deficit)
        for snils, code, share, is_deficit in AreaScore.objects.values_list(
            "result__person__snils", "area__code", "share", "is_deficit"
        )
    }
    stored_results = {
        snils: (share, has_deficit)
        for snils, share, has_deficit in Result.objects.values_list(
            "person__snils", "share", "has_deficit"
        )
    }
    assert stored_areas == expected_areas
    assert stored_results == expected_results


# -- who may import ----------------------------------------------------------------------------
def test_municipal_user_cannot_import_people_of_another_municipality(make_user, people):
    teacher, _, other = people
    municipal = make_user(
        Role.MUNICIPAL, municipality=teacher.employments.get().organization.municipality
    )
    report = import_results(municipal, xlsx([row(teacher), row(other)]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "СНИЛС", PERSON_NOT_FOUND)]
    assert not Result.objects.exists() and not Procedure.objects.exists()
    assert import_results(municipal, xlsx([row(teacher)])).ok


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.TEACHER, Role.MINISTRY, Role.METHODIST])
def test_roles_that_do_not_run_diagnostics_cannot_import(make_user, people, role):
    school = people[0].employments.get().organization
    user = make_user(role, organization=school, person=people[0] if role == Role.TEACHER else None)
    with pytest.raises(PermissionDenied):
        import_results(user, xlsx([row(people[0])]))


# -- the command, the page, the API ------------------------------------------------------------
def save(tmp_path, rows):
    path = tmp_path / "results.xlsx"
    path.write_bytes(xlsx(rows).getvalue())
    return str(path)


def test_command_imports_and_rejects(people, tmp_path, capsys, make_user):
    call_command("import-diagnostics", save(tmp_path, good_rows(people)))
    assert "Добавлено баллов: 5" in capsys.readouterr().out
    assert Result.objects.count() == 3

    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command("import-diagnostics", save(tmp_path, [row(people[0], score=99)]))
    assert "Строка 2, столбец «Балл»" in capsys.readouterr().err

    municipal = make_user(
        Role.MUNICIPAL, municipality=people[0].employments.get().organization.municipality
    )
    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command(
            "import-diagnostics", save(tmp_path, [row(people[2])]), user=municipal.username
        )
    school = make_user(Role.SCHOOL, organization=people[0].employments.get().organization)
    with pytest.raises(CommandError, match="нет прав"):
        call_command("import-diagnostics", save(tmp_path, [row(people[0])]), user=school.username)


def test_page_imports_lists_errors_and_gives_the_template(client, cnppm, people):
    client.force_login(cnppm)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'type="hidden" name="kind"' in page.text  # one thing to import: nothing to choose

    bad = client.post(URL, {"file": xlsx([row(people[0], area="астрология"), row("1")])})
    job = Job.objects.get()
    assert bad.status_code == 302 and bad["Location"] == job.get_absolute_url()
    html = client.get(bad["Location"]).text
    assert "ничего не сохранено" in html and "астрология" in html
    assert len(job.report["errors"]) == 2

    good = client.post(URL, {"file": xlsx(good_rows(people))}, follow=True)
    assert "Добавлено баллов: 5" in good.text

    template = client.get(URL + "template/")
    workbook = load_workbook(BytesIO(template.content))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    reference = [c.value for c in workbook["Справочники"]["A"]]
    assert "методическая" in reference
    procedures = [c.value for c in workbook["Справочники"]["C"]]
    assert FEDERAL in procedures


# -- the page's upload as a background job -----------------------------------------------------
def test_the_upload_becomes_a_job_that_imports_and_reports(client, cnppm, people):
    client.force_login(cnppm)

    response = client.post(URL, {"file": xlsx(good_rows(people))})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.user, job.kind, job.status, job.upload_name) == (
        cnppm,
        "import_diagnostic_results",
        JobStatus.DONE,
        "results.xlsx",
    )
    assert job.report["created"] == 5 and job.report["procedures_created"] == 1
    assert job.report["errors"] == []
    assert Result.objects.count() == 3
    page = client.get(response["Location"]).text
    assert 'id="import-report"' in page and "Добавлено баллов: 5" in page


def test_a_file_with_errors_saves_nothing_and_the_job_names_each(client, cnppm, people):
    client.force_login(cnppm)
    rows = [*good_rows(people), row(people[0], area="ИКТ", score=30)]  # row 7: above the maximum
    before = snapshot()

    page = client.post(URL, {"file": xlsx(rows)}, follow=True)

    job = Job.objects.get()
    assert job.status == JobStatus.DONE  # the job ran; the file was refused
    assert job.report["errors"] == [
        {"row": 7, "column": "Балл", "value": "30", "message": "балл больше максимального"}
    ]
    assert "<td>7</td><td>Балл</td><td>30</td><td>балл больше максимального</td>" in page.text
    assert "ничего не сохранено" in page.text
    assert snapshot() == before


def test_another_users_import_job_is_not_found(client, cnppm, make_user, people):
    client.force_login(cnppm)
    client.post(URL, {"file": xlsx(good_rows(people))})
    job = Job.objects.get()
    client.force_login(make_user(Role.CNPPM))
    for name in ("job-detail", "job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(make_user(Role.CNPPM))
    assert api.get(reverse("api-job-detail", args=[job.pk])).status_code == 404


def test_progress_is_reported_while_checking_and_per_saved_batch(cnppm, region, areas):
    people = make_people(region, 1200, 0)
    rows = scores_file(people, "Федеральная оценка, 1200 работников", False)
    calls = []

    report = import_results(cnppm, xlsx(rows), progress=lambda *args: calls.append(args))

    assert report.ok, report.errors[:3]
    assert len(rows) == report.created == 1080  # every tenth person left out
    # Checking: every 500 rows; saving: 1080 results, then their 1080 area scores, one batch each.
    assert calls == [
        (0, 1080),
        (500, 1080),
        (1000, 1080),
        (1080, 1080),
        (0, 2160),
        (1080, 2160),
        (2160, 2160),
    ]


def test_a_job_reports_progress_through_the_importer(cnppm, people, monkeypatch):
    """The job hands its Progress to the importer (which names its steps through `phase`)."""
    seen = []
    real = importers.import_results

    def spy(user, file, progress=None):
        seen.append(progress)
        return real(user, file, progress)

    monkeypatch.setattr(importers, "import_results", spy)
    job = jobs.job_start(
        cnppm,
        kind="import_diagnostic_results",
        title="Импорт",
        work=importers.import_job,
        upload=xlsx(good_rows(people)).getvalue(),
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["created"] == 5
    assert isinstance(seen[0], jobs.Progress)


def test_page_is_hidden_from_those_who_may_not_import(client, make_user, people):
    client.force_login(
        make_user(Role.SCHOOL, organization=people[0].employments.get().organization)
    )
    assert client.get(URL).status_code == 404
    assert client.get(URL + "template/").status_code == 404


def test_api_import(make_user, people, cnppm):
    api = APIClient()
    api.force_authenticate(cnppm)
    response = api.post(API_URL, {"file": xlsx(good_rows(people))}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["procedures_created"]) == (5, 0, 1)

    again = api.post(API_URL, {"file": xlsx(good_rows(people))}, format="multipart").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)

    rejected = api.post(API_URL, {"file": xlsx([row(people[0], score=30)])}, format="multipart")
    assert rejected.status_code == 400
    assert rejected.json()["errors"][0] == {
        "row": 2,
        "column": "Балл",
        "value": "30",
        "message": "балл больше максимального",
    }
    assert api.post(API_URL, {}, format="multipart").status_code == 400

    teacher = APIClient()
    teacher.force_authenticate(make_user(Role.TEACHER, person=people[0]))
    response = teacher.post(API_URL, {"file": xlsx(good_rows(people))}, format="multipart")
    assert response.status_code == 403


def test_api_imports_a_big_file_as_a_job(make_user, people, cnppm, settings):
    """Above NMS_EXPORT_SYNC_LIMIT rows: 202 with the job, which imports as the uploader."""
    settings.NMS_EXPORT_SYNC_LIMIT = 4
    api = APIClient()
    api.force_authenticate(cnppm)

    response = api.post(API_URL, {"file": xlsx(good_rows(people))}, format="multipart")

    assert response.status_code == 202, response.json()
    job = Job.objects.get()
    body = response.json()
    assert body["id"] == job.pk and body["status"] == JobStatus.DONE
    assert response["Location"].endswith(reverse("api-job-detail", args=[job.pk]))
    assert body["report"]["created"] == 5 and Result.objects.count() == 3

    rejected = [*good_rows(people), row(people[0], area="ИКТ", score=30)]
    report = api.post(API_URL, {"file": xlsx(rejected)}, format="multipart").json()["report"]
    assert report["errors"] == [
        {"row": 7, "column": "Балл", "value": "30", "message": "балл больше максимального"}
    ]
    small = api.post(API_URL, {"file": xlsx(good_rows(people)[:2])}, format="multipart")
    assert small.status_code == 200  # at the limit or below: in the request

    teacher = APIClient()
    teacher.force_authenticate(make_user(Role.TEACHER, person=people[0]))
    response = teacher.post(API_URL, {"file": xlsx(good_rows(people))}, format="multipart")
    assert response.status_code == 403 and Job.objects.count() == 2


def test_imported_results_feed_the_map(cnppm, people):
    import_results(cnppm, xlsx(good_rows(people)))
    deficit_map = maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.REGION))
    assert deficit_map.total.people == 3
    assert deficit_map.total.with_deficit == 2
