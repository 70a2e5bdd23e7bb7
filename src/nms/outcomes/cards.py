"""The person card's panel «Результаты обучающихся» (nms.registry.cards): the teacher's
results and the dynamics after their completed routes."""

from nms.accounts.scope import scope_of
from nms.outcomes import dynamics, selectors
from nms.outcomes.access import VIEW


def person_panel(user, person) -> dict | None:
    if not scope_of(user).can(VIEW):
        return None
    results = selectors.person_results(user, person)
    if not results:
        return None
    from nms.routes.models import Route, Status

    routes = list(
        scope_of(user)
        .visible(Route)
        .filter(person=person, status=Status.COMPLETED)
        .order_by("-ends_on")[:5]
    )
    verdicts = dynamics.verdicts(routes)
    return {
        "results": results,
        "person_id": person.pk,
        "routes": [(route, verdicts[route.pk]) for route in routes],
    }
