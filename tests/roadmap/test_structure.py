"""Directions and system-forming measures: edited and deleted by the roadmap's editors — in the
services, on the pages and in the API; a delete is refused while anything belongs to the record
and then nothing is deleted; another region's users see none of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.common.concurrency import StaleRecord
from nms.roadmap import services
from nms.roadmap.models import Activity, Direction, Measure
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/roadmap"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def direction(world, number) -> Direction:
    return world.roadmap.directions.get(number=number)


def measure(world, number) -> Measure:
    return Measure.objects.get(direction__roadmap=world.roadmap, number=number)


def stranger():
    """The ЦНППМ of another region."""
    return UserFactory(role=Role.CNPPM, region=RegionFactory(name="Соседняя область", code="98"))


# -- services ----------------------------------------------------------------------------------
def test_editors_edit_a_direction_and_a_measure(world):
    user = world.users["cnppm"]
    first = direction(world, 1)
    saved = services.direction_update(user, first, {"number": 5, "title": "Управление НМС"})
    assert (saved.number, saved.title, saved.version) == (5, "Управление НМС", 2)
    assert Direction.objects.filter(search_text__contains="управление нмс").exists()
    with pytest.raises(ValidationError) as taken:
        services.direction_update(user, direction(world, 2), {"number": 5})
    assert taken.value.message_dict == {"number": ["Направление 5 уже есть."]}

    moved = services.measure_update(
        user, measure(world, "1.2"), {"direction": direction(world, 2), "title": "Муниципалитеты"}
    )
    assert moved.direction.number == 2 and moved.title == "Муниципалитеты"
    assert world.activity["1.2.1"].measure_id == moved.pk  # its activities go with it
    with pytest.raises(ValidationError) as taken:
        services.measure_update(user, measure(world, "1.1"), {"direction": moved.direction,
                                                              "number": "2.1"})  # fmt: skip
    assert "уже есть" in taken.value.message_dict["number"][0]


def test_the_database_keeps_measure_numbers_unique_in_a_direction(world):
    """The service's check has the database behind it: two writers racing cannot both win."""
    from django.db import IntegrityError, transaction

    first = measure(world, "1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(direction=first.direction, number="1.1", title="Двойник")
    other = Measure.objects.create(direction=direction(world, 2), number="1.1", title="Другое")
    assert other.pk  # the same number in another direction is another measure


def test_a_measure_moves_only_within_its_roadmap(world, region, two_municipalities):
    from tests.roadmap.conftest import build

    other = build(region, world.b["municipality"].name, world.b["school"].short_name, "Вторая ДК")
    with pytest.raises(ValidationError) as refused:
        services.measure_update(
            world.users["cnppm"], measure(world, "1.1"), {"direction": other.directions.first()}
        )
    assert "той же дорожной карты" in refused.value.message_dict["direction"][0]
    assert measure(world, "1.1").direction == direction(world, 1)


def test_delete_is_refused_while_something_belongs_to_it(world):
    user = world.users["cnppm"]
    with pytest.raises(ValidationError) as refused:
        services.measure_delete(user, measure(world, "1.1"))
    message = refused.value.messages[0]
    assert "нельзя удалить" in message and "1.1.1, 1.1.2 (всего 2)" in message
    with pytest.raises(ValidationError) as refused:
        services.direction_delete(user, direction(world, 1))
    assert "системообразующие мероприятия — 1.1, 1.2 (всего 2)" in refused.value.messages[0]
    assert Measure.objects.filter(direction__roadmap=world.roadmap).count() == 3
    assert Activity.objects.filter(roadmap=world.roadmap).count() == 4
    assert direction(world, 1).version == 1  # the refusal changed nothing, not even the version


def test_delete_of_an_empty_measure_and_direction(world):
    user = world.users["cnppm"]
    empty = services.direction_create(user, {"number": 3, "title": "Содержание"}, world.roadmap)
    lone = services.measure_create(user, {"direction": empty, "number": "3.1", "title": "Каталог"})
    with pytest.raises(ValidationError):
        services.direction_delete(user, empty)
    with pytest.raises(StaleRecord):
        services.measure_delete(user, lone, expected_version=lone.version + 1)
    services.measure_delete(user, lone, expected_version=lone.version)
    services.direction_delete(user, empty)
    assert not Direction.objects.filter(pk=empty.pk).exists()
    assert not Measure.objects.filter(pk=lone.pk).exists()


def test_only_the_roadmaps_editors_change_the_structure(world):
    first = direction(world, 1)
    for user in (world.users["municipal"], world.users["methodist"], stranger()):
        with pytest.raises(PermissionDenied):
            services.direction_update(user, first, {"title": "Чужое"})
        with pytest.raises(PermissionDenied):
            services.measure_delete(user, measure(world, "2.1"))
    services.direction_update(world.users["ministry"], first, {"title": "Министерское"})
    assert direction(world, 1).title == "Министерское"


# -- API ---------------------------------------------------------------------------------------
def test_api_lists_filters_and_searches(world):
    client = api(world.users["methodist"])
    listed = client.get(f"{API}/directions/", {"roadmap": world.roadmap.pk}).json()
    assert [(d["number"], d["measures_count"]) for d in listed["results"]] == [(1, 2), (2, 1)]
    assert listed["count"] == 2  # paginated as every list
    found = client.get(f"{API}/measures/", {"q": "МУНИЦИПАЛЬНАЯ инфраструктура"}).json()
    assert [(m["number"], m["activities_count"]) for m in found["results"]] == [("1.2", 1)]
    by_direction = client.get(f"{API}/measures/", {"direction": direction(world, 1).pk}).json()
    assert [m["number"] for m in by_direction["results"]] == ["1.1", "1.2"]
    one = client.get(f"{API}/measures/{measure(world, '2.1').pk}/")
    assert one.status_code == 200 and one.json()["roadmap"] == world.roadmap.pk
    assert one["ETag"] == '"1"'


def test_api_create_update_delete(world):
    client = api(world.users["cnppm"])
    body = {"roadmap": world.roadmap.pk, "number": 3, "title": "Содержательное обеспечение"}
    created = client.post(f"{API}/directions/", body, format="json")
    assert created.status_code == 201, created.json()
    new = created.json()
    assert new["measures_count"] == 0 and new["version"] == 1
    again = client.post(f"{API}/directions/", body, format="json")
    assert again.status_code == 400 and again.json() == {"number": ["Направление 3 уже есть."]}

    url = f"{API}/directions/{new['id']}/"
    changed = client.patch(url, {"title": "Методическое обеспечение"}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Методическое обеспечение"
    stale = client.patch(url, {"title": "Устаревшее", "version": 1}, format="json")
    assert stale.status_code == 409

    made = client.post(
        f"{API}/measures/", {"direction": new["id"], "number": "3.1", "title": "Каталог"},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    measure_url = f"{API}/measures/{made.json()['id']}/"
    refused = client.delete(url)
    assert refused.status_code == 400
    assert "нельзя удалить" in refused.json()["non_field_errors"][0]
    moved = client.patch(measure_url, {"direction": direction(world, 2).pk}, format="json")
    assert moved.status_code == 200 and moved.json()["direction"] == direction(world, 2).pk
    assert client.delete(measure_url).status_code == 204
    assert client.delete(url).status_code == 204
    assert not Direction.objects.filter(pk=new["id"]).exists()

    busy = client.delete(f"{API}/measures/{measure(world, '1.1').pk}/")
    assert busy.status_code == 400 and "1.1.1" in busy.json()["non_field_errors"][0]
    assert Measure.objects.filter(pk=measure(world, "1.1").pk).exists()


def test_api_validation_errors_are_russian(world):
    client = api(world.users["cnppm"])
    empty = client.post(f"{API}/directions/", {}, format="json").json()
    assert empty["roadmap"] == ["Обязательное поле."] and empty["number"] == ["Обязательное поле."]
    bad = client.post(
        f"{API}/directions/", {"roadmap": world.roadmap.pk, "number": "первый", "title": "x"},
        format="json",
    ).json()  # fmt: skip
    assert bad["number"] == ["Введите правильное число."]
    long = client.patch(
        f"{API}/directions/{direction(world, 1).pk}/", {"title": "я" * 501}, format="json"
    ).json()
    assert "500" in long["title"][0]
    blank = client.patch(
        f"{API}/measures/{measure(world, '1.1').pk}/", {"title": ""}, format="json"
    ).json()
    assert blank["title"] == ["Это поле не может быть пустым."]


def test_api_scope_403_and_404(world):
    first = direction(world, 1)
    url, measure_url = (
        f"{API}/directions/{first.pk}/",
        f"{API}/measures/{measure(world, '1.1').pk}/",
    )
    municipal = api(world.users["municipal"])  # sees the roadmap, may not edit it
    assert municipal.get(url).status_code == 200
    assert municipal.patch(url, {"title": "x"}, format="json").status_code == 403
    assert municipal.delete(measure_url).status_code == 403
    body = {"roadmap": world.roadmap.pk, "number": 9, "title": "x"}
    assert municipal.post(f"{API}/directions/", body, format="json").status_code == 403

    outsider = api(stranger())  # another region: nothing of it exists
    assert outsider.get(f"{API}/directions/").json()["results"] == []
    assert outsider.get(f"{API}/measures/").json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert getattr(outsider, method)(url).status_code == 404
        assert getattr(outsider, method)(measure_url).status_code == 404
    hidden = outsider.post(f"{API}/directions/", body, format="json")
    assert hidden.status_code == 400 and "roadmap" in hidden.json()  # reads as no such roadmap
    assert (
        direction(world, 1).title == first.title
        and not world.roadmap.directions.filter(number=9).exists()
    )

    school = api(world.users["school"])  # its part of the roadmap only
    assert [d["number"] for d in school.get(f"{API}/directions/").json()["results"]] == [2]
    assert [m["number"] for m in school.get(f"{API}/measures/").json()["results"]] == ["2.1"]
    assert school.get(url).status_code == 404
    teacher = api(world.users["teacher"])
    assert teacher.get(f"{API}/directions/").json()["results"] == []


# -- pages -------------------------------------------------------------------------------------
def test_roadmap_page_lists_the_structure_for_its_editors(client, world):
    client.force_login(world.users["cnppm"])
    services.direction_create(
        world.users["cnppm"], {"number": 3, "title": "Пустое направление"}, world.roadmap
    )
    page = client.get(reverse("roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert 'id="roadmap-structure"' in page and "Пустое направление" in page
    assert reverse("roadmap-direction-edit", args=[direction(world, 1).pk]) in page
    assert reverse("roadmap-measure-delete", args=[measure(world, "1.1").pk]) in page
    client.force_login(world.users["municipal"])
    page = client.get(reverse("roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert 'id="roadmap-structure"' not in page
    assert reverse("roadmap-direction-edit", args=[direction(world, 1).pk]) not in page


def test_edit_pages_render_and_save(client, world):
    client.force_login(world.users["cnppm"])
    url = reverse("roadmap-direction-edit", args=[direction(world, 1).pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    saved = client.post(url, {"number": 1, "title": "Управление системой НМС", "version": 1})
    back = reverse("roadmap-detail", args=[world.roadmap.pk])
    assert saved.status_code == 302
    assert saved["Location"] == f"{back}#direction-{direction(world, 1).pk}"
    assert direction(world, 1).title == "Управление системой НМС"
    stale = client.post(url, {"number": 1, "title": "Устаревшее", "version": 1})
    assert stale.status_code == 200 and "Запись изменили" in stale.content.decode()
    taken = client.post(url, {"number": 2, "title": "x", "version": 2})
    assert "Направление 2 уже есть." in taken.content.decode()

    url = reverse("roadmap-measure-edit", args=[measure(world, "1.2").pk])
    page = client.get(url).content.decode()
    assert "Муниципальная инфраструктура" in page and 'name="direction"' in page
    moved = client.post(
        url, {"direction": direction(world, 2).pk, "number": "2.2", "title": "Муниципалитеты",
              "version": 1},
    )  # fmt: skip
    assert moved.status_code == 302
    assert measure(world, "2.2").direction == direction(world, 2)


def test_delete_on_the_page_refuses_with_a_message(client, world):
    client.force_login(world.users["cnppm"])
    busy = measure(world, "1.1")
    response = client.post(
        reverse("roadmap-measure-delete", args=[busy.pk]), {"version": busy.version}, follow=True
    )
    page = response.content.decode()
    assert "нельзя удалить" in page and "1.1.1, 1.1.2" in page
    assert Measure.objects.filter(pk=busy.pk).exists()
    first = direction(world, 1)
    client.post(reverse("roadmap-direction-delete", args=[first.pk]), {"version": first.version})
    assert Direction.objects.filter(pk=first.pk).exists()

    empty = services.direction_create(
        world.users["cnppm"], {"number": 3, "title": "Лишнее"}, world.roadmap
    )
    url = reverse("roadmap-direction-delete", args=[empty.pk])
    assert client.get(url).status_code == 405  # a delete is a POST (the page's form)
    no_version = client.post(url, follow=True)
    assert "Форма устарела" in no_version.content.decode()
    done = client.post(url, {"version": empty.version}, follow=True)
    assert "Направление 3 удалено." in done.content.decode()
    assert not Direction.objects.filter(pk=empty.pk).exists()


def test_pages_are_refused_outside_the_role_and_the_region(client, world):
    first, busy = direction(world, 1), measure(world, "2.1")
    urls = [
        reverse("roadmap-direction-edit", args=[first.pk]),
        reverse("roadmap-measure-edit", args=[busy.pk]),
    ]
    deletes = [
        reverse("roadmap-direction-delete", args=[first.pk]),
        reverse("roadmap-measure-delete", args=[busy.pk]),
    ]
    client.force_login(world.users["municipal"])
    assert [client.get(u).status_code for u in urls] == [403, 403]
    assert [client.post(u, {"version": 1}).status_code for u in deletes] == [403, 403]
    client.force_login(stranger())
    assert [client.get(u).status_code for u in urls] == [404, 404]
    assert [client.post(u, {"version": 1}).status_code for u in deletes] == [404, 404]
    client.force_login(world.users["school"])  # sees measure 2.1, not direction 1
    assert [client.get(u).status_code for u in urls] == [404, 403]
    assert Measure.objects.filter(pk=busy.pk).exists() and direction(world, 1).title == first.title
