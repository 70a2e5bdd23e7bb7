"""Factories of synthetic registry records (valid СНИЛС and ИНН, no real people)."""

from datetime import date

import factory

from nms.accounts.models import BINDINGS, REQUIRED_BINDING, Role, RoleAssignment, User
from nms.common.identifiers import inn_with_checksum, snils_with_checksum
from nms.registry.models import (
    Employment,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Region,
    Sex,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Тестовая область"
    code = "99"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципальный округ № {n}")
    oktmo = factory.Sequence(lambda n: f"{95600000 + n:08d}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.SelfAttribute("municipality.region")
    full_name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"МБОУ «Школа № {n}»")
    inn = factory.Sequence(lambda n: inn_with_checksum(f"19{n:07d}"))
    kind = OrganizationKind.GENERAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    region = factory.SubFactory(RegionFactory)
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Пётр"
    middle_name = "Сергеевич"
    birth_date = date(1980, 5, 17)
    sex = Sex.MALE
    snils = factory.Sequence(lambda n: snils_with_checksum(f"{200000000 + n:09d}"))
    education_level = "higher"
    has_pedagogical_education = True


def position(name="учитель") -> Position:
    return Position.objects.get(name=name)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = factory.LazyFunction(position)
    experience_years = 10
    experience_as_of = date(2024, 9, 1)
    hire_date = date(2015, 9, 1)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with one role assignment: `UserFactory(role=Role.SCHOOL, organization=school)`.

    `role=Role.ADMIN` makes a superuser; the binding keywords (region, municipality,
    organization, person) go to the assignment, and `person` also to the user.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Пароль-для-тестов-1")

    @classmethod
    def _create(cls, model_class, *args, role=Role.TEACHER, **kwargs):
        binding = {key: kwargs.pop(key) for key in BINDINGS if key in kwargs and key != "person"}
        person = kwargs.get("person") or kwargs.get("person_id")
        if role == Role.ADMIN:
            kwargs.setdefault("is_superuser", True)
            kwargs.setdefault("is_staff", True)
        user = super()._create(model_class, *args, **kwargs)
        if role != Role.ADMIN:
            if REQUIRED_BINDING[role] == "person":
                binding["person_id"] = getattr(person, "pk", person)
            RoleAssignment.objects.create(user=user, role=role, **binding)
        return user


def assign(user, role, **binding) -> RoleAssignment:
    """Give the user one more role (a teacher who is also a regional methodist, …)."""
    if REQUIRED_BINDING.get(role) == "person":
        binding.setdefault("person", user.person)
    assignment = RoleAssignment.objects.create(user=user, role=role, **binding)
    user.__dict__.pop("_nms_scope", None)
    return assignment
