"""Route suggestions from the catalogue, and the demo region's events."""

from datetime import date, timedelta

import pytest

from nms.demo import events as demo
from nms.demo.generator import generate_region
from nms.events.models import (
    Event,
    EventKind,
    EventLevel,
    Internship,
    InternshipSite,
    Participation,
)
from nms.events.suggestions import events_source, sites_source
from nms.itembank.models import CompetencyArea
from nms.routes.suggestions import SOURCES

from .conftest import TODAY


def test_upcoming_events_and_sites_of_the_area_are_suggested(region, seminar, site, area):
    assert events_source in SOURCES and sites_source in SOURCES
    upcoming = Event.objects.create(
        region=region, title="Вебинар «Проектирование урока»", kind="webinar",
        level="regional", starts_on=TODAY + timedelta(days=10),
        ends_on=TODAY + timedelta(days=10), organizer_name="ИРО",
    )  # fmt: skip
    upcoming.areas.add(area)
    other_area = Event.objects.create(
        region=region, title="Вебинар о цифре", kind="webinar", level="regional",
        starts_on=TODAY + timedelta(days=10), ends_on=TODAY + timedelta(days=10),
        organizer_name="ИРО",
    )  # fmt: skip
    other_area.areas.add(CompetencyArea.objects.get(code="ict"))
    found = events_source(area, [], region.pk)
    assert [s.source for s in found] == [f"event:{upcoming.pk}"]  # not the past seminar
    assert found[0].activity_kind == "event" and found[0].level == "regional"
    assert [s.source for s in sites_source(area, [], region.pk)] == [f"site:{site.pk}"]
    assert sites_source(area, [], region.pk + 1) == []


@pytest.mark.django_db
def test_demo_region_has_events_of_every_kind_and_level_contests_and_sites():
    today = date(2026, 9, 1)
    summary = generate_region(municipalities=1, organizations=12, people=300, seed=4, today=today)
    line = demo.generate(summary.region, seed=4, today=today)
    assert line.startswith("  мероприятий: ")
    pairs = set(Event.objects.values_list("kind", "level"))
    levels = {lv for _, lv in pairs}
    assert {k for k, _ in pairs} == set(EventKind.values)
    assert levels >= {EventLevel.SCHOOL, EventLevel.REGIONAL, EventLevel.FEDERAL}
    assert Participation.objects.filter(event__starts_on__gt=today).count() == 0
    assert Participation.objects.count() > 50
    contests = Participation.objects.filter(event__kind=EventKind.CONTEST)
    assert contests.filter(role="winner").exists() and contests.filter(role="prize").exists()
    assert set(contests.values_list("stage", flat=True)) >= {"school"}
    assert not Participation.objects.exclude(event__kind=EventKind.CONTEST).exclude(stage="")
    assert InternshipSite.objects.count() >= 3 and Internship.objects.exists()
    assert Event.objects.filter(starts_on__gt=today, areas__isnull=False).exists()
