"""The scope matrix: every URL of the pages and the API, for every role, against objects outside
the role's scope.

Built from the URL configuration (which includes the one API router), so a new URL that takes an
object id and is missing from OBJECTS fails `test_every_object_url_is_in_the_matrix`. For every
role and every such URL, an object outside the scope answers 404 — never 403, 400 or 200 — to
every method (405 is allowed: it says nothing about the object; another region, beyond the
neighbour municipality of a bound role, is asked only with the first method the URL allows).
Every URL without an object (lists, exports as ?format=xlsx, dashboards, maps, counts) is fetched
by every role and must not mention anything of the outside world.

The outside world is another municipality of the same region for the roles bound to a
municipality, an organization or people, and another region for the region-wide roles. The
administrator sees everything and is left out.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.models import Job
from nms.diagnostics.models import Attempt, Group, Membership, Procedure, ResultSource, Variant
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.routes import services as route_services
from nms.routes.models import ItemReport, RouteTemplate
from tests.catalogs import scope_objects as catalogs_objects
from tests.events import scope_objects as events_objects
from tests.exchange import scope_objects as exchange_objects
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)
from tests.itembank.conftest import make_item
from tests.mentoring import scope_objects as mentoring_objects
from tests.monitoring import scope_objects as monitoring_objects
from tests.outcomes import scope_objects as outcomes_objects
from tests.portal import scope_objects as portal_objects
from tests.programs import scope_objects as programs_objects
from tests.roadmap import scope_objects as roadmap_objects
from tests.routes.conftest import item_data
from tests.staffing import scope_objects as staffing_objects
from tests.support import scope_objects as support_objects

# The new apps' shares of the matrix: each module makes one object of each kind per World lazily
# and exports OBJECTS, REGION_OBJECTS and METHODIST_REGION (see `_outside`).
APPS = (
    events_objects, programs_objects, support_objects, mentoring_objects, monitoring_objects,
    catalogs_objects, roadmap_objects, portal_objects, staffing_objects, outcomes_objects,
    exchange_objects,
)  # fmt: skip

TODAY = date.today()

# URL name -> the kwargs that name an object of a world (see `World`).
OBJECTS = {
    # registry
    "organization-detail": lambda w: {"pk": w.school.pk},
    "organization-edit": lambda w: {"pk": w.school.pk},
    "person-detail": lambda w: {"pk": w.person.pk},
    "person-edit": lambda w: {"pk": w.person.pk},
    "person-history": lambda w: {"pk": w.person.pk},
    "employment-create": lambda w: {"pk": w.person.pk},
    "employment-edit": lambda w: {"pk": w.person.pk, "employment_pk": w.employment.pk},
    "employment-delete": lambda w: {"pk": w.person.pk, "employment_pk": w.employment.pk},
    "api-person-detail": lambda w: {"pk": w.person.pk},
    "api-employment-detail": lambda w: {"pk": w.employment.pk},
    "api-organization-detail": lambda w: {"pk": w.school.pk},
    "api-municipality-detail": lambda w: {"pk": w.municipality.pk},
    # diagnostics
    "procedure-detail": lambda w: {"pk": w.procedure.pk},
    "procedure-edit": lambda w: {"pk": w.procedure.pk},
    "procedure-results": lambda w: {"pk": w.procedure.pk},
    "procedure-blueprint": lambda w: {"pk": w.procedure.pk},
    "procedure-assemble": lambda w: {"pk": w.procedure.pk},
    "group-create": lambda w: {"pk": w.procedure.pk},
    "attempt-start": lambda w: {"pk": w.procedure.pk},
    "group-detail": lambda w: {"pk": w.group.pk},
    "group-delete": lambda w: {"pk": w.group.pk},
    "attempt-detail": lambda w: {"pk": w.attempt.pk},
    "attempt-answer": lambda w: {"pk": w.attempt.pk},
    "attempt-submit": lambda w: {"pk": w.attempt.pk},
    "result-detail": lambda w: {"pk": w.result.pk},
    "person-results": lambda w: {"person_pk": w.person.pk},
    "map-person": lambda w: {"pk": w.person.pk},
    "diag-procedure-detail": lambda w: {"pk": w.procedure.pk},
    "diag-procedure-assemble": lambda w: {"pk": w.procedure.pk},
    "diag-procedure-groups": lambda w: {"pk": w.procedure.pk},
    "diag-procedure-overlap": lambda w: {"pk": w.procedure.pk},
    "diag-procedure-start": lambda w: {"pk": w.procedure.pk},
    "diag-attempt-detail": lambda w: {"pk": w.attempt.pk},
    "diag-attempt-answer": lambda w: {"pk": w.attempt.pk},
    "diag-attempt-submit": lambda w: {"pk": w.attempt.pk},
    "diag-result-detail": lambda w: {"pk": w.result.pk},
    # the item bank holds no territory: outside the scope of those who may not read it
    "bank-detail": lambda w: {"pk": w.item.pk},
    "bank-edit": lambda w: {"pk": w.item.pk},
    "bank-status": lambda w: {"pk": w.item.pk},
    "diag-item-detail": lambda w: {"pk": w.item.pk},
    "diag-item-status": lambda w: {"pk": w.item.pk},
    # routes
    "route-detail": lambda w: {"pk": w.route.pk},
    "route-docx": lambda w: {"pk": w.route.pk},
    "route-transition": lambda w: {"pk": w.route.pk, "name": "compose"},
    "route-texts": lambda w: {"pk": w.route.pk},
    "route-update-deficits": lambda w: {"pk": w.route.pk},
    "route-general-info": lambda w: {"pk": w.route.pk},
    "route-item-add": lambda w: {"pk": w.route.pk},
    "route-item": lambda w: {"pk": w.route.pk, "item_pk": w.route_item.pk},
    "route-item-edit": lambda w: {"pk": w.route.pk, "item_pk": w.route_item.pk},
    "route-item-delete": lambda w: {"pk": w.route.pk, "item_pk": w.route_item.pk},
    "route-report-decide": lambda w: {"pk": w.route.pk, "report_pk": w.report.pk},
    "route-versions": lambda w: {"pk": w.route.pk},
    "route-version-detail": lambda w: {"pk": w.route.pk, "number": 1},
    "route-file": lambda w: {"pk": w.route.pk, "kind": "report", "object_pk": w.report.pk},
    "template-apply": lambda w: {"pk": w.template.pk},
    "api-route-detail": lambda w: {"pk": w.route.pk},
    "api-route-docx": lambda w: {"pk": w.route.pk},
    "api-route-general-info": lambda w: {"pk": w.route.pk},
    "api-route-items": lambda w: {"pk": w.route.pk},
    "api-route-item": lambda w: {"pk": w.route.pk, "item_id": w.route_item.pk},
    "api-route-suggestions": lambda w: {"pk": w.route.pk},
    "api-route-texts": lambda w: {"pk": w.route.pk},
    "api-route-transition": lambda w: {"pk": w.route.pk},
    "api-route-update-deficits": lambda w: {"pk": w.route.pk},
    "api-route-versions": lambda w: {"pk": w.route.pk},
    "api-route-version-detail": lambda w: {"pk": w.route.pk, "number": 1},
    "api-route-item-reports": lambda w: {"pk": w.route_item.pk},
    "api-route-report-decision": lambda w: {"pk": w.report.pk},
    "api-route-template-apply": lambda w: {"pk": w.template.pk},
    # background jobs: only their author's
    "job-detail": lambda w: {"pk": w.job.pk},
    "job-status": lambda w: {"pk": w.job.pk},
    "job-file": lambda w: {"pk": w.job.pk},
    "api-job-detail": lambda w: {"pk": w.job.pk},
    "api-job-file": lambda w: {"pk": w.job.pk},
    **{name: kwargs for app in APPS for name, kwargs in app.OBJECTS.items()},
}
# Objects every signed-in user may read: dictionaries with no territory (changing them is a
# right checked with 403, not a matter of scope).
DICTIONARIES = {
    "api-position-detail",
    "api-subject-detail",
    "diag-area-detail",
    "area-edit",
    "sub-create",
    "sub-edit",
    *staffing_objects.DICTIONARIES,
}
# Arguments that are not objects.
NOT_OBJECTS = {
    "registry-import-template": {"kind": "staff"},
    **programs_objects.NOT_OBJECTS,
    **portal_objects.NOT_OBJECTS,
    **staffing_objects.NOT_OBJECTS,
}
# A user's own things, in no territory: another user's answers 404 (tests/accounts/test_tokens.py).
OWN_OBJECTS = {"api-token-revoke"}
BANK_URLS = {name for name in OBJECTS if name.startswith(("bank-", "diag-item-"))}
BANK_READERS = {"cnppm", "expert"}
ROLES = ("ministry", "cnppm", "methodist", "municipal", "school", "teacher", "expert")
REGION_WIDE = {"ministry", "cnppm"}
METHODS = ("get", "post", "patch", "delete")


def _url_patterns(patterns=None, prefix=""):
    """(route, name, kwargs) of every URL but the admin's; format-suffix twins left out."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            yield from _url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = set(pattern.pattern.regex.groupindex)
            if "format" in kwargs:
                continue
            yield prefix + str(pattern.pattern), pattern.name, kwargs


def _object_urls():
    return sorted({name for _, name, kwargs in _url_patterns() if kwargs})


def _plain_urls():
    return sorted({name for _, name, kwargs in _url_patterns() if not kwargs})


class World:
    """One territory with one of everything, every name carrying `mark`."""

    def __init__(self, region, mark: str, *, own_region: bool):
        self.mark = mark
        self.own_region = own_region  # the region's objects carry the mark only then
        self.municipality = MunicipalityFactory(region=region, name=f"Округ {mark}")
        self.school = OrganizationFactory(
            municipality=self.municipality, full_name=f"Школа {mark}", short_name=f"Школа {mark}"
        )
        self.person = PersonFactory(last_name=mark, region=region)
        self.employment = EmploymentFactory(person=self.person, organization=self.school)
        self.teacher = UserFactory(role=Role.TEACHER, person=self.person)
        cnppm = UserFactory(role=Role.CNPPM, region=region)
        areas = {a.code: a for a in CompetencyArea.objects.all()}
        self.procedure = Procedure.objects.create(
            region=region,
            municipality=self.municipality,
            name=f"Диагностика {mark}",
            level="municipal",
            kind="entry",
            starts_on=TODAY - timedelta(days=1),
            ends_on=TODAY + timedelta(days=10),
        )
        self.group = Group.objects.create(procedure=self.procedure, number=1, name=f"Группа {mark}")
        Membership.objects.create(group=self.group, person=self.person, procedure=self.procedure)
        # The bank has no territory: its items carry no mark.
        self.item = make_item(areas["methodical"], f"item-{self.municipality.pk}")
        variant = Variant.objects.create(group=self.group)
        variant.variant_items.create(item=self.item, position=1)
        self.attempt = Attempt.objects.create(
            person=self.person, variant=variant, procedure=self.procedure, started_at=timezone.now()
        )
        self.result = result_record(
            self.person.pk,
            self.procedure,
            TODAY,
            {areas["methodical"]: (Decimal(3), Decimal(10))},
            ResultSource.IMPORT,
        )
        self.route = route_services.route_create(
            cnppm, self.person, TODAY, TODAY + timedelta(days=100)
        )
        self.route_item = route_services.item_add(
            cnppm, self.route, item_data(title=f"Пункт {mark}"), self.route.version
        )
        self.report = ItemReport.objects.create(
            item=self.route_item, author=self.teacher, text=f"Отчёт {mark}"
        )
        # A template belongs to the whole region: marked only when the region is the world's own.
        self.template = RouteTemplate.objects.create(
            region=region,
            name=f"Шаблон {mark if own_region else self.municipality.pk}",
            author=cnppm,
        )
        self.job = Job.objects.create(
            user=self.teacher, kind="people_export", title=f"Выгрузка {mark}"
        )


@pytest.fixture
def matrix(db, region, settings, tmp_path):
    """Users of every role in world A; B in the same region; C in another region."""
    settings.MEDIA_ROOT = tmp_path  # files of the apps' objects (mentoring documents)
    a = World(region, "Ааронов", own_region=False)
    b = World(region, "Чужанин", own_region=False)
    c = World(RegionFactory(name="Другая область", code="98"), "Иногородцев", own_region=True)
    methodist = UserFactory(role=Role.METHODIST, region=region)
    methodist.assigned_people.add(a.person)
    users = {
        "ministry": UserFactory(role=Role.MINISTRY, region=region),
        "cnppm": UserFactory(role=Role.CNPPM, region=region),
        "methodist": methodist,
        "municipal": UserFactory(role=Role.MUNICIPAL, municipality=a.municipality),
        "school": UserFactory(role=Role.SCHOOL, organization=a.school),
        "teacher": a.teacher,
        "expert": UserFactory(
            role=Role.EXPERT, person=EmploymentFactory(organization=a.school).person
        ),
    }
    return {"users": users, "inside": a, "near": b, "far": c}


# Objects of a whole region (templates): outside the scope only in another region.
REGION_OBJECTS = {"template-apply", "api-route-template-apply"}.union(
    *(app.REGION_OBJECTS for app in APPS)
)
# Objects a regional methodist reads in the whole region (enrollments, actives, acts, experts):
# for the methodist, outside the scope only in another region; strict for the other roles.
METHODIST_REGION = set().union(*(getattr(app, "METHODIST_REGION", set()) for app in APPS))
METHODIST_REGION_LISTS = set().union(*(getattr(app, "METHODIST_REGION_LISTS", ()) for app in APPS))


def _outside(matrix, role: str, name: str = "") -> list[World]:
    if (
        role in REGION_WIDE
        or name in REGION_OBJECTS
        or (role == "methodist" and name in METHODIST_REGION)
    ):
        return [matrix["far"]]
    return [matrix["near"], matrix["far"]]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_every_object_url_is_in_the_matrix():
    known = set(OBJECTS) | DICTIONARIES | set(NOT_OBJECTS) | OWN_OBJECTS
    missing = [name for name in _object_urls() if name not in known]
    assert not missing, f"URLs taking an object but missing from the scope matrix: {missing}"
    stale = known - set(_object_urls())
    assert not stale, f"the matrix names URLs that no longer exist: {sorted(stale)}"


def test_object_outside_the_scope_answers_404(matrix):
    leaks, cases = [], 0
    for role in ROLES:
        client = _client(matrix["users"][role])
        for name in _object_urls():
            if name not in OBJECTS or (name in BANK_URLS and role in BANK_READERS):
                continue
            outside = _outside(matrix, role, name)
            for world in outside:
                url = reverse(name, kwargs=OBJECTS[name](world))
                cases += 1
                # The first outside world gets every method; the other region, after the
                # neighbour municipality of a bound role, only the first method it allows: it
                # keeps the matrix fast.
                answers = {}
                for method in METHODS:
                    answers[method] = getattr(client, method)(url).status_code
                    if world is not outside[0] and answers[method] != 405:
                        break
                if set(answers.values()) - {404, 405} or 404 not in answers.values():
                    leaks.append((role, name, world.mark, answers))
    assert not leaks, "\n".join(map(str, leaks))
    print(f"scope matrix: {cases} URL × role × world cases, each with {len(METHODS)} methods")


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if "wordprocessingml" in content_type or "octet-stream" in content_type:
        return ""
    return response.content.decode(errors="replace")


def test_lists_exports_and_counts_leave_the_outside_out(matrix):
    for world in (matrix["inside"], matrix["near"], matrix["far"]):
        for app in APPS[1:]:  # the new apps' objects in every world (the events' are not
            for kwargs in app.OBJECTS.values():  # named for it: their catalogue is marked)
                kwargs(world)
    leaks, pages = [], 0
    for role in ROLES:
        client = _client(matrix["users"][role])
        for name in _plain_urls():
            if name in ("logout", "api-schema", "api-docs"):
                continue
            region_list = role == "methodist" and name in METHODIST_REGION_LISTS
            marks = [world.mark for world in _outside(matrix, "cnppm" if region_list else role)]
            url = reverse(name)
            for query in ("", "?format=xlsx"):
                response = client.get(url + query)
                if response.status_code != 200:
                    continue
                pages += 1
                text = _text(response)
                leaked = [mark for mark in marks if mark in text]
                if leaked:
                    leaks.append((role, name + query, leaked))
    assert not leaks, "\n".join(map(str, leaks))
    assert pages > 50
    print(f"scope matrix: {pages} list, export and count responses read for outside names")


def test_the_inside_is_seen(matrix):
    """The control: the same lists do show the role's own world."""
    client = _client(matrix["users"]["municipal"])
    assert matrix["inside"].mark in client.get(reverse("person-list")).content.decode()
    assert matrix["inside"].mark in client.get(reverse("api-person-list")).content.decode()
    client = _client(matrix["users"]["teacher"])
    assert client.get(reverse("route-detail", args=[matrix["inside"].route.pk])).status_code == 200


# URLs that take objects in the query string or the body rather than the path.
QUERY_OBJECTS = {
    "accounts-issue": lambda w: [
        f"?organization={w.school.pk}",
        f"?municipality={w.municipality.pk}",
        f"?person={w.person.pk}",
    ],
}
BODY_OBJECTS = {
    "api-accounts-issue": lambda w: [
        {"organization": w.school.pk},
        {"municipality": w.municipality.pk},
        {"people": [w.person.pk]},
    ],
}
# Roles that may issue accounts at all; the others are refused whatever the object.
ISSUERS = ("cnppm", "municipal", "school")


def test_objects_in_the_query_or_the_body_outside_the_scope_answer_404(matrix):
    leaks = []
    for role in ISSUERS:
        client = _client(matrix["users"][role])
        for world in _outside(matrix, role):
            for name, queries in QUERY_OBJECTS.items():
                for query in queries(world):
                    for method in ("get", "post"):
                        status = getattr(client, method)(reverse(name) + query).status_code
                        if status != 404:
                            leaks.append((role, name + query, method, status))
            for name, bodies in BODY_OBJECTS.items():
                for body in bodies(world):
                    status = client.post(reverse(name), body, format="json").status_code
                    if status != 404:
                        leaks.append((role, name, body, status))
    assert not leaks, "\n".join(map(str, leaks))
