"""Assembly of one variant per group from the bank by the blueprint, deterministic from a seed.

Each group's variant takes, for every blueprint cell (area × difficulty), the approved items used
least by the groups assembled before it, ties broken by a random order seeded with the procedure's
seed and the group's number. That spreads the bank over the groups; if a variant still repeats an
earlier one item for item, one item is swapped for a spare candidate. Same seed, same bank →
same variants.

Subject items are only of a subject the group's members teach: the group's subject, or else the
subject every member teaches (in some job) that the bank has approved items of; a group with
neither gets no items of the subject areas (a primary-school teacher is not asked about chemistry).
"""

import random
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction

from nms.diagnostics.models import Attempt, Group, Membership, Procedure, Variant, VariantItem
from nms.itembank.models import Difficulty, Item, ReviewStatus
from nms.registry.models import Employment


@dataclass(frozen=True)
class Cell:
    area_id: int
    area_name: str
    difficulty: int
    subject_id: int | None
    need: int


def group_subject(group: Group, subject_area_ids: set[int]) -> int | None:
    """The subject of the group's subject items: its own, or else the one subject (the first by
    id) that every member teaches and the bank has approved items of in a subject area."""
    if group.subject_id is not None:
        return group.subject_id
    if not subject_area_ids:
        return None
    members = Membership.objects.filter(group=group).values("person_id")
    taught = Employment.subjects.through.objects.filter(employment__person_id__in=members)
    common = None
    by_person: dict[int, set[int]] = {}
    for person_id, subject_id in taught.values_list("employment__person_id", "subject_id"):
        by_person.setdefault(person_id, set()).add(subject_id)
    if len(by_person) < Membership.objects.filter(group=group).count():
        return None  # somebody teaches no subject at all
    for subjects in by_person.values():
        common = subjects if common is None else common & subjects
    if not common:
        return None
    in_bank = Item.objects.filter(
        status=ReviewStatus.APPROVED, area_id__in=subject_area_ids, subject_id__in=common
    ).values_list("subject_id", flat=True)
    return min(in_bank, default=None)


def _cells(procedure: Procedure, group: Group) -> list[Cell]:
    rows = list(procedure.blueprint.select_related("area"))
    subject_areas = {row.area_id for row in rows if row.area.is_subject}
    subject_id = group_subject(group, subject_areas)
    cells = []
    for row in rows:
        if row.area.is_subject and subject_id is None:
            continue  # nothing the group's members teach: no subject items
        for difficulty, need in row.counts().items():
            if need:
                cell_subject = subject_id if row.area.is_subject else None
                cells.append(Cell(row.area_id, row.area.name, difficulty, cell_subject, need))
    return cells


def _candidates(cells: list[Cell]) -> dict[Cell, list[int]]:
    """Approved item ids for every cell, in id order (one query)."""
    approved = Item.objects.filter(
        status=ReviewStatus.APPROVED, area_id__in={c.area_id for c in cells}
    ).values_list("id", "area_id", "difficulty", "subject_id")
    rows = list(approved.order_by("id"))
    return {
        cell: [
            item_id
            for item_id, area_id, difficulty, subject_id in rows
            if area_id == cell.area_id
            and difficulty == cell.difficulty
            and (cell.subject_id is None or subject_id == cell.subject_id)
        ]
        for cell in cells
    }


def _shortfalls(candidates: dict[Cell, list[int]], group: Group) -> list[str]:
    return [
        f"группа «{group.name}»: область «{cell.area_name}», уровень "
        f"«{Difficulty(cell.difficulty).label}» — нужно {cell.need}, "
        f"утверждено в банке {len(ids)}"
        for cell, ids in candidates.items()
        if len(ids) < cell.need
    ]


def _pick(cells, candidates, usage: Counter, rng: random.Random) -> dict[Cell, list[int]]:
    picked = {}
    for cell in cells:
        order = {item_id: rng.random() for item_id in candidates[cell]}
        ranked = sorted(candidates[cell], key=lambda i: (usage[i], order[i]))
        picked[cell] = ranked[: cell.need]
    return picked


def _make_distinct(picked, candidates, usage, taken_sets) -> bool:
    """Swap one item at a time until the item set is new. False when the bank allows no swap."""
    for cell, chosen in picked.items():
        spare = [i for i in candidates[cell] if i not in chosen]
        for replacement in sorted(spare, key=lambda i: (usage[i], i)):
            for index in range(len(chosen)):
                trial = chosen[:index] + [replacement] + chosen[index + 1 :]
                items = frozenset(
                    i for c, ids in picked.items() for i in (trial if c == cell else ids)
                )
                if items not in taken_sets:
                    picked[cell] = trial
                    return True
    return False


@transaction.atomic
def assemble_variants(procedure: Procedure) -> "OverlapReport":
    """(Re)build the variants of every group of the procedure. All or nothing."""
    if Attempt.objects.filter(procedure=procedure).exists():
        raise ValidationError("Варианты нельзя пересобрать: тестирование уже начато.")
    groups = list(procedure.groups.order_by("number"))
    if not groups:
        raise ValidationError("Добавьте хотя бы одну группу.")
    if not procedure.blueprint.exists():
        raise ValidationError("Заполните спецификацию: сколько заданий какой области и сложности.")

    usage: Counter = Counter()
    taken_sets: set[frozenset] = set()
    assembled: dict[Group, list[int]] = {}
    errors: list[str] = []
    for group in groups:
        cells = _cells(procedure, group)
        if not cells:
            errors.append(
                f"группа «{group.name}»: спецификация состоит только из предметных областей, "
                "а предмет группы не указан — укажите предмет группы"
            )
            continue
        candidates = _candidates(cells)
        if shortfall := _shortfalls(candidates, group):
            errors += shortfall
            continue
        rng = random.Random(f"{procedure.seed}:{group.number}")
        picked = _pick(cells, candidates, usage, rng)
        items = frozenset(i for ids in picked.values() for i in ids)
        if items in taken_sets and not _make_distinct(picked, candidates, usage, taken_sets):
            errors.append(
                f"группа «{group.name}»: в банке не хватает заданий, чтобы её вариант "
                "отличался от вариантов других групп"
            )
            continue
        ordered = [i for ids in picked.values() for i in ids]
        taken_sets.add(frozenset(ordered))
        usage.update(ordered)
        assembled[group] = ordered
    if errors:
        raise ValidationError(errors)

    Variant.objects.filter(group__procedure=procedure).delete()
    for group, item_ids in assembled.items():
        variant = Variant.objects.create(group=group)
        VariantItem.objects.bulk_create(
            VariantItem(variant=variant, item_id=item_id, position=position)
            for position, item_id in enumerate(item_ids, start=1)
        )
    return overlap_report(procedure)


@dataclass
class OverlapReport:
    pairs: list[dict]  # {"a": group name, "b": group name, "common": n, "share": % of the smaller}

    @property
    def max_share(self) -> float:
        return max((p["share"] for p in self.pairs), default=0.0)


def overlap_report(procedure: Procedure) -> OverlapReport:
    """Items shared by every pair of the procedure's variants."""
    items_by_group: dict[str, set[int]] = {}
    rows = VariantItem.objects.filter(variant__group__procedure=procedure).values_list(
        "variant__group__name", "item_id"
    )
    for name, item_id in rows.order_by("variant__group__number"):
        items_by_group.setdefault(name, set()).add(item_id)
    pairs = []
    for (a, items_a), (b, items_b) in combinations(items_by_group.items(), 2):
        common = len(items_a & items_b)
        smaller = min(len(items_a), len(items_b)) or 1
        pairs.append({"a": a, "b": b, "common": common, "share": round(100 * common / smaller, 1)})
    return OverlapReport(pairs)
