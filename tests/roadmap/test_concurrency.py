"""A stale save of a roadmap, a direction, a measure, an activity, an agreement or a document is
refused and changes nothing; so is a stale delete of a direction or a measure
(tests/common/test_concurrency.py lists these records as covered here)."""

from datetime import date

import pytest

from nms.common.concurrency import StaleRecord
from nms.roadmap import services
from nms.roadmap.models import Activity, Direction, Measure

pytestmark = pytest.mark.django_db


def _records(world):
    user = world.users["cnppm"]
    municipality = world.a["municipality"]
    agreement = services.agreement_create(user, {
        "kind": "tripartite", "subject": "О взаимодействии", "municipality": municipality,
        "signed_on": date(2025, 1, 1), "valid_from": date(2025, 1, 1)})  # fmt: skip
    document = services.document_create(user, {
        "kind": "system_regulation", "title": "Положение о РС НМС", "adopted_on": date(2025, 5, 1),
        "level": "regional"})  # fmt: skip
    activity = Activity.objects.filter(roadmap=world.roadmap).order_by("pk").first()
    direction = world.roadmap.directions.order_by("number").first()
    measure = Measure.objects.filter(direction=direction).order_by("position").first()
    return {
        "roadmap": (services.roadmap_update, world.roadmap, {"title": "Новое название"}),
        "direction": (services.direction_update, direction, {"title": "Новое направление"}),
        "measure": (services.measure_update, measure, {"title": "Новая мера"}),
        "activity": (services.activity_update, activity, {"title": "Новое мероприятие"}),
        "agreement": (services.agreement_update, agreement, {"subject": "Новый предмет"}),
        "document": (services.document_update, document, {"title": "Новое положение"}),
    }


@pytest.mark.parametrize(
    "kind", ["roadmap", "direction", "measure", "activity", "agreement", "document"]
)
def test_a_stale_save_is_refused_and_changes_nothing(world, kind):
    update, record, data = _records(world)[kind]
    user = world.users["cnppm"]
    seen = record.version
    update(user, record, data, expected_version=seen)  # the first save takes the version
    field, value = next(iter(data.items()))
    before = type(record).objects.get(pk=record.pk)
    with pytest.raises(StaleRecord):
        update(user, before, {field: "Устаревшая правка"}, expected_version=seen)
    assert getattr(type(record).objects.get(pk=record.pk), field) == value


def test_a_stale_delete_of_a_direction_or_a_measure_is_refused(world):
    user = world.users["cnppm"]
    direction = services.direction_create(user, {"number": 7, "title": "Пустое"}, world.roadmap)
    measure = services.measure_create(
        user, {"direction": direction, "number": "7.1", "title": "Пустая мера"}
    )
    seen = measure.version
    services.measure_update(user, measure, {"title": "Исправленная"}, expected_version=seen)
    with pytest.raises(StaleRecord):
        services.measure_delete(user, measure, expected_version=seen)
    assert Measure.objects.filter(pk=measure.pk).exists()
    services.measure_delete(user, measure, expected_version=seen + 1)
    with pytest.raises(StaleRecord):
        services.direction_delete(user, direction, expected_version=direction.version + 1)
    assert Direction.objects.filter(pk=direction.pk).exists()
