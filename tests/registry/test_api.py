"""The registry API: scope (404 and absence from lists and counts), writes through the services,
errors in Russian, filters and a fixed number of queries per list."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.identifiers import inn_with_checksum, snils_with_checksum
from nms.registry.models import Employment, Organization, Person, Subject
from tests.api_helpers import client_for, ids
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory, position

API = "/api/v1"
NEW_INN = inn_with_checksum("190999999")
BAD_INN = NEW_INN[:-1] + str((int(NEW_INN[-1]) + 1) % 10)


@pytest.fixture
def municipal(users):
    return client_for(users["municipal"])


def person_payload(**overrides) -> dict:
    data = {
        "last_name": "Новикова",
        "first_name": "Анна",
        "middle_name": "Олеговна",
        "birth_date": "17.05.2000",
        "sex": "F",
        "snils": snils_with_checksum("112233445"),
        "education_level": "higher",
        "has_pedagogical_education": True,
        "email": "",
    }
    return {**data, **overrides}


def employment_payload(organization, **overrides) -> dict:
    data = {
        "organization": organization.pk,
        "position": position().pk,
        "category": "first",
        "experience_years": "2.0",
        "experience_as_of": f"{date.today():%d.%m.%Y}",
        "subjects": [Subject.objects.get(name="математика").pk],
    }
    return {**data, **overrides}


# -- scope -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, people, organizations, municipalities, employments",
    [
        ("admin", 4, 2, 2, 4),
        ("ministry", 4, 2, 2, 4),
        ("cnppm", 4, 2, 2, 4),
        ("municipal", 2, 1, 1, 2),
        ("school", 2, 1, 1, 2),
        ("teacher", 1, 1, 1, 1),
        ("methodist", 1, 1, 1, 1),
    ],
)
def test_each_role_sees_its_scope(users, role, people, organizations, municipalities, employments):
    client = client_for(users[role])
    for path, expected in [
        ("people", people),
        ("organizations", organizations),
        ("municipalities", municipalities),
        ("employments", employments),
    ]:
        response = client.get(f"{API}/{path}/")
        assert response.status_code == 200
        assert response.json()["count"] == expected, path
        assert len(response.json()["results"]) == expected, path


def test_other_municipality_is_404(municipal, two_municipalities):
    b = two_municipalities["b"]
    outsider = b["teacher"]
    employment = outsider.employments.get()
    assert municipal.get(f"{API}/people/{outsider.pk}/").status_code == 404
    assert municipal.patch(f"{API}/people/{outsider.pk}/", {"first_name": "Х"}).status_code == 404
    assert municipal.put(f"{API}/people/{outsider.pk}/", person_payload()).status_code == 404
    assert municipal.get(f"{API}/employments/{employment.pk}/").status_code == 404
    response = municipal.patch(f"{API}/employments/{employment.pk}/", {"category": "highest"})
    assert response.status_code == 404
    assert municipal.delete(f"{API}/employments/{employment.pk}/").status_code == 404
    assert municipal.get(f"{API}/organizations/{b['school'].pk}/").status_code == 404
    response = municipal.patch(f"{API}/organizations/{b['school'].pk}/", {"short_name": "Х"})
    assert response.status_code == 404
    assert municipal.get(f"{API}/municipalities/{b['municipality'].pk}/").status_code == 404
    # Nothing changed.
    outsider.refresh_from_db()
    assert outsider.first_name == "Пётр"
    assert Employment.objects.filter(pk=employment.pk, category="none").exists()


def test_other_municipality_is_in_no_list_or_count(municipal, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    people = municipal.get(f"{API}/people/")
    assert ids(people) == {a["teacher"].pk, a["director"].pk}
    assert people.json()["count"] == 2
    search = municipal.get(f"{API}/people/", {"q": b["teacher"].last_name})
    assert search.json()["count"] == 0
    employments = municipal.get(f"{API}/employments/")
    assert {row["person"] for row in employments.json()["results"]} == {
        a["teacher"].pk,
        a["director"].pk,
    }
    assert municipal.get(f"{API}/employments/", {"person": b["teacher"].pk}).json()["count"] == 0
    organizations = municipal.get(f"{API}/organizations/")
    assert ids(organizations) == {a["school"].pk}
    assert organizations.json()["count"] == 1
    assert ids(municipal.get(f"{API}/municipalities/")) == {a["municipality"].pk}
    # Filtering by the other municipality is refused, not answered with its rows.
    response = municipal.get(f"{API}/people/", {"municipality": b["municipality"].pk})
    assert response.status_code == 400


def test_person_row_holds_employments_and_derived_values(municipal, two_municipalities):
    director = two_municipalities["a"]["director"]
    employment = director.employments.get()
    employment.subjects.set(Subject.objects.filter(name__in=["физика", "математика"]))
    row = municipal.get(f"{API}/people/{director.pk}/").json()
    assert row["full_name"] == director.full_name
    assert row["birth_date"] == "1980-05-17"
    assert row["age"] == director.age()
    assert row["is_manager"] is True
    assert row["is_young_teacher"] is False
    assert row["experience_years"] == str(director.experience_years())
    [job] = row["employments"]
    assert job["organization"] == employment.organization_id
    assert job["organization_short_name"] == employment.organization.short_name
    assert job["position_name"] == "учитель"
    assert job["manager_kind"] == "head"
    assert job["subjects"] == ["математика", "физика"]
    assert job["category"] == "none"
    assert job["is_part_time"] is False
    assert job["experience_today"] == str(employment.experience_on())


# -- rights ------------------------------------------------------------------------------------
def test_ministry_may_not_write(users, two_municipalities):
    ministry = client_for(users["ministry"])
    a = two_municipalities["a"]
    response = ministry.post(
        f"{API}/people/",
        {**person_payload(), "employment": employment_payload(a["school"])},
        format="json",
    )
    assert response.status_code == 403
    assert "нет прав" in response.json()["detail"]
    organization = {
        "full_name": "Школа",
        "short_name": "Школа",
        "inn": NEW_INN,
        "kind": "general",
        "municipality": a["municipality"].pk,
    }
    assert ministry.post(f"{API}/organizations/", organization).status_code == 403
    job = {**employment_payload(a["school"]), "person": a["teacher"].pk}
    assert ministry.post(f"{API}/employments/", job, format="json").status_code == 403
    response = ministry.patch(f"{API}/people/{a['teacher'].pk}/", {"first_name": "Х"})
    assert response.status_code == 403
    assert ministry.get(f"{API}/people/{a['teacher'].pk}/").status_code == 200
    assert Person.objects.count() == 4


def test_school_may_not_create_organizations(users, two_municipalities):
    school = client_for(users["school"])
    a = two_municipalities["a"]
    response = school.patch(f"{API}/organizations/{a['school'].pk}/", {"short_name": "Х"})
    assert response.status_code == 403


# -- writes ------------------------------------------------------------------------------------
def test_invalid_snils_is_400_in_russian(users):
    client = client_for(users["cnppm"])
    response = client.post(f"{API}/people/", person_payload(snils="123-456-789 00"), format="json")
    assert response.status_code == 400
    assert response.json()["snils"] == ["неверное контрольное число СНИЛС"]
    assert not Person.objects.filter(last_name="Новикова").exists()


def test_duplicate_snils_is_400(users, two_municipalities):
    client = client_for(users["cnppm"])
    taken = two_municipalities["b"]["teacher"].snils.replace("-", "").replace(" ", "")
    response = client.post(f"{API}/people/", person_payload(snils=taken), format="json")
    assert response.status_code == 400
    assert "СНИЛС" in response.json()["snils"][0]


def test_create_and_update_person_keep_history(users, two_municipalities):
    user = users["municipal"]
    client = client_for(user)
    school = two_municipalities["a"]["school"]
    payload = {**person_payload(), "employment": employment_payload(school)}
    response = client.post(f"{API}/people/", payload, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["birth_date"] == "2000-05-17"
    assert created["is_young_teacher"] is True
    assert created["employments"][0]["subjects"] == ["математика"]
    person = Person.objects.get(pk=created["id"])

    response = client.patch(
        f"{API}/people/{person.pk}/", {"email": "anna@example.org", "birth_date": "2000-05-18"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "anna@example.org"
    assert response.json()["birth_date"] == "2000-05-18"

    records = list(person.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user == user for r in records)
    assert Employment.history.filter(person_id=person.pk, history_user=user).count() == 1


def test_municipal_create_needs_employment_in_scope(municipal, two_municipalities):
    response = municipal.post(f"{API}/people/", person_payload(), format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Укажите место работы нового работника."]
    other = two_municipalities["b"]["school"]
    payload = {**person_payload(), "employment": employment_payload(other)}
    response = municipal.post(f"{API}/people/", payload, format="json")
    assert response.status_code == 400
    assert "organization" in response.json()["employment"]
    assert not Person.objects.filter(last_name="Новикова").exists()


def test_service_errors_of_the_employment_are_nested(users, two_municipalities):
    client = client_for(users["cnppm"])
    school = two_municipalities["a"]["school"]
    payload = {**person_payload(), "employment": employment_payload(school, manager_kind="boss")}
    response = client.post(f"{API}/people/", payload, format="json")
    assert response.status_code == 400
    assert "manager_kind" in response.json()["employment"]
    assert not Person.objects.filter(last_name="Новикова").exists()


def test_employment_create_update_delete(municipal, users, two_municipalities):
    a = two_municipalities["a"]
    second_school = OrganizationFactory(municipality=a["municipality"])
    payload = {**employment_payload(second_school, is_part_time=True), "person": a["teacher"].pk}
    response = municipal.post(f"{API}/employments/", payload, format="json")
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["is_part_time"] is True
    assert job["experience_as_of"] == date.today().isoformat()

    response = municipal.patch(
        f"{API}/employments/{job['id']}/", {"category": "highest", "subjects": []}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["category"] == "highest"
    assert response.json()["subjects"] == []

    # Same person and organization twice: refused by the model's constraint, in Russian.
    response = municipal.post(f"{API}/employments/", payload, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()

    assert municipal.delete(f"{API}/employments/{job['id']}/").status_code == 204
    assert not Employment.objects.filter(pk=job["id"]).exists()
    record = Employment.history.filter(id=job["id"], history_type="-").get()
    assert record.history_user == users["municipal"]


def test_employment_for_invisible_person_is_refused(municipal, two_municipalities):
    payload = {
        **employment_payload(two_municipalities["a"]["school"]),
        "person": two_municipalities["b"]["teacher"].pk,
    }
    response = municipal.post(f"{API}/employments/", payload, format="json")
    assert response.status_code == 400
    assert "person" in response.json()


def test_organization_create_and_update(municipal, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    payload = {
        "full_name": "Муниципальное бюджетное дошкольное учреждение «Детский сад № 5»",
        "short_name": "МБДОУ «Детский сад № 5»",
        "inn": NEW_INN,
        "kind": "preschool",
        "municipality": a["municipality"].pk,
    }
    response = municipal.post(f"{API}/organizations/", payload)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["staff_count"] == 0
    assert created["municipality_name"] == a["municipality"].name
    response = municipal.patch(f"{API}/organizations/{created['id']}/", {"is_low_results": True})
    assert response.status_code == 200
    assert response.json()["is_low_results"] is True

    response = municipal.post(f"{API}/organizations/", {**payload, "inn": BAD_INN})
    assert response.status_code == 400
    assert response.json()["inn"] == ["неверные контрольные цифры ИНН"]
    other = {**payload, "inn": NEW_INN, "municipality": b["municipality"].pk}
    response = municipal.post(f"{API}/organizations/", other)
    assert response.status_code == 400
    assert set(response.json()) >= {"municipality"}
    assert Organization.objects.filter(inn=NEW_INN).count() == 1


# -- filters -----------------------------------------------------------------------------------
@pytest.fixture
def staff(users, two_municipalities):
    school = two_municipalities["a"]["school"]
    alyoshina = EmploymentFactory(
        organization=school,
        person__last_name="Алёшина",
        person__first_name="Мария",
        person__sex="F",
        person__birth_date=date(date.today().year - 25, 1, 15),
        experience_years=1,
        experience_as_of=date.today(),
        category="first",
    )
    alyoshina.subjects.set(Subject.objects.filter(name="химия"))
    return {"young": alyoshina.person, **two_municipalities["a"]}


def test_search_finds_yo_by_ye(municipal, staff):
    assert ids(municipal.get(f"{API}/people/", {"q": "алешина"})) == {staff["young"].pk}
    assert ids(municipal.get(f"{API}/people/", {"q": "АЛЁШ мар"})) == {staff["young"].pk}


def test_filters(municipal, staff):
    everyone = {staff["young"].pk, staff["teacher"].pk, staff["director"].pk}
    young = ids(municipal.get(f"{API}/people/", {"young": "true"}))
    assert young == {staff["young"].pk}
    assert ids(municipal.get(f"{API}/people/", {"young": "false"})) == everyone - young
    assert ids(municipal.get(f"{API}/people/", {"manager": "true"})) == {staff["director"].pk}
    managers = ids(municipal.get(f"{API}/people/", {"manager": "false"}))
    assert managers == everyone - {staff["director"].pk}
    chemistry = Subject.objects.get(name="химия")
    by_subject = ids(municipal.get(f"{API}/people/", {"subject": chemistry.pk}))
    assert by_subject == {staff["young"].pk}
    assert ids(municipal.get(f"{API}/people/", {"category": "first"})) == {staff["young"].pk}
    assert ids(municipal.get(f"{API}/people/", {"organization": staff["school"].pk})) == everyone
    assert municipal.get(f"{API}/people/", {"category": "nonsense"}).status_code == 400
    jobs = municipal.get(f"{API}/employments/", {"subject": chemistry.pk}).json()
    assert [row["person"] for row in jobs["results"]] == [staff["young"].pk]
    organizations = municipal.get(f"{API}/organizations/", {"q": staff["school"].inn})
    assert ids(organizations) == {staff["school"].pk}


# -- query counts ------------------------------------------------------------------------------
PEOPLE_LIST_QUERIES = 4  # count, page of people, their employments, the employments' subjects
ORGANIZATION_LIST_QUERIES = 2  # count, page of organizations with municipality and staff count
EMPLOYMENT_LIST_QUERIES = 3  # count, page with person/organization/position, subjects


def _add_staff(region, count: int) -> None:
    subjects = list(Subject.objects.all()[:3])
    for n in range(count):
        school = OrganizationFactory(municipality__region=region)
        person = PersonFactory(region=region)
        for organization in (school, OrganizationFactory(municipality=school.municipality)):
            job = EmploymentFactory(person=person, organization=organization)
            job.subjects.set(subjects[: 1 + n % 3])


def test_lists_run_a_fixed_number_of_queries(region, make_user, count_queries):
    user = make_user(Role.CNPPM)
    scope_of(user)  # the role assignments, read once per request (here: once per user object)
    client = client_for(user)

    def _queries(client, path) -> int:
        count, response = count_queries(client.get, path)
        assert response.status_code == 200
        return count

    paths = ("people", "organizations", "employments")
    _add_staff(region, 3)
    few = {path: _queries(client, f"{API}/{path}/") for path in paths}
    _add_staff(region, 27)
    assert client.get(f"{API}/people/").json()["count"] == 30
    assert client.get(f"{API}/employments/").json()["count"] == 60
    many = {path: _queries(client, f"{API}/{path}/") for path in paths}
    assert (
        few
        == many
        == {
            "people": PEOPLE_LIST_QUERIES,
            "organizations": ORGANIZATION_LIST_QUERIES,
            "employments": EMPLOYMENT_LIST_QUERIES,
        }
    )


# -- dictionaries ------------------------------------------------------------------------------
def test_dictionaries_and_choices(municipal):
    positions = municipal.get(f"{API}/positions/").json()
    assert "учитель" in {row["name"] for row in positions["results"]}
    subjects = municipal.get(f"{API}/subjects/").json()
    assert "математика" in {row["name"] for row in subjects["results"]}
    choices = municipal.get(f"{API}/choices/").json()
    assert {"value": "highest", "label": "высшая"} in choices["categories"]
    assert {"value": "head", "label": "руководитель"} in choices["manager_kinds"]
    assert {"value": "F", "label": "женский"} in choices["sexes"]
    assert set(choices) == {
        "organization_kinds",
        "categories",
        "manager_kinds",
        "education_levels",
        "sexes",
    }


def test_anonymous_gets_nothing(two_municipalities):
    client = APIClient()
    for path in ("people", "organizations", "employments", "choices"):
        assert client.get(f"{API}/{path}/").status_code == 401


# -- input checks (issue 8, item 7) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("04.03.1985", "1985-03-04"),
        ("1985-03-04", "1985-03-04"),  # ISO 8601, what the API answers with, is taken too
        ("4.3.1985", None),
        ("1985-3-4", None),
        ("19850304", None),
        ("31.02.2020", None),
        ("01.01.1800", None),
        (f"{date.today().replace(year=date.today().year - 13):%d.%m.%Y}", None),
    ],
)
def test_api_dates_are_strict_and_birth_dates_in_range(users, two_municipalities, typed, expected):
    client = client_for(users["cnppm"])
    response = client.post(f"{API}/people/", person_payload(birth_date=typed), format="json")
    if expected is None:
        assert response.status_code == 400, response.content
        assert list(response.json()) == ["birth_date"]
    else:
        assert response.status_code == 201, response.content
        assert response.json()["birth_date"] == expected


def test_api_date_format_message_names_the_format(users, two_municipalities):
    client = client_for(users["cnppm"])
    response = client.post(f"{API}/people/", person_payload(birth_date="4.3.1985"), format="json")
    assert "ДД.ММ.ГГГГ" in response.json()["birth_date"][0]


def test_patch_changes_the_email_of_a_person_imported_without_education_level(
    users, two_municipalities
):
    person = two_municipalities["a"]["teacher"]
    Person.objects.filter(pk=person.pk).update(education_level="")
    client = client_for(users["municipal"])

    response = client.patch(f"{API}/people/{person.pk}/", {"email": "new@example.org"})

    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.email == "new@example.org" and person.education_level == ""
    # what is given is still checked
    response = client.patch(f"{API}/people/{person.pk}/", {"birth_date": "01.01.1800"})
    assert response.status_code == 400
    assert list(response.json()) == ["birth_date"]
    response = client.patch(f"{API}/people/{person.pk}/", {"education_level": "?"})
    assert response.status_code == 400
