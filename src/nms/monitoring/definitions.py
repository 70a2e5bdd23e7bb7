"""A region's own indicators from a definitions file (JSON) — the format is in docs/monitoring.md.

    {"indicators": [
      {"code": "Р1", "name": "Доля учителей с высшей категорией", "unit": "share",
       "direction": "at_least", "targets": {"2025": 40},
       "method": "records",
       "numerator": {"population": "teachers", "filters": {"category": "highest"}},
       "denominator": {"population": "teachers"}}
    ]}

A code of the built-in catalogue overrides that indicator for the region; an indicator without
a code gets the next free «Р<n>». Loading is all-or-nothing: every error names the indicator and
the field, and nothing is saved when one is wrong.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.monitoring.models import Direction, Indicator, IndicatorSet, Method, ScopeType, Unit
from nms.monitoring.populations import validate_spec

ALLOWED = {
    "code", "name", "unit", "direction", "targets", "method", "numerator", "denominator",
    "function", "by_subject", "parameters", "choices_made", "card_scope", "active", "source",
    "formation", "responsible", "data_source", "frequency", "track", "indicator_set",
}  # fmt: skip
REGION_PREFIX = "Р"


def validate(item: dict, *, where: str = "") -> dict:
    """The cleaned fields of one definition; raises a Russian ValidationError."""
    from nms.monitoring.functions import FUNCTIONS

    label = where or "показатель"
    if not isinstance(item, dict):
        raise ValidationError(f"{label}: ожидается объект.")
    unknown = set(item) - ALLOWED
    if unknown:
        raise ValidationError(f"{label}: неизвестные поля: {', '.join(sorted(unknown))}.")
    name = str(item.get("name") or "").strip()
    if not name:
        raise ValidationError(f"{label}: не указано наименование (name).")
    data = {"name": name}
    for field, choices, default in (
        ("unit", Unit, Unit.SHARE),
        ("direction", Direction, Direction.AT_LEAST),
        ("method", Method, Method.RECORDS),
    ):
        value = item.get(field, default)
        if value not in choices.values:
            raise ValidationError(
                f"{label}: {field} «{value}» — допустимо: {', '.join(choices.values)}."
            )
        data[field] = value
    data["targets"] = clean_targets(item.get("targets"), label)
    if data["method"] == Method.RECORDS:
        if not item.get("numerator"):
            raise ValidationError(f"{label}: для расчёта по записям нужен числитель (numerator).")
        data["numerator"] = validate_spec(item["numerator"], where=f"{label}, числитель")
        if item.get("denominator"):
            data["denominator"] = validate_spec(item["denominator"], where=f"{label}, знаменатель")
        elif data["unit"] in (Unit.SHARE, Unit.RATIO):
            raise ValidationError(f"{label}: для доли или отношения нужен знаменатель.")
        else:
            data["denominator"] = {}
    elif data["method"] == Method.FUNCTION:
        if item.get("function") not in FUNCTIONS:
            raise ValidationError(
                f"{label}: правило «{item.get('function')}» не известно "
                f"(есть: {', '.join(sorted(FUNCTIONS))})."
            )
        data["function"] = item["function"]
    else:
        card_scope = item.get("card_scope") or ScopeType.ORGANIZATION
        if card_scope not in ScopeType.values:
            raise ValidationError(f"{label}: card_scope — region, municipality или organization.")
        data["card_scope"] = card_scope
    parameters = item.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ValidationError(f"{label}: parameters — объект.")
    data["parameters"] = parameters
    data["by_subject"] = bool(item.get("by_subject", False))
    data["active"] = bool(item.get("active", True))
    for field in ("choices_made", "source", "formation", "responsible", "data_source",
                  "frequency"):  # fmt: skip
        if item.get(field) is not None:
            data[field] = str(item[field])
    return data


def clean_targets(targets, label: str) -> dict:
    targets = targets or {}
    if not isinstance(targets, dict):
        raise ValidationError(f"{label}: targets — объект «период → значение».")
    for key, value in targets.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValidationError(f"{label}: цель на «{key}» должна быть числом.")
    return targets


def next_code(region) -> str:
    used = Indicator.objects.filter(region=region, code__startswith=REGION_PREFIX)
    numbers = [
        int(m[1]) for m in (re.match(rf"^{REGION_PREFIX}(\d+)$", c) for c in used.values_list(
            "code", flat=True)) if m
    ]  # fmt: skip
    return f"{REGION_PREFIX}{max(numbers, default=0) + 1}"


def save(region, data: dict, code: str | None = None, instance: Indicator | None = None):
    """Create or update a region's indicator from validated fields (the definition version goes
    up when the way of computing changes)."""
    builtin = Indicator.objects.filter(region__isnull=True, code=code).first() if code else None
    if instance is None and code:
        instance = Indicator.objects.filter(region=region, code=code).first()
    if instance is None:
        instance = Indicator(region=region, code=code or next_code(region))
        instance.indicator_set = IndicatorSet.REGION
        if builtin is not None:  # an override starts as a copy of the built-in indicator
            for field in Indicator._meta.concrete_fields:
                if field.name not in ("id", "region", "code", "version", "updated_at"):
                    setattr(instance, field.name, getattr(builtin, field.name))
    computing = ("method", "numerator", "denominator", "function", "by_subject", "unit")
    if instance.pk and any(
        name in data and getattr(instance, name) != data[name] for name in computing
    ):
        instance.definition_version += 1
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=["region", "version"])
    instance.save()
    return instance


def load(region, data) -> list[Indicator]:
    """Load a definitions file's indicators for the region (all or nothing)."""
    items = data.get("indicators") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ValidationError("Файл определений: ожидается список показателей «indicators».")
    cleaned, codes = [], set()
    for number, item in enumerate(items, start=1):
        code = str(item.get("code") or "").strip() if isinstance(item, dict) else ""
        where = f"Показатель {number}" + (f" ({code})" if code else "")
        if code and len(code) > 20:
            raise ValidationError(f"{where}: код длиннее 20 знаков.")
        if code and code in codes:
            raise ValidationError(f"{where}: код повторяется в файле.")
        codes.add(code)
        cleaned.append((code or None, validate(item, where=where)))
    with transaction.atomic():
        return [save(region, data, code) for code, data in cleaned]


# -- the services of the API and the pages ------------------------------------------------------
NO_RIGHTS = "Определять показатели мониторинга может сотрудник ЦНППМ своего региона."
BUILTIN_EDITABLE = ("targets", "parameters", "active")


def _region_for(user, given=None):
    from nms.accounts.scope import scope_of

    scope = scope_of(user)
    region = given or scope.default_region()
    if region is None:
        raise ValidationError("Укажите регион показателя.")
    if not scope.can("monitoring.define", region):
        raise PermissionDenied(NO_RIGHTS)
    return region


def indicator_create(user, data: dict, region=None) -> Indicator:
    region = _region_for(user, region or data.pop("region", None))
    code = (data.pop("code", "") or "").strip() or None
    with transaction.atomic():
        if code and Indicator.objects.filter(region=region, code=code).exists():
            raise ValidationError(f"Показатель с кодом «{code}» в регионе уже есть.")
        return save(region, validate(data), code)


def indicator_update(user, indicator: Indicator, data: dict, expected_version=None) -> Indicator:
    """A region's indicator: any field; a built-in one: its targets, parameters and whether it
    is computed — written as the region's override of it (same code), the catalogue untouched."""
    from nms.common.concurrency import claim

    if indicator.region_id is None:
        changed = set(data) - set(BUILTIN_EDITABLE)
        if changed:
            raise ValidationError(
                "У встроенного показателя можно менять только цели, параметры и признак расчёта "
                f"(не {', '.join(sorted(changed))})."
            )
        region = _region_for(user, data.pop("region", None))
        with transaction.atomic():
            claim(indicator, expected_version)
            override = Indicator.objects.filter(region=region, code=indicator.code).first()
            changes = {name: data[name] for name in BUILTIN_EDITABLE if name in data}
            if "targets" in changes:
                changes["targets"] = clean_targets(changes["targets"], indicator.code)
            if not isinstance(changes.get("parameters", {}), dict):
                raise ValidationError(f"{indicator.code}: parameters — объект.")
            return save(region, changes, indicator.code, instance=override)
    _region_for(user, indicator.region)
    with transaction.atomic():
        indicator = claim(indicator, expected_version)
        merged = {
            name: getattr(indicator, name) for name in ALLOWED - {"code", "indicator_set", "track"}
        }
        merged.update({k: v for k, v in data.items() if k != "code"})
        return save(indicator.region, validate(merged, where=indicator.code), instance=indicator)


def indicator_delete(user, indicator: Indicator, expected_version=None) -> None:
    from nms.common.concurrency import claim

    if indicator.region_id is None:
        raise ValidationError("Встроенный показатель каталога удалить нельзя.")
    _region_for(user, indicator.region)
    with transaction.atomic():
        claim(indicator, expected_version)
        indicator.delete()
