import pytest

from nms.accounts.models import Role
from nms.diagnostics.models import Procedure
from nms.routes.models import Status
from tests.dashboard.world import PAST, make_route, populate, record
from tests.factories import EmploymentFactory, assign
from tests.routes.conftest import actors  # noqa: F401  (the users of the route workflow)


@pytest.fixture
def routes_world(users, two_municipalities, region):
    """Routes in every state for teachers of both municipalities, some of them overdue."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    methodist = users["methodist"]
    make_route(a["teacher"], Status.IN_PROGRESS, overdue=True, methodist=methodist)
    make_route(a["director"], Status.IN_PROGRESS)
    make_route(b["teacher"], Status.IN_PROGRESS, overdue=True)
    make_route(b["director"], Status.COMPLETED, overdue=True)  # final: not overdue
    make_route(EmploymentFactory(organization=a["school"]).person, Status.COMPOSED)
    make_route(EmploymentFactory(organization=b["school"]).person, Status.DRAFT)
    procedure = Procedure.objects.create(
        region=region, name="Входная", level="regional", kind="entry",
        starts_on=PAST, ends_on=PAST, is_external=True,
    )  # fmt: skip
    record(a["teacher"], procedure, PAST, deficit=True)
    return users


@pytest.fixture
def populated(users, two_municipalities, region):
    """A territory where every figure of every role counts some rows: workers at both schools with
    routes in every state, overdue items, audits due, reports to decide, results with and without
    deficits, an open procedure some have started and some finished; the methodist on half of the
    routes; a user holding several roles (`several`: municipal A, school B, methodist)."""
    schools = [two_municipalities[k]["school"] for k in ("a", "b")]
    populate(schools, region, users["methodist"], 12, users["teacher"])
    several = users["other_school"]
    assign(several, Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    assign(several, Role.METHODIST, region=region)
    return {**users, "several": several}
