"""What the app adds to the lower apps' pages: the person card's panel and the route
suggestions.

Route suggestions (`mentor_source`): for a deficit area, published mentors with a free place whose
strengths include the area, those teaching one of the route's subjects first; each suggestion is
an item of kind «наставничество» with the source «mentor:<person id>», so completing the pair
with that mentor (services.pair_complete) marks the item done.
"""

from django.db.models import Count, F, Q

from nms.accounts.scope import scope_of
from nms.mentoring import selectors
from nms.mentoring.models import MentorProfile, PairStatus
from nms.routes.models import ActivityKind, Level
from nms.routes.suggestions import Suggestion

SUGGESTED_MENTORS = 3


def person_panel(user, person) -> dict | None:
    pairs = selectors.person_pairs(user, person.pk)
    profile = scope_of(user).visible(MentorProfile).filter(person=person).first()
    if not pairs and profile is None:
        return None
    return {"pairs": pairs, "profile": profile, "person_id": person.pk}


def mentor_source(area, subject_names, region_id) -> list[Suggestion]:
    mentors = (
        MentorProfile.objects.filter(
            public=True, active=True, areas=area, person__region_id=region_id
        )
        .annotate(
            load=Count(
                "person__pairs_as_mentor",
                filter=Q(person__pairs_as_mentor__status=PairStatus.ACTIVE),
                distinct=True,
            ),
            same_subject=Count(
                "subjects", filter=Q(subjects__name__in=subject_names or []), distinct=True
            ),
        )
        .filter(load__lt=F("capacity"))
        .select_related("person")
        .order_by("-same_subject", "load", "person__last_name", "id")[:SUGGESTED_MENTORS]
    )
    suggestions = []
    for profile in mentors:
        why = f"наставник, сильная сторона — {area.name.lower()}"
        if profile.same_subject:
            why += "; тот же предмет"
        suggestions.append(
            Suggestion(
                area.pk,
                Level.ORGANIZATION,
                ActivityKind.MENTORING,
                f"Наставничество: {profile.person.full_name}",
                "отчёт наставника, отзыв наставляемого",
                source=f"mentor:{profile.person_id}",
                why=why,
            )
        )
    return suggestions
