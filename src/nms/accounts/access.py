"""The access registry: what a scope may see and do, declared by each app next to its models.

Each app has an `access.py` that registers, for each of its models, `visible(scope)` — the
queryset of the objects the scope may see — and, for each action, the roles that may take it and,
where the object matters, a check of the object (`can(scope, obj)`). Apps register in their
AppConfig.ready(). Pages, API, exports, counts, dashboards, file downloads and background tasks ask
only this registry, through the scope: `scope.visible(Model)` and `scope.can("app.action", obj)`.

The idea is NetBox's `.restrict(user, action)`: one answer to "what may this person see and do".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

NOTHING = Q(pk__in=[])


def any_of(parts: Iterable[Q]) -> Q:
    """The union of the conditions of a scope's assignments; nothing when there are none."""
    combined = NOTHING
    for part in parts:
        combined = part if combined is NOTHING else combined | part
    return combined


@dataclass(frozen=True)
class Action:
    """An action and who may take it.

    `roles` are the roles whose assignments may take it; the scope is narrowed to those
    assignments before `check` runs, so a regional methodist who is also a teacher is checked
    as a methodist. `check(scope, obj)` decides about a given object (None: any visible object).
    """

    name: str
    roles: frozenset
    label: str
    check: Callable | None = None


_visible: dict[type[Model], Callable] = {}
_actions: dict[str, Action] = {}


def register_model(model: type[Model], visible: Callable) -> None:
    """`visible(scope) -> QuerySet` of the model's objects the scope may see."""
    _visible[model] = visible


def register_action(
    name: str, roles: Iterable, label: str, check: Callable | None = None
) -> Action:
    action = Action(name, frozenset(roles), label, check)
    _actions[name] = action
    return action


def visible(scope, model: type[Model]) -> QuerySet:
    try:
        rule = _visible[model]
    except KeyError:
        raise LookupError(f"{model._meta.label}: no visibility rule registered") from None
    return rule(scope)


def action(name: str) -> Action:
    try:
        return _actions[name]
    except KeyError:
        raise LookupError(f"unknown action {name!r}") from None


def registered_models() -> list[type[Model]]:
    return list(_visible)


def registered_actions() -> list[Action]:
    return list(_actions.values())
