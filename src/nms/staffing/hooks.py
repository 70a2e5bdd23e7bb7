"""What the app adds to the lower apps' pages: the person card's panel «Образование и профиль»."""

from nms.accounts.scope import scope_of
from nms.staffing import selectors
from nms.staffing.access import EDIT, VIEWERS


def person_panel(user, person) -> dict | None:
    """The person's diplomas and, per employment and subject, whether they teach in profile;
    nothing for a user who may see neither."""
    diplomas = selectors.person_diplomas(user, person.pk)
    scope = scope_of(user)
    own = scope.person_id == person.pk
    viewers = scope.restricted_to(VIEWERS)
    sees = bool(viewers.assignments) and viewers.people().filter(pk=person.pk).exists()
    if not diplomas and not (own or sees):
        return None
    taught = selectors.taught_subjects(person.pk)
    return {
        "diplomas": diplomas,
        "taught": taught,
        "outside": [t for t in taught if not t.in_profile],
        "person_id": person.pk,
        "can_add": sees and scope.can(EDIT),
        "own": own,
    }
