"""The synthetic region: valid identifiers, plausible shares, demo accounts, determinism."""

import importlib
from collections import Counter
from datetime import date
from functools import partial
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from nms.accounts.models import Role, User
from nms.accounts.scope import scope_of
from nms.common.identifiers import inn_error, oktmo_error, snils_error
from nms.demo.accounts import DEMO_PASSWORD, USERNAMES
from nms.demo.build import build_demo_region
from nms.demo.generator import GenerationError, generate_region
from nms.registry.models import (
    Category,
    Employment,
    ManagerKind,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Region,
    Sex,
)
from nms.registry.selectors import search_people, young_teacher_q

TODAY = date(2026, 9, 1)
SMALL = {"municipalities": 2, "organizations": 12, "people": 300, "seed": 7, "today": TODAY}

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_region():
    return generate_region(**SMALL)


@pytest.fixture
def medium_region():
    """Big enough for the shares to settle."""
    return generate_region(municipalities=5, organizations=80, people=3000, seed=3, today=TODAY)


def test_identifiers_are_valid_and_unique(small_region):
    snils = list(Person.objects.values_list("snils", flat=True))
    inns = list(Organization.objects.values_list("inn", flat=True))
    oktmo = list(Municipality.objects.values_list("oktmo", flat=True))
    assert len(snils) == 300 and len(inns) == 12 and len(oktmo) == 2
    assert [s for s in snils if snils_error(s)] == []
    assert [i for i in inns if inn_error(i)] == []
    assert [o for o in oktmo if oktmo_error(o) or len(o) != 8] == []
    assert len(set(snils)) == len(snils) and len(set(inns)) == len(inns)
    assert len(set(oktmo)) == len(oktmo)


def test_every_organization_has_one_head_and_schools_have_deputies(small_region):
    for org in Organization.objects.all():
        managers = Counter(org.employments.values_list("manager_kind", flat=True))
        assert managers[ManagerKind.HEAD] == 1, org
        if org.kind == OrganizationKind.GENERAL:
            assert 1 <= managers[ManagerKind.DEPUTY] <= 4, org
            head = org.employments.get(manager_kind=ManagerKind.HEAD)
            assert head.position.name == "директор"


def test_organizations_by_kind(medium_region):
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds[OrganizationKind.INSTITUTE] == 1
    assert kinds[OrganizationKind.METHODICAL_SERVICE] == kinds[OrganizationKind.AUTHORITY] == 5
    assert kinds[OrganizationKind.GENERAL] > kinds[OrganizationKind.PRESCHOOL]
    assert kinds[OrganizationKind.PRESCHOOL] > kinds[OrganizationKind.ADDITIONAL]
    assert kinds[OrganizationKind.ADDITIONAL] >= kinds[OrganizationKind.VOCATIONAL] >= 1
    institute = Organization.objects.get(kind=OrganizationKind.INSTITUTE)
    assert institute.municipality == Municipality.objects.order_by("id").first()
    schools = Organization.objects.filter(kind=OrganizationKind.GENERAL)
    assert 0.04 <= schools.filter(is_low_results=True).count() / schools.count() <= 0.1
    assert schools.filter(is_unfavourable=True).exists()
    names = list(schools.values_list("short_name", flat=True))
    assert any(n.startswith("МБОУ «Средняя общеобразовательная школа № ") for n in names)


def test_people_shares_roughly_as_designed(medium_region):
    people = Person.objects.all()
    total = people.count()
    assert 0.75 <= people.filter(sex=Sex.FEMALE).count() / total <= 0.88
    ages = [p.age(TODAY) for p in people]
    assert min(ages) >= 22 and max(ages) <= 70
    assert 0.07 <= people.filter(young_teacher_q(TODAY)).count() / total <= 0.13
    assert people.filter(has_pedagogical_education=True).count() / total >= 0.8
    assert 0.75 <= people.exclude(email="").count() / total <= 0.95
    assert not people.exclude(email="").exclude(email__endswith="@example.ru").exists()
    jobs = Employment.objects.all()
    categories = Counter(jobs.values_list("category", flat=True))
    share = {c: categories[c] / jobs.count() for c in Category.values}
    assert 0.2 <= share[Category.HIGHEST] <= 0.4
    assert 0.2 <= share[Category.FIRST] <= 0.4
    assert 0.08 <= share[Category.CONFORMITY] <= 0.22
    assert 0.2 <= share[Category.NONE] <= 0.4
    assert not jobs.exclude(category=Category.NONE).filter(category_date=None).exists()
    assert not jobs.filter(category=Category.NONE).exclude(category_date=None).exists()
    part_timers = jobs.filter(is_part_time=True)
    assert 0.08 <= part_timers.count() / total <= 0.12


def test_employments_are_consistent(small_region):
    jobs = Employment.objects.select_related("person", "organization", "position")
    for job in jobs:
        assert 0 <= job.experience_years <= job.person.age(TODAY) - 20
        assert job.experience_start == job.compute_experience_start()
        assert job.hire_date <= TODAY
        assert job.category_date is None or job.category_date <= TODAY
    teachers = jobs.filter(position__name="учитель", is_part_time=False)
    assert teachers.exists()
    for job in teachers.prefetch_related("subjects"):
        assert 18 <= job.teaching_load <= 36
        assert job.subjects.exists()
    for job in jobs.filter(is_part_time=True):
        main = job.person.employments.get(is_part_time=False)
        assert main.organization != job.organization
        assert main.organization.municipality_id == job.organization.municipality_id
    kindergarten_staff = jobs.filter(organization__kind=OrganizationKind.PRESCHOOL)
    assert kindergarten_staff.filter(position__name="воспитатель").exists()


def test_names_history_and_search(small_region):
    people = Person.objects.all()
    for person in people:
        assert person.search_text == person.compute_search_text()
        if person.sex == Sex.FEMALE:
            assert person.middle_name.endswith("на")
        else:
            assert person.middle_name.endswith("ич")
    assert Person.history.filter(history_type="+").count() == people.count()
    assert Organization.history.count() == Organization.objects.count()
    assert Employment.history.count() == Employment.objects.count()
    with_yo = people.filter(last_name__contains="ё")
    assert with_yo.exists()
    person = with_yo.first()
    found = search_people(people, person.last_name.replace("ё", "е"))
    assert person in found


def test_demo_accounts(small_region):
    assert small_region.accounts == list(USERNAMES)
    for role in Role:
        user = User.objects.get(username=role.value)
        assert role in scope_of(user).roles
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name
        user.full_clean()
        assert scope_of(user).people().exists(), role
    assert User.objects.get(username="admin").is_superuser


def test_demo_accounts_fit_the_story(small_region):
    first = Municipality.objects.order_by("id").first()
    school = scope_of(User.objects.get(username="school")).of_role(Role.SCHOOL)[0].organization
    assert school.kind == OrganizationKind.GENERAL and school.is_low_results
    assert school.municipality == first
    teacher = User.objects.get(username="teacher").person
    assert "ё" in teacher.last_name
    assert teacher.employments.filter(organization=school, position__name="учитель").exists()
    assert Person.objects.filter(young_teacher_q(TODAY), pk=teacher.pk).exists()
    methodist = User.objects.get(username="methodist")
    assigned = methodist.assigned_people.all()
    assert 100 <= assigned.count() <= 250
    assert teacher in assigned
    cnppm = User.objects.get(username="cnppm").person
    assert cnppm.employments.filter(organization__kind=OrganizationKind.INSTITUTE).exists()


def test_municipal_user_sees_only_its_municipality(small_region):
    user = User.objects.get(username="municipal")
    scope = scope_of(user)
    municipality = scope.of_role(Role.MUNICIPAL)[0].municipality
    assert set(scope.organizations().values_list("municipality", flat=True)) == {municipality.pk}
    visible = scope.people()
    assert 0 < visible.count() < Person.objects.count()
    elsewhere = Person.objects.exclude(employments__organization__municipality=municipality)
    assert elsewhere.exists()
    assert not visible.filter(pk__in=elsewhere).exists()


def _snapshot():
    people = Person.objects.order_by("snils").values_list(
        "snils", "last_name", "first_name", "middle_name", "birth_date", "email"
    )
    organizations = Organization.objects.order_by("inn").values_list("inn", "short_name", "kind")
    jobs = Employment.objects.order_by("person__snils", "organization__inn").values_list(
        "person__snils", "organization__inn", "position__name", "category", "experience_years"
    )
    return list(people), list(organizations), list(jobs)


def _delete_everything():
    Employment.objects.all().delete()
    User.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    Municipality.objects.all().delete()
    Region.objects.all().delete()


def test_same_seed_same_day_same_region():
    generate_region(**SMALL)
    first = _snapshot()
    _delete_everything()
    generate_region(**SMALL)
    assert _snapshot() == first
    _delete_everything()
    generate_region(**{**SMALL, "seed": 8})
    assert _snapshot()[0] != first[0]


def test_refuses_an_existing_region(small_region):
    with pytest.raises(GenerationError, match="уже существует"):
        generate_region(**SMALL)


def test_second_region_gets_its_own_identifiers_and_no_new_accounts(small_region):
    second = generate_region(**{**SMALL, "region_name": "Вторая демонстрационная область"})
    assert second.accounts == []
    assert Person.objects.count() == 600 and Organization.objects.count() == 24
    prefixes = set(Municipality.objects.values_list("oktmo", flat=True))
    assert len({code[:2] for code in prefixes}) == 2
    assert User.objects.count() == len(USERNAMES)


@pytest.mark.parametrize(
    "sizes",
    [
        {"municipalities": 3, "organizations": 9, "people": 300},
        {"municipalities": 2, "organizations": 12, "people": 20},
        {"municipalities": 0, "organizations": 12, "people": 300},
    ],
)
def test_impossible_sizes_are_refused_and_nothing_is_saved(sizes):
    with pytest.raises(GenerationError):
        generate_region(**sizes, today=TODAY)
    assert not Region.objects.exists()


def test_generate_region_command():
    out = StringIO()
    call_command(
        "generate-region",
        municipalities=2,
        organizations=12,
        people=300,
        seed=3,
        name="Тестовая демонстрационная",
        stdout=out,
    )
    text = out.getvalue()
    assert "Создан регион «Тестовая демонстрационная»" in text
    assert "работников: 300" in text
    for username in USERNAMES:
        assert username in text
    assert DEMO_PASSWORD in text
    with pytest.raises(CommandError, match="уже существует"):
        call_command("generate-region", name="Тестовая демонстрационная", stdout=StringIO())


def test_demo_bootstrap_generates_once(monkeypatch):
    command = importlib.import_module("nms.demo.management.commands.demo-bootstrap")
    small = partial(build_demo_region, municipalities=2, organizations=12, people=300)
    monkeypatch.setattr(command, "build_demo_region", small)
    out = StringIO()
    call_command("demo-bootstrap", stdout=out)
    assert "Создан регион" in out.getvalue()
    assert "муниципальный координатор" in out.getvalue()
    assert "индивидуальных образовательных маршрутов" in out.getvalue()
    out = StringIO()
    call_command("demo-bootstrap", stdout=out)
    assert "генерация пропущена" in out.getvalue()
    assert "teacher" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    assert Region.objects.count() == 1 and Person.objects.count() == 300
