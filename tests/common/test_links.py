"""A link or a button is shown only when its page would answer the user: the template asks the
page's own check (nms.common.links, `{% allowed_url %}`)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from nms.common.links import allowed_url
from tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_job(two_municipalities):
    """The director of school A also works at school B (another municipality)."""
    a, b = two_municipalities["a"], two_municipalities["b"]
    return EmploymentFactory(person=a["director"], organization=b["school"], is_part_time=True)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_co_workers_second_job_elsewhere_has_no_links(client, users, second_job):
    person = second_job.person
    own_job = person.employments.exclude(pk=second_job.pk).get()
    client.force_login(users["school"])
    page = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert second_job.organization.short_name in page  # the fact is shown …
    for hidden in (
        reverse("organization-detail", args=[second_job.organization_id]),
        reverse("employment-edit", args=[person.pk, second_job.pk]),
        reverse("employment-delete", args=[person.pk, second_job.pk]),
    ):
        assert hidden not in page  # … without the links the pages would refuse
        assert client.get(hidden).status_code in (403, 404)
    for shown in (
        reverse("organization-detail", args=[own_job.organization_id]),
        reverse("employment-edit", args=[person.pk, own_job.pk]),
        reverse("employment-delete", args=[person.pk, own_job.pk]),
        reverse("person-edit", args=[person.pk]),
    ):
        assert shown in page
    assert client.get(reverse("employment-edit", args=[person.pk, own_job.pk])).status_code == 200


def test_allowed_url_asks_the_page(users, second_job):
    person = second_job.person
    school, teacher = _request(users["school"]), _request(users["teacher"])
    assert allowed_url(school, "person-edit", person.pk) == f"/registry/people/{person.pk}/edit/"
    assert allowed_url(teacher, "person-edit", person.pk) == ""  # outside the teacher's scope
    assert allowed_url(teacher, "registry-import") == ""  # a page the role lacks (404)
    assert allowed_url(school, "registry-import") == "/registry/import/"
    assert allowed_url(school, "employment-edit", person.pk, second_job.pk) == ""  # 403
    own = users["teacher"].person_id
    assert allowed_url(teacher, "person-detail", own) == f"/registry/people/{own}/"
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    assert allowed_url(anonymous, "person-detail", own) == ""
