"""The outcomes app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a
student's result of the world's person (a teacher of the world's school), made when the matrix
first asks for it. The teacher's name carries the world's mark, so the lists and the export show
it when they leak."""

from datetime import date

from nms.outcomes.models import StudentResult
from nms.registry.models import Subject


def _result(world):
    made = getattr(world, "_outcomes", None)
    if made is None:
        made = StudentResult.objects.create(
            region=world.school.region, kind="oge", school_year=date.today().year - 1,
            subject=Subject.objects.order_by("pk").first(), group_label="9А",
            teacher=world.person, organization=world.school, participants=20,
            share_passing=40,
        )  # fmt: skip
        world._outcomes = made
    return made


OBJECTS = {
    "outcomes-result-detail": lambda world: {"pk": _result(world).pk},
    "api-outcomes-result-detail": lambda world: {"pk": _result(world).pk},
}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION: set[str] = set()
