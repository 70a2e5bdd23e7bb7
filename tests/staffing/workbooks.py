"""The staffing workbooks for tests/common/test_xlsx_exports.py: a staff schedule with a
position named like a formula, a vacancy, a diploma and a target contract with a specialty so
named, a pedagogical class, all at an organization of the user's region, and each list the app
exports of them; `import_templates` — the import's templates (their reference lists name the
position and the specialty)."""

from datetime import date
from decimal import Decimal

from nms.accounts.scope import scope_of
from nms.registry.models import Position
from nms.staffing import exports, importers, selectors
from nms.staffing.models import (
    Diploma,
    DiplomaLevel,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)

PAYLOAD = '=HYPERLINK("http://x.example","y")'
SHORT = "@SUM(A1)"


def staffing_workbooks(user) -> dict[str, bytes]:
    scope = scope_of(user)
    region = scope.default_region()
    person = scope.people().filter(region=region, employments__isnull=False).order_by("pk")[0]
    organization = person.employments.order_by("pk")[0].organization
    position = Position.objects.create(name=SHORT)
    specialty = Specialty.objects.create(name=PAYLOAD)
    schedule = StaffSchedule.objects.create(organization=organization, year=2025, note=PAYLOAD)
    ScheduleRow.objects.create(
        schedule=schedule, position=position, rates=Decimal(2), filled=Decimal(1)
    )
    Vacancy.objects.create(
        organization=organization, position=position, requirements=PAYLOAD, conditions="+1",
        opened_on=date(2025, 8, 1),
    )  # fmt: skip
    Diploma.objects.create(
        person=person, level=DiplomaLevel.HIGHER, institution=PAYLOAD, year=2005,
        specialty=specialty, qualification="+1",
    )  # fmt: skip
    TargetContract.objects.create(
        municipality=organization.municipality, organization=organization, number="+1",
        student_name=PAYLOAD, institution=SHORT, specialty=specialty,
        signed_on=date(2024, 9, 1), study_ends_on=date(2028, 6, 30),
    )  # fmt: skip
    PedagogicalClass.objects.create(
        organization=organization, year=2025, pupils=20, partner=PAYLOAD
    )
    return {
        "schedules_xlsx": exports.schedules_xlsx(selectors.schedules_for_list(user)),
        "vacancies_xlsx": exports.vacancies_xlsx(selectors.vacancies_for_list(user)),
        "diplomas_xlsx": exports.diplomas_xlsx(selectors.diplomas_for_list(user)),
        "contracts_xlsx": exports.contracts_xlsx(selectors.contracts_for_list(user)),
        "classes_xlsx": exports.classes_xlsx(selectors.classes_for_list(user)),
    }


def import_templates(user) -> dict[str, bytes]:
    """The staffing import's templates, by kind (call after `staffing_workbooks`)."""
    return {kind: importers.import_template(user, kind) for kind in importers.TEMPLATES}


# What the lead adds to EXPECTED in tests/common/test_xlsx_exports.py.
EXPECTED = {
    "schedules_xlsx": [SHORT],
    "vacancies_xlsx": [PAYLOAD, SHORT, "+1"],
    "diplomas_xlsx": [PAYLOAD, "+1"],
    "contracts_xlsx": [PAYLOAD, SHORT, "+1"],
    "classes_xlsx": [PAYLOAD],
}
# What each import template must hold: the reference lists name the position and specialty.
TEMPLATE_EXPECTED = {importers.SCHEDULE: [SHORT], importers.DIPLOMAS: [PAYLOAD]}
