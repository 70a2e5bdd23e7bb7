"""What a scope may see and do in the app programs.

- The catalogue (programmes, runs) is readable by everyone logged in within their regions (the
  administrator: every region); it is edited by ЦНППМ and the administrator.
- Enrollments (and teams): the ministry, ЦНППМ and the administrator see the whole region's; a
  regional methodist too (region-wide read) and enrolls and records completions; a municipal
  service sees the enrollments of the people of its municipality, a school administration those
  of its organization's people, a teacher their own (the registry's people rule, `person_q`).
- Enrolling and recording completions: the administrator, ЦНППМ and regional methodists, for the
  people working in their region (`enrollable_people`).
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role
from nms.programs.models import Enrollment, Programme, Run, Team
from nms.registry.access import person_q
from nms.registry.models import Employment, Organization, Person

EDIT_CATALOGUE = "programs.edit_catalogue"
ENROLL = "programs.enroll"
REGION_READERS = (Role.MINISTRY, Role.CNPPM, Role.METHODIST)


def _region_ids(scope, roles=None) -> list[int]:
    return sorted(
        {
            a.region_id
            for a in scope.assignments
            if a.region_id and (roles is None or a.role in roles)
        }
    )


def _catalogue_q(scope, path: str = "") -> Q:
    if scope.is_all:
        return Q()
    return (
        Q(**{f"{path}region_id__in": sorted(scope.region_ids)}) if scope.region_ids else any_of([])
    )


def _programmes(scope):
    if not scope.assignments:
        return Programme.objects.none()
    return Programme.objects.filter(_catalogue_q(scope))


def _runs(scope):
    if not scope.assignments:
        return Run.objects.none()
    return Run.objects.filter(_catalogue_q(scope, "programme__"))


def enrollment_q(scope, path: str = "") -> Q:
    """The enrollments the scope sees: those of its people (the registry's rule — a regional
    methodist's are the people assigned to them)."""
    if scope.is_all:
        return Q()
    return person_q(scope, f"{path}person__")


def _enrollments(scope):
    return Enrollment.objects.filter(enrollment_q(scope))


def _teams(scope):
    if scope.is_all:
        return Team.objects.all()
    regions = _region_ids(scope, REGION_READERS)
    parts = [Q(organization__in=Organization.objects.filter(_organizations_q(scope)))]
    if regions:
        parts.append(Q(organization__region_id__in=regions))
    return Team.objects.filter(any_of(parts))


def _organizations_q(scope) -> Q:
    from nms.registry.access import organization_q

    return organization_q(scope)


def enrollable_people(scope):
    """The people the scope may enroll (and record completions of): those working in an
    organization of the region of an administrator's or ЦНППМ's assignment (everybody for the
    administrator), and a regional methodist's own people (the registry's rule)."""
    if scope.restricted_to((Role.ADMIN,)).is_all:
        return Person.objects.all()
    regions = _region_ids(scope, (Role.CNPPM,))
    employed = Employment.objects.filter(organization__region_id__in=regions)
    methodist = scope.restricted_to((Role.METHODIST,))
    parts = [Q(pk__in=employed.values("person_id"))] if regions else []
    if methodist.assignments:
        parts.append(person_q(methodist))
    return Person.objects.filter(any_of(parts))


def _can_enroll(scope, obj) -> bool:
    """On a run: the programme is in the scope's regions; on an enrollment or a person: the
    person is one the scope may enroll."""
    if isinstance(obj, Run):
        return _runs(scope).filter(pk=obj.pk).exists()
    if isinstance(obj, Programme):
        return _programmes(scope).filter(pk=obj.pk).exists()
    person_id = obj.person_id if isinstance(obj, Enrollment) else obj.pk
    return enrollable_people(scope).filter(pk=person_id).exists()


register_model(Programme, _programmes)
register_model(Run, _runs)
register_model(Enrollment, _enrollments)
register_model(Team, _teams)

register_action(EDIT_CATALOGUE, (Role.ADMIN, Role.CNPPM), "вести каталог программ ДПП и их потоки")
register_action(
    ENROLL,
    (Role.ADMIN, Role.CNPPM, Role.METHODIST),
    "зачислять на программы ДПП и отмечать их завершение",
    _can_enroll,
)
