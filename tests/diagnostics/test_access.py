"""The item bank's readers may not take a test drawn from it (access rule diagnostics.take)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.diagnostics import services as diagnostics
from nms.diagnostics.variants import assemble_variants
from tests.factories import assign
from tests.itembank.conftest import make_item


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


@pytest.fixture
def bank_procedure(procedure, areas, cnppm, two_municipalities):
    procedure.blueprint.all().delete()
    procedure.blueprint.create(area=areas["ict"], easy=1)
    make_item(areas["ict"], "ict-1", 1)
    diagnostics.group_create(
        cnppm, procedure, "Школа А", {"organization": two_municipalities["a"]["school"]}
    )
    assemble_variants(procedure)
    return procedure


def test_expert_who_reads_the_keys_cannot_take_the_test(
    bank_procedure, make_user, two_municipalities
):
    a = two_municipalities["a"]
    expert = make_user(Role.EXPERT, person=a["teacher"])
    assign(expert, Role.TEACHER)
    expert.__dict__.pop("_nms_scope", None)
    assert scope_of(expert).can("itembank.view")
    with pytest.raises(PermissionDenied, match="ключи банка заданий"):
        diagnostics.attempt_start(expert, bank_procedure)


def test_expert_is_refused_on_the_page_in_russian(
    client, bank_procedure, make_user, two_municipalities
):
    expert = make_user(Role.EXPERT, person=two_municipalities["a"]["teacher"])
    client.force_login(expert)
    response = client.post(reverse("attempt-start", args=[bank_procedure.pk]))
    assert response.status_code == 403
    assert "ключи банка заданий" in response.content.decode()


def test_teacher_takes_the_same_test(bank_procedure, make_user, two_municipalities):
    teacher = make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"])
    attempt = diagnostics.attempt_start(teacher, bank_procedure)
    assert attempt.person_id == two_municipalities["a"]["teacher"].pk
