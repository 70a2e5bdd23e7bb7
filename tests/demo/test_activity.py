"""The whole demo region at any size: the same seed gives the same activity, tiny sizes are whole
or refused, a failure leaves nothing (the 2 500-person region's checks: test_demo_region.py)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from nms.accounts.models import RoleAssignment, User
from nms.demo import build
from nms.demo.build import build_demo_region
from nms.demo.generator import check_sizes
from nms.diagnostics.models import Procedure, Result
from nms.itembank.demo import load_demo_bank
from nms.itembank.models import Item, ReviewStatus
from nms.registry.models import Person, Region
from nms.routes.models import (
    Route,
    RouteItem,
)

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 3, "organizations": 60, "people": 2500, "seed": 11}


def test_demo_bank_has_primary_school_items():
    load_demo_bank()
    primary = Item.objects.filter(subject__name="начальные классы", status=ReviewStatus.APPROVED)
    assert {d: primary.filter(difficulty=d).count() >= 3 for d in (1, 2, 3)} == {
        1: True,
        2: True,
        3: True,
    }


def test_same_seed_same_activity():
    def signature():
        return (
            sorted(Result.objects.values_list("person__snils", "procedure__name", "share")),
            sorted(Route.objects.values_list("person__snils", "status", "version")),
            sorted(RouteItem.objects.values_list("route__person__snils", "position", "status")),
        )

    sizes = {"municipalities": 1, "organizations": 12, "people": 300, "seed": 4}
    signatures = []
    for _ in range(2):
        with transaction.atomic():
            build_demo_region(**sizes)
            signatures.append(signature())
            transaction.set_rollback(True)
    assert signatures[0] == signatures[1] and signatures[0][1]


@pytest.mark.parametrize(
    "sizes",
    [
        {"municipalities": 1, "organizations": 4, "people": 21},
        {"municipalities": 1, "organizations": 5, "people": 30},
        {"municipalities": 2, "organizations": 8, "people": 40},
    ],
)
def test_the_smallest_regions_are_whole(sizes):
    check_sizes(**sizes)
    build_demo_region(**sizes, seed=2)
    assert Person.objects.count() == sizes["people"]
    assert set(User.objects.filter(username__in=("teacher", "methodist")).values_list(
        "username", flat=True
    )) == {"teacher", "methodist"}  # fmt: skip
    assert Procedure.objects.filter(starts_on__lte=date.today(), ends_on__gte=date.today())
    assert Route.objects.filter(person__user__username="teacher").exists()


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ({"municipalities": 1, "organizations": 2, "people": 5}, "Слишком мало организаций"),
        ({"municipalities": 1, "organizations": 4, "people": 5}, "Слишком мало работников"),
        ({"municipalities": 0, "organizations": 4, "people": 50}, "от 1 до"),
    ],
)
def test_too_small_sizes_are_refused_in_russian_before_any_write(sizes, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate-region", **sizes, stdout=StringIO())
    assert not Region.objects.exists() and not Person.objects.exists()


def test_a_failure_leaves_nothing_behind(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("сбой")

    monkeypatch.setattr(build, "generate_routes", broken)
    with pytest.raises(RuntimeError):
        build_demo_region(municipalities=1, organizations=6, people=60)
    for model in (Region, Person, User, RoleAssignment, Procedure, Result, Item):
        assert not model.objects.exists(), model
