"""Sections that apps above the registry add to a person's card (training, participation,
mentoring, support): the registry cannot import them (apps depend downward only, DESIGN.md §3),
so each registers a panel when it is ready and the card shows what they answer.

A panel is `(order, template, context)`: `context(user, person) -> dict | None` gives the
template's context, or None when the panel has nothing to show to this user.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable


_panels: dict[str, Panel] = {}


def register_panel(order: int, template: str, context: Callable) -> None:
    _panels[template] = Panel(order, template, context)


def panels(user, person) -> list[dict]:
    """The panels to render on `person`'s card for `user`, in order: template and context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(user, person)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
