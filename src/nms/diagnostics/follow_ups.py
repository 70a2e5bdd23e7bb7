"""What follows a diagnostics result in the apps above diagnostics.

Apps depend downward only (DESIGN.md §3), so the result page cannot ask the routes app itself:
an app registers a function `(user, result) -> FollowUp | None` when it is ready, and the page
shows what they answer (the routes app: the person's route, and whether the result may renew its
section 2) instead of the generic promise that the deficits will found a route.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FollowUp:
    text: str
    url: str
    label: str


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def follow_ups(user, result) -> list[FollowUp]:
    return [found for provider in _providers if (found := provider(user, result)) is not None]
