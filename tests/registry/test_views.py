"""Registry pages: scope, search, filters, forms, history, exports, query counts."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.registry.models import Person
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory, position


@pytest.fixture
def municipal(make_user, two_municipalities, client):
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    client.force_login(user)
    return user


def test_login_page_is_russian(client, db):
    response = client.get(reverse("login"))
    assert "Вход в НМС" in response.content.decode()


def test_pages_require_login(client, db):
    response = client.get(reverse("person-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_person_of_other_municipality_is_404_and_absent(client, municipal, two_municipalities):
    outsider = two_municipalities["b"]["teacher"]
    for name in ("person-detail", "person-edit", "person-history"):
        assert client.get(reverse(name, args=[outsider.pk])).status_code == 404
    school_b = two_municipalities["b"]["school"]
    assert client.get(reverse("organization-detail", args=[school_b.pk])).status_code == 404
    listing = client.get(reverse("person-list")).content.decode()
    assert outsider.last_name not in listing
    assert two_municipalities["a"]["teacher"].last_name in listing
    search = client.get(reverse("person-list"), {"q": outsider.last_name}).content.decode()
    assert "Найдено: 0" in search


def test_export_holds_only_scope(client, municipal, two_municipalities):
    response = client.get(reverse("person-list"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    snils = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert snils == {
        two_municipalities["a"]["teacher"].snils,
        two_municipalities["a"]["director"].snils,
    }
    response = client.get(reverse("organization-list"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        two_municipalities["a"]["school"].inn
    ]


def test_search_ignores_yo_and_case(client, make_user, region):
    school = OrganizationFactory()
    EmploymentFactory(
        person=PersonFactory(last_name="Алёшина", first_name="Дарья"), organization=school
    )
    EmploymentFactory(person=PersonFactory(last_name="Петрова"), organization=school)
    client.force_login(make_user(Role.CNPPM))
    page = client.get(reverse("person-list"), {"q": "АЛЕШИНА дар"}).content.decode()
    assert "Алёшина" in page and "Петрова" not in page
    page = client.get(reverse("person-list"), {"q": "алёш"}).content.decode()
    assert "Алёшина" in page


def test_search_by_snils_with_or_without_separators(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    teacher = two_municipalities["a"]["teacher"]
    for query in (teacher.snils, teacher.snils.replace("-", "").replace(" ", "")):
        page = client.get(reverse("person-list"), {"q": query}).content.decode()
        assert "Найдено: 1" in page and teacher.last_name in page


def test_filters_manager_and_young(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    page = client.get(reverse("person-list"), {"manager": "true"}).content.decode()
    assert "Найдено: 2" in page
    assert two_municipalities["a"]["director"].last_name in page


def test_list_pages_run_fixed_number_of_queries(client, make_user, region, count_queries):
    client.force_login(make_user(Role.CNPPM))

    def _list_queries(client, url):
        count, response = count_queries(client.get, url)
        assert response.status_code == 200
        return count

    school = OrganizationFactory()
    EmploymentFactory(organization=school)
    counts = [
        (
            _list_queries(client, reverse("person-list")),
            _list_queries(client, reverse("organization-list")),
        )
    ]
    for _ in range(20):
        EmploymentFactory(organization=OrganizationFactory(municipality=school.municipality))
    counts.append(
        (
            _list_queries(client, reverse("person-list")),
            _list_queries(client, reverse("organization-list")),
        )
    )
    assert counts[0] == counts[1]


def test_create_person_with_employment_and_russian_errors(client, make_user, two_municipalities):
    school = two_municipalities["a"]["school"]
    user = make_user(Role.SCHOOL, organization=school)
    client.force_login(user)
    data = {
        "person-last_name": "Ерёмина",
        "person-first_name": "Анна",
        "person-middle_name": "Павловна",
        "person-birth_date": "31.02.1990",
        "person-sex": "F",
        "person-snils": "112-233-445 00",
        "person-education_level": "higher",
        "person-has_pedagogical_education": "on",
        "job-organization": school.pk,
        "job-position": position().pk,
        "job-category": "first",
        "job-experience_years": "2",
        "job-experience_as_of": "01.09.2025",
    }
    response = client.post(reverse("person-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Неверное контрольное число СНИЛС" in page
    assert "Введите правильную дату" in page
    assert not Person.objects.filter(last_name="Ерёмина").exists()

    data["person-birth_date"] = "14.03.1998"
    data["person-snils"] = "112-233-445 95"
    response = client.post(reverse("person-create"), data)
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(last_name="Ерёмина")
    assert person.employments.get().organization == school
    card = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert "14.03.1998" in card


def test_school_cannot_attach_person_to_other_school(client, make_user, two_municipalities):
    user = make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"])
    client.force_login(user)
    teacher = two_municipalities["a"]["teacher"]
    response = client.post(
        reverse("employment-create", args=[teacher.pk]),
        {
            "organization": two_municipalities["b"]["school"].pk,
            "position": teacher.employments.get().position_id,
            "category": "none",
            "experience_years": "1",
            "experience_as_of": "01.09.2025",
        },
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert teacher.employments.count() == 1


def test_edit_is_recorded_in_history(client, make_user, two_municipalities):
    user = make_user(Role.CNPPM, first_name="Ольга", last_name="Смирнова")
    client.force_login(user)
    teacher = two_municipalities["a"]["teacher"]
    data = {
        "last_name": teacher.last_name,
        "first_name": "Павел",
        "middle_name": teacher.middle_name,
        "birth_date": "17.05.1980",
        "sex": "M",
        "snils": teacher.snils,
        "education_level": "higher",
        "has_pedagogical_education": "on",
        "email": "pavel@example.ru",
        "version": teacher.version,
    }
    assert client.post(reverse("person-edit", args=[teacher.pk]), data).status_code == 302
    page = client.get(reverse("person-history", args=[teacher.pk])).content.decode()
    assert "Ольга Смирнова" in page
    assert "Пётр → Павел" in page


def test_ministry_cannot_edit(client, make_user, two_municipalities):
    """The ministry sees the person but may not change the registry: a refusal (403), since the
    object is inside its scope; the card offers no edit link."""
    client.force_login(make_user(Role.MINISTRY))
    teacher = two_municipalities["a"]["teacher"]
    card = client.get(reverse("person-detail", args=[teacher.pk]))
    assert card.status_code == 200
    assert reverse("person-edit", args=[teacher.pk]) not in card.content.decode()
    assert client.get(reverse("person-edit", args=[teacher.pk])).status_code == 403
    assert client.post(reverse("person-edit", args=[teacher.pk]), {}).status_code == 403
    assert client.get(reverse("person-create")).status_code == 403
    school = two_municipalities["a"]["school"]
    assert client.get(reverse("organization-edit", args=[school.pk])).status_code == 403
    assert client.get(reverse("organization-create")).status_code == 403


def test_organization_card_shows_management_team(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    school = two_municipalities["a"]["school"]
    page = client.get(reverse("organization-detail", args=[school.pk])).content.decode()
    team = page.split('id="management-team"')[1].split("</table>")[0]
    assert two_municipalities["a"]["director"].last_name in team
    assert two_municipalities["a"]["teacher"].last_name not in team


def test_dates_shown_as_dd_mm_yyyy(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    page = client.get(reverse("person-list")).content.decode()
    assert "17.05.1980" in page


def test_yes_no_filters_both_ways(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    assert "Найдено: 2" in client.get(reverse("person-list"), {"manager": "false"}).content.decode()
    assert "Найдено: 4" in client.get(reverse("person-list"), {"young": "false"}).content.decode()
    assert "Найдено: 0" in client.get(reverse("person-list"), {"young": "true"}).content.decode()


def test_teacher_sees_only_own_staff_count(client, make_user, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    client.force_login(make_user(Role.TEACHER, person=teacher))
    page = client.get(reverse("organization-list")).content.decode()
    assert "<td>1</td>" in page


# -- places of work: the generic form views ------------------------------------------------------
METHODS = ("get", "post", "patch", "delete")


def employment_data(employment, **changes) -> dict:
    data = {
        "organization": employment.organization_id,
        "position": employment.position_id,
        "category": "first",
        "experience_years": "12",
        "experience_as_of": "01.09.2025",
        "version": employment.version,  # the version the page was opened with
    }
    return {**data, **changes}


def employment_urls(person, employment) -> dict[str, str]:
    return {
        "create": reverse("employment-create", args=[person.pk]),
        "edit": reverse("employment-edit", args=[person.pk, employment.pk]),
        "delete": reverse("employment-delete", args=[person.pk, employment.pk]),
    }


def test_employment_pages_are_the_generic_views():
    from django.urls import resolve

    from nms.common.views import ScopedObjectMixin, ServiceFormView

    for name, base in (
        ("employment-create", ServiceFormView),
        ("employment-edit", ServiceFormView),
        ("employment-delete", ScopedObjectMixin),
    ):
        kwargs = {"pk": 1} if name == "employment-create" else {"pk": 1, "employment_pk": 2}
        view = resolve(reverse(name, kwargs=kwargs)).func.view_class
        assert issubclass(view, base), name


def test_employment_pages_outside_the_scope_answer_404_to_every_method(
    client, municipal, two_municipalities
):
    b = two_municipalities["b"]
    outsider = b["teacher"]
    employment = outsider.employments.get()
    before = employment_data(employment)
    for name, url in employment_urls(outsider, employment).items():
        for method in METHODS:
            response = getattr(client, method)(url)
            assert response.status_code == 404, (name, method, response.status_code)
    # a place of work of one's own person named under another person's address: not found
    own = two_municipalities["a"]["teacher"]
    mixed = reverse("employment-edit", args=[own.pk, employment.pk])
    assert client.post(mixed, employment_data(employment, category="highest")).status_code == 404
    employment.refresh_from_db()
    assert employment.category != "highest" and employment_data(employment) == before


def test_employment_pages_refuse_a_role_that_sees_but_may_not_change(client, make_user, region):
    """The ministry sees the person (the card answers 200) but changes nothing: 403 to every
    page and method, like the person and organization edit pages; nothing is changed."""
    employment = EmploymentFactory()
    person = employment.person
    client.force_login(make_user(Role.MINISTRY))
    assert client.get(reverse("person-detail", args=[person.pk])).status_code == 200
    urls = employment_urls(person, employment)
    for name, url in urls.items():
        for method in ("get", "post"):
            response = getattr(client, method)(url, employment_data(employment))
            assert response.status_code == 403, (name, method, response.status_code)
    card = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert urls["edit"] not in card and urls["create"] not in card
    assert person.employments.count() == 1


def test_a_place_of_work_in_another_school_is_refused_with_403(
    client, make_user, two_municipalities
):
    """A school administration sees its teacher, who also works part-time in another school:
    its own place of work it changes; the other school's it sees but may not change (403)."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    teacher = a["teacher"]
    own = teacher.employments.get()
    elsewhere = EmploymentFactory(person=teacher, organization=b["school"], is_part_time=True)
    client.force_login(make_user(Role.SCHOOL, organization=a["school"]))

    for name, url in employment_urls(teacher, elsewhere).items():
        if name == "create":
            continue
        assert client.get(url).status_code == 403, name
        assert client.post(url, employment_data(elsewhere)).status_code == 403, name
    assert teacher.employments.count() == 2

    url = reverse("employment-edit", args=[teacher.pk, own.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, employment_data(own, category="highest"))
    assert response.status_code == 302 and response["Location"] == teacher.get_absolute_url()
    own.refresh_from_db()
    assert own.category == "highest"


def test_employment_create_edit_and_delete(client, municipal, two_municipalities):
    a = two_municipalities["a"]
    teacher = a["teacher"]
    gymnasium = OrganizationFactory(municipality=a["municipality"], short_name="Гимназия № 2")

    create = reverse("employment-create", args=[teacher.pk])
    page = client.get(create)
    assert page.status_code == 200
    assert f"Новое место работы: {teacher.full_name}" in page.content.decode()
    data = employment_data(teacher.employments.get(), organization=gymnasium.pk)
    response = client.post(create, {**data, "is_part_time": "on", "teaching_load": "6"})
    assert response.status_code == 302 and response["Location"] == teacher.get_absolute_url()
    added = teacher.employments.get(organization=gymnasium)
    assert added.is_part_time and added.teaching_load == 6

    edit = reverse("employment-edit", args=[teacher.pk, added.pk])
    assert client.post(edit, {**data, "teaching_load": "9"}).status_code == 302
    added.refresh_from_db()
    assert added.teaching_load == 9 and not added.is_part_time

    delete = reverse("employment-delete", args=[teacher.pk, added.pk])
    assert client.get(delete).status_code == 405
    response = client.post(delete, {"version": added.version}, follow=True)  # the one shown
    assert "Место работы удалено." in response.content.decode()
    assert list(teacher.employments.values_list("organization", flat=True)) == [a["school"].pk]


def test_a_service_error_saves_nothing(client, municipal, two_municipalities, monkeypatch):
    """The service saves, then refuses: its transaction is rolled back, the refusal lands on
    the form in Russian, and the place of work is as it was (created: none)."""
    from django.core.exceptions import ValidationError

    from nms.registry import services

    saved = services._save

    def save_then_refuse(instance, user):
        saved(instance, user)
        raise ValidationError({"teaching_load": "Нагрузка не согласована с расписанием."})

    monkeypatch.setattr(services, "_save", save_then_refuse)
    teacher = two_municipalities["a"]["teacher"]
    employment = teacher.employments.get()
    before = employment_data(employment)

    url = reverse("employment-edit", args=[teacher.pk, employment.pk])
    response = client.post(url, employment_data(employment, category="highest", teaching_load=30))
    assert response.status_code == 200
    assert "Нагрузка не согласована с расписанием." in response.content.decode()
    employment.refresh_from_db()
    assert employment_data(employment) == before and employment.teaching_load != 30

    other = OrganizationFactory(municipality=two_municipalities["a"]["municipality"])
    url = reverse("employment-create", args=[teacher.pk])
    response = client.post(url, employment_data(employment, organization=other.pk))
    assert response.status_code == 200
    assert "Нагрузка не согласована с расписанием." in response.content.decode()
    assert teacher.employments.count() == 1


# -- the import page: the generic import view ------------------------------------------------------
def test_import_page_is_the_generic_import_view(client, make_user, two_municipalities):
    from django.urls import resolve

    from nms.common.views import ImportView

    assert issubclass(resolve(reverse("registry-import")).func.view_class, ImportView)
    client.force_login(make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"]))
    page = client.get(reverse("registry-import"))
    assert page.status_code == 200
    assert [kind for kind, _ in page.context["kinds"]] == ["staff"]
    assert reverse("registry-import-template", args=["staff"]) in page.content.decode()
    client.force_login(make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"]))
    assert client.get(reverse("registry-import")).status_code == 404
    assert client.post(reverse("registry-import")).status_code == 404
