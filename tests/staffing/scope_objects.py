"""The staffing app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a staff
schedule with a row, a vacancy, a diploma of the world's person, a target contract and a
pedagogical class of each world, made when the matrix first asks for them.

The vacancy is left unpublished: a published open one is on the public vacancy list every
visitor reads, so only an unpublished one says anything about the scope. The specialty
directory has no territory (DICTIONARIES: the specialty URLs)."""

from datetime import date
from decimal import Decimal

from nms.registry.models import Position, Subject
from nms.staffing.models import (
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)


def _objects(world):
    made = getattr(world, "_staffing", None)
    if made is None:
        teacher = Position.objects.get(name="учитель")
        schedule = StaffSchedule.objects.create(organization=world.school, year=2025)
        row = ScheduleRow.objects.create(
            schedule=schedule, position=teacher, rates=Decimal(2), filled=Decimal(1)
        )
        specialty = Specialty.objects.get_or_create(name="Педагогическое образование (тест)")[0]
        made = {
            "organization": world.school,
            "schedule": schedule,
            "row": row,
            "vacancy": Vacancy.objects.create(
                organization=world.school,
                position=teacher,
                subject=Subject.objects.get(name="химия"),
                rates=Decimal(1),
                requirements=f"Требования {world.mark}",
                opened_on=date(2025, 9, 1),
            ),  # fmt: skip
            "diploma": Diploma.objects.create(
                person=world.person,
                level="higher",
                institution=f"Вуз {world.mark}",
                year=2005,
                specialty=specialty,
            ),  # fmt: skip
            "contract": TargetContract.objects.create(
                municipality=world.municipality,
                organization=world.school,
                student_name=f"Студентка {world.mark}",
                institution=f"Вуз {world.mark}",
                signed_on=date(2024, 9, 1),
                study_ends_on=date(2028, 6, 30),
            ),  # fmt: skip
            "class": PedagogicalClass.objects.create(
                organization=world.school, year=2025, pupils=12, partner=f"Вуз {world.mark}"
            ),
        }
        world._staffing = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


def _vacancy_action(world):
    return {"pk": _objects(world)["vacancy"].pk, "what": "close"}


OBJECTS = {
    "staffing-organization": _pk("organization"),
    "staffing-schedule-detail": _pk("schedule"),
    "staffing-schedule-edit": _pk("schedule"),
    "staffing-schedule-row-add": _pk("schedule"),
    "staffing-schedule-row-delete": _pk("row"),
    "api-staffing-schedule-detail": _pk("schedule"),
    "api-staffing-schedule-add-row": _pk("schedule"),
    "staffing-vacancy-detail": _pk("vacancy"),
    "staffing-vacancy-edit": _pk("vacancy"),
    "staffing-vacancy-action": _vacancy_action,
    "api-staffing-vacancy-detail": _pk("vacancy"),
    "staffing-diploma-detail": _pk("diploma"),
    "staffing-diploma-edit": _pk("diploma"),
    "api-staffing-diploma-detail": _pk("diploma"),
    "staffing-contract-detail": _pk("contract"),
    "staffing-contract-edit": _pk("contract"),
    "api-staffing-target-contract-detail": _pk("contract"),
    "staffing-class-detail": _pk("class"),
    "staffing-class-edit": _pk("class"),
    "api-staffing-pedagogical-class-detail": _pk("class"),
}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION: set[str] = set()
# Directory URLs (no territory) and URLs whose argument is not an object.
DICTIONARIES = {
    "staffing-specialty-detail",
    "staffing-specialty-edit",
    "api-staffing-specialty-detail",
}
NOT_OBJECTS = {
    "staffing-import-template": {"kind": "schedule"},
    "api-staffing-import": {"kind": "schedule"},  # a kind of file, not an object
}
