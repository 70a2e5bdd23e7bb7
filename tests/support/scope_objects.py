"""The support app's share of the scope matrix (tests/accounts/test_scope_matrix.py): an active
membership, a methodist's caseload, a help request, a support act and an expert role of each
world, made when the matrix first asks for them.

Everything here follows a person of the world (and its school and municipality). A regional
methodist reads the region's actives, expert register and support acts (support/access.py), so
for the methodist those are region objects (`METHODIST_REGION`); the caseload and the requests
are the methodist's own (their care, the requests addressed to them) and stay strict."""

from datetime import date, timedelta

from django.utils import timezone

from nms.support.models import (
    ActiveMembership,
    Caseload,
    ExpertRole,
    HelpRequest,
    SupportAct,
)
from tests.factories import EmploymentFactory, PersonFactory

TODAY = date.today()


def _objects(world):
    made = getattr(world, "_support", None)
    if made is None:
        region = world.municipality.region
        methodist = PersonFactory(last_name=f"Коллегов {world.mark}", region=world.person.region)
        EmploymentFactory(person=methodist, organization=world.school)
        made = {
            "membership": ActiveMembership.objects.create(
                region=region,
                person=world.person,
                role="curator",
                level="municipal",
                municipality=world.municipality,
                starts_on=TODAY - timedelta(days=30),
            ),  # fmt: skip
            "methodist": methodist,
            "caseload": Caseload.objects.create(
                region=region, methodist=methodist, teacher=world.person, assigned_on=TODAY
            ),
            "request": HelpRequest.objects.create(
                region=region,
                person=world.person,
                organization=world.school,
                municipality=world.municipality,
                topic=f"Запрос {world.mark}",
                deadline=timezone.now() + timedelta(days=3),
                methodist=methodist,
            ),  # fmt: skip
            "act": SupportAct.objects.create(
                region=region,
                kind="consultation",
                held_on=TODAY,
                person=world.person,
                organization=world.school,
                topic=f"Консультация {world.mark}",
                methodist=methodist,
            ),  # fmt: skip
            "expert": ExpertRole.objects.create(
                region=region,
                person=world.person,
                kind="jury",
                level="municipal",
                starts_on=TODAY - timedelta(days=30),
            ),  # fmt: skip
        }
        world._support = made
    return made


def _pk(kind):
    return lambda world: {"pk": _objects(world)[kind].pk}


MEMBERSHIPS = {
    "support-membership": _pk("membership"),
    "support-membership-edit": _pk("membership"),
    "support-membership-approve": _pk("membership"),
    "support-membership-end": _pk("membership"),
    "api-support-membership-detail": _pk("membership"),
    "api-support-membership-approve": _pk("membership"),
    "api-support-membership-end": _pk("membership"),
    "api-support-membership-eligibility": _pk("membership"),
}
ACTS_AND_EXPERTS = {
    "support-act": _pk("act"),
    "support-act-edit": _pk("act"),
    "api-support-act-detail": _pk("act"),
    "support-expert-edit": _pk("expert"),
    "api-support-expert-detail": _pk("expert"),
}
OBJECTS = {
    **MEMBERSHIPS,
    **ACTS_AND_EXPERTS,
    "support-caseload": _pk("methodist"),
    "support-caseload-release": _pk("caseload"),
    "api-support-caseload-detail": _pk("caseload"),
    "support-request": _pk("request"),
    "support-request-answer": _pk("request"),
    "support-request-attachment": _pk("request"),
    "api-support-request-detail": _pk("request"),
    "api-support-request-answer": _pk("request"),
}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION = set(MEMBERSHIPS) | set(ACTS_AND_EXPERTS)
# Their lists, where the methodist sees the neighbour municipality's records too.
METHODIST_REGION_LISTS = {
    "support-memberships", "support-acts", "support-experts", "api-support-membership-list",
    "api-support-act-list", "api-support-expert-list",
}  # fmt: skip
