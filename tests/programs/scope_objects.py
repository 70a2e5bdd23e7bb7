"""The programmes' share of the scope matrix (tests/accounts/test_scope_matrix.py): a programme,
a run and an enrollment of each world, made when the matrix first asks for them.

The catalogue (programmes, runs) is the region's: readable by everyone working in the region, so
those URLs are region objects (outside the scope only in another region). An enrollment follows
its person (the registry's rule: a regional methodist's are the people in their care)."""

from datetime import date, timedelta

from nms.programs.models import Enrollment, Programme, Run

TODAY = date.today()


def _label(world) -> str:
    """The region's catalogue carries the world's mark only when the region is the world's own
    (the lists of the matrix look for the marks of the outside worlds)."""
    return world.mark if world.own_region else f"№ {world.municipality.pk}"


def _objects(world):
    made = getattr(world, "_programs", None)
    if made is None:
        programme = Programme.objects.create(
            region=world.municipality.region, title=f"ДПП {_label(world)}", hours=36
        )
        run = Run.objects.create(
            programme=programme, starts_on=TODAY - timedelta(days=10), ends_on=TODAY,
            group_name=f"Группа {_label(world)}",
        )  # fmt: skip
        made = {
            "programme": programme,
            "run": run,
            "enrollment": Enrollment.objects.create(
                run=run,
                person=world.person,
                organization=world.school,
                enrolled_on=run.starts_on,
            ),  # fmt: skip
        }
        world._programs = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


CATALOGUE = {
    "program-detail": _pk("programme"),
    "program-edit": _pk("programme"),
    "run-create": _pk("programme", "programme_pk"),
    "run-detail": _pk("run"),
    "run-edit": _pk("run"),
    "run-enroll": _pk("run"),
    "run-team": _pk("run"),
    "api-program-detail": _pk("programme"),
    "api-program-run-detail": _pk("run"),
}
ENROLLMENTS = {
    "enrollment-detail": _pk("enrollment"),
    "enrollment-complete": _pk("enrollment"),
    "enrollment-drop": _pk("enrollment"),
    "enrollment-post-course": _pk("enrollment"),
    "api-program-enrollment-detail": _pk("enrollment"),
    "api-program-enrollment-complete": _pk("enrollment"),
    "api-program-enrollment-drop": _pk("enrollment"),
}
OBJECTS = {**CATALOGUE, **ENROLLMENTS}
REGION_OBJECTS = set(CATALOGUE)
METHODIST_REGION: set[str] = set()
NOT_OBJECTS = {"programs-import-template": {"kind": "programmes"}}
