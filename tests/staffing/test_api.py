"""The API /api/v1/staffing/...: scope, writes through the services, Russian errors."""

from nms.registry.models import Position, Subject
from nms.staffing.models import Diploma, StaffSchedule, Vacancy
from tests.api_helpers import client_for, ids
from tests.staffing.conftest import MATHS_INFORMATICS, specialty

API = "/api/v1/staffing"


def test_schedule_and_vacancy_through_the_api(world):
    school = client_for(world.users["school"])
    response = school.post(
        f"{API}/schedules/", {"organization": world.a["school"].pk, "year": 2025}, format="json"
    )
    assert response.status_code == 201, response.content
    again = school.post(
        f"{API}/schedules/", {"organization": world.a["school"].pk, "year": 2025}, format="json"
    )
    assert again.status_code == 400 and "уже есть" in str(again.json())
    outside = school.post(
        f"{API}/schedules/", {"organization": world.b["school"].pk, "year": 2025}, format="json"
    )
    assert outside.status_code == 400  # another school's id reads as unknown
    schedule = response.json()
    rows = f"{API}/schedules/{schedule['id']}/rows/"
    teacher_id = Position.objects.get(name="учитель").pk
    over = {"position": teacher_id, "rates": "1", "filled": "2", "version": schedule["version"]}
    answer = school.post(rows, over, format="json")
    assert answer.status_code == 400 and "больше, чем предусмотрено" in str(answer.json())
    row = {**over, "filled": "0.5"}
    answer = school.post(rows, row, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["rows"][0]["vacant"] == "0.50"
    assert school.post(rows, row, format="json").status_code == 409  # the version seen before
    vacancy = {
        "organization": world.a["school"].pk,
        "position": Position.objects.get(name="учитель").pk,
        "subject": Subject.objects.get(name="химия").pk,
        "rates": "1.00",
        "published": True,
        "requirements": "Высшее педагогическое образование",
    }
    response = school.post(f"{API}/vacancies/", vacancy, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["opened_on"]
    response = school.post(f"{API}/vacancies/", {**vacancy, "rates": "0"}, format="json")
    assert response.status_code == 400 and "больше нуля" in str(response.json())
    assert StaffSchedule.objects.count() == 1 and Vacancy.objects.count() == 1
    teacher = client_for(world.users["teacher"])
    assert teacher.post(f"{API}/vacancies/", vacancy, format="json").status_code == 403


def test_lists_are_scoped(world):
    StaffSchedule.objects.create(organization=world.a["school"], year=2025)
    b = StaffSchedule.objects.create(organization=world.b["school"], year=2025)
    school = client_for(world.users["school"])
    assert len(ids(school.get(f"{API}/schedules/"))) == 1
    assert school.get(f"{API}/schedules/{b.pk}/").status_code == 404
    cnppm = client_for(world.users["cnppm"])
    assert len(ids(cnppm.get(f"{API}/schedules/"))) == 2
    teacher = client_for(world.users["teacher"])
    assert ids(teacher.get(f"{API}/schedules/")) == set()
    # A teacher reads their own diplomas only.
    own = Diploma.objects.get(person=world.a["teacher"])
    assert ids(teacher.get(f"{API}/diplomas/")) == {own.pk}
    other = Diploma.objects.get(person=world.b["teacher"])
    assert teacher.get(f"{API}/diplomas/{other.pk}/").status_code == 404
    assert len(ids(client_for(world.users["municipal"]).get(f"{API}/diplomas/"))) == 2


def test_diploma_and_specialty_writes(world):
    municipal = client_for(world.users["municipal"])
    data = {
        "person": world.far.pk, "level": "vocational", "institution": "Педколледж",
        "year": 2003, "specialty": specialty(MATHS_INFORMATICS).pk,
    }  # fmt: skip
    response = municipal.post(f"{API}/diplomas/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "vocational"
    duplicate = municipal.post(f"{API}/diplomas/", data, format="json")
    assert duplicate.status_code == 400 and "уже записан" in str(duplicate.json())
    created = {"name": "Педагогическое образование (химия)", "subjects": []}
    assert municipal.post(f"{API}/specialties/", created, format="json").status_code == 403
    cnppm = client_for(world.users["cnppm"])
    response = cnppm.post(f"{API}/specialties/", created, format="json")
    assert response.status_code == 201, response.content
    assert client_for(world.users["teacher"]).get(f"{API}/specialties/").status_code == 200


def test_contracts_and_classes(world):
    municipal = client_for(world.users["municipal"])
    contract = {
        "municipality": world.a["municipality"].pk, "student_name": "Семёнова Анна",
        "institution": "УрГПУ", "signed_on": "01.09.2024", "study_ends_on": "30.06.2028",
    }  # fmt: skip
    response = municipal.post(f"{API}/target-contracts/", contract, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "studying"
    other = {**contract, "municipality": world.b["municipality"].pk}
    assert municipal.post(f"{API}/target-contracts/", other, format="json").status_code == 400
    school = client_for(world.users["school"])
    assert (
        ids(school.get(f"{API}/target-contracts/")) == set()
    )  # the municipality's, not the school's
    item = {"organization": world.a["school"].pk, "year": 2025, "pupils": 14, "grade": 10}
    response = school.post(f"{API}/pedagogical-classes/", item, format="json")
    assert response.status_code == 201 and response.json()["profile"] == "psychological"
