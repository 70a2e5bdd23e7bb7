"""Scoring by item kind: hand-computed cases and a property over random answer sheets."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nms.itembank.models import ItemKind
from nms.itembank.scoring import key_error, normalize_short, score


@pytest.mark.parametrize(
    "kind, key, response, expected",
    [
        (ItemKind.SINGLE, 2, 2, Fraction(1)),
        (ItemKind.SINGLE, 2, 1, Fraction(0)),
        (ItemKind.SINGLE, 2, None, Fraction(0)),
        # multiple: (right − wrong) / number of right, not below zero
        (ItemKind.MULTIPLE, [0, 2], [0, 2], Fraction(1)),
        (ItemKind.MULTIPLE, [0, 2], [0], Fraction(1, 2)),
        (ItemKind.MULTIPLE, [0, 2], [0, 1], Fraction(0)),
        (ItemKind.MULTIPLE, [0, 2, 3], [0, 2, 1], Fraction(1, 3)),
        (ItemKind.MULTIPLE, [0, 2], [0, 1, 2, 3], Fraction(0)),
        (ItemKind.MULTIPLE, [0, 2], [1, 3], Fraction(0)),
        (ItemKind.MULTIPLE, [0, 2], [], Fraction(0)),
        # short: normalised comparison
        (ItemKind.SHORT, ["ФГОС"], "  фгос. ", Fraction(1)),
        (ItemKind.SHORT, ["самоёмкость"], "САМОЕМКОСТЬ", Fraction(1)),
        (ItemKind.SHORT, ["0,5"], "0.5", Fraction(1)),
        (ItemKind.SHORT, ["ФГОС"], "ФОП", Fraction(0)),
        (ItemKind.SHORT, ["ФГОС"], "", Fraction(0)),
        # matching: share of rows matched right
        (ItemKind.MATCHING, [2, 0, 1], [2, 0, 1], Fraction(1)),
        (ItemKind.MATCHING, [2, 0, 1], [2, 1, 0], Fraction(1, 3)),
        (ItemKind.MATCHING, [2, 0, 1, 3], [2, 0, 3, 1], Fraction(1, 2)),
        (ItemKind.MATCHING, [2, 0, 1], [2, 0], Fraction(0)),
        # ordering: share of positions right
        (ItemKind.ORDERING, [1, 0, 2, 3], [1, 0, 2, 3], Fraction(1)),
        (ItemKind.ORDERING, [1, 0, 2, 3], [0, 1, 2, 3], Fraction(1, 2)),
        (ItemKind.ORDERING, [1, 0, 2], "не список", Fraction(0)),
    ],
)
def test_hand_computed(kind, key, response, expected):
    assert score(kind, key, response) == expected


def test_normalize_short():
    assert normalize_short("  Ёлка,  ёж! ") == "елка, еж"


@pytest.mark.parametrize(
    "kind, options, key, ok",
    [
        (ItemKind.SINGLE, ["а", "б"], 1, True),
        (ItemKind.SINGLE, ["а", "б"], 2, False),
        (ItemKind.MULTIPLE, ["а", "б", "в"], [0, 0], False),
        (ItemKind.ORDERING, ["а", "б", "в"], [2, 0, 1], True),
        (ItemKind.ORDERING, ["а", "б", "в"], [2, 0], False),
        (ItemKind.MATCHING, {"left": ["а"], "right": ["x", "y"]}, [1], True),
        (ItemKind.MATCHING, {"left": ["а"], "right": ["x"]}, [1], False),
        (ItemKind.SHORT, [], ["ответ"], True),
        (ItemKind.SHORT, [], [], False),
    ],
)
def test_key_validation(kind, options, key, ok):
    assert (key_error(kind, options, key) is None) is ok


responses = st.one_of(
    st.none(),
    st.integers(-3, 8),
    st.lists(st.integers(-3, 8), max_size=8),
    st.text(max_size=10),
)


@given(
    kind=st.sampled_from(list(ItemKind)),
    n=st.integers(2, 6),
    data=st.data(),
)
def test_share_always_between_zero_and_one(kind, n, data):
    if kind == ItemKind.SINGLE:
        key = data.draw(st.integers(0, n - 1))
    elif kind == ItemKind.MULTIPLE:
        key = sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1)))
    elif kind == ItemKind.SHORT:
        key = data.draw(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=3))
    elif kind == ItemKind.MATCHING:
        key = data.draw(st.lists(st.integers(0, n - 1), min_size=n, max_size=n))
    else:
        key = data.draw(st.permutations(list(range(n))))
    value = score(kind, key, data.draw(responses))
    assert 0 <= value <= 1
