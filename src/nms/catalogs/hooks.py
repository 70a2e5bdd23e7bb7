"""What the app adds to the lower apps' pages: the person card's panel of the person's practices
and materials (the ones the viewer may see) and the reviews they are assigned to write."""

from nms.accounts.scope import scope_of
from nms.catalogs.models import Assignment, Item


def person_panel(user, person) -> dict | None:
    scope = scope_of(user)
    items = list(
        scope.visible(Item)
        .filter(authorships__person=person)
        .select_related("organization")
        .order_by("-created_at", "-id")[:20]
    )
    reviews = list(
        scope.visible(Assignment)
        .filter(expert=person, review__isnull=True, item__status="review")
        .select_related("item")[:20]
    )
    if not items and not reviews:
        return None
    return {"items": items, "reviews": reviews}
