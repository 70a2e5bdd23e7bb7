"""Who may move a route from which state to which (seed 002, table 1), and which steps need a
comment (returning and closing early; agreeing and the other steps forward do not).

One table decides it; pages, the API and tests read the same table.
"""

from dataclasses import dataclass

from nms.accounts.models import Role
from nms.routes.models import FINAL_STATUSES, Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset
    # A step back or out says why: returning and closing early need a comment, agreeing does not.
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "compose", "Составить (методист института / тьютор)", (Status.DRAFT,),
            Status.COMPOSED, frozenset({Role.CNPPM}),
        ),
        Transition(
            "agree_school", "Согласовать (администрация ОО)", (Status.COMPOSED,),
            Status.AGREED_SCHOOL, frozenset({Role.SCHOOL}),
        ),
        Transition(
            "agree_methodist", "Согласовать (региональный методист)", (Status.AGREED_SCHOOL,),
            Status.AGREED_METHODIST, frozenset({Role.METHODIST}),
        ),
        Transition(
            "start", "Начать реализацию", (Status.AGREED_METHODIST,),
            Status.IN_PROGRESS, frozenset({Role.METHODIST}),
        ),
        Transition(
            "audit", "Провести методический аудит", (Status.IN_PROGRESS,),
            Status.AUDIT, frozenset({Role.CNPPM}),
        ),
        Transition(
            "complete", "Завершить", (Status.AUDIT,),
            Status.COMPLETED, frozenset({Role.CNPPM}),
        ),
        Transition(
            "return", "Вернуть на доработку", (Status.COMPOSED, Status.AGREED_SCHOOL),
            Status.DRAFT, frozenset({Role.SCHOOL, Role.METHODIST}), needs_comment=True,
        ),
        Transition(
            "close", "Закрыть досрочно",
            tuple(s for s in Status.values if s not in FINAL_STATUSES),
            Status.CLOSED, frozenset({Role.CNPPM, Role.METHODIST}), needs_comment=True,
        ),
    )
}  # fmt: skip

# Who edits the development map (section 3) in each state.
MAP_EDITORS = {
    Status.DRAFT: frozenset({Role.CNPPM, Role.TEACHER}),
    Status.COMPOSED: frozenset({Role.CNPPM}),
    Status.AGREED_METHODIST: frozenset({Role.METHODIST}),
    Status.IN_PROGRESS: frozenset({Role.METHODIST}),
}

# Who renews section 2 (deficits) from a newer diagnostics result, with a new version: the regional
# methodist (of the route, or of a route nobody took yet) and the institute's methodist.
DEFICITS_UPDATERS = frozenset({Role.METHODIST, Role.CNPPM})


def available(roles, status: str) -> list[Transition]:
    """Transitions from `status` that one of `roles` (those applying to the route) may take."""
    roles = frozenset(roles)
    return [t for t in TRANSITIONS.values() if status in t.sources and roles & t.roles]
