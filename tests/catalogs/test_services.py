"""The review workflow on hand-built cases: submission, experts, reviews, the publish rule,
revision and resubmission, history; the author never reviews their own work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.catalogs import services
from nms.catalogs.models import Assignment, ItemStatus, Review, Transition
from tests.catalogs.conftest import make_practice, review, scores, to_review

pytestmark = pytest.mark.django_db


def test_draft_has_the_creator_as_first_author_and_history(world):
    item = make_practice(world)
    assert [a.person for a in item.authorships.all()] == [world.author, world.coauthor]
    assert item.status == ItemStatus.DRAFT and item.region == world.region
    assert sorted(item.tags.values_list("name", flat=True)) == ["фг", "чтение"]
    assert list(Transition.objects.values_list("to_status", flat=True)) == ["draft"]


def test_links_must_be_web_addresses(world):
    with pytest.raises(ValidationError) as error:
        make_practice(world, links="https://example.org/a\nftp://x")
    assert "Строка 2" in str(error.value)


def test_two_reviews_then_publication(world):
    item = to_review(world, make_practice(world))
    assert item.status == ItemStatus.REVIEW and item.round == 1
    review(world.expert1_user, item)
    assert "Нужно не меньше 2" in services.publish_refusal(item)
    with pytest.raises(ValidationError):
        services.decide(world.users["cnppm"], item, "publish")
    review(world.expert2_user, item)
    services.decide(world.users["cnppm"], item, "publish")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_on is not None
    steps = list(Transition.objects.filter(item=item).values_list("to_status", "actor"))
    assert [s for s, _ in steps] == ["draft", "submitted", "review", "published"]
    assert steps[-1][1] == world.users["cnppm"].pk


def test_majority_must_recommend_publication(world):
    item = to_review(world, make_practice(world))
    review(world.expert1_user, item)
    review(world.expert2_user, item, verdict="revise", comment="Добавьте результаты")
    assert "Большинство" in services.publish_refusal(item)


def test_revision_and_resubmission_open_a_new_round(world):
    item = to_review(world, make_practice(world))
    review(world.expert1_user, item, verdict="revise", comment="Нет результатов")
    with pytest.raises(ValidationError):  # a reason is required
        services.decide(world.users["cnppm"], item, "revise")
    services.decide(world.users["cnppm"], item, "revise", comment="Добавьте результаты")
    item.refresh_from_db()
    assert item.status == ItemStatus.REVISION
    services.item_update(world.users["teacher"], item, {"description": "С результатами"})
    services.submit(world.users["teacher"], item)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and item.round == 2
    services.assign_experts(world.users["cnppm"], item, [world.expert1, world.expert2])
    item.refresh_from_db()
    # The first round's review does not count in the second.
    assert services.round_reviews(item) == []
    review(world.expert1_user, item)
    review(world.expert2_user, item)
    services.decide(world.users["cnppm"], item, "publish")


def test_an_author_cannot_be_assigned_nor_review(world):
    item = make_practice(world)
    services.submit(world.users["teacher"], item)
    with pytest.raises(ValidationError) as error:
        services.assign_experts(world.users["cnppm"], item, [world.coauthor])
    assert "автор" in str(error.value)
    assert not Assignment.objects.exists()
    # Even an assignment made behind the service's back gives no review.
    item.status, item.round = ItemStatus.REVIEW, 1
    item.save()
    Assignment.objects.create(item=item, expert=world.coauthor, round=1)
    with pytest.raises(PermissionDenied, match="Автор не может"):
        review(world.coauthor_user, item)
    assert not Review.objects.exists()


def test_a_free_text_coauthor_is_an_author_too(world):
    item = make_practice(world, coauthors=f"{world.expert1.last_name} {world.expert1.first_name}")
    services.submit(world.users["teacher"], item)
    with pytest.raises(ValidationError):
        services.assign_experts(world.users["cnppm"], item, [world.expert1])


def test_experts_are_current_expert_roles_with_accounts(world):
    item = make_practice(world)
    services.submit(world.users["teacher"], item)
    eligible = set(services.eligible_experts(item))
    assert {world.expert1, world.expert2} <= eligible
    assert world.stale_expert not in eligible and world.coauthor not in eligible
    with pytest.raises(ValidationError, match="не эксперт"):
        services.assign_experts(world.users["cnppm"], item, [world.stale_expert])


def test_only_the_cnppm_assigns_and_decides(world):
    item = make_practice(world)
    services.submit(world.users["teacher"], item)
    for name in ("teacher", "school", "municipal", "ministry"):
        with pytest.raises(PermissionDenied):
            services.assign_experts(world.users[name], item, [world.expert1])


def test_review_scores_are_checked(world):
    item = to_review(world, make_practice(world))
    assignment = services.open_assignment(world.expert1_user, item)
    bad = scores()
    bad[next(iter(bad))] = 99
    with pytest.raises(ValidationError, match="балл от 0"):
        services.review_write(world.expert1_user, assignment, {"scores": bad, "verdict": "publish"})
    with pytest.raises(ValidationError):  # reject without a reason
        services.review_write(
            world.expert1_user, assignment, {"scores": scores(), "verdict": "reject"}
        )
    made = review(world.expert1_user, item)
    assert made.total == 15 and made.max_total == 15
    with pytest.raises(PermissionDenied):  # not their assignment
        services.review_write(
            world.expert2_user, assignment, {"scores": scores(), "verdict": "publish"}
        )


def test_only_drafts_are_edited(world):
    item = to_review(world, make_practice(world))
    with pytest.raises(PermissionDenied):
        services.item_update(world.users["teacher"], item, {"title": "Другое"})


def test_file_limits(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_practice(world)
    with pytest.raises(ValidationError, match="не принимается"):
        services.file_add(world.users["teacher"], item, SimpleUploadedFile("x.exe", b"MZ"))
    settings.NMS_CATALOG_FILE_BYTES = 3
    with pytest.raises(ValidationError, match="больше"):
        services.file_add(world.users["teacher"], item, SimpleUploadedFile("a.pdf", b"%PDF-1"))
    settings.NMS_CATALOG_FILE_BYTES = 1000
    made = services.file_add(world.users["teacher"], item, SimpleUploadedFile("a.pdf", b"%PDF"))
    assert made.filename == "a.pdf"


def test_replication_of_a_published_practice(world):
    item = to_review(world, make_practice(world))
    review(world.expert1_user, item)
    review(world.expert2_user, item)
    services.decide(world.users["cnppm"], item, "publish")
    item.refresh_from_db()
    made = services.replication_add(
        world.users["municipal"], item, {"organization": world.a["school"], "level": "municipal"}
    )
    assert made.municipality == world.a["municipality"]
    with pytest.raises(PermissionDenied):  # school B is outside municipality A
        services.replication_add(
            world.users["municipal"], item, {"organization": world.b["school"], "level": "school"}
        )


def test_the_cnppm_keeps_the_criteria(world, client):
    from django.urls import reverse

    from nms.catalogs.models import Criterion

    services.criteria()
    client.force_login(world.users["teacher"])
    assert client.get(reverse("catalogs-criteria")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.criteria_save(world.users["teacher"], [{"name": "Х", "max_score": 5}])
    client.force_login(world.users["cnppm"])
    page = client.get(reverse("catalogs-criteria"))
    assert page.status_code == 200
    first = Criterion.objects.first()
    data = {"c-TOTAL_FORMS": 2, "c-INITIAL_FORMS": 1, "c-0-id": first.pk, "c-0-name": first.name,
            "c-0-max_score": 5, "c-0-order": 1, "c-0-active": "on", "c-1-name": "Новый критерий",
            "c-1-max_score": 4, "c-1-order": 9, "c-1-active": "on"}  # fmt: skip
    assert client.post(reverse("catalogs-criteria"), data).status_code == 302
    first.refresh_from_db()
    assert first.max_score == 5 and Criterion.objects.filter(name="Новый критерий").exists()
    item = to_review(world, make_practice(world))
    made = review(world.expert1_user, item)
    assert made.max_total == 3 * 4 + 5 + 4
