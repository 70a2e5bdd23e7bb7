"""No existence oracle (issue 8): a СНИЛС of somebody outside the user's scope is answered with one
message whatever name and birth date come with it — by the staff import, the API and the page.

Inside the scope nothing changes: the user may see that person anyway.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.registry.importers import import_staff
from nms.registry.models import Person
from nms.registry.services import SNILS_REGISTERED_ELSEWHERE
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    position,
)
from tests.registry.test_import import staff_file, staff_values

API = "/api/v1"
ATTEMPTS = 400  # the import: every birth date; the API and the page: a sample of them
SAMPLE = 8


@pytest.fixture
def stranger(db):
    """A teacher of another region."""
    region = RegionFactory(name="Другая область", code="98")
    school = OrganizationFactory(municipality=MunicipalityFactory(region=region, oktmo="98600000"))
    return EmploymentFactory(person=PersonFactory(region=region), organization=school).person


def birth_dates(person) -> list:
    """ATTEMPTS different birth dates, the true one among them (not first, not last)."""
    dates = [person.birth_date + timedelta(days=k) for k in range(-150, ATTEMPTS - 150)]
    assert person.birth_date in dates[1:-1] and len(set(dates)) == ATTEMPTS
    return dates


def stranger_row(person, school, birth_date) -> dict:
    return staff_values(
        person.snils,
        school.inn,
        **{
            "Фамилия": person.last_name,
            "Имя": person.first_name,
            "Отчество": person.middle_name,
            "Дата рождения": birth_date.strftime("%d.%m.%Y"),
            "Пол": "м",
            "Email": None,
        },
    )


def answers(report) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in report.errors]


def test_import_answers_the_same_for_every_birth_date(make_user, two_municipalities, stranger):
    school = two_municipalities["a"]["school"]
    user = make_user(Role.SCHOOL, organization=school)

    seen = {
        tuple(answers(import_staff(user, staff_file(stranger_row(stranger, school, day)))))
        for day in birth_dates(stranger)
    }

    assert len(seen) == 1
    (only,) = seen
    assert [column for _, column, _ in only] == ["СНИЛС"]
    assert "зарегистрирован в другой организации" in only[0][2]
    assert not stranger.employments.filter(organization=school).exists()


def test_import_of_many_rows_gives_each_the_same_snils_message(
    make_user, two_municipalities, stranger
):
    """One file, the true birth date in one of its rows: every row reported gets the same answer
    about the СНИЛС (the file's own disagreements are reported besides, as for any СНИЛС)."""
    school = two_municipalities["a"]["school"]
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    days = [stranger.birth_date + timedelta(days=k) for k in range(-20, 20)]
    rows = [stranger_row(stranger, school, day) for day in days]

    report = import_staff(user, staff_file(*rows))

    snils_messages = {}
    for error in report.errors:
        if error.column == "СНИЛС" and "встречается" not in error.message:
            snils_messages.setdefault(error.row, set()).add(error.message)
    assert sorted(snils_messages) == list(range(2, len(days) + 2))  # the true one is row 22
    assert len({frozenset(messages) for messages in snils_messages.values()}) == 1
    assert not stranger.employments.filter(organization=school).exists()


def api_payload(person, school, birth_date) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "birth_date": birth_date.strftime("%d.%m.%Y"),
        "sex": "M",
        "snils": person.snils,
        "education_level": "higher",
        "has_pedagogical_education": True,
        "email": "",
        "employment": {
            "organization": school.pk,
            "position": position().pk,
            "category": "first",
            "experience_years": "2.0",
            "experience_as_of": "01.09.2025",
        },
    }


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.CNPPM])
def test_api_answers_the_same_for_every_birth_date(make_user, two_municipalities, stranger, role):
    school = two_municipalities["a"]["school"]
    kwargs = {"organization": school} if role == Role.SCHOOL else {}
    client = APIClient()
    client.force_authenticate(make_user(role, **kwargs))

    seen = set()
    for day in [*birth_dates(stranger)[::SAMPLE], stranger.birth_date]:
        response = client.post(f"{API}/people/", api_payload(stranger, school, day), format="json")
        assert response.status_code == 400, response.content
        seen.add(response.content)

    assert len(seen) == 1
    assert response.json() == {"snils": [SNILS_REGISTERED_ELSEWHERE]}
    assert Person.objects.filter(snils=stranger.snils).count() == 1


def page_data(person, school, birth_date) -> dict:
    return {
        "person-last_name": person.last_name,
        "person-first_name": person.first_name,
        "person-middle_name": person.middle_name,
        "person-birth_date": birth_date.strftime("%d.%m.%Y"),
        "person-sex": "M",
        "person-snils": person.snils,
        "person-education_level": "higher",
        "person-has_pedagogical_education": "on",
        "job-organization": school.pk,
        "job-position": position().pk,
        "job-category": "first",
        "job-experience_years": "2",
        "job-experience_as_of": "01.09.2025",
    }


def test_page_answers_the_same_for_every_birth_date(
    client, make_user, two_municipalities, stranger
):
    school = two_municipalities["a"]["school"]
    client.force_login(make_user(Role.SCHOOL, organization=school))

    seen = set()
    for day in [*birth_dates(stranger)[::SAMPLE], stranger.birth_date]:
        response = client.post(reverse("person-create"), page_data(stranger, school, day))
        assert response.status_code == 200
        form = response.context["form"]
        seen.add(repr(sorted(form.errors.items())))

    assert len(seen) == 1
    assert form.errors == {"snils": [SNILS_REGISTERED_ELSEWHERE]}
    assert Person.objects.filter(snils=stranger.snils).count() == 1


# -- inside the scope: as before ---------------------------------------------------------------
def test_inside_the_scope_a_taken_snils_is_named_as_before(client, make_user, two_municipalities):
    school = two_municipalities["a"]["school"]
    colleague = two_municipalities["a"]["teacher"]
    user = make_user(Role.SCHOOL, organization=school)
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        f"{API}/people/", api_payload(colleague, school, colleague.birth_date), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"snils": ["Работник с таким СНИЛС уже существует."]}

    client.force_login(user)
    response = client.post(
        reverse("person-create"), page_data(colleague, school, colleague.birth_date)
    )
    assert response.context["form"].errors == {"snils": ["Работник с таким СНИЛС уже существует."]}


def test_inside_the_scope_the_import_updates_the_person(make_user, two_municipalities):
    school = two_municipalities["a"]["school"]
    colleague = two_municipalities["a"]["teacher"]
    user = make_user(Role.SCHOOL, organization=school)
    row = stranger_row(colleague, school, colleague.birth_date)
    row["Имя"] = "Павел"

    report = import_staff(user, staff_file(row))

    assert not report.errors
    colleague.refresh_from_db()
    assert colleague.first_name == "Павел"


def test_changing_a_snils_to_one_outside_the_scope_gets_the_same_answer(
    make_user, two_municipalities, stranger
):
    colleague = two_municipalities["a"]["teacher"]
    api = APIClient()
    api.force_authenticate(make_user(Role.CNPPM))

    response = api.patch(f"{API}/people/{colleague.pk}/", {"snils": stranger.snils})

    assert response.status_code == 400
    assert response.json() == {"snils": [SNILS_REGISTERED_ELSEWHERE]}
    colleague.refresh_from_db()
    assert colleague.snils != stranger.snils
