"""The pages: a practice from the form through the review to the public bank, the public pages
(search ё/е alike, filters, nothing personal), files, exports, bounded queries."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nms.catalogs import services
from nms.catalogs.models import Item, ItemStatus, Material
from nms.events.models import Event
from tests.catalogs.conftest import make_practice, review, scores, to_review

pytestmark = pytest.mark.django_db
TODAY = date.today()


def published(world, **extra):
    item = to_review(world, make_practice(world, **extra))
    review(world.expert1_user, item)
    review(world.expert2_user, item)
    return services.decide(world.users["cnppm"], item, "publish")


def test_the_workflow_through_the_pages(world, client):
    contest = Event.objects.create(
        region=world.region, title="Конкурс практик", kind="contest", level="regional",
        starts_on=TODAY - timedelta(days=5), ends_on=TODAY, organizer_name="ИРО",
    )  # fmt: skip
    client.force_login(world.users["teacher"])
    form = client.get(reverse("catalogs-practice-create") + f"?event={contest.pk}")
    assert re.search(rf'<option value="{contest.pk}" selected>', form.content.decode())
    answer = client.post(
        reverse("catalogs-practice-create"),
        {
            "title": "Ёлочка знаний", "description": "Описание",
            "organization": world.a["school"].pk, "level": "school", "event": contest.pk,
            "authors_text": world.coauthor.last_name, "tags": "игра",
        },
    )  # fmt: skip
    item = Item.objects.get()
    assert answer.status_code == 302 and item.event == contest
    assert set(item.authors.all()) == {world.author, world.coauthor}
    client.post(
        reverse("catalogs-item-file-add", args=[item.pk]),
        {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")},
    )
    assert item.files.count() == 1
    item.refresh_from_db()
    client.post(reverse("catalogs-item-submit", args=[item.pk]), {"version": item.version})
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED

    client.force_login(world.users["cnppm"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert (
        "Назначить экспертов" in page
        and world.coauthor.last_name not in page.split('id="assign-form"')[1].split("</form>")[0]
    )
    client.post(
        reverse("catalogs-item-assign", args=[item.pk]),
        {"version": item.version, "experts": [world.expert1.pk, world.expert2.pk]},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEW

    for user in (world.expert1_user, world.expert2_user):
        client.force_login(user)
        listing = client.get(reverse("catalogs-my-reviews")).content.decode()
        assert "Написать заключение" in listing
        data = {f"score_{k}": v for k, v in scores().items()} | {"verdict": "publish"}
        assert client.post(reverse("catalogs-item-review", args=[item.pk]), data).status_code == 302
    assert item.reviews.count() == 2

    client.force_login(world.users["cnppm"])
    item.refresh_from_db()
    client.post(
        reverse("catalogs-item-decide", args=[item.pk, "publish"]), {"version": item.version}
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED

    client.logout()
    found = client.get(reverse("public-practice-list"), {"q": "елочка"}).content.decode()
    assert "Ёлочка знаний" in found
    detail = client.get(reverse("public-practice-detail", args=[item.pk])).content.decode()
    assert world.author.last_name in detail and "Конкурс практик" in detail
    file_url = reverse("public-catalog-file", args=[item.pk, item.files.get().pk])
    assert file_url in detail and client.get(file_url).status_code == 200


def test_an_expert_cannot_review_what_is_not_assigned(world, client):
    item = to_review(world, make_practice(world), [world.expert1])
    client.force_login(world.expert2_user)
    assert client.get(reverse("catalogs-item-review", args=[item.pk])).status_code == 404


def test_public_pages_show_nothing_personal(world, client):
    person = world.author
    person.email = "avtor@example.org"
    person.save()
    item = published(world)
    pages = [
        client.get(reverse("public-practice-list")),
        client.get(reverse("public-practice-detail", args=[item.pk])),
        client.get(reverse("public-material-list")),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert person.last_name in text or page is pages[2]
        for secret in (person.snils, person.email, f"{person.birth_date:%d.%m.%Y}"):
            assert secret not in text


def test_public_filters(world, client):
    published(world, title="Первая", level="school")
    second = published(world, title="Вторая", level="regional", tags="проекты")
    rows = client.get(reverse("public-practice-list"), {"level": "regional"}).content.decode()
    assert "Вторая" in rows and "Первая" not in rows
    tag = second.tags.get()
    rows = client.get(reverse("public-practice-list"), {"tag": tag.pk}).content.decode()
    assert "Вторая" in rows and "Первая" not in rows
    other = client.get(
        reverse("public-practice-list"), {"municipality": world.b["municipality"].pk}
    ).content.decode()
    assert "Вторая" not in other


def test_unpublished_files_stay_in_the_scope(world, client):
    item = make_practice(world)
    made = services.file_add(world.users["teacher"], item, SimpleUploadedFile("a.pdf", b"%PDF"))
    client.force_login(world.users["other_school"])
    assert client.get(reverse("catalogs-item-file", args=[item.pk, made.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("public-catalog-file", args=[item.pk, made.pk])).status_code == 404


def test_list_export_and_queries(world, client, count_queries):
    for n in range(3):
        make_practice(world, title=f"Практика {n}")
    client.force_login(world.users["cnppm"])
    answer = client.get(reverse("catalogs-practice-list"), {"format": "xlsx"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd")
    few, _ = count_queries(client.get, reverse("catalogs-practice-list"))
    for n in range(5):
        make_practice(world, title=f"Ещё {n}")
    more, _ = count_queries(client.get, reverse("catalogs-practice-list"))
    assert more == few


def test_materials_have_their_kind(world, client):
    client.force_login(world.users["teacher"])
    answer = client.post(
        reverse("catalogs-material-create"),
        {
            "title": "Сборник",
            "description": "Аннотация",
            "level": "regional",
            "audience": "учителя",
        },
    )
    assert answer.status_code == 200 and "field-error" in answer.content.decode()
    client.post(
        reverse("catalogs-material-create"),
        {
            "title": "Сборник", "description": "Аннотация", "level": "regional",
            "material_kind": "collection", "audience": "учителя",
        },
    )  # fmt: skip
    assert Material.objects.get().material_kind == "collection"
    assert not Item.objects.filter(kind="practice").exists()


def test_person_card_panel(world, client):
    item = to_review(world, make_practice(world, title="Практика на карточке"), [world.expert1])
    client.force_login(world.users["teacher"])
    card = client.get(reverse("person-detail", args=[world.author.pk])).content.decode()
    assert "Практика на карточке" in card
    client.force_login(world.expert1_user)
    card = client.get(reverse("person-detail", args=[world.expert1.pk])).content.decode()
    assert reverse("catalogs-item-review", args=[item.pk]) in card
