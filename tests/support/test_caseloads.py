"""Caseloads: subject and municipality first, never above the cap, existing assignments kept,
who is left and why; by hand; mirrored into the methodist's account (the methodist's scope)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from nms.accounts.models import Role
from nms.accounts.scope import Scope
from nms.support import caseloads
from nms.support.models import Caseload, CaseloadBasis, SupportSettings
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.support.conftest import approved_methodist, subject

pytestmark = pytest.mark.django_db


def teacher(school, *subjects):
    employment = EmploymentFactory(organization=school)
    employment.subjects.set(subjects)
    return employment.person


@pytest.fixture
def region_world(world, make_user):
    """Methodists: maths in A (the world's), physics in B, maths in B. Teachers: maths in A,
    maths in B, physics in A, chemistry in B."""
    a, b = world["a"], world["b"]
    physics, chemistry = subject("Физика"), subject("Химия")
    institute_b = OrganizationFactory(municipality=b["municipality"], kind="institute")
    physics_b = EmploymentFactory(organization=institute_b).person
    maths_b = EmploymentFactory(organization=institute_b).person
    approved_methodist(physics_b, subjects=[physics], municipality=b["municipality"])
    approved_methodist(maths_b, subjects=[world["maths"]], municipality=b["municipality"])
    people = {
        "maths_a": teacher(a["school"], world["maths"]),
        "maths_b": teacher(b["school"], world["maths"]),
        "physics_a": teacher(a["school"], physics),
        "chemistry_b": teacher(b["school"], chemistry),
    }
    return {**world, **people, "physics_b": physics_b, "maths_b_methodist": maths_b}


def methodist_of(person):
    return Caseload.objects.get(teacher=person).methodist_id


def test_subject_and_municipality_first_then_subject_then_municipality(region_world):
    w = region_world
    report = caseloads.assign_automatically(w["cnppm"], w["a"]["school"].region)
    assert methodist_of(w["maths_a"]) == w["methodist_person"].pk
    assert methodist_of(w["maths_b"]) == w["maths_b_methodist"].pk
    assert methodist_of(w["physics_a"]) == w["physics_b"].pk  # the subject over the place
    chemistry = Caseload.objects.get(teacher=w["chemistry_b"])
    assert chemistry.basis == CaseloadBasis.MUNICIPALITY
    assert chemistry.methodist_id in (w["physics_b"].pk, w["maths_b_methodist"].pk)
    by_basis = {str(k): v for k, v in report.by_basis.items()}
    assert by_basis["subject_municipality"] == 2 and by_basis["subject"] == 1
    # The methodists themselves are never in anyone's care.
    methodists = {w["methodist_person"].pk, w["physics_b"].pk, w["maths_b_methodist"].pk}
    assert not Caseload.objects.filter(teacher_id__in=methodists).exists()


def test_never_above_the_cap_and_the_rest_named_with_the_reason(region_world, settings):
    w = region_world
    SupportSettings.objects.create(region=w["a"]["school"].region, caseload_cap=2)
    report = caseloads.assign_automatically(w["cnppm"], w["a"]["school"].region)
    loads = {}
    for caseload in Caseload.objects.all():
        loads[caseload.methodist_id] = loads.get(caseload.methodist_id, 0) + 1
    assert max(loads.values()) <= 2
    total = Caseload.objects.count() + len(report.unassigned)
    assert total == len(set(caseloads.workers_q(w["a"]["school"].region).values_list(
        "person_id", flat=True))) - 3  # fmt: skip
    assert report.unassigned and all("предел: 2" in reason for _, reason in report.unassigned)


def test_env_setting_is_the_default_cap(region_world, settings):
    settings.NMS_CASELOAD_CAP = 1
    report = caseloads.assign_automatically(
        region_world["cnppm"], region_world["a"]["school"].region
    )
    assert report.cap == 1 and Caseload.objects.count() == 3


def test_existing_assignments_kept_on_a_rerun(region_world):
    w = region_world
    region = w["a"]["school"].region
    caseloads.caseload_assign(w["cnppm"], w["physics_b"], w["maths_a"])  # by hand, elsewhere
    first = caseloads.assign_automatically(w["cnppm"], region)
    assert methodist_of(w["maths_a"]) == w["physics_b"].pk
    assert first.kept == 1
    before = dict(Caseload.objects.values_list("teacher_id", "methodist_id"))
    newcomer = teacher(w["a"]["school"], w["maths"])
    second = caseloads.assign_automatically(w["cnppm"], region)
    after = dict(Caseload.objects.values_list("teacher_id", "methodist_id"))
    assert {k: after[k] for k in before} == before
    assert second.assigned == 1 and after[newcomer.pk] == w["methodist_person"].pk


def test_no_methodists_reason(world, region):
    Caseload.objects.all().delete()
    from nms.support.models import ActiveMembership

    ActiveMembership.objects.all().delete()
    report = caseloads.assign_automatically(world["cnppm"], region)
    assert report.unassigned and report.unassigned[0][1] == caseloads.NO_METHODISTS


def test_the_methodist_sees_their_caseload(region_world):
    w = region_world
    caseloads.assign_automatically(w["cnppm"], w["a"]["school"].region)
    scope = Scope(w["rma_methodist"])
    seen = set(scope.people().values_list("pk", flat=True))
    assert w["maths_a"].pk in seen and w["maths_b"].pk not in seen


def test_account_links_are_adopted(region_world):
    w = region_world
    w["rma_methodist"].assigned_people.add(w["chemistry_b"])
    report = caseloads.assign_automatically(w["cnppm"], w["a"]["school"].region)
    assert report.adopted == 1 and methodist_of(w["chemistry_b"]) == w["methodist_person"].pk


def test_by_hand_checks_the_cap_and_moves(region_world):
    w = region_world
    SupportSettings.objects.create(region=w["a"]["school"].region, caseload_cap=1)
    caseloads.caseload_assign(w["cnppm"], w["methodist_person"], w["maths_a"])
    with pytest.raises(ValidationError, match="предел"):
        caseloads.caseload_assign(w["cnppm"], w["methodist_person"], w["maths_b"])
    caseloads.caseload_assign(w["cnppm"], w["physics_b"], w["maths_a"])  # moved
    assert methodist_of(w["maths_a"]) == w["physics_b"].pk
    assert not w["rma_methodist"].assigned_people.filter(pk=w["maths_a"].pk).exists()
    with pytest.raises(ValidationError, match="не утверждённый"):
        caseloads.caseload_assign(w["cnppm"], w["maths_b"], w["maths_a"])


def test_only_the_institute_assigns(region_world):
    with pytest.raises(PermissionDenied):
        caseloads.assign_automatically(
            region_world["municipal"], region_world["a"]["school"].region
        )


def test_release_checks_the_version(region_world):
    w = region_world
    caseload = caseloads.caseload_assign(w["cnppm"], w["methodist_person"], w["maths_a"])
    with pytest.raises(ValidationError):
        caseloads.caseload_remove(w["cnppm"], caseload, caseload.version + 5)
    caseloads.caseload_remove(w["cnppm"], caseload, caseload.version)
    assert not Caseload.objects.exists()
    assert not w["rma_methodist"].assigned_people.exists()


def test_a5_workers_per_methodist(region_world):
    workers, methodists = caseloads.workers_per_methodist(region_world["a"]["school"].region)
    assert methodists == 3 and workers == 4 + 4 + 3  # two schools' 2+2, four teachers, 3 of ours


def test_the_page_runs_the_job_and_shows_counts(region_world):
    w = region_world
    client = Client()
    client.force_login(w["cnppm"])
    response = client.post(reverse("support-caseloads-assign"))
    assert response.status_code == 302
    job_page = client.get(response["Location"])
    assert job_page.status_code == 200 and "Закреплено педагогов" in job_page.content.decode()
    page = client.get(reverse("support-methodists"))
    assert page.status_code == 200
    assert Caseload.objects.count() == 8
    mine = Client()
    mine.force_login(w["rma_methodist"])
    response = mine.get(reverse("support-my-caseload"), follow=True)
    assert response.status_code == 200 and w["maths_a"].last_name in response.content.decode()
    other = mine.get(reverse("support-caseload", args=[w["physics_b"].pk]))
    assert other.status_code == 404
    assert Role.METHODIST in Scope(w["rma_methodist"]).roles
