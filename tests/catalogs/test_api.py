"""The API: a practice through the workflow with POST actions, Russian refusals, versions."""

import pytest
from rest_framework.test import APIClient

from nms.catalogs.models import Item, ItemStatus
from tests.catalogs.conftest import make_practice, scores, to_review

pytestmark = pytest.mark.django_db
API = "/api/v1/catalogs"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_workflow_through_the_api(world):
    teacher = api(world.users["teacher"])
    made = teacher.post(
        f"{API}/practices/",
        {
            "title": "Сетевой урок", "description": "Описание", "level": "municipal",
            "organization": world.a["school"].pk, "tags": "сеть", "links": "https://example.org",
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["authors"][0]["id"] == world.author.pk
    pk = body["id"]
    changed = teacher.patch(f"{API}/practices/{pk}/", {"title": "Сетевой урок 2"}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Сетевой урок 2"
    stale = teacher.post(f"{API}/practices/{pk}/submit/", {"version": 1}, format="json")
    assert stale.status_code == 409
    version = changed.json()["version"]
    assert teacher.post(f"{API}/practices/{pk}/submit/", {"version": version}).status_code == 200

    refused = teacher.post(f"{API}/practices/{pk}/assign/", {"experts": [world.expert1.pk]})
    assert refused.status_code == 403
    cnppm = api(world.users["cnppm"])
    own = cnppm.post(f"{API}/practices/{pk}/assign/", {"experts": [world.author.pk]}, format="json")
    assert own.status_code == 400 and "автор" in str(own.json())
    assigned = cnppm.post(
        f"{API}/practices/{pk}/assign/",
        {"experts": [world.expert1.pk, world.expert2.pk]},
        format="json",
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "review"
    early = cnppm.post(f"{API}/practices/{pk}/publish/", {}, format="json")
    assert early.status_code == 400 and "Нужно не меньше 2" in str(early.json())

    for user in (world.expert1_user, world.expert2_user):
        answer = api(user).post(
            f"{API}/reviews/",
            {"item": pk, "scores": scores(2), "verdict": "publish", "comment": "Хорошо"},
            format="json",
        )
        assert answer.status_code == 201, answer.content
        assert answer.json()["total"] == 10
    again = api(world.expert1_user).post(
        f"{API}/reviews/", {"item": pk, "scores": scores(), "verdict": "publish"}, format="json"
    )
    assert again.status_code == 400
    published = cnppm.post(f"{API}/practices/{pk}/publish/", {}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    replication = api(world.users["school"]).post(
        f"{API}/practices/{pk}/replications/",
        {"organization": world.a["school"].pk, "level": "school"},
        format="json",
    )
    assert replication.status_code == 201, replication.content


def test_an_author_cannot_post_a_review(world):
    item = to_review(world, make_practice(world), [world.expert1])
    answer = api(world.users["teacher"]).post(
        f"{API}/reviews/",
        {"item": item.pk, "scores": scores(), "verdict": "publish"},
        format="json",
    )
    assert answer.status_code == 400
    assert not item.reviews.exists()


def test_revise_needs_a_reason_and_reject(world):
    item = to_review(world, make_practice(world))
    cnppm = api(world.users["cnppm"])
    answer = cnppm.post(f"{API}/practices/{item.pk}/revise/", {}, format="json")
    assert answer.status_code == 400 and "причину" in str(answer.json())
    answer = cnppm.post(f"{API}/practices/{item.pk}/reject/", {"comment": "Не по теме"})
    assert answer.status_code == 200
    assert Item.objects.get(pk=item.pk).status == ItemStatus.REJECTED


def test_materials_endpoint(world):
    teacher = api(world.users["teacher"])
    made = teacher.post(
        f"{API}/materials/",
        {"title": "Рекомендации", "description": "Аннотация", "level": "regional",
         "material_kind": "recommendations", "audience": "молодые педагоги"},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["kind"] == "material"
    assert teacher.get(f"{API}/practices/{made.json()['id']}/").status_code == 404
    missing = teacher.post(
        f"{API}/materials/", {"title": "Без вида", "description": "А", "level": "regional"}
    )
    assert missing.status_code == 400 and "вид материала" in str(missing.json())


def test_the_list_reads_a_bounded_number_of_queries(world, count_queries):
    from nms.accounts.scope import scope_of

    client = api(world.users["cnppm"])
    scope_of(world.users["cnppm"])
    make_practice(world)
    few, _ = count_queries(client.get, f"{API}/practices/")
    for n in range(4):
        make_practice(world, title=f"Ещё {n}", tags=f"тег{n}")
    more, answer = count_queries(client.get, f"{API}/practices/")
    assert answer.json()["count"] == 5 and more == few
