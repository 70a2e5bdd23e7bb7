"""What a scope may see and do in the app mentoring.

- Pairs and requests: visible when either side (mentor or mentee) is a person of the scope — the
  region for the ministry and ЦНППМ, the municipality's or the organization's workers for the
  municipal and the school administration, the caseload for a methodist, oneself for a teacher.
- Programmes: visible with their organization; curators and mentoring schools with their
  municipality.
- Mentor profiles: the scope's people's profiles, and every published one (the registry is public).

Actions: `mentoring.manage` (programmes, curators, publishing profiles, pairs of the territory)
for the administrator, ЦНППМ, the municipal and the school administration, on objects of their
territory; `mentoring.schools` (municipal mentoring schools) without the school administration;
`mentoring.choose` — a teacher picks a mentor and sends a request, and may create their own mentor
profile (it enters the public registry when the administration publishes it).
"""

from django.db.models import Q

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.mentoring.models import (
    Curator,
    Meeting,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairDocument,
)
from nms.registry.access import person_q

MANAGERS = (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)


def either_side_q(scope) -> Q:
    return person_q(scope, "mentor__") | person_q(scope, "mentee__")


def pairs(scope):
    return Pair.objects.filter(either_side_q(scope))


def requests(scope):
    return MentorshipRequest.objects.filter(either_side_q(scope))


def profiles(scope):
    if not scope.assignments:
        return MentorProfile.objects.none()
    return MentorProfile.objects.filter(person_q(scope, "person__") | Q(public=True))


def programs(scope):
    return MentoringProgram.objects.filter(organization__in=scope.organizations().values("pk"))


def curators(scope):
    return Curator.objects.filter(municipality__in=scope.municipalities().values("pk"))


def schools(scope):
    return MentoringSchool.objects.filter(municipality__in=scope.municipalities().values("pk"))


def _manages_people(scope, *people_ids) -> bool:
    """The scope (already narrowed to the managing roles) sees one of these people."""
    return scope.people().filter(pk__in=[p for p in people_ids if p]).exists()


def _manage_check(scope, obj) -> bool:
    if isinstance(obj, Pair | MentorshipRequest):
        return _manages_people(scope, obj.mentor_id, obj.mentee_id)
    if isinstance(obj, MentorProfile):
        return _manages_people(scope, obj.person_id)
    if isinstance(obj, MentoringProgram):
        return scope.organizations().filter(pk=obj.organization_id).exists()
    if isinstance(obj, Curator):
        if obj.organization_id:  # a school's curator: the school's administration and above
            return scope.organizations().filter(pk=obj.organization_id).exists()
        above_school = scope.restricted_to((Role.ADMIN, Role.CNPPM, Role.MUNICIPAL))
        return above_school.municipalities().filter(pk=obj.municipality_id).exists()
    return False


def _schools_check(scope, obj) -> bool:
    return scope.municipalities().filter(pk=obj.municipality_id).exists()


register_model(Pair, pairs)
register_model(MentorshipRequest, requests)
register_model(MentorProfile, profiles)
register_model(MentoringProgram, programs)
register_model(Curator, curators)
register_model(MentoringSchool, schools)
register_model(Meeting, lambda scope: Meeting.objects.filter(pair__in=pairs(scope).values("pk")))
register_model(
    PairDocument, lambda scope: PairDocument.objects.filter(pair__in=pairs(scope).values("pk"))
)

register_action(
    "mentoring.manage",
    MANAGERS,
    "вести наставничество: программы, кураторы, публикация наставников, пары",
    _manage_check,
)
register_action(
    "mentoring.schools",
    (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL),
    "вести муниципальные школы наставничества",
    _schools_check,
)
register_action("mentoring.choose", (Role.TEACHER,), "выбирать наставника и быть наставником")
