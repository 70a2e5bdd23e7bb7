"""Scoring of one answer, by item kind. Pure functions: a share of the item's points in [0, 1].

Shapes of `options`, `key` and the response, per kind:

single    options: ["вариант", ...]        key: 2                   response: 2
multiple  options: ["вариант", ...]        key: [0, 3]              response: [0, 1]
short     options: []                      key: ["ответ", ...]      response: "Ответ"
matching  options: {"left": [...], "right": [...]}
                                           key: [2, 0, 1]           response: [2, 1, 0]
          (key[i] is the index in "right" that matches left[i])
ordering  options: ["шаг", ...]            key: [1, 0, 2]           response: [1, 2, 0]
          (the indices of options in the right order)

Partial credit rules:
- multiple: (right choices − wrong choices) / number of right options, never below 0;
  choosing every option therefore earns nothing unless every option is right.
- matching: the share of left entries matched correctly.
- ordering: the share of positions holding the right entry.
- single and short: all or nothing. A short answer is compared after normalisation: case,
  ё/е, surrounding spaces and punctuation, repeated spaces, and a decimal comma are ignored.
An empty or malformed response scores 0.
"""

import re
from fractions import Fraction

from nms.itembank.models import ItemKind

ZERO = Fraction(0)
ONE = Fraction(1)


def normalize_short(value) -> str:
    text = str(value).lower().replace("ё", "е").strip()
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:!?\"'«»")


def _indices(value) -> list[int] | None:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        return None
    return value


def score_single(key, response) -> Fraction:
    return ONE if isinstance(response, int) and response == key else ZERO


def score_multiple(key, response) -> Fraction:
    chosen = _indices(response)
    if not chosen:
        return ZERO
    right = set(key)
    chosen = set(chosen)
    value = Fraction(len(chosen & right) - len(chosen - right), len(right))
    return max(value, ZERO)


def score_short(key, response) -> Fraction:
    if response is None or normalize_short(response) == "":
        return ZERO
    accepted = {normalize_short(k) for k in key}
    return ONE if normalize_short(response) in accepted else ZERO


def _share_of_positions(key, response) -> Fraction:
    response = _indices(response)
    if response is None or len(response) != len(key):
        return ZERO
    return Fraction(sum(1 for k, r in zip(key, response, strict=True) if k == r), len(key))


SCORERS = {
    ItemKind.SINGLE: score_single,
    ItemKind.MULTIPLE: score_multiple,
    ItemKind.SHORT: score_short,
    ItemKind.MATCHING: _share_of_positions,
    ItemKind.ORDERING: _share_of_positions,
}


def score(kind: str, key, response) -> Fraction:
    """The share of an item's points a response earns, from 0 to 1."""
    if response is None:
        return ZERO
    return SCORERS[kind](key, response)


def key_error(kind: str, options, key) -> str | None:
    """What is wrong with an item's options and key, in Russian, or None."""
    if kind in (ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.ORDERING):
        if not isinstance(options, list) or len(options) < 2:
            return "нужно не меньше двух вариантов"
        n = len(options)
        if kind == ItemKind.SINGLE:
            return None if isinstance(key, int) and 0 <= key < n else "ключ — номер варианта"
        if kind == ItemKind.MULTIPLE:
            ok = _indices(key) and len(set(key)) == len(key) and all(0 <= k < n for k in key)
            return None if ok else "ключ — номера верных вариантов"
        ok = _indices(key) is not None and sorted(key) == list(range(n))
        return None if ok else "ключ — перестановка всех вариантов"
    if kind == ItemKind.SHORT:
        ok = isinstance(key, list) and key and all(normalize_short(k) for k in key)
        return None if ok else "укажите хотя бы один верный ответ"
    if kind == ItemKind.MATCHING:
        if not isinstance(options, dict) or not options.get("left") or not options.get("right"):
            return "нужны столбцы left и right"
        ok = (
            _indices(key) is not None
            and len(key) == len(options["left"])
            and all(0 <= k < len(options["right"]) for k in key)
        )
        return None if ok else "ключ — номер пары для каждой строки левого столбца"
    return "неизвестный тип задания"
