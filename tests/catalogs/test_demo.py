"""The demo's banks on the small region of tests/demo: every state, reviews, the demo expert has
work waiting, the demo teacher a draft; the public pages show the published items."""

import pytest
from django.urls import reverse

from nms.catalogs import selectors
from nms.catalogs.models import Assignment, Item, ItemStatus, Replication, Review, Transition
from nms.demo.build import build_demo_region
from nms.registry.models import Person

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 2, "organizations": 8, "people": 40, "seed": 2}


def test_demo_banks_in_every_state_and_nothing_personal_on_public_pages(client):
    build_demo_region(**SIZES)
    for kind in ("practice", "material"):
        states = set(Item.objects.filter(kind=kind).values_list("status", flat=True))
        assert states == set(ItemStatus.values)
    assert Item.objects.filter(kind="practice", status="published").count() == 48
    assert Review.objects.filter(item__status="published").count() >= 2 * 74
    assert Replication.objects.exists()
    expert = Person.objects.get(user__username="expert")
    waiting = Assignment.objects.filter(expert=expert, review__isnull=True, item__status="review")
    assert waiting.exists()
    teacher = Person.objects.get(user__username="teacher")
    assert Item.objects.filter(authorships__person=teacher, status="draft").exists()
    first = Transition.objects.order_by("created_at").first()
    assert (
        first.created_at.date()
        < Transition.objects.order_by("-created_at").first().created_at.date()
    )

    people = list(Person.objects.values("snils", "email", "birth_date"))
    item = selectors.public_items("practice").first()
    material = selectors.public_items("material").first()
    pages = [
        reverse("public-practice-list"), reverse("public-material-list"),
        reverse("public-practice-list") + "?page=2",
        reverse("public-practice-detail", args=[item.pk]),
        reverse("public-material-detail", args=[material.pk]),
    ]  # fmt: skip
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200
        text = answer.content.decode()
        for p in people:
            assert p["snils"] not in text
            assert f"{p['birth_date']:%d.%m.%Y}" not in text
            assert not p["email"] or p["email"] not in text
