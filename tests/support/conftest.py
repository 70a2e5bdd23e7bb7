"""A small world for the support tests: two municipalities (tests/conftest.py), subjects, a
regional methodist approved in the РМА and helpers to make eligible people."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from nms.accounts.models import Role
from nms.diagnostics.models import Procedure, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.registry.models import Subject
from nms.support.models import (
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    MembershipStatus,
)
from tests.factories import EmploymentFactory, OrganizationFactory

TODAY = date.today()


def subject(name):
    return Subject.objects.get_or_create(name=name)[0]


def methodical_result(person, share, taken_on=None):
    """A diagnostics result of the person with the methodical area at `share` %."""
    taken_on = taken_on or TODAY - timedelta(days=30)
    area = CompetencyArea.objects.get(code="methodical")
    procedure = Procedure.objects.create(
        region=person.region, name=f"Диагностика {person.pk} {share}", level="regional",
        kind="entry", starts_on=taken_on, ends_on=taken_on, is_external=True,
    )  # fmt: skip
    return result_record(
        person.pk, procedure, taken_on, {area: (Decimal(share), Decimal(100))},
        ResultSource.IMPORT,
    )  # fmt: skip


def completed_training(person, completed_on=None):
    """A completed enrollment in a further-training programme (the programs app)."""
    completed_on = completed_on or TODAY - timedelta(days=100)
    programme = apps.get_model("programs", "Programme").objects.create(
        region=person.region, title="Методическое сопровождение педагогов", hours=72
    )
    run = apps.get_model("programs", "Run").objects.create(
        programme=programme, starts_on=completed_on - timedelta(days=20), ends_on=completed_on
    )
    return apps.get_model("programs", "Enrollment").objects.create(
        run=run, person=person, status="completed", enrolled_on=run.starts_on,
        completed_on=completed_on, certificate_number=f"ПК-{person.pk}-{run.pk}",
    )  # fmt: skip


def make_eligible(person):
    """Highest category, higher pedagogical education, 10 years, 80 % methodical, trained."""
    person.employments.update(category="highest")
    methodical_result(person, 80)
    completed_training(person)
    return person


def approved_methodist(person, *, subjects=(), municipality=None, starts_on=None):
    membership = ActiveMembership.objects.create(
        region=person.region, person=person, role=ActiveRole.METHODIST,
        level=ActiveLevel.REGIONAL, municipality=municipality,
        starts_on=starts_on or TODAY - timedelta(days=60), status=MembershipStatus.APPROVED,
        order_number="1-РМА", order_date=TODAY - timedelta(days=60),
    )  # fmt: skip
    membership.subjects.set(subjects)
    return membership


@pytest.fixture
def world(users, two_municipalities, make_user):
    """The `users` of tests/conftest.py; an institute with a methodist of mathematics in
    municipality A (an account with the methodist's role, approved in the РМА)."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    institute = OrganizationFactory(municipality=a["municipality"], kind="institute")
    methodist_person = EmploymentFactory(organization=institute).person
    maths = subject("Математика")
    approved_methodist(methodist_person, subjects=[maths], municipality=a["municipality"])
    methodist_user = make_user(Role.METHODIST, person=methodist_person)
    return {
        **users,
        "a": a,
        "b": b,
        "institute": institute,
        "maths": maths,
        "methodist_person": methodist_person,
        "rma_methodist": methodist_user,
    }
