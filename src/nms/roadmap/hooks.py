"""What the roadmap gives other apps' pages: the home page's block of overdue activities."""

from nms.roadmap import selectors


def home_panel(user, role=None, assignments=None) -> dict | None:
    """The home page's block of overdue roadmap activities the role is responsible for (its
    assignments: the section's own, else all of the user's); nothing overdue — no block."""
    rows = selectors.overdue_for(user, assignments)
    first = list(rows[: selectors.HOME_ROWS])
    if not first:
        return None
    return {"rows": first, "count": rows.count()}
