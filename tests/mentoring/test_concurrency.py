"""No lost updates in mentoring: every editable record refuses a save on a stale version
(listed in tests/common/test_concurrency.py's COVERED); on PostgreSQL two accepts at once — of
the same request, or of two requests to a mentor with one place — leave one pair."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from nms.common.concurrency import StaleRecord
from nms.mentoring import services
from nms.mentoring.models import (
    Curator,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    Pair,
)
from tests.mentoring.conftest import TODAY, teacher_at

STALE = "Запись изменили, пока вы её редактировали"


def _records(world):
    a = world.a
    return {
        "profile": (world.profiles.best, services.profile_update, "experience", "mentor"),
        "pair": (
            Pair.objects.get(mentor=world.profiles.full.person), services.pair_update, "goals",
            "municipal",
        ),
        "program": (
            MentoringProgram.objects.create(
                organization=a["school"], title="ЦМН", starts_on=TODAY
            ),
            services.program_update, "title", "school",
        ),
        "curator": (
            Curator.objects.create(
                person=a["director"], level="municipal", municipality=a["municipality"],
                starts_on=TODAY,
            ),
            services.curator_update, "starts_on", "municipal",
        ),
        "school": (
            MentoringSchool.objects.create(
                municipality=a["municipality"], name="Школа", founded_on=TODAY
            ),
            services.school_update, "name", "municipal",
        ),
    }  # fmt: skip


@pytest.mark.parametrize("name", ["profile", "pair", "program", "curator", "school"])
def test_a_save_on_a_stale_version_is_refused(world, name):
    record, save, field, who = _records(world)[name]
    user = world.mentor_users["best"] if who == "mentor" else world.users[who]
    version = record.version
    first = TODAY if field == "starts_on" else "Первое"
    second = TODAY.replace(day=1) if field == "starts_on" else "Второе"
    save(user, record, {field: first}, expected_version=version)
    with pytest.raises(StaleRecord, match=STALE):
        save(user, type(record).objects.get(pk=record.pk), {field: second}, version)
    assert getattr(type(record).objects.get(pk=record.pk), field) == first


def test_a_stale_page_save_keeps_the_input(world):
    program = MentoringProgram.objects.create(
        organization=world.a["school"], title="ЦМН", starts_on=TODAY
    )
    client = Client()
    client.force_login(world.users["school"])
    url = reverse("mentoring-program-edit", args=[program.pk])
    data = {
        "organization": world.a["school"].pk, "title": "Моя правка",
        "starts_on": f"{TODAY:%d.%m.%Y}", "version": program.version,
    }  # fmt: skip
    MentoringProgram.objects.filter(pk=program.pk).update(
        title="Чужая", version=program.version + 1
    )
    response = client.post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert response.context["form"]["title"].value() == "Моя правка"
    program.refresh_from_db()
    assert program.title == "Чужая"


# -- truly at once, on PostgreSQL ------------------------------------------------------------
def _at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 -- reported to the test
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads at once need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_accepts_at_once_make_one_pair(world):
    best = world.profiles.best
    MentorProfile.objects.filter(pk=best.pk).update(capacity=2)
    best.refresh_from_db()
    third = teacher_at(world.a["school"], ["математика"], last_name="Третья")
    one = services.request_create(world.users["teacher"], best, {})
    two = services.request_create(world.users["colleague"], best, {})
    three = services.request_create(world.users["school"], best, {"mentee": third})
    # The same request accepted twice at once (the mentor and the municipality), one version.
    answers = _at_once(
        lambda: services.request_accept(world.mentor_users["best"], one, one.version),
        lambda: services.request_accept(world.users["municipal"], one, one.version),
    )
    assert sum(isinstance(a, Pair) for a in answers) == 1, answers
    assert Pair.objects.filter(request=one).count() == 1
    # The last place taken by two requests at once: one wins, the other is refused.
    answers = _at_once(
        lambda: services.request_accept(world.mentor_users["best"], two),
        lambda: services.request_accept(world.users["municipal"], three),
    )
    assert sum(isinstance(a, Pair) for a in answers) == 1, answers
    [refused] = [a for a in answers if not isinstance(a, Pair)]
    assert "нет свободных мест" in str(refused)
    assert Pair.objects.filter(mentor=best.person, status="active").count() == 2
