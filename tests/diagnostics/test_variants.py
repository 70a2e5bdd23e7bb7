"""One variant per group, by the blueprint exactly, pairwise different, reproducible."""

import pytest
from django.core.exceptions import ValidationError

from nms.diagnostics.models import Group, Membership, VariantItem
from nms.diagnostics.variants import assemble_variants
from nms.itembank.models import ReviewStatus
from nms.registry.models import Subject


def _groups(procedure, n, subject=None):
    return [
        Group.objects.create(procedure=procedure, number=i, name=f"Группа {i}", subject=subject)
        for i in range(1, n + 1)
    ]


def _variant_items(procedure):
    return {
        g.number: list(
            VariantItem.objects.filter(variant__group=g)
            .order_by("position")
            .values_list("item_id", flat=True)
        )
        for g in procedure.groups.all()
    }


def test_three_groups_three_distinct_variants_by_blueprint(bank, procedure):
    _groups(procedure, 3)
    report = assemble_variants(procedure)
    variants = _variant_items(procedure)
    assert len(variants) == 3
    for item_ids in variants.values():
        items = list(bank.filter(pk__in=item_ids))
        assert len(items) == len(item_ids) == 7
        assert all(i.status == ReviewStatus.APPROVED for i in items)
        for row in procedure.blueprint.all():
            for difficulty, need in row.counts().items():
                got = [i for i in items if i.area_id == row.area_id and i.difficulty == difficulty]
                assert len(got) == need
    sets = [frozenset(v) for v in variants.values()]
    assert len(set(sets)) == 3
    assert len(report.pairs) == 3
    for pair in report.pairs:
        a = set(variants[int(pair["a"].split()[-1])])
        b = set(variants[int(pair["b"].split()[-1])])
        assert pair["common"] == len(a & b)


def test_same_seed_same_variants(bank, procedure):
    _groups(procedure, 3)
    assemble_variants(procedure)
    first = _variant_items(procedure)
    assemble_variants(procedure)
    assert _variant_items(procedure) == first
    procedure.seed = 43
    procedure.save()
    assemble_variants(procedure)
    assert _variant_items(procedure) != first


def test_distinct_even_when_bank_is_tight(areas, procedure):
    from tests.itembank.conftest import make_item

    procedure.blueprint.all().delete()
    procedure.blueprint.create(area=areas["ict"], easy=2)
    for i in range(3):  # three items, two per variant: only three distinct pairs exist
        make_item(areas["ict"], f"ict-{i}", 1)
    _groups(procedure, 3)
    assemble_variants(procedure)
    assert len({frozenset(v) for v in _variant_items(procedure).values()}) == 3
    # A fourth group cannot get a fourth distinct pair out of three items.
    Group.objects.create(procedure=procedure, number=4, name="Группа 4")
    with pytest.raises(ValidationError, match="отличался"):
        assemble_variants(procedure)


def test_shortfall_names_area_and_difficulty(areas, bank, procedure):
    procedure.blueprint.create(area=areas["communicative"], hard=2)
    _groups(procedure, 1)
    with pytest.raises(ValidationError, match="коммуникативная.*высокий.*нужно 2.*0"):
        assemble_variants(procedure)


def test_subject_items_follow_group_subject(areas, bank, procedure):
    from nms.registry.models import Subject

    physics = Subject.objects.get(name="физика")
    procedure.blueprint.create(area=areas["subject"], medium=2)
    _groups(procedure, 2, subject=physics)
    assemble_variants(procedure)
    for item_ids in _variant_items(procedure).values():
        subject_items = bank.filter(pk__in=item_ids, area=areas["subject"])
        assert subject_items.count() == 2
        assert set(subject_items.values_list("subject", flat=True)) == {physics.pk}


# -- subject items only for the subjects the group's members teach (issue 10, item 4) ----------
@pytest.fixture
def subject_bank(areas, bank):
    """Subject items of chemistry, physics and primary school (2 of each difficulty)."""
    from nms.registry.models import Subject
    from tests.itembank.conftest import make_item

    subjects = {}
    for name in ("химия", "физика", "начальные классы"):
        subjects[name] = Subject.objects.get(name=name)
        for difficulty in (1, 2, 3):
            for i in range(2):
                make_item(areas["subject"], f"{name}-{difficulty}-{i}", difficulty, subjects[name])
    return subjects


def _member(procedure, group, subjects):
    from tests.factories import EmploymentFactory

    job = EmploymentFactory()
    job.subjects.set(subjects)
    Membership.objects.create(group=group, person=job.person, procedure=procedure)
    return job.person


def _subject_names(procedure, group):
    items = VariantItem.objects.filter(variant__group=group, item__area__is_subject=True)
    return list(items.values_list("item__subject__name", flat=True))


def test_primary_school_teachers_get_primary_items_only(areas, subject_bank, procedure):
    procedure.blueprint.create(area=areas["subject"], easy=1, medium=1, hard=1)
    primary = subject_bank["начальные классы"]
    group = Group.objects.create(procedure=procedure, number=1, name="Начальная школа")
    _member(procedure, group, [primary])
    _member(procedure, group, [primary, Subject.objects.get(name="ОРКСЭ")])
    assemble_variants(procedure)
    names = _subject_names(procedure, group)
    assert names == ["начальные классы"] * 3
    assert not {"химия", "физика", "математика"} & set(names)


def test_group_subject_gives_its_items(areas, subject_bank, procedure):
    procedure.blueprint.create(area=areas["subject"], easy=1, medium=2, hard=1)
    group = Group.objects.create(
        procedure=procedure, number=1, name="Химики", subject=subject_bank["химия"]
    )
    _member(procedure, group, [subject_bank["химия"]])
    assemble_variants(procedure)
    assert _subject_names(procedure, group) == ["химия"] * 4


def test_no_subject_items_when_members_teach_nothing_in_common(areas, subject_bank, procedure):
    procedure.blueprint.create(area=areas["subject"], medium=1)
    group = Group.objects.create(procedure=procedure, number=1, name="Смешанная")
    _member(procedure, group, [subject_bank["химия"]])
    _member(procedure, group, [subject_bank["начальные классы"]])
    _member(procedure, group, [])
    assemble_variants(procedure)
    assert _subject_names(procedure, group) == []
    # the other areas of the blueprint are there as usual
    assert VariantItem.objects.filter(variant__group=group).count() == 7


def test_only_subject_areas_and_no_subject_is_refused(areas, subject_bank, procedure):
    procedure.blueprint.all().delete()
    procedure.blueprint.create(area=areas["subject"], medium=1)
    group = Group.objects.create(procedure=procedure, number=1, name="Без предмета")
    _member(procedure, group, [])
    with pytest.raises(ValidationError, match="предмет группы не указан"):
        assemble_variants(procedure)
