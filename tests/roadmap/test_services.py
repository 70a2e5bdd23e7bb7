"""Statuses, the overdue rule, the reporting periods, A1 by year, agreements and documents."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nms.common.concurrency import StaleRecord
from nms.roadmap import selectors, services
from nms.roadmap.models import (
    ActivityPeriod,
    Agreement,
    DocumentVersion,
    EvidenceFile,
    ResponsibleKind,
    State,
    Status,
)
from tests.roadmap.conftest import TODAY, period

pytestmark = pytest.mark.django_db


def test_periods_follow_the_deadline(world):
    years = lambda number: sorted(  # noqa: E731
        ActivityPeriod.objects.filter(activity=world.activity[number]).values_list("year", "due_on")
    )
    assert years("1.1.1") == [(2025, date(2025, 12, 31))]
    assert years("1.1.2") == [(2025, date(2025, 3, 31)), (2026, date(2026, 3, 31))]
    assert years("2.1.1") == [(2025, date(2025, 12, 31)), (2026, date(2026, 12, 31))]
    activity = world.activity["1.1.1"]
    services.activity_update(world.users["cnppm"], activity, {"deadline_text": "до 01.06.2026"})
    assert years("1.1.1") == [(2025, date(2025, 12, 31)), (2026, date(2026, 6, 1))]
    # 2025 is kept: something was reported for it


def test_overdue_is_computed_by_one_rule(world):
    rows = selectors.periods_for_list(world.users["cnppm"])
    states = {(p.activity.number, p.year): p.state for p in rows}
    assert states == {
        ("1.1.1", 2025): State.DONE, ("1.1.2", 2025): State.DONE,
        ("1.1.2", 2026): State.OVERDUE, ("1.2.1", 2025): State.OVERDUE,
        ("1.2.1", 2026): State.OVERDUE, ("2.1.1", 2025): State.OVERDUE,
        ("2.1.1", 2026): State.PLANNED,
    }  # fmt: skip
    for p in rows:  # the row's own method agrees with the query
        assert p.state == ActivityPeriod.objects.get(pk=p.pk).state(TODAY)


def test_status_done_needs_evidence_and_records_who_and_when(world):
    user = world.users["cnppm"]
    target = period(world.roadmap, "1.1.2", 2026)
    with pytest.raises(ValidationError) as error:
        services.status_set(user, target, {"status": Status.DONE})
    assert "подтверждения" in error.value.message_dict["evidence"][0]
    with pytest.raises(ValidationError):
        services.status_set(user, target, {"status": Status.DONE, "links": "ftp://x"})
    upload = SimpleUploadedFile("приказ.pdf", b"%PDF-1.4")
    target = ActivityPeriod.objects.get(pk=target.pk)  # a refusal left nothing changed
    assert target.version == 1 and target.status == Status.PLANNED
    saved = services.status_set(
        user, target, {"status": Status.DONE, "evidence": "", "links": "https://example.org/a"},
        [upload], expected_version=target.version,
    )  # fmt: skip
    assert saved.status == Status.DONE and saved.done_on == TODAY
    assert saved.reported_by == user and saved.reported_at is not None
    assert EvidenceFile.objects.filter(period=saved).count() == 1
    assert not saved.on_time and saved.state(TODAY) == State.DONE  # done, but late
    with pytest.raises(StaleRecord):
        services.status_set(user, saved, {"status": Status.IN_PROGRESS}, expected_version=1)


def test_who_may_enter_a_status(world):
    municipal_one = period(world.roadmap, "1.2.1", 2025)
    regional_one = period(world.roadmap, "1.1.2", 2026)
    school_one = period(world.roadmap, "2.1.1", 2025)
    done = {"status": Status.DONE, "evidence": "План утверждён"}
    services.status_set(world.users["municipal"], municipal_one, done)
    with pytest.raises(PermissionDenied):
        services.status_set(world.users["municipal"], regional_one, done)
    services.status_set(world.users["school"], school_one, done)
    with pytest.raises(PermissionDenied):
        services.status_set(world.users["other_school"], school_one, done)
    with pytest.raises(PermissionDenied):
        services.status_set(world.users["teacher"], regional_one, done)
    with pytest.raises(ValidationError):  # done in the future
        services.status_set(
            world.users["cnppm"], regional_one, {**done, "done_on": date(2026, 7, 1)}
        )


def test_overdue_of_the_responsible_for_the_home_page(world):
    users = world.users
    mine = lambda user: {(p.activity.number, p.year) for p in selectors.overdue_for(user)}  # noqa: E731
    assert mine(users["cnppm"]) == {("1.1.2", 2026)}
    assert mine(users["municipal"]) == {("1.2.1", 2025), ("1.2.1", 2026)}
    assert mine(users["school"]) == {("2.1.1", 2025)}
    assert mine(users["ministry"]) == set()  # nothing of the ministry's
    assert mine(users["other_school"]) == set() and mine(users["teacher"]) == set()


def test_a1_by_year(world):
    counts = {r.year: r for r in selectors.on_time_counts(world.roadmap, TODAY)}
    assert (counts[2025].due, counts[2025].on_time, counts[2025].overdue) == (4, 1, 2)
    assert counts[2025].share == 25.0
    assert (counts[2026].due, counts[2026].on_time, counts[2026].overdue) == (3, 0, 2)


def test_roadmap_years_are_checked_and_periods_resynced(world):
    with pytest.raises(ValidationError):
        services.roadmap_update(world.users["cnppm"], world.roadmap, {"ends_year": 2020})
    services.roadmap_update(world.users["cnppm"], world.roadmap, {"ends_year": 2027})
    assert ActivityPeriod.objects.filter(activity=world.activity["2.1.1"], year=2027).exists()
    with pytest.raises(PermissionDenied):
        services.roadmap_update(world.users["municipal"], world.roadmap, {"title": "x"})


def test_activity_responsible_needs_its_territory(world):
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            world.users["cnppm"], world.activity["1.1.1"],
            {"responsible_kind": ResponsibleKind.MUNICIPALITY, "responsible_municipality": None},
        )  # fmt: skip
    assert "responsible_municipality" in error.value.message_dict


def test_agreements_and_c3_coverage(world):
    user, a, b = world.users["cnppm"], world.a, world.b
    with pytest.raises(ValidationError) as error:
        services.agreement_create(user, {"kind": "tripartite", "subject": "О взаимодействии",
            "signed_on": date(2025, 1, 1), "valid_from": date(2025, 1, 1)})  # fmt: skip
    assert "municipality" in error.value.message_dict
    services.agreement_create(user, {
        "kind": "tripartite", "subject": "О взаимодействии", "municipality": a["municipality"],
        "signed_on": date(2025, 1, 1), "valid_from": date(2025, 1, 1)})  # fmt: skip
    ended = services.agreement_create(user, {
        "kind": "tripartite", "subject": "О взаимодействии", "municipality": b["municipality"],
        "signed_on": date(2024, 1, 1), "valid_from": date(2024, 1, 1),
        "valid_to": date(2025, 12, 31), "organizations": [b["school"]]})  # fmt: skip
    assert selectors.tripartite_coverage(world.region, TODAY) == (1, 2)
    assert selectors.tripartite_coverage(world.region, date(2025, 6, 1)) == (2, 2)
    assert list(ended.organizations.all()) == [b["school"]]
    with pytest.raises(PermissionDenied):
        services.agreement_create(world.users["municipal"], {"kind": "cooperation"})
    assert Agreement.objects.count() == 2


def test_documents_with_versions(world):
    user = world.users["cnppm"]
    document = services.document_create(user, {
        "kind": "system_regulation", "title": "Положение о РС НМС", "adopted_on": date(2025, 5, 1),
        "level": "regional", "published": True,
        "file": SimpleUploadedFile("положение.pdf", b"%PDF"), "version_note": "первая",
    })  # fmt: skip
    services.version_add(
        user,
        document,
        {
            "file": SimpleUploadedFile("п2.pdf", b"%PDF"),
            "dated": date(2026, 1, 10),
            "note": "изменения",
        },
    )
    current = selectors.current_versions([document])[document.pk]
    assert current.note == "изменения" and DocumentVersion.objects.count() == 2
    with pytest.raises(ValidationError):
        services.document_create(
            user,
            {
                "kind": "staffing_plan",
                "title": "План",
                "adopted_on": date(2025, 1, 1),
                "level": "municipal",
            },
        )
    municipal = world.users["municipal"]
    own = services.document_create(municipal, {
        "kind": "staffing_plan", "title": "План кадрового обеспечения", "level": "municipal",
        "municipality": world.a["municipality"], "adopted_on": date(2025, 2, 1)})  # fmt: skip
    assert own.region == world.region
    with pytest.raises(PermissionDenied):
        services.document_create(municipal, {
            "kind": "staffing_plan", "title": "Чужой", "level": "municipal",
            "municipality": world.b["municipality"], "adopted_on": date(2025, 2, 1)})  # fmt: skip
