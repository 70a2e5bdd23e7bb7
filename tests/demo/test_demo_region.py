"""The demo region at 2 500 people, built once for the tests of this module (in a transaction
rolled back at the end; each test runs in a savepoint of it): activity in proportion, the demo
teacher's overdue item, subject items only of the subjects a person teaches, accounts of the
routed people."""

from collections import defaultdict
from datetime import date

import pytest
from django.db import transaction

from nms.accounts.models import Role, RoleAssignment, User
from nms.demo.build import build_demo_region
from nms.diagnostics.models import Group, Membership, Result, VariantItem
from nms.registry.models import Employment, Person, Region
from nms.routes.models import (
    ItemReport,
    ItemStatus,
    ReportDecision,
    Route,
    RouteEvent,
    RouteItem,
    Status,
)

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 3, "organizations": 60, "people": 2500, "seed": 11}


@pytest.fixture(scope="module")
def region(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_region(**SIZES)
        yield Region.objects.get()
        transaction.set_rollback(True)


def test_activity_is_in_proportion(region):
    people = Person.objects.filter(region=region).count()
    with_results = Result.objects.values("person").distinct().count()
    assert with_results >= people / 3
    routes = Route.objects.filter(region=region)
    assert 0.08 * people <= routes.count() <= 0.12 * people
    assert set(routes.values_list("status", flat=True)) == set(Status.values)
    assert set(RouteItem.objects.values_list("status", flat=True)) == set(ItemStatus.values)
    today = date.today()
    overdue = RouteItem.objects.filter(
        route__status=Status.IN_PROGRESS, due_on__lt=today, status=ItemStatus.PLANNED
    )
    assert overdue.exists()
    assert ItemReport.objects.filter(decision=ReportDecision.PENDING).exists()
    returned = RouteEvent.objects.filter(from_status=Status.COMPOSED, to_status=Status.DRAFT)
    assert returned.exists()
    # Every route has its methodist; routes beyond the demo caseload have methodists of their own.
    assert not routes.filter(methodist=None).exists()
    assert routes.values("methodist").distinct().count() > 1
    for route in routes.exclude(status=Status.DRAFT).order_by("?")[:30]:
        assert route.versions.filter(number=route.version).exists()
        assert route.events.count() >= 2
    # Reports are written by the teachers whose routes they belong to.
    for report in ItemReport.objects.select_related("author", "item__route")[:50]:
        assert report.author.person_id == report.item.route.person_id


def test_demo_teacher_has_an_overdue_item_and_a_report_awaiting(region):
    teacher = User.objects.get(username="teacher")
    route = Route.objects.get(person=teacher.person)
    assert route.status == Status.IN_PROGRESS
    items = route.items.all()
    assert items.filter(status=ItemStatus.PLANNED, due_on__lt=date.today()).exists()
    assert ItemReport.objects.filter(item__route=route, decision=ReportDecision.PENDING).exists()


def test_subject_items_only_of_a_subject_the_person_teaches(region):
    taught = defaultdict(set)
    for person_id, subject in Employment.objects.values_list("person_id", "subjects__name"):
        taught[person_id].add(subject)
    checked = 0
    for group in Group.objects.select_related("subject"):
        subjects = set(
            VariantItem.objects.filter(
                variant__group=group, item__area__is_subject=True
            ).values_list("item__subject__name", flat=True)
        )
        if group.subject is None:
            assert subjects == set(), group.name
            continue
        assert subjects == {group.subject.name}, group.name
        members = Membership.objects.filter(group=group).values_list("person_id", flat=True)
        assert all(group.subject.name in taught[pk] for pk in members), group.name
        checked += 1
    assert checked
    primary = Group.objects.filter(subject__name="начальные классы")
    assert primary.exists()
    for group in primary:
        subjects = VariantItem.objects.filter(variant__group=group).values_list(
            "item__subject__name", flat=True
        )
        assert not {"химия", "физика", "информатика"} & set(subjects)


def test_routes_cover_teachers_without_accounts_before(region):
    """Routed people got teacher accounts (unusable passwords) to report with."""
    routed = Route.objects.values_list("person_id", flat=True)
    users = User.objects.filter(person_id__in=routed)
    assert users.count() == len(set(routed))
    generated = users.exclude(username__in=("teacher", "methodist", "school"))
    assert not any(u.has_usable_password() for u in generated[:20])
    assert RoleAssignment.objects.filter(user__in=generated, role=Role.TEACHER).count() == (
        generated.count()
    )
