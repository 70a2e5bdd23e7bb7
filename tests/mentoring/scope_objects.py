"""The mentoring app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a mentor
profile, a request, a pair with a meeting and a document, an organization's programme, a curator
and a municipal mentoring school of each world, made when the matrix first asks for them.

The world's person is the mentee; the mentor is another worker of the world's school. The
profile is left unpublished: a published one is in the open registry every signed-in user reads
(mentoring/access.py), so only an unpublished profile says anything about the scope. The
document's file goes to MEDIA_ROOT: the matrix fixture points it at a temporary directory."""

from datetime import date, timedelta

from django.core.files.base import ContentFile

from nms.mentoring.models import (
    Curator,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairDocument,
)
from tests.factories import EmploymentFactory, PersonFactory

TODAY = date.today()


def _objects(world):
    made = getattr(world, "_mentoring", None)
    if made is None:
        mentor = PersonFactory(last_name=f"Коллегов {world.mark}", region=world.person.region)
        EmploymentFactory(person=mentor, organization=world.school)
        program = MentoringProgram.objects.create(
            organization=world.school, title=f"Наставничество {world.mark}",
            starts_on=TODAY - timedelta(days=30),
        )  # fmt: skip
        request = MentorshipRequest.objects.create(
            mentee=world.person, mentor=mentor, form="teacher_teacher"
        )
        pair = Pair.objects.create(
            mentor=mentor, mentee=world.person, form="teacher_teacher", program=program,
            organization=world.school, starts_on=TODAY - timedelta(days=10),
        )  # fmt: skip
        made = {
            "profile": MentorProfile.objects.create(person=mentor, public=False),
            "mentee": world.person,
            "request": request,
            "pair": pair,
            "document": PairDocument.objects.create(
                pair=pair, kind="plan", file=ContentFile(b"plan", name="plan.pdf")
            ),
            "program": program,
            "curator": Curator.objects.create(
                person=mentor,
                level="municipal",
                municipality=world.municipality,
                starts_on=TODAY - timedelta(days=30),
            ),  # fmt: skip
            "school": MentoringSchool.objects.create(
                municipality=world.municipality,
                name=f"Школа наставников {world.mark}",
                founded_on=TODAY - timedelta(days=30),
            ),  # fmt: skip
        }
        world._mentoring = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


def _pair_file(world):
    made = _objects(world)
    return {"pk": made["pair"].pk, "doc_pk": made["document"].pk}


def _decide(world):
    return {"pk": _objects(world)["request"].pk, "decision": "accept"}


OBJECTS = {
    "mentor-detail": _pk("profile"),
    "mentor-edit": _pk("profile"),
    "mentor-request": _pk("profile"),
    "api-mentor-profile-detail": _pk("profile"),
    "mentoring-match-person": _pk("mentee", "person_pk"),
    "api-mentoring-match": _pk("mentee", "person_id"),
    "mentoring-request-detail": _pk("request"),
    "mentoring-request-decide": _decide,
    "api-mentorship-request-detail": _pk("request"),
    "api-mentorship-request-accept": _pk("request"),
    "api-mentorship-request-reject": _pk("request"),
    "api-mentorship-request-cancel": _pk("request"),
    "mentoring-pair-detail": _pk("pair"),
    "mentoring-pair-edit": _pk("pair"),
    "mentoring-pair-complete": _pk("pair"),
    "mentoring-pair-meeting": _pk("pair"),
    "mentoring-pair-document": _pk("pair"),
    "mentoring-pair-file": _pair_file,
    "api-mentoring-pair-detail": _pk("pair"),
    "api-mentoring-pair-complete": _pk("pair"),
    "api-mentoring-pair-meetings": _pk("pair"),
    "mentoring-program-detail": _pk("program"),
    "mentoring-program-edit": _pk("program"),
    "api-mentoring-program-detail": _pk("program"),
    "mentoring-curator-edit": _pk("curator"),
    "api-mentoring-curator-detail": _pk("curator"),
    "mentoring-school-edit": _pk("school"),
    "api-mentoring-school-detail": _pk("school"),
}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION: set[str] = set()
