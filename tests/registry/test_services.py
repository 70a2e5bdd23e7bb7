"""The registry's services and the input checks every way in shares (issue 8, item 7): dates typed
as ДД.ММ.ГГГГ with two-digit day and month, birth dates 14 to 100 years before today, and updates
that check only what they change."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from nms.accounts.models import Role
from nms.common.forms import DATE_FORMAT_MESSAGE
from nms.common.xlsx import CellError, parse_date
from nms.registry import services
from nms.registry.forms import EmploymentForm, PersonForm
from nms.registry.importers import import_staff
from nms.registry.models import Person, validate_birth_date, years_ago
from tests.registry.test_import import SNILS_A, staff_file, staff_values

TODAY = date.today()


def person_data(**changes) -> dict:
    data = {
        "last_name": "Новикова",
        "first_name": "Анна",
        "middle_name": "",
        "birth_date": date(1990, 4, 12),
        "sex": "F",
        "snils": SNILS_A,
        "education_level": "higher",
        "has_pedagogical_education": True,
        "email": "",
    }
    return {**data, **changes}


# -- the birth date rule -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("birth_date", "valid"),
    [
        (date(1800, 1, 1), False),
        (years_ago(TODAY, 13), False),
        (years_ago(TODAY, 14) + timedelta(days=1), False),
        (years_ago(TODAY, 14), True),
        (date(1985, 3, 4), True),
        (years_ago(TODAY, 100), True),
        (years_ago(TODAY, 100) - timedelta(days=1), False),
        (years_ago(TODAY, 101), False),
    ],
)
def test_birth_date_between_14_and_100_years_ago(birth_date, valid):
    if valid:
        validate_birth_date(birth_date)
    else:
        with pytest.raises(ValidationError, match="Дата рождения"):
            validate_birth_date(birth_date)


@pytest.mark.parametrize("birth_date", [date(1800, 1, 1), years_ago(TODAY, 13)])
def test_service_refuses_a_birth_date_out_of_range(make_user, birth_date):
    user = make_user(Role.CNPPM)
    with pytest.raises(ValidationError) as error:
        services.person_create(user, person_data(birth_date=birth_date))
    assert "birth_date" in error.value.message_dict
    assert not Person.objects.exists()


def test_update_checks_only_what_changes(make_user, two_municipalities):
    """A record kept from before (no education level, a birth date the rule refuses now) can
    still have its e-mail changed; a changed birth date is checked."""
    user = make_user(Role.CNPPM)
    person = two_municipalities["a"]["teacher"]
    Person.objects.filter(pk=person.pk).update(education_level="", birth_date=date(1800, 1, 1))
    person.refresh_from_db()

    services.person_update(user, person, {"email": "new@example.org"})
    person.refresh_from_db()
    assert person.email == "new@example.org" and person.education_level == ""

    with pytest.raises(ValidationError) as error:
        services.person_update(user, person, {"birth_date": date(1801, 1, 1)})
    assert set(error.value.message_dict) == {"birth_date"}

    services.person_update(user, person, {"birth_date": date(1985, 3, 4)})
    person.refresh_from_db()
    assert person.birth_date == date(1985, 3, 4)

    with pytest.raises(ValidationError) as error:
        services.person_update(user, person, {"education_level": "unknown"})
    assert set(error.value.message_dict) == {"education_level"}


# -- dates typed on the pages ------------------------------------------------------------------
def form_data(birth_date: str) -> dict:
    data = {k: v for k, v in person_data().items() if k != "birth_date"}
    return {**data, "birth_date": birth_date, "has_pedagogical_education": "on"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04.03.1985", date(1985, 3, 4)),
        ("4.3.1985", None),
        ("04.3.1985", None),
        ("4.03.1985", None),
        ("31.02.2020", None),
        ("1985-03-04", None),
        ("04.03.85", None),
    ],
)
def test_form_takes_dates_as_dd_mm_yyyy_only(db, text, expected):
    form = PersonForm(data=form_data(text))
    if expected is None:
        assert not form.is_valid()
        assert form.errors["birth_date"] == [DATE_FORMAT_MESSAGE]
        assert "ДД.ММ.ГГГГ" in DATE_FORMAT_MESSAGE
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["birth_date"] == expected


def test_employment_form_dates_are_strict(make_user):
    form = EmploymentForm(data={"hire_date": "1.9.2020"}, user=make_user(Role.ADMIN))
    assert not form.is_valid()
    assert form.errors["hire_date"] == [DATE_FORMAT_MESSAGE]


def test_page_refuses_a_birth_date_out_of_range(client, make_user, two_municipalities):
    from django.urls import reverse

    from tests.factories import position

    school = two_municipalities["a"]["school"]
    client.force_login(make_user(Role.SCHOOL, organization=school))
    data = {f"person-{k}": v for k, v in form_data("01.01.1800").items()}
    data.update(
        {
            "job-organization": school.pk,
            "job-position": position().pk,
            "job-category": "first",
            "job-experience_years": "2",
            "job-experience_as_of": "01.09.2025",
        }
    )
    response = client.post(reverse("person-create"), data)
    assert response.status_code == 200
    assert "Дата рождения" in response.context["form"].errors["birth_date"][0]
    assert not Person.objects.filter(snils=SNILS_A).exists()

    data["person-birth_date"] = "12.04.1990"
    assert client.post(reverse("person-create"), data).status_code == 302
    assert Person.objects.get(snils=SNILS_A).birth_date == date(1990, 4, 12)


# -- dates in the import -----------------------------------------------------------------------
def test_xlsx_text_dates_need_two_digit_day_and_month():
    assert parse_date("04.03.1985") == date(1985, 3, 4)
    assert parse_date(datetime(1985, 3, 4)) == date(1985, 3, 4)  # a real Excel date cell
    for text in ("4.3.1985", "04.3.1985", "31.02.2020", "01.01.85"):
        with pytest.raises(CellError):
            parse_date(text)
    with pytest.raises(CellError, match="ДД.ММ.ГГГГ"):
        parse_date("4.3.1985")


@pytest.mark.parametrize(
    ("cell", "refused"),
    [
        ("01.01.1800", True),
        ("4.3.1985", True),
        ("04.03.1985", False),
        (datetime(1985, 3, 4), False),
        ("31.02.2020", True),
        (f"{years_ago(TODAY, 13):%d.%m.%Y}", True),
        (f"{years_ago(TODAY, 101):%d.%m.%Y}", True),
    ],
)
def test_import_checks_birth_dates(make_user, two_municipalities, cell, refused):
    school = two_municipalities["a"]["school"]
    user = make_user(Role.SCHOOL, organization=school)
    report = import_staff(
        user, staff_file(staff_values(SNILS_A, school.inn, **{"Дата рождения": cell}))
    )
    if refused:
        assert [(e.row, e.column) for e in report.errors] == [(2, "Дата рождения")]
        assert not Person.objects.filter(snils=SNILS_A).exists()
    else:
        assert not report.errors, report.errors
        assert Person.objects.get(snils=SNILS_A).birth_date == date(1985, 3, 4)
