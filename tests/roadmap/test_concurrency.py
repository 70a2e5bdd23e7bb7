"""A stale save of a roadmap, an activity, an agreement or a document is refused and changes
nothing (tests/common/test_concurrency.py lists these records as covered here)."""

from datetime import date

import pytest

from nms.common.concurrency import StaleRecord
from nms.roadmap import services
from nms.roadmap.models import Activity

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
    return {
        "roadmap": (services.roadmap_update, world.roadmap, {"title": "Новое название"}),
        "activity": (services.activity_update, activity, {"title": "Новое мероприятие"}),
        "agreement": (services.agreement_update, agreement, {"subject": "Новый предмет"}),
        "document": (services.document_update, document, {"title": "Новое положение"}),
    }


@pytest.mark.parametrize("kind", ["roadmap", "activity", "agreement", "document"])
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
