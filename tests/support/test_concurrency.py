"""A save on a stale copy is refused for every editable record of the app (the cases named in
tests/common/test_concurrency.py::COVERED): the page keeps the input, the API answers 409."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from nms.common.concurrency import StaleRecord
from nms.support import caseloads, services
from nms.support.models import ActiveMembership, ExpertRole, SupportAct
from tests.support.conftest import TODAY

pytestmark = pytest.mark.django_db
STALE = "Запись изменили, пока вы её редактировали"


def test_membership_page_second_save_is_refused(world):
    membership = ActiveMembership.objects.get()
    client = Client()
    client.force_login(world["cnppm"])
    url = reverse("support-membership-edit", args=[membership.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "role": "methodist", "level": "regional", "municipality": membership.municipality_id,
        "starts_on": membership.starts_on.strftime("%d.%m.%Y"), "basis": "part_time",
        "specialisations": "ФГОС", "version": membership.version,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "specialisations": "Другое"})
    assert response.status_code == 200 and STALE in response.content.decode()
    membership.refresh_from_db()
    assert membership.specialisations == "ФГОС" and membership.basis == "part_time"


def test_expert_role_stale_update(world):
    role = services.expert_create(
        world["cnppm"],
        {"person": world["a"]["teacher"], "kind": "jury", "level": "regional", "starts_on": TODAY},
    )
    version = role.version
    services.expert_update(world["cnppm"], role, {"level": "federal"}, version)
    with pytest.raises(StaleRecord):
        services.expert_update(
            world["cnppm"], ExpertRole.objects.get(pk=role.pk), {"level": "municipal"}, version
        )
    assert ExpertRole.objects.get(pk=role.pk).level == "federal"


def test_support_act_stale_update(world):
    act = services.act_create(
        world["cnppm"],
        {"kind": "consultation", "held_on": TODAY, "person": world["a"]["teacher"], "topic": "А"},
    )
    version = act.version
    services.act_update(world["cnppm"], act, {"topic": "Б"}, version)
    with pytest.raises(StaleRecord):
        services.act_update(world["cnppm"], SupportAct.objects.get(pk=act.pk), {"topic": "В"},
                            version)  # fmt: skip
    assert SupportAct.objects.get(pk=act.pk).topic == "Б"


def test_help_request_stale_answer(world):
    request = services.request_create(world["teacher"], {"topic": "Т", "question": "?"})
    version = request.version
    services.request_answer(world["rma_methodist"], request, "Первый", version)
    with pytest.raises(ValidationError, match=STALE):
        services.request_answer(world["cnppm"], request, "Второй", version)


def test_caseload_stale_release(world):
    caseload = caseloads.caseload_assign(
        world["cnppm"], world["methodist_person"], world["a"]["teacher"]
    )
    with pytest.raises(StaleRecord):
        caseloads.caseload_remove(world["cnppm"], caseload, caseload.version + 1)
