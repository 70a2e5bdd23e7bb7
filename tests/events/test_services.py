"""The services of events: who may create what, the rules of participation and contests, route
items closed by a record, stale saves refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.common.concurrency import StaleRecord
from nms.events import services
from nms.events.models import Participation
from nms.routes.models import ItemReport, ItemStatus

from .conftest import TODAY


def _data(**kwargs):
    data = {
        "title": "Семинар", "kind": "seminar", "level": "regional", "starts_on": TODAY,
        "ends_on": TODAY, "organizer": None, "organizer_name": "ИРО", "topics": ["fgos"],
    }  # fmt: skip
    return data | kwargs


def test_cnppm_creates_a_regional_event(users, region, area):
    event = services.event_create(users["cnppm"], _data(areas=[area]))
    assert event.region == region and list(event.areas.all()) == [area]
    assert event.search_text == "семинар иро"


def test_municipal_service_creates_events_of_its_municipality_only(users, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    event = services.event_create(
        users["municipal"], _data(level="municipal", organizer=a["school"], organizer_name="")
    )
    assert event.municipality == a["municipality"]
    with pytest.raises(ValidationError, match="Вести это мероприятие вы не можете"):
        services.event_create(users["municipal"], _data(level="municipal", organizer=b["school"]))
    with pytest.raises(ValidationError):
        services.event_create(users["municipal"], _data(municipality=a["municipality"]))


def test_school_creates_school_level_events_it_organizes(users, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    event = services.event_create(users["school"], _data(level="school", organizer=a["school"]))
    assert event.organizer == a["school"] and event.municipality == a["municipality"]
    with pytest.raises(ValidationError):
        services.event_create(users["school"], _data(level="school", organizer=b["school"]))
    with pytest.raises(ValidationError):
        services.event_create(users["school"], _data(level="municipal", organizer=a["school"]))
    with pytest.raises(PermissionDenied):
        services.event_create(users["teacher"], _data())


def test_event_errors_in_russian(users):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            users["cnppm"],
            _data(ends_on=TODAY - timedelta(days=1), organizer_name="", topics=["x"]),
        )
    messages = error.value.message_dict
    assert messages["ends_on"] == ["Дата окончания раньше даты начала."]
    assert "организатора" in messages["organizer"][0]
    assert "Неизвестные темы" in messages["topics"][0]


def test_stale_event_save_is_refused(users, seminar):
    version = seminar.version
    services.event_update(users["cnppm"], seminar, {"title": "Первое"}, version)
    with pytest.raises(StaleRecord):
        services.event_update(users["cnppm"], seminar, {"title": "Второе"}, version)
    seminar.refresh_from_db()
    assert seminar.title == "Первое"


def test_participation_takes_the_main_organization(users, seminar, two_municipalities):
    a = two_municipalities["a"]
    p = services.participation_record(users["school"], seminar, {"person": a["teacher"]})
    assert p.organization == a["school"] and p.role == "participant"


def test_participation_rules(users, seminar, contest, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    record = services.participation_record
    with pytest.raises(ValidationError, match="только у конкурсов"):
        record(users["cnppm"], seminar, {"person": teacher, "role": "winner"})
    with pytest.raises(ValidationError, match="Укажите этап"):
        record(users["cnppm"], contest, {"person": teacher, "role": "winner"})
    with pytest.raises(ValidationError, match="Номинации «Другое» в конкурсе нет"):
        record(
            users["cnppm"], contest,
            {"person": teacher, "role": "winner", "stage": "school", "nomination": "Другое"},
        )  # fmt: skip
    first = {"person": teacher, "role": "winner", "stage": "school", "nomination": "Учитель года"}
    record(users["cnppm"], contest, first)
    with pytest.raises(ValidationError, match="уже отмечено"):
        record(users["cnppm"], contest, first)
    record(users["cnppm"], contest, first | {"stage": "municipal", "role": "prize"})
    assert Participation.objects.filter(event=contest).count() == 2


def test_participation_only_for_ones_own_people(users, seminar, two_municipalities):
    other = two_municipalities["b"]["teacher"]
    with pytest.raises(PermissionDenied):
        services.participation_record(users["school"], seminar, {"person": other})
    with pytest.raises(PermissionDenied):
        services.participation_record(users["teacher"], seminar, {"person": other})
    assert not Participation.objects.exists()


def test_stale_participation_save_is_refused(users, contest, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    p = services.participation_record(
        users["cnppm"], contest, {"person": teacher, "stage": "school"}
    )
    version = p.version
    services.participation_update(users["cnppm"], p, {"role": "prize"}, version)
    with pytest.raises(StaleRecord):
        services.participation_update(users["cnppm"], p, {"role": "winner"}, version)
    p.refresh_from_db()
    assert p.role == "prize"


def test_recording_a_participation_closes_the_route_item(users, seminar, route_item):
    item = route_item(f"event:{seminar.pk}")
    other = route_item(f"event:{seminar.pk + 1000}")
    teacher = item.route.person
    services.participation_record(users["school"], seminar, {"person": teacher})
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.status == ItemStatus.DONE and other.status == ItemStatus.PLANNED
    report = ItemReport.objects.get(item=item)
    assert "участник: семинар «Семинар «Урок по обновлённым ФГОС»»" in report.text


def test_completed_internship_closes_the_site_item(users, site, route_item):
    item = route_item(f"site:{site.pk}")
    teacher = item.route.person
    data = {"person": teacher, "starts_on": TODAY - timedelta(days=5), "ends_on": TODAY}
    internship = services.internship_record(users["school"], site, data | {"completed": False})
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED
    services.internship_update(users["school"], internship, {"completed": True}, 1)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    with pytest.raises(StaleRecord):
        services.internship_update(users["school"], internship, {"programme": "x"}, 1)


def test_internship_within_the_sites_status(users, site, two_municipalities):
    teacher = two_municipalities["a"]["teacher"]
    late = site.ends_on + timedelta(days=1)
    with pytest.raises(ValidationError, match="вне срока статуса"):
        services.internship_record(
            users["school"], site, {"person": teacher, "starts_on": late, "ends_on": late}
        )


def test_sites_are_given_by_the_cnppm(users, two_municipalities, area):
    data = {
        "organization": two_municipalities["a"]["school"], "starts_on": TODAY,
        "ends_on": TODAY + timedelta(days=365), "order_number": "5", "order_date": TODAY,
        "topics": ["digital"], "areas": [area],
    }  # fmt: skip
    site = services.site_create(users["cnppm"], data)
    assert site.region_id == data["organization"].region_id
    with pytest.raises(PermissionDenied):
        services.site_create(users["municipal"], data)
    version = site.version
    services.site_update(users["cnppm"], site, {"order_number": "6"}, version)
    with pytest.raises(StaleRecord):
        services.site_update(users["cnppm"], site, {"order_number": "7"}, version)
