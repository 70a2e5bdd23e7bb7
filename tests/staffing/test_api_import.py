"""POST /api/v1/staffing/import/{kind}/: the import page's importer over the API — all or
nothing, every bad row named in Russian (400, nothing saved), the counts when saved, a big file
as a background job, the page's roles and territory."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role, RoleAssignment
from nms.common.models import Job, JobStatus
from nms.staffing import importers
from nms.staffing.models import Diploma, ScheduleRow, StaffSchedule
from tests.api_helpers import client_for
from tests.factories import RegionFactory
from tests.staffing.conftest import HISTORY, MATHS_INFORMATICS, workbook

SCHEDULE = [c.header for c in importers.SCHEDULE_COLUMNS]
DIPLOMAS = [c.header for c in importers.DIPLOMA_COLUMNS]
HEADERS = {"schedule": SCHEDULE, "diplomas": DIPLOMAS}


def url(kind: str) -> str:
    return f"/api/v1/staffing/import/{kind}/"


def post(user, kind, rows, headers=None):
    data = workbook(headers or HEADERS.get(kind, SCHEDULE), rows)
    data.name = "файл.xlsx"
    return client_for(user).post(url(kind), {"file": data}, format="multipart")


def errors_of(response) -> dict:
    assert response.status_code == 400, response.content
    return {(e["row"], e["column"]): e["message"] for e in response.json()["errors"]}


def schedule_rows(inn):
    return [
        (inn, "2025/26", "учитель", "математика", 3, "2,5"),
        (inn, "2025/26", "учитель", "физика", 1, 1),
        (inn, "2025/26", "директор", None, 1, 1),
    ]


# -- staff schedules ---------------------------------------------------------------------------
def test_schedule_file_creates_and_then_replaces_the_rows(world):
    school = world.users["school"]
    response = post(school, "schedule", schedule_rows(world.a["school"].inn))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["errors"], body["error_count"]) == (3, 0, [], 0)
    assert "Файл загружен. Добавлено: 3" in body["summary"]
    schedule = StaffSchedule.objects.get()
    assert (schedule.organization, schedule.year) == (world.a["school"], 2025)
    assert ScheduleRow.objects.filter(schedule=schedule).count() == 3

    again = post(school, "schedule", schedule_rows(world.a["school"].inn)[:1])
    assert again.status_code == 200 and again.json()["updated"] == 1
    assert ScheduleRow.objects.count() == 1


def test_bad_schedule_file_is_400_with_every_row_and_saves_nothing(world):
    inn_a, inn_b = world.a["school"].inn, world.b["school"].inn
    rows = [
        (inn_a, "2025/26", "учитель", "математика", 2, 1),  # 2: fine
        (inn_b, "2025/26", "учитель", "математика", 1, 0),  # 3: another school's
        (inn_a, "2025/26", "космонавт", None, 1, 0),  # 4: unknown position
        (inn_a, "2025/26", "учитель", "биология", 1, 2),  # 5: filled over the rates
        (inn_a, "2025/26", "учитель", "химия", "много", 0),  # 6: not a number
    ]
    response = post(world.users["school"], "schedule", rows)
    errors = errors_of(response)
    assert errors == {
        (3, "ИНН организации"): importers.UNKNOWN_ORGANIZATION,
        (4, "Должность"): importers.UNKNOWN_POSITION,
        (5, "Занято ставок"): importers.FILLED_OVER,
        (6, "Ставок по штату"): "ожидается число",
    }
    body = response.json()
    assert body["error_count"] == 4 and body["created"] == 0
    assert "ничего не сохранено" in body["summary"]
    assert next(e for e in body["errors"] if e["row"] == 6)["value"] == "много"
    assert not StaffSchedule.objects.exists() and not ScheduleRow.objects.exists()


def test_a_file_without_a_column_or_without_a_file(world):
    school = world.users["school"]
    response = post(school, "schedule", [("x",)], headers=["Должность"])
    errors = errors_of(response)
    assert errors[(None, "ИНН организации")] == "в файле нет обязательного столбца"
    missing = client_for(school).post(url("schedule"), {}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["message"] == "Приложите файл XLSX в поле file."
    assert not StaffSchedule.objects.exists()


# -- diplomas ----------------------------------------------------------------------------------
def test_diploma_file_creates_the_diplomas(world):
    far = world.far
    rows = [
        (far.snils, "высшее", "УрФУ", 2015, HISTORY, "учитель истории", "да"),
        (far.snils, "высшее", "Уральский государственный педагогический университет", 2010,
         MATHS_INFORMATICS, "", None),  # already recorded: unchanged
    ]  # fmt: skip
    response = post(world.users["municipal"], "diplomas", rows)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 0, 1)
    assert Diploma.objects.filter(person=far, specialty__name=HISTORY, year=2015).exists()


def test_bad_diploma_file_is_400_and_saves_nothing(world):
    far, other = world.far, world.b["teacher"]
    before = Diploma.objects.count()
    rows = [
        (far.snils, "высшее", "УрФУ", 2015, HISTORY, None, None),  # 2: fine
        ("112-233-445 95", "высшее", "УрФУ", 2015, HISTORY, None, None),  # 3: unknown СНИЛС
        (other.snils, "высшее", "УрФУ", 2015, HISTORY, None, None),  # 4: outside the territory
        (far.snils, "начальное", "УрФУ", 2018, "Астрология", None, None),  # 5: level, specialty
    ]
    errors = errors_of(post(world.users["municipal"], "diplomas", rows))
    assert errors == {
        (3, "СНИЛС"): importers.UNKNOWN_SNILS,
        (4, "СНИЛС"): importers.OUT_OF_SCOPE,
        (5, "Уровень образования"): importers.UNKNOWN_LEVEL,
        (5, "Специальность"): importers.UNKNOWN_SPECIALTY,
    }
    assert Diploma.objects.count() == before


# -- kinds, roles and territory ------------------------------------------------------------------
def test_an_unknown_kind_is_404(world):
    response = post(world.users["school"], "vacancies", schedule_rows(world.a["school"].inn))
    assert response.status_code == 404
    assert response.json()["detail"] == importers.UNKNOWN_KIND
    assert not StaffSchedule.objects.exists()


@pytest.mark.parametrize("role", ["teacher", "methodist", "expert", "ministry"])
def test_a_role_that_may_not_import_gets_403(world, role):
    user = world.users[role]
    schedule = post(user, "schedule", schedule_rows(world.a["school"].inn))
    assert schedule.status_code == 403
    assert schedule.json()["detail"] == importers.NO_RIGHTS
    rows = [(world.far.snils, "высшее", "УрФУ", 2015, HISTORY, None, None)]
    assert post(user, "diplomas", rows).status_code == 403
    assert not StaffSchedule.objects.exists()
    assert not Diploma.objects.filter(person=world.far, year=2015).exists()


def test_anonymous_gets_401(world):
    data = workbook(SCHEDULE, schedule_rows(world.a["school"].inn))
    data.name = "файл.xlsx"
    response = APIClient().post(url("schedule"), {"file": data}, format="multipart")
    assert response.status_code == 401
    assert not StaffSchedule.objects.exists()


def test_another_territory_cannot_import_into_foreign_organizations(world, make_user):
    """Another school and a ЦНППМ of another region: the school A's ИНН and its teacher's
    СНИЛС are errors of their rows, nothing is saved."""
    elsewhere = make_user(Role.CNPPM, region=RegionFactory(name="Другая область", code="98"))
    diploma = [(world.far.snils, "высшее", "УрФУ", 2015, HISTORY, None, None)]
    for user in (world.users["other_school"], elsewhere):
        errors = errors_of(post(user, "schedule", schedule_rows(world.a["school"].inn)))
        assert set(errors) == {
            (2, "ИНН организации"),
            (3, "ИНН организации"),
            (4, "ИНН организации"),
        }
        assert set(errors.values()) == {importers.UNKNOWN_ORGANIZATION}
        errors = errors_of(post(user, "diplomas", diploma))
        assert errors == {(2, "СНИЛС"): importers.OUT_OF_SCOPE}
    assert not StaffSchedule.objects.exists()
    assert not Diploma.objects.filter(person=world.far, year=2015).exists()
    # the region's own ЦНППМ may
    assert post(world.users["cnppm"], "diplomas", diploma).status_code == 200


# -- a big file: a background job -----------------------------------------------------------------
def test_a_big_file_is_imported_as_a_job_of_the_uploader(world, settings):
    settings.NMS_EXPORT_SYNC_LIMIT = 2
    school = world.users["school"]
    response = post(school, "schedule", schedule_rows(world.a["school"].inn))
    assert response.status_code == 202, response.content
    job = Job.objects.get()
    body = response.json()
    assert body["id"] == job.pk and body["status"] == JobStatus.DONE
    assert response["Location"].endswith(reverse("api-job-detail", args=[job.pk]))
    assert (job.user, job.kind, job.upload_name) == (school, "import_schedule", "файл.xlsx")
    assert job.title == "Импорт: штатное расписание из файла «файл.xlsx»"
    assert body["report"]["created"] == 3 and ScheduleRow.objects.count() == 3

    rows = [
        *schedule_rows(world.a["school"].inn),
        (world.b["school"].inn, 2025, "учитель", None, 1, 0),
    ]
    ScheduleRow.objects.all().delete()
    rejected = post(school, "schedule", rows)
    assert rejected.status_code == 202
    assert rejected.json()["report"]["errors"] == [
        {
            "row": 5,
            "column": "ИНН организации",
            "value": world.b["school"].inn,
            "message": importers.UNKNOWN_ORGANIZATION,
        }
    ]
    assert not ScheduleRow.objects.exists()

    denied = post(world.users["teacher"], "schedule", schedule_rows(world.a["school"].inn))
    assert denied.status_code == 403 and Job.objects.count() == 2


# -- the schema --------------------------------------------------------------------------------
def test_the_schema_documents_the_import(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/staffing/import/{kind}/"]["post"]
    kind = next(p for p in operation["parameters"] if p["name"] == "kind")
    assert set(kind["schema"]["enum"]) == {"schedule", "diplomas"}
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "202", "400"} <= set(operation["responses"])


def test_a_viewing_role_beside_an_editing_one_widens_nothing(world, region):
    """School B's administration who also holds the ministry's (viewing) role: the ministry sees
    the whole region but edits nothing — school A's teacher's СНИЛС is still outside."""
    user = world.users["other_school"]
    RoleAssignment.objects.create(user=user, role=Role.MINISTRY, region=region)
    rows = [(world.far.snils, "высшее", "УрФУ", 2015, HISTORY, None, None)]
    errors = errors_of(post(user, "diplomas", rows))
    assert errors == {(2, "СНИЛС"): importers.OUT_OF_SCOPE}
    errors = errors_of(post(user, "schedule", schedule_rows(world.a["school"].inn)[:1]))
    assert errors == {(2, "ИНН организации"): importers.UNKNOWN_ORGANIZATION}
    assert not Diploma.objects.filter(person=world.far, year=2015).exists()
