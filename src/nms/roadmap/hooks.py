"""What the roadmap gives other apps' pages."""


def home_panel(user, role=None, assignments=None) -> dict | None:
    """The home page's block of overdue roadmap activities the role is responsible for."""
    return None
