"""Accounts for staff in bulk: logins, one-time passwords, scope, the XLSX, the first login, the
API (`nms.accounts.provisioning`)."""

import io
import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import include, path, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nms.accounts import provisioning
from nms.accounts.api_provisioning import IssueAccountsView
from nms.accounts.middleware import CHANGE_PASSWORD_FIRST
from nms.accounts.models import ApiToken, Role, RoleAssignment, User
from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.models import Job, JobStatus
from tests.api_helpers import client_for as _api
from tests.factories import EmploymentFactory, PersonFactory, UserFactory, assign

# Until the API path is added to nms/api_urls.py, the API tests mount it over the project's URLs.
API_ISSUE = "/api/v1/accounts/issue/"
urlpatterns = [
    path("api/v1/accounts/issue/", IssueAccountsView.as_view(), name="api-accounts-issue"),
    path("", include("nms.urls")),
]
with_api = pytest.mark.urls(__name__)

NEW_PASSWORD = "Свой-пароль-2026!"


def staff(school, last_name, first_name, middle_name="", **kwargs):
    person = PersonFactory(
        region=school.region,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        **kwargs,
    )
    EmploymentFactory(person=person, organization=school)
    return person


@pytest.fixture
def world(two_municipalities, make_user):
    a, b = two_municipalities["a"], two_municipalities["b"]
    return {
        "a": a,
        "b": b,
        "school_admin": make_user(Role.SCHOOL, organization=a["school"]),
        "municipal": make_user(Role.MUNICIPAL, municipality=a["municipality"]),
        "teacher": make_user(Role.TEACHER, person=a["teacher"]),
        "ministry": make_user(Role.MINISTRY),
    }


def _book(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True)


def _rows(book, title):
    return list(book[title].iter_rows(values_only=True))


# -- logins --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "last, first, middle, login",
    [
        ("Иванова", "Мария", "Андреевна", "ivanova.ma"),
        ("Щёкин", "Юрий", "", "shchekin.yu"),
        ("Ёлкина", "Юлия", "Яковлевна", "elkina.yuya"),  # ё → e, ю → yu, я → ya
        ("Подъячев", "Йосиф", "Ильич", "podyachev.yi"),  # ъ dropped, й → y
        ("Гоголь", "Николай", "Васильевич", "gogol.nv"),  # ь dropped
        ("Хацкевич", "Цветана", "Щукиновна", "khatskevich.tsshch"),
        ("Римская-Корсакова", "Анна", "", "rimskaya-korsakova.a"),
        ("Де Ла Круз", "Яна", "", "de-la-kruz.ya"),
        ("Müller", "Hans", "", "muller.h"),
        ("Быстрых", "Эльвира", "", "bystrykh.e"),
    ],
)
def test_login_base_transliterates(last, first, middle, login):
    assert provisioning.login_base(last, first, middle) == login


def test_login_without_a_latin_last_name_falls_back():
    assert provisioning.login_base("", "Анна") == "user.a"
    assert provisioning.login_base("Ъ") == "user"


def test_unique_login_numbers_from_two():
    taken = {"ivanova.ma"}
    assert provisioning.unique_login("ivanova.ma", taken) == "ivanova.ma2"
    assert provisioning.unique_login("ivanova.ma", taken) == "ivanova.ma3"
    assert provisioning.unique_login("petrov.a", taken) == "petrov.a"


def test_one_time_password_is_readable_and_random():
    passwords = {provisioning.one_time_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) >= 10
        assert set(password) <= set(provisioning.READABLE)
        assert not set(password) & set("0O1lI")


# -- the service ---------------------------------------------------------------------------------
def test_accounts_created_with_unique_logins_and_the_teacher_role(world):
    school = world["a"]["school"]
    first = staff(school, "Иванова", "Мария", "Андреевна", email="m.ivanova@example.org")
    second = staff(school, "Иванова", "Марина", "Алексеевна")
    third = staff(school, "Щёкин", "Юрий")
    UserFactory(username="Ivanova.MA3")  # taken, whatever the case

    issued = provisioning.accounts_create(world["school_admin"], [first, second, third])

    logins = {a.person.pk: a.username for a in issued}
    assert logins[third.pk] == "shchekin.yu"
    assert sorted([logins[first.pk], logins[second.pk]]) == ["ivanova.ma", "ivanova.ma2"]
    user = User.objects.get(person=first)
    assert user.username == logins[first.pk]
    assert (user.first_name, user.last_name, user.email) == ("Мария", "Иванова", first.email)
    assert user.must_change_password
    password = next(a.password for a in issued if a.person == first)
    assert user.check_password(password)
    assert password not in user.password  # only the hash is stored
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.person_id) == (Role.TEACHER, first.pk)
    assert list(scope_of(user).people()) == [first]
    assert all(a.organization == school.short_name for a in issued)


def test_people_with_an_account_are_skipped(world):
    a = world["a"]
    issued = provisioning.accounts_create(world["school_admin"], [a["teacher"], a["director"]])
    skipped = [x for x in issued if x.skipped]
    assert [x.person for x in skipped] == [a["teacher"]]
    assert skipped[0].username == world["teacher"].username
    assert skipped[0].password == ""
    assert User.objects.filter(person=a["teacher"]).count() == 1
    again = provisioning.accounts_create(world["school_admin"], [a["director"]])
    assert [x.skipped for x in again] == [True]


def test_people_outside_the_editing_scope_are_left_out(world):
    b = world["b"]
    assert provisioning.accounts_create(world["school_admin"], [b["teacher"]]) == []
    assert not User.objects.filter(person=b["teacher"]).exists()


def test_a_role_without_the_right_is_refused(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        provisioning.accounts_create(world["teacher"], [world["a"]["director"]])
    with pytest.raises(PermissionDenied):
        provisioning.accounts_create(world["ministry"], [world["a"]["director"]])


def test_query_count_does_not_grow_with_the_people(world, make_user, count_queries):
    from tests.factories import OrganizationFactory

    def _issue_for(actor, count, school):
        people = [staff(school, "Петрова", "Анна", "Ивановна") for _ in range(count)]
        actor = User.objects.get(pk=actor.pk)  # a fresh user: its scope is loaded inside
        queries, issued = count_queries(provisioning.accounts_create, actor, [p.pk for p in people])
        assert len([a for a in issued if not a.skipped]) == count
        return queries

    school_5 = OrganizationFactory(municipality=world["a"]["municipality"])
    school_50 = OrganizationFactory(municipality=world["a"]["municipality"])
    few = _issue_for(world["municipal"], 5, school_5)
    many = _issue_for(world["municipal"], 50, school_50)
    assert few == many, (few, many)
    assert many <= 10
    logins = set(User.objects.filter(username__startswith="petrova.ai").values_list("username"))
    assert len(logins) == 55


# -- the page ------------------------------------------------------------------------------------
def test_page_counts_and_issues_the_xlsx(client, world):
    school = world["a"]["school"]
    newcomer = staff(school, "Иванова", "Мария", "Андреевна")
    client.force_login(world["school_admin"])
    url = reverse("accounts-issue") + f"?organization={school.pk}"

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Создать учётные записи" in text
    assert page.context["counts"] == {"total": 3, "without_account": 2, "with_account": 1}

    response = client.post(url)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "no-store" in response["Cache-Control"]
    assert "Учётные записи" in unquote(response["Content-Disposition"])
    book = _book(response.content)
    rows = _rows(book, provisioning.ISSUED_SHEET)
    assert rows[0] == ("ФИО", "Организация", "Логин", "Одноразовый пароль")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {newcomer.full_name, world["a"]["director"].full_name}
    _, organization, login, password = by_name[newcomer.full_name]
    assert (organization, login) == (school.short_name, "ivanova.ma")
    skipped = _rows(book, provisioning.SKIPPED_SHEET)
    assert skipped[1][0] == world["a"]["teacher"].full_name

    # the password works, and the first thing it leads to is the password change
    other = client.__class__()
    assert (
        other.post(reverse("login"), {"username": login, "password": password}).status_code == 302
    )
    assert "_auth_user_id" in other.session
    assert other.get(reverse("person-list")).url == reverse("password_change")

    again = client.get(url)
    assert again.context["counts"]["without_account"] == 0
    assert "Создать учётные записи" not in again.content.decode()


def test_nothing_to_issue_redirects_back(client, world):
    client.force_login(world["school_admin"])
    url = reverse("accounts-issue") + f"?person={world['a']['teacher'].pk}"
    response = client.post(url)
    assert response.status_code == 302
    assert User.objects.count() == 4


def test_page_by_people_and_municipality(client, world):
    a = world["a"]
    client.force_login(world["municipal"])
    base = reverse("accounts-issue")
    page = client.get(f"{base}?person={a['teacher'].pk}&person={a['director'].pk}")
    assert page.context["counts"] == {"total": 2, "without_account": 1, "with_account": 1}
    page = client.get(f"{base}?municipality={a['municipality'].pk}")
    assert page.context["counts"]["total"] == 2
    # a school administrator's municipality holds only the people of their school
    client.force_login(world["school_admin"])
    staff(EmploymentFactory(organization__municipality=a["municipality"]).organization, "Б", "В")
    page = client.get(f"{base}?municipality={a['municipality'].pk}")
    assert page.context["counts"]["total"] == 2


def test_page_without_a_selection_shows_a_hint(client, world):
    client.force_login(world["school_admin"])
    page = client.get(reverse("accounts-issue"))
    assert page.status_code == 200
    assert "Создать учётные записи" not in page.content.decode()
    a = world["a"]
    mixed = f"?organization={a['school'].pk}&person={a['director'].pk}"
    page = client.get(reverse("accounts-issue") + mixed)
    assert page.status_code == 400
    assert provisioning.ONE_SELECTION in page.content.decode()


@pytest.mark.parametrize("kind", ["organization", "municipality", "person", "bad"])
def test_page_outside_the_scope_answers_404(client, world, kind):
    b = world["b"]
    value = {
        "organization": b["school"].pk,
        "municipality": b["municipality"].pk,
        "person": b["teacher"].pk,
        "bad": "x",
    }[kind]
    client.force_login(world["school_admin"])
    url = reverse("accounts-issue") + f"?{'person' if kind == 'bad' else kind}={value}"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert User.objects.count() == 4


def test_a_person_of_another_school_among_the_selection_answers_404(client, world):
    client.force_login(world["school_admin"])
    a, b = world["a"], world["b"]
    url = reverse("accounts-issue") + f"?person={a['director'].pk}&person={b['director'].pk}"
    assert client.post(url).status_code == 404
    assert not User.objects.filter(person=a["director"]).exists()


@pytest.mark.parametrize("role", ["teacher", "ministry"])
def test_page_refused_to_roles_without_the_right(client, world, role):
    client.force_login(world[role])
    url = reverse("accounts-issue") + f"?organization={world['a']['school'].pk}"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


# -- letters -------------------------------------------------------------------------------------
def test_letters_with_login_and_password(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    school = world["a"]["school"]
    staff(school, "Иванова", "Мария", "Андреевна", email="m.ivanova@example.org")
    client.force_login(world["school_admin"])
    url = reverse("accounts-issue") + f"?organization={school.pk}"
    assert 'name="send_mail"' in client.get(url).content.decode()
    response = client.post(url, {"send_mail": "1"})
    rows = _rows(_book(response.content), provisioning.ISSUED_SHEET)
    login, password = next((r[2], r[3]) for r in rows if r[2] == "ivanova.ma")
    assert len(mail.outbox) == 1  # the director has no e-mail
    letter = mail.outbox[0]
    assert letter.to == ["m.ivanova@example.org"]
    assert "Здравствуйте, Мария Андреевна!" in letter.body
    assert f"Логин: {login}" in letter.body and f"Разовый пароль: {password}" in letter.body


def test_no_letters_offered_without_mail(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert not provisioning.mail_configured()
    client.force_login(world["school_admin"])
    url = reverse("accounts-issue") + f"?organization={world['a']['school'].pk}"
    assert 'name="send_mail"' not in client.get(url).content.decode()


# -- the first login -----------------------------------------------------------------------------
@pytest.fixture
def newcomer(world):
    person = staff(world["a"]["school"], "Щёкин", "Юрий")
    (account,) = provisioning.accounts_create(world["school_admin"], [person])
    return account


def test_first_login_redirects_to_the_password_change_until_done(client, newcomer):
    user = User.objects.get(username=newcomer.username)
    client.force_login(user)
    for name in ("person-list", "organization-list", "accounts-issue"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("password_change"), name
    htmx = client.get(reverse("person-list"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "разовому паролю" in page.content.decode()

    same = client.post(
        reverse("password_change"),
        {
            "old_password": newcomer.password,
            "new_password1": newcomer.password,
            "new_password2": newcomer.password,
        },
    )
    assert same.status_code == 200
    assert "должен отличаться" in same.content.decode()

    done = client.post(
        reverse("password_change"),
        {
            "old_password": newcomer.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("person-list")).status_code == 200


def test_logout_stays_open(client, newcomer):
    client.force_login(User.objects.get(username=newcomer.username))
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_api_refuses_until_the_password_is_changed(newcomer):
    api = APIClient()
    token = api.post(
        reverse("api-token"), {"username": newcomer.username, "password": newcomer.password}
    )
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
    refused = api.get(reverse("api-person-list"))
    assert refused.status_code == 403
    assert refused.json()["detail"] == CHANGE_PASSWORD_FIRST
    assert refused.json()["detail"].startswith("Смените разовый пароль")

    session = APIClient()
    session.force_login(User.objects.get(username=newcomer.username))
    assert session.get(reverse("api-me")).status_code == 403

    User.objects.filter(username=newcomer.username).update(must_change_password=False)
    assert api.get(reverse("api-person-list")).status_code == 200


def test_other_token_users_are_not_refused(world):
    api = APIClient()
    _, key = ApiToken.issue(world["school_admin"], "тест")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200


# -- the API -------------------------------------------------------------------------------------
@with_api
def test_api_issues_for_an_organization(world):
    school = world["a"]["school"]
    newcomer = staff(school, "Иванова", "Мария", "Андреевна")
    response = _api(world["school_admin"]).post(
        API_ISSUE, {"organization": school.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    issued = {row["person"]: row for row in data["issued"]}
    assert set(issued) == {newcomer.pk, world["a"]["director"].pk}
    row = issued[newcomer.pk]
    assert row["username"] == "ivanova.ma" and row["organization"] == school.short_name
    assert User.objects.get(username="ivanova.ma").check_password(row["password"])
    assert [s["person"] for s in data["skipped"]] == [world["a"]["teacher"].pk]
    assert data["mailed"] == 0


@with_api
def test_api_issues_for_people_and_municipality(world):
    a = world["a"]
    api = _api(world["municipal"])
    response = api.post(API_ISSUE, {"people": [a["director"].pk]}, format="json")
    assert response.status_code == 201
    assert [r["person"] for r in response.json()["issued"]] == [a["director"].pk]
    response = api.post(API_ISSUE, {"municipality": a["municipality"].pk}, format="json")
    assert response.json()["issued"] == []
    assert len(response.json()["skipped"]) == 2


@with_api
def test_api_scope_and_rights(world):
    a, b = world["a"], world["b"]
    api = _api(world["school_admin"])
    for body in (
        {"organization": b["school"].pk},
        {"municipality": b["municipality"].pk},
        {"people": [a["director"].pk, b["director"].pk]},
    ):
        assert api.post(API_ISSUE, body, format="json").status_code == 404, body
    both = {"organization": a["school"].pk, "people": [a["director"].pk]}
    bad = api.post(API_ISSUE, both, format="json")
    assert bad.status_code == 400
    assert provisioning.ONE_SELECTION in str(bad.json())
    assert api.post(API_ISSUE, {}, format="json").status_code == 400
    for role in ("teacher", "ministry"):
        refused = _api(world[role]).post(API_ISSUE, {"organization": a["school"].pk}, format="json")
        assert refused.status_code == 403, role
    assert User.objects.count() == 4


# -- a selection in the registry: the people list's checkboxes and filters -----------------------
ISSUE = "/accounts/issue/"


def _checkboxes(html: str) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'name="person" value="(\d+)" form="people-selection"', html)
    ]


def _found_link(html: str) -> str:
    return re.search(r'id="issue-found" href="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_people_list_checkboxes_only_on_rows_the_user_may_change(client, world, region):
    """A school administration that is also a regional methodist sees a teacher of another
    school in its care: that row has no checkbox (the issue page would refuse it)."""
    a, b = world["a"], world["b"]
    admin = world["school_admin"]
    assign(admin, Role.METHODIST, region=region)
    admin.assigned_people.add(b["teacher"])
    client.force_login(admin)

    page = client.get(reverse("person-list")).content.decode()
    assert b["teacher"].last_name in page
    assert sorted(_checkboxes(page)) == sorted([a["teacher"].pk, a["director"].pk])
    assert '<form id="people-selection" method="get" action="/accounts/issue/"' in page
    assert "Учётные записи для отмеченных" in page
    assert "Учётные записи для всех найденных" in page
    assert 'id="select-all"' in page

    htmx = client.get(
        reverse("person-list"), {"q": a["director"].last_name}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in htmx.content.decode()
    assert _checkboxes(htmx.content.decode()) == [a["director"].pk]
    assert unquote(_found_link(htmx.content.decode())) == f"{ISSUE}?q={a['director'].last_name}"


def test_people_list_offers_no_selection_to_who_may_not_issue(client, world):
    client.force_login(world["ministry"])
    page = client.get(reverse("person-list")).content.decode()
    assert world["a"]["teacher"].last_name in page
    assert _checkboxes(page) == [] and 'id="select-all"' not in page
    assert "people-selection" not in page and "/accounts/issue/" not in page


def test_checked_people_are_issued(client, world):
    """The list's form sends the checked rows: ?person=<id>&person=<id>."""
    a = world["a"]
    newcomer = staff(a["school"], "Иванова", "Мария", "Андреевна")
    client.force_login(world["municipal"])
    page = client.get(reverse("person-list")).content.decode()
    checked = [pk for pk in _checkboxes(page) if pk in (newcomer.pk, a["teacher"].pk)]
    url = ISSUE + "?" + "&".join(f"person={pk}" for pk in checked)

    summary = client.get(url)
    assert summary.context["counts"] == {"total": 2, "without_account": 1, "with_account": 1}
    assert "выбранные работники (2)" in summary.content.decode()
    response = client.post(url)
    rows = _rows(_book(response.content), provisioning.ISSUED_SHEET)
    assert [row[0] for row in rows[1:]] == [newcomer.full_name]
    assert not User.objects.filter(person=a["director"]).exists()


def test_all_found_by_the_lists_filters(client, world):
    a = world["a"]
    client.force_login(world["municipal"])
    page = client.get(reverse("person-list"), {"manager": "true", "sort": "birth_date", "page": 1})
    link = _found_link(page.content.decode())
    assert link == f"{ISSUE}?manager=true"

    summary = client.get(link)
    assert summary.status_code == 200
    assert summary.context["counts"] == {"total": 1, "without_account": 1, "with_account": 0}
    text = summary.content.decode()
    assert "работники по фильтру: Руководитель: да" in text
    assert 'href="/registry/people/?manager=true"' in text
    response = client.post(link)
    assert "spreadsheetml" in response["Content-Type"]
    rows = _rows(_book(response.content), provisioning.ISSUED_SHEET)
    assert [row[0] for row in rows[1:]] == [a["director"].full_name]
    assert not User.objects.filter(person__in=[a["teacher"]]).exclude(pk=world["teacher"].pk)


def test_the_lists_filters_within_the_editing_scope(client, world):
    a, b = world["a"], world["b"]
    client.force_login(world["municipal"])
    # the unfiltered list: everybody the user may change
    link = _found_link(client.get(reverse("person-list")).content.decode())
    assert link == f"{ISSUE}?q="
    summary = client.get(link)
    assert summary.context["counts"]["total"] == 2
    assert "все работники в вашей области доступа" in summary.content.decode()
    # filters combined, as the list's form sends them (empty ones included)
    query = (
        f"?q={a['director'].last_name}&municipality={a['municipality'].pk}"
        f"&organization={a['school'].pk}&kind=&position=&category=&young=&manager="
    )
    assert client.get(ISSUE + query).context["counts"]["total"] == 1
    # a school administration's «everybody» is its own staff
    staff(EmploymentFactory(organization__municipality=a["municipality"]).organization, "Б", "В")
    client.force_login(world["school_admin"])
    assert client.get(f"{ISSUE}?q=").context["counts"]["total"] == 2
    # what the filters name is looked up in the editing scope: outside it, 404
    client.force_login(world["municipal"])
    for query in (
        f"?q=&organization={b['school'].pk}",
        f"?q=&municipality={b['municipality'].pk}",
        f"?q=x&organization={b['school'].pk}&municipality={a['municipality'].pk}",
        "?q=&organization=abc",
    ):
        assert client.get(ISSUE + query).status_code == 404, query
        assert client.post(ISSUE + query).status_code == 404, query
    bad = client.get(f"{ISSUE}?q=&category=nonsense")
    assert bad.status_code == 400
    assert "Категория" in bad.content.decode()
    assert User.objects.count() == 4


# -- large selections: a background job with a one-time file ---------------------------------
@pytest.fixture
def crowd(world, settings):
    """Three people without an account in school A, above a limit of 2."""
    settings.NMS_SYNC_ACCOUNTS_LIMIT = 2
    staff(world["a"]["school"], "Иванова", "Мария", "Андреевна")
    staff(world["a"]["school"], "Щёкин", "Юрий")
    return world


def _stored_text(job: Job) -> str:
    job = Job.objects.get(pk=job.pk)
    return " ".join(
        str(value)
        for value in (job.title, job.message, job.params, job.report, job.error, job.upload_name)
    )


def test_above_the_limit_a_job_whose_file_is_downloaded_once(client, crowd, make_user):
    school = crowd["a"]["school"]
    url = f"{ISSUE}?organization={school.pk}"
    client.force_login(crowd["school_admin"])
    page = client.get(url)
    assert page.context["in_background"]
    assert "создаются в фоне" in page.content.decode()

    response = client.post(url)
    job = Job.objects.get(kind=provisioning.JOB_KIND)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (3, 3)
    assert job.user == crowd["school_admin"] and school.short_name in job.title
    assert "Создано учётных записей: 3." in job.message
    assert User.objects.filter(must_change_password=True).count() == 3

    detail = client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-file"' in detail and "только один раз" in detail

    # anyone else, the superuser too, neither gets the file nor is offered it
    admin = make_user(Role.ADMIN)
    other = client.__class__()
    other.force_login(admin)
    assert "только тот, кто запустил" in other.get(job.get_absolute_url()).content.decode()
    assert other.get(reverse("job-file", args=[job.pk])).status_code == 404

    download = client.get(reverse("job-file", args=[job.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert "Учётные записи" in unquote(download["Content-Disposition"])
    rows = _rows(_book(download.content), provisioning.ISSUED_SHEET)
    assert len(rows) == 4
    passwords = [row[3] for row in rows[1:]]
    user = User.objects.get(username=rows[1][2])
    assert user.check_password(rows[1][3])

    # the file is wiped: the second download is refused in Russian, the page says so
    stored = Job.objects.get(pk=job.pk)
    assert stored.result is None and not stored.has_file
    again = client.get(reverse("job-file", args=[job.pk]))
    assert again.status_code == 410
    assert "Файл уже скачан и больше не хранится" in again.content.decode()
    detail = client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-file-taken"' in detail and "уже скачан" in detail
    assert 'id="job-file"' not in detail
    # the passwords are nowhere else: not in the job, only hashed in the users
    stored_text = _stored_text(job)
    for password in passwords:
        assert password not in stored_text
        assert not User.objects.filter(password__contains=password).exists()


def test_the_job_reports_progress_per_password(world):
    school = world["a"]["school"]
    people = [staff(school, "Петрова", "Анна") for _ in range(3)]
    calls = []
    provisioning.accounts_create(
        world["school_admin"], people, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_job_whose_selection_left_the_scope_fails_and_saves_nothing(world):
    job = jobs.job_start(
        world["school_admin"],
        kind=provisioning.JOB_KIND,
        title="Учётные записи",
        work=provisioning.accounts_issue_job,
        params={"selection": {"people": [world["a"]["director"].pk, world["b"]["director"].pk]}},
    )
    assert job.status == JobStatus.FAILED
    assert job.error == provisioning.JOB_GONE
    assert not job.has_file
    assert User.objects.count() == 4


def test_the_job_sends_letters_after_the_commit(
    client, crowd, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff(crowd["a"]["school"], "Ёлкина", "Юлия", email="elkina@example.org")
    client.force_login(crowd["school_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{ISSUE}?organization={crowd['a']['school'].pk}", {"send_mail": "1"})
    job = Job.objects.get(kind=provisioning.JOB_KIND)
    assert "Писем с логином и паролем: 1." in job.message
    assert [letter.to for letter in mail.outbox] == [["elkina@example.org"]]
    assert "Логин: elkina.yu" in mail.outbox[0].body


@with_api
def test_api_above_the_limit_answers_202_with_the_job(client, crowd):
    school = crowd["a"]["school"]
    response = _api(crowd["school_admin"]).post(
        API_ISSUE, {"organization": school.pk}, format="json"
    )
    assert response.status_code == 202, response.content
    data = response.json()
    job = Job.objects.get(pk=data["id"])
    assert response["Location"] == reverse("api-job-detail", args=[job.pk])
    assert response["Cache-Control"] == "no-store"
    assert data["status"] == JobStatus.DONE and data["kind"] == provisioning.JOB_KIND
    assert data["file_url"].endswith(reverse("job-file", args=[job.pk]))
    assert "password" not in data
    assert User.objects.filter(must_change_password=True).count() == 3

    client.force_login(crowd["school_admin"])
    assert client.get(reverse("job-file", args=[job.pk])).status_code == 200
    assert client.get(reverse("job-file", args=[job.pk])).status_code == 410
    api_job = _api(crowd["school_admin"]).get(reverse("api-job-detail", args=[job.pk])).json()
    assert api_job["file_url"] is None


@with_api
def test_api_issues_for_the_lists_filters(world):
    a = world["a"]
    api = _api(world["municipal"])
    response = api.post(API_ISSUE, {"filters": "manager=true&page=3"}, format="json")
    assert response.status_code == 201, response.content
    assert [row["person"] for row in response.json()["issued"]] == [a["director"].pk]
    both = {"filters": "", "organization": a["school"].pk}
    assert api.post(API_ISSUE, both, format="json").status_code == 400
    outside = {"filters": f"organization={world['b']['school'].pk}"}
    assert api.post(API_ISSUE, outside, format="json").status_code == 404
