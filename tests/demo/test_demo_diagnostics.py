"""Diagnostics of the demo region: results with deficits, an open procedure for the demo teacher."""

from datetime import date

import pytest
from django.db import transaction

from nms.accounts.models import User
from nms.deficits import maps
from nms.demo.diagnostics import generate_diagnostics
from nms.demo.generator import GenerationError, generate_region
from nms.diagnostics import services
from nms.diagnostics.models import Procedure, Result, Variant

SMALL = {"municipalities": 2, "organizations": 12, "people": 300, "seed": 7}

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    region = generate_region(**SMALL).region
    return region, generate_diagnostics(region, seed=3)


def test_results_with_and_without_deficits(demo):
    region, summary = demo
    results = Result.objects.filter(procedure__region=region)
    assert summary.results == results.count() > 0
    assert 0 < summary.with_deficit == results.filter(has_deficit=True).count() < summary.results
    kinds = {p.name: p for p in Procedure.objects.filter(region=region)}
    assert len(kinds) == 4
    federal = Procedure.objects.get(region=region, level="federal")
    assert federal.is_external and federal.results.filter(source="import").exists()
    exit_ = Procedure.objects.get(region=region, kind="exit")
    assert exit_.results.exists()
    entry_people = set(
        Result.objects.filter(procedure__kind="entry", procedure__level="regional").values_list(
            "person", flat=True
        )
    )
    assert set(exit_.results.values_list("person", flat=True)) <= entry_people


def test_demo_teacher_can_take_the_open_procedure(demo):
    _, summary = demo
    teacher = User.objects.get(username="teacher")
    current = summary.open_procedure
    today = date.today()
    assert current.starts_on <= today <= current.ends_on
    assert Variant.objects.filter(
        group__procedure=current, group__membership__person=teacher.person
    ).exists()
    assert services.attempt_start(teacher, current).variant.variant_items.exists()
    assert Result.objects.filter(person=teacher.person, has_deficit=True).exists()


def test_maps_show_the_demo_data(demo):
    cnppm = User.objects.get(username="cnppm")
    deficit_map = maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.MUNICIPALITY))
    assert len(deficit_map.rows) == 2 and deficit_map.total.with_deficit > 0
    profiles = maps.deficit_profiles(cnppm, maps.MapFilters())
    assert len(profiles.profiles) > 3


def test_second_run_is_refused(demo):
    region, _ = demo
    with pytest.raises(GenerationError):
        generate_diagnostics(region)


def _signature(region) -> list[tuple]:
    rows = Result.objects.filter(procedure__region=region).values_list(
        "person__snils", "procedure__name", "taken_on", "share"
    )
    return sorted(rows)


def test_deterministic_from_the_seed():
    signatures = []
    for _ in range(2):
        with transaction.atomic():
            region = generate_region(**SMALL).region
            generate_diagnostics(region, seed=3)
            signatures.append(_signature(region))
            transaction.set_rollback(True)
    assert signatures[0] == signatures[1] and signatures[0]
