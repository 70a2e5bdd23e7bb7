"""Competency areas are data the ЦНППМ edits; nobody else may."""

import pytest
from django.urls import reverse

from nms.accounts.models import Role
from nms.itembank.models import CompetencyArea, SubCompetency


@pytest.fixture
def cnppm_client(client, make_user):
    client.force_login(make_user(Role.CNPPM))
    return client


def test_cnppm_renames_area_and_adds_subcompetency(cnppm_client):
    area = CompetencyArea.objects.get(code="ict")
    page = cnppm_client.get(reverse("area-list")).content.decode()
    assert "ИКТ" in page and "информационная безопасность" in page
    response = cnppm_client.post(
        reverse("area-edit", args=[area.pk]),
        {"name": "ИКТ-компетентность", "code": "ict", "order": 5, "version": area.version},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "ИКТ-компетентность"
    cnppm_client.post(reverse("sub-create", args=[area.pk]), {"name": "искусственный интеллект"})
    assert SubCompetency.objects.filter(area=area, name="искусственный интеллект").exists()


def test_duplicate_area_name_is_refused_in_russian(cnppm_client):
    response = cnppm_client.post(
        reverse("area-create"), {"name": "методическая", "code": "methodical2", "order": 9}
    )
    assert response.status_code == 200
    assert "уже существует" in response.content.decode()
    assert not CompetencyArea.objects.filter(code="methodical2").exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MUNICIPAL, Role.SCHOOL, Role.EXPERT])
def test_other_roles_get_404(client, make_user, two_municipalities, role):
    a = two_municipalities["a"]
    binding = {
        Role.TEACHER: {"person": a["teacher"]},
        Role.MUNICIPAL: {"municipality": a["municipality"]},
        Role.SCHOOL: {"organization": a["school"]},
        Role.EXPERT: {"person": a["director"]},
    }[role]
    client.force_login(make_user(role, **binding))
    area = CompetencyArea.objects.get(code="ict")
    assert client.get(reverse("area-list")).status_code == 404
    assert client.post(reverse("area-edit", args=[area.pk]), {"name": "x"}).status_code == 404
