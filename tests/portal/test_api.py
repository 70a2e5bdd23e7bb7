"""The portal's API: reads of the scope's regions, writes through the services, the selection's
decision, 404 outside the scope."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from tests.factories import UserFactory
from tests.portal.conftest import TODAY

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _names(response, key="title"):
    assert response.status_code == 200, response.content
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row[key] for row in rows}


def test_lists_show_the_region_only(world, users, other_cnppm):
    client = _client(users["teacher"])
    assert _names(client.get(reverse("api-portal-news-list"))) == {
        "Стартовал конкурс «Учитель года»", "Черновик новости", "Будущая новость",
    }  # fmt: skip
    assert "Соседское сообщество" not in _names(client.get(reverse("api-community-list")), "name")
    assert _names(client.get(reverse("api-innovation-site-list")), "project") == {
        "Функциональная грамотность в школе", "Школа полного дня",
    }  # fmt: skip
    site = world["sites"]["active"]
    outside = _client(other_cnppm)
    assert outside.get(reverse("api-innovation-site-detail", args=[site.pk])).status_code == 404
    assert (
        outside.patch(
            reverse("api-innovation-site-detail", args=[site.pk]), {"topic": "x"}, format="json"
        ).status_code
        == 404
    )
    assert APIClient().get(reverse("api-portal-resource-list")).status_code in (401, 403)


def test_community_members_carry_names_and_roles_only(world, users):
    response = _client(users["cnppm"]).get(
        reverse("api-community-detail", args=[world["communities"]["association"].pk])
    )
    members = response.json()["members"]
    assert {m["role"] for m in members} == {"leader", "member"}
    assert set(members[0]) == {"id", "person", "name", "role", "joined_on"}


def test_an_application_and_the_decision(world, users):
    municipal = _client(users["municipal"])
    response = municipal.post(
        reverse("api-innovation-site-list"),
        {"organization": world["a"]["school"].pk, "project": "API-проект",
         "starts_on": TODAY.isoformat(), "ends_on": TODAY.replace(year=TODAY.year + 2).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    site = response.json()
    assert site["status"] == "applied"
    url = reverse("api-innovation-site-decide", args=[site["id"]])
    decision = {"status": "active", "decided_by": "cnppm", "order_number": "5-од",
                "order_date": TODAY.isoformat()}  # fmt: skip
    assert municipal.post(url, decision, format="json").status_code == 403
    cnppm = _client(users["cnppm"])
    answer = cnppm.post(url, {**decision, "order_number": ""}, format="json")
    assert answer.status_code == 400
    answer = cnppm.post(url, {**decision, "version": site["version"]}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "active"
    stale = cnppm.post(url, {**decision, "status": "completed", "version": 1}, format="json")
    assert stale.status_code == 409


def test_resources_and_news_writes(world, users):
    body = {"title": "API-ресурс", "kind": "platform", "url": "https://api.example.ru"}
    assert (
        _client(users["municipal"])
        .post(reverse("api-portal-resource-list"), body, format="json")
        .status_code
        == 403
    )
    response = _client(users["cnppm"]).post(
        reverse("api-portal-resource-list"), body, format="json"
    )
    assert response.status_code == 201 and response.json()["audience"] == "all"
    response = _client(users["cnppm"]).post(
        reverse("api-portal-news-list"),
        {"title": "API-новость", "published_on": "01.02.2025", "text": "т", "published": True},
        format="json",
    )
    assert response.status_code == 201 and response.json()["published_on"] == "2025-02-01"


def test_members_are_shown_to_editors_and_otherwise_leaders_and_ones_own_people(world, users):
    url = reverse("api-community-detail", args=[world["communities"]["association"].pk])
    # the school administration of B: the leader (teacher A) and its own teacher B
    school_b = UserFactory(role=Role.SCHOOL, organization=world["b"]["school"])
    names = {m["name"] for m in _client(school_b).get(url).json()["members"]}
    assert names == {world["a"]["teacher"].full_name, world["b"]["teacher"].full_name}
    # a teacher of A sees the leader (herself) but not teacher B
    names = {m["name"] for m in _client(users["teacher"]).get(url).json()["members"]}
    assert names == {world["a"]["teacher"].full_name}


def test_lists_run_a_fixed_number_of_queries(world, users):
    from nms.portal.models import Community, InnovationSite

    client = _client(users["cnppm"])
    for name in ("api-community-list", "api-innovation-site-list"):
        client.get(reverse(name))  # warm the caches (content types, scope)
    counts = {}
    for extra in (0, 6):
        for index in range(extra):
            Community.objects.create(region=world["region"], name=f"Добавочное {extra}-{index}",
                                     kind="club", level="regional")  # fmt: skip
            InnovationSite.objects.create(
                region=world["region"], organization=world["a"]["school"], project=f"П{index}",
                starts_on=TODAY, ends_on=TODAY,
            )  # fmt: skip
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for name in ("api-community-list", "api-innovation-site-list"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts[(name, extra)] = len(queries)
    for name in ("api-community-list", "api-innovation-site-list"):
        assert counts[(name, 0)] == counts[(name, 6)], counts


def test_a_site_carries_its_documents_and_which_are_public(world, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nms.portal import services

    site = world["sites"]["active"]
    for kind, name in (("plan", "План 2025.pdf"), ("expertise", "Заключение.pdf")):
        data = {"kind": kind, "year": 2025, "file": SimpleUploadedFile(name, b"%PDF")}
        services.site_document(users["cnppm"], site, data)
    response = _client(users["teacher"]).get(reverse("api-innovation-site-detail", args=[site.pk]))
    assert response.status_code == 200
    documents = {d["kind"]: d for d in response.json()["documents"]}
    assert set(documents) == {"plan", "expertise"}
    plan, expertise = documents["plan"], documents["expertise"]
    assert plan["public"] is True and plan["filename"] == "План 2025.pdf"
    assert plan["public_url"].endswith(reverse("portal-site-document", args=[site.pk, plan["id"]]))
    assert expertise["public"] is False and expertise["public_url"] is None
    # the public address answers without a login
    assert APIClient().get(plan["public_url"]).status_code == 200
    assert (
        APIClient()
        .get(reverse("portal-site-document", args=[site.pk, expertise["id"]]))
        .status_code
        == 404
    )
    # the list gives the sites alone
    rows = _client(users["teacher"]).get(reverse("api-innovation-site-list")).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert all("documents" not in row for row in rows)
