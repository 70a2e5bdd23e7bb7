"""Fixtures of the item bank: the competency areas (loaded by the migrations) and items."""

import pytest

from nms.itembank.models import CompetencyArea, Item, ItemKind, ReviewStatus
from nms.registry.models import Subject


def make_item(area, code, difficulty=2, subject=None, kind=ItemKind.SINGLE, status=None):
    shapes = {
        ItemKind.SINGLE: (["А", "Б", "В", "Г"], 1),
        ItemKind.MULTIPLE: (["А", "Б", "В", "Г"], [0, 2]),
        ItemKind.SHORT: ([], ["ФГОС"]),
        ItemKind.MATCHING: ({"left": ["1", "2", "3"], "right": ["x", "y", "z"]}, [2, 0, 1]),
        ItemKind.ORDERING: (["шаг 1", "шаг 2", "шаг 3"], [0, 1, 2]),
    }
    options, key = shapes[kind]
    return Item.objects.create(
        area=area,
        code=code,
        kind=kind,
        difficulty=difficulty,
        subject=subject,
        text=f"Задание {code}",
        options=options,
        key=key,
        status=status or ReviewStatus.APPROVED,
    )


@pytest.fixture
def areas(db):
    return {a.code: a for a in CompetencyArea.objects.all()}


@pytest.fixture
def bank(areas):
    """Per non-subject area: 4 easy, 4 medium, 3 hard approved items and a draft never to use;
    subject items for mathematics and physics (3 medium each)."""
    kinds = list(ItemKind)
    n = 0
    for code in ("methodical", "psychological", "ict", "upbringing"):
        for difficulty, count in ((1, 4), (2, 4), (3, 3)):
            for _ in range(count):
                n += 1
                make_item(areas[code], f"{code}-{n}", difficulty, kind=kinds[n % len(kinds)])
        make_item(areas[code], f"{code}-draft", 1, status=ReviewStatus.DRAFT)
    for subject_name in ("математика", "физика"):
        subject = Subject.objects.get(name=subject_name)
        for i in range(3):
            make_item(areas["subject"], f"{subject_name}-{i}", 2, subject=subject)
    return Item.objects.all()
