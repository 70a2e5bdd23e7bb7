"""What a scope may see and do in the app outcomes.

Students' results (aggregated per teacher): the ministry and ЦНППМ see their region's; a
municipal coordinator the results of their municipality's organizations; a school
administration those of their organization; a regional methodist those of the teachers in their
care; a teacher (an expert) their own. Decisions about ШНОР: the region's for the ministry and
ЦНППМ, the municipality's and the organization's for the others.

Actions: `outcomes.view` (the section), `outcomes.import` (load results files: the
administrator, ЦНППМ, the municipal coordinator and the school administration, for the teachers
and organizations of their scope), `outcomes.low_results` (confirm or reject the proposals of
ШНОР: the administrator and ЦНППМ).
"""

from django.db.models import Q

from nms.accounts.access import any_of, register_action, register_model
from nms.accounts.models import Role
from nms.outcomes.models import LowResultsDecision, StudentResult
from nms.registry.access import person_q

REGION_READ = (Role.MINISTRY, Role.CNPPM)
PERSON_BOUND = (Role.METHODIST, Role.TEACHER, Role.EXPERT)
VIEW = "outcomes.view"
IMPORT = "outcomes.import"
LOW_RESULTS = "outcomes.low_results"
IMPORTERS = (Role.ADMIN, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)


def territory_q(scope, *, people_path: str | None = "teacher__") -> Q:
    """The region's, the municipality's, the organization's records; the people's of the
    person-bound roles through `people_path` (None: those roles see nothing)."""
    if scope.is_all:
        return Q()
    parts = []
    for a in scope.assignments:
        if a.role in REGION_READ and a.region_id:
            parts.append(Q(region_id=a.region_id))
        elif a.role == Role.MUNICIPAL and a.municipality_id:
            parts.append(Q(organization__municipality_id=a.municipality_id))
        elif a.role == Role.SCHOOL and a.organization_id:
            parts.append(Q(organization_id=a.organization_id))
    others = scope.restricted_to(PERSON_BOUND)
    if people_path is not None and others.assignments:
        parts.append(person_q(others, people_path))
    return any_of(parts)


def results(scope):
    return StudentResult.objects.filter(territory_q(scope))


def decisions(scope):
    return LowResultsDecision.objects.filter(territory_q(scope, people_path=None))


register_model(StudentResult, results)
register_model(LowResultsDecision, decisions)

register_action(
    VIEW,
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL,
     Role.TEACHER, Role.EXPERT),
    "видеть раздел «Результаты обучающихся»",
)  # fmt: skip
register_action(IMPORT, IMPORTERS, "загружать результаты обучающихся (ВПР, ОГЭ, ЕГЭ)")
register_action(
    LOW_RESULTS,
    (Role.ADMIN, Role.CNPPM),
    "подтверждать статус школы с низкими образовательными результатами (ШНОР)",
)
