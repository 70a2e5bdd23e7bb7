"""Who sees what: an expert only the items assigned to them, the territory's administration its
items, a teacher their own, every signed-in user the published ones — on pages and the API."""

import pytest
from django.urls import reverse

from nms.accounts.scope import scope_of
from nms.catalogs import services
from nms.catalogs.models import Item, Review
from tests.catalogs.conftest import make_practice, practice_data, review, to_review

pytestmark = pytest.mark.django_db


def visible(user):
    return set(scope_of(user).visible(Item).values_list("pk", flat=True))


@pytest.fixture
def items(world):
    assigned = to_review(world, make_practice(world, title="Назначенная"), [world.expert1])
    other = make_practice(world, title="Не назначенная")
    services.submit(world.users["teacher"], other)
    b_item = services.practice_create(
        world.users["other_school"], practice_data(world.b["school"], title="Школа Б")
    )
    return {"assigned": assigned, "other": other, "b": b_item}


def test_an_expert_sees_only_assigned_items(world, items, client):
    user = world.expert1_user
    assert visible(user) == {items["assigned"].pk}
    assert visible(world.expert2_user) == set()
    client.force_login(user)
    page = client.get(reverse("catalogs-practice-list"))
    assert "Назначенная" in page.content.decode() and "Не назначенная" not in page.content.decode()
    assert (
        client.get(reverse("catalogs-practice-detail", args=[items["other"].pk])).status_code == 404
    )
    answer = client.get("/api/v1/catalogs/practices/")
    assert [row["id"] for row in answer.json()["results"]] == [items["assigned"].pk]
    assert client.get(f"/api/v1/catalogs/practices/{items['other'].pk}/").status_code == 404


def test_territories(world, items):
    users = world.users
    everything = {i.pk for i in items.values()}
    assert visible(users["cnppm"]) == everything
    assert visible(users["ministry"]) == everything
    assert visible(users["municipal"]) == {items["assigned"].pk, items["other"].pk}
    assert visible(users["school"]) == {items["assigned"].pk, items["other"].pk}
    assert visible(users["other_school"]) == {items["b"].pk}
    assert visible(users["teacher"]) == {items["assigned"].pk, items["other"].pk}
    assert visible(users["colleague"]) == set()  # the director of school A as a teacher
    assert visible(world.coauthor_user) == set()  # an expert role: only what is assigned


def test_published_items_are_seen_by_every_signed_in_user(world, items):
    item = to_review(world, make_practice(world, title="Опубликуемая"))
    review(world.expert1_user, item)
    review(world.expert2_user, item)
    services.decide(world.users["cnppm"], item, "publish")
    assert item.pk in visible(world.users["colleague"])
    assert item.pk in visible(world.expert2_user)
    assert item.pk in visible(world.users["other_school"])


def test_an_expert_reads_only_their_own_reviews(world, items, client):
    item = to_review(world, make_practice(world), [world.expert1, world.expert2])
    review(world.expert1_user, item)
    review(world.expert2_user, item)
    own = Review.objects.get(expert=world.expert1)
    assert set(scope_of(world.expert1_user).visible(Review)) == {own}
    client.force_login(world.expert1_user)
    rows = client.get("/api/v1/catalogs/reviews/").json()["results"]
    assert [r["id"] for r in rows] == [own.pk]
    assert len(scope_of(world.users["teacher"]).visible(Review)) == 2  # the author reads both
    assert not scope_of(world.users["other_school"]).visible(Review).exists()


def test_anonymous_sees_no_working_page(client, world, items):
    answer = client.get(reverse("catalogs-practice-list"))
    assert answer.status_code == 302
    assert client.get("/api/v1/catalogs/practices/").status_code in (401, 403)
    page = client.get(reverse("public-practice-detail", args=[items["other"].pk]))
    assert page.status_code == 404
