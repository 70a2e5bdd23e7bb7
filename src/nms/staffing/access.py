"""What a scope may see and do in the app staffing.

- Staff schedules (and their rows), vacancies, pedagogical classes: with their organization, for
  the ministry and ЦНППМ (region), the municipal coordinator (municipality) and the school
  administration (organization). Teachers, methodists and experts do not see them (published
  vacancies are on the public vacancy list for everyone).
- Target contracts: the municipality's (for the region-wide and municipal roles), the
  organization's own (for the school administration).
- Diplomas: the people of the scope for the same roles; a teacher reads their own.
- Specialties: a directory every signed-in user with a role reads.

Actions: `staffing.view` (the section itself: not for teachers), `staffing.edit` (schedules,
vacancies, diplomas, contracts, classes of one's territory: administrator, ЦНППМ, municipal and
school administration), `staffing.directory` (the specialty directory: administrator, ЦНППМ,
ministry).
"""

from django.db.models import Q

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.registry.access import person_q
from nms.staffing.models import (
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)

VIEWERS = (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)
EDITORS = (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)
DIRECTORY = (Role.ADMIN, Role.MINISTRY, Role.CNPPM)
ABOVE_SCHOOL = (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL)

VIEW = "staffing.view"
EDIT = "staffing.edit"
EDIT_DIRECTORY = "staffing.directory"


def _organizations(scope):
    return scope.restricted_to(VIEWERS).organizations().values("pk")


def schedules(scope):
    return StaffSchedule.objects.filter(organization__in=_organizations(scope))


def vacancies(scope):
    return Vacancy.objects.filter(organization__in=_organizations(scope))


def classes(scope):
    return PedagogicalClass.objects.filter(organization__in=_organizations(scope))


def contracts(scope):
    viewers = scope.restricted_to(VIEWERS)
    if not viewers.assignments:
        return TargetContract.objects.none()
    above = viewers.restricted_to(ABOVE_SCHOOL)
    q = Q(organization__in=viewers.organizations().values("pk"))
    if above.assignments:
        q |= Q(municipality__in=above.municipalities().values("pk"))
    return TargetContract.objects.filter(q)


def diplomas(scope):
    readers = scope.restricted_to((*VIEWERS, Role.TEACHER))
    if not readers.assignments:
        return Diploma.objects.none()
    return Diploma.objects.filter(person_q(readers, "person__"))


def specialties(scope):
    if not scope.assignments:
        return Specialty.objects.none()
    return Specialty.objects.all()


def _edit_check(scope, obj) -> bool:
    if isinstance(obj, Diploma):
        return scope.people().filter(pk=obj.person_id).exists()
    if isinstance(obj, TargetContract):
        if obj.organization_id and scope.organizations().filter(pk=obj.organization_id).exists():
            return True
        above = scope.restricted_to(ABOVE_SCHOOL)
        return bool(above.assignments) and (
            above.municipalities().filter(pk=obj.municipality_id).exists()
        )
    if isinstance(obj, StaffSchedule | Vacancy | PedagogicalClass):
        return scope.organizations().filter(pk=obj.organization_id).exists()
    return False


register_model(StaffSchedule, schedules)
register_model(
    ScheduleRow,
    lambda scope: ScheduleRow.objects.filter(schedule__in=schedules(scope).values("pk")),
)
register_model(Vacancy, vacancies)
register_model(PedagogicalClass, classes)
register_model(TargetContract, contracts)
register_model(Diploma, diplomas)
register_model(Specialty, specialties)

register_action(VIEW, VIEWERS, "видеть кадровое обеспечение своей территории")
register_action(
    EDIT,
    EDITORS,
    "вести кадровое обеспечение: штатные расписания, вакансии, дипломы, целевые договоры",
    _edit_check,
)
register_action(EDIT_DIRECTORY, DIRECTORY, "вести справочник специальностей")
