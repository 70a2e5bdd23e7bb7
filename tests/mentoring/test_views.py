"""The pages: the public registry for anonymous visitors (no personal data on any public page),
the request → accept flow on pages, scope (404 outside it), lists and exports."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from nms.mentoring import services, urls
from nms.mentoring.models import MentoringProgram, MentorshipRequest, Pair, RequestStatus
from nms.registry.models import Person
from tests.mentoring.conftest import TODAY

KNOWN_BIRTH = date(1979, 3, 14)


def page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def known(world):
    """The best mentor with personal data whose every value we know."""
    person = world.profiles.best.person
    Person.objects.filter(pk=person.pk).update(
        birth_date=KNOWN_BIRTH, email="luchsheva.private@example.ru"
    )
    person.refresh_from_db()
    return person


def _leaks(html: str, person) -> list[str]:
    digits = re.sub(r"\D", "", person.snils)
    found = []
    for label, value in [
        ("СНИЛС", person.snils),
        ("СНИЛС цифрами", digits),
        ("дата рождения", f"{person.birth_date:%d.%m.%Y}"),
        ("дата рождения ISO", person.birth_date.isoformat()),
        ("e-mail", person.email),
        ("телефон", "+7"),
    ]:
        if value and value in html:
            found.append(label)
    return found


def _urls_with_arguments(world, pair):
    """Every page of the app, its arguments filled with objects of the world."""
    values = {
        "pk": world.profiles.best.pk,
        "person_pk": world.mentee.pk,
        "decision": "accept",
        "doc_pk": 1,
    }
    found = []
    for pattern in get_resolver(urls).url_patterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.regex.groupindex)
        if pattern.name.startswith("mentoring-pair") and "pk" in names:
            found.append(reverse(pattern.name, kwargs={**{n: values[n] for n in names},
                                                       "pk": pair.pk}))  # fmt: skip
        else:
            found.append(reverse(pattern.name, kwargs={n: values[n] for n in names}))
    return found


def test_every_public_page_shows_no_personal_data(world, known):
    pair = services.request_accept(
        world.mentor_users["best"],
        services.request_create(world.users["teacher"], world.profiles.best, {}),
    )
    anonymous = page()
    public = []
    for url in _urls_with_arguments(world, pair):
        response = anonymous.get(url)
        if response.status_code == 200:
            public.append(url)
            assert _leaks(response.content.decode(), known) == [], url
        else:  # the rest of the app asks to sign in
            assert response.status_code in (302, 404, 405), (url, response.status_code)
    assert public == [reverse("mentor-registry")]
    # The registry with every filter and a search, and its page 2.
    subject = known.employments.get().subjects.get().pk
    municipality = world.a["municipality"].pk
    queries = ("", "?q=Лучшева", f"?subject={subject}", f"?municipality={municipality}")
    for query in (*queries, "?page=2", "?area=999999"):
        response = anonymous.get(reverse("mentor-registry") + query)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), known) == [], query


def test_registry_answers_anonymous_with_names_organizations_subjects_areas(world, known):
    response = page().get(reverse("mentor-registry"), {"q": "Лучшева"})
    html = response.content.decode()
    assert "Лучшева" in html and world.other_school.short_name in html
    assert "математика" in html and "методическая ✓" in html
    assert "Выбрать наставника" not in html  # only a signed-in teacher chooses
    assert "<script>" not in html and "onclick" not in html  # CSP: no inline scripts


def test_registry_is_paginated(world, region):
    from tests.mentoring.conftest import profile, teacher_at

    for number in range(25):
        profile(teacher_at(world.other_school, ["математика"], last_name=f"Наставник{number:02d}"))
    first = page().get(reverse("mentor-registry"))
    assert first.context["page"].paginator.count == 30 and len(first.context["mentors"]) == 20
    second = page().get(reverse("mentor-registry"), {"page": 2})
    assert len(second.context["mentors"]) == 10


def test_request_and_accept_on_pages(world):
    teacher = page(world.users["teacher"])
    response = teacher.get(reverse("mentor-registry"))
    assert reverse("mentor-request", args=[world.profiles.best.pk]) in response.content.decode()
    response = teacher.post(
        reverse("mentor-request", args=[world.profiles.best.pk]),
        {"form": "teacher_teacher", "goals": "Проектирование урока"},
    )
    request = MentorshipRequest.objects.get(mentee=world.mentee)
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    # A full mentor refuses at once, in Russian, on the form.
    full = reverse("mentor-request", args=[world.profiles.full.pk])
    response = teacher.post(full, {"form": "teacher_teacher"})
    assert "нет свободных мест" in response.content.decode()
    mentor = page(world.mentor_users["best"])
    home = mentor.get(reverse("mentoring-home")).content.decode()
    assert world.mentee.full_name in home
    url = reverse("mentoring-request-decide", args=[request.pk, "accept"])
    response = mentor.post(url, {"version": request.version})
    pair = Pair.objects.get(request=request)
    assert response.status_code == 302 and response["Location"] == pair.get_absolute_url()
    # The same button pressed again on the stale page: refused, still one pair.
    response = mentor.post(url, {"version": request.version}, follow=True)
    assert "Запись изменили" in response.content.decode()
    assert Pair.objects.filter(request=request).count() == 1
    # The pair is on both cards.
    for user, person in [(world.users["teacher"], world.mentee),
                         (world.mentor_users["best"], world.profiles.best.person)]:  # fmt: skip
        card = page(user).get(reverse("person-detail", args=[person.pk])).content.decode()
        assert (
            'id="mentoring-panel"' in card
            and reverse("mentoring-pair-detail", args=[pair.pk]) in card
        )


def test_pair_page_meetings_documents_completion(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = services.request_create(world.users["teacher"], world.profiles.best, {})
    pair = services.request_accept(world.mentor_users["best"], request)
    mentor, mentee = page(world.mentor_users["best"]), page(world.users["teacher"])
    url = reverse("mentoring-pair-meeting", args=[pair.pk])
    mentee.post(url, {"held_on": f"{TODAY:%d.%m.%Y}", "topic": "Первая встреча"})
    upload = SimpleUploadedFile("отчёт.txt", b"report")
    mentor.post(
        reverse("mentoring-pair-document", args=[pair.pk]), {"kind": "report", "file": upload}
    )
    html = mentee.get(pair.get_absolute_url()).content.decode()
    assert "Первая встреча" in html and "отчёт.txt" in html
    document = pair.documents.get()
    response = mentee.get(reverse("mentoring-pair-file", args=[pair.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"report"
    assert (
        page(world.users["other_school"])
        .get(reverse("mentoring-pair-file", args=[pair.pk, document.pk]))
        .status_code
        == 404
    )
    complete = reverse("mentoring-pair-complete", args=[pair.pk])
    pair.refresh_from_db()
    today = f"{TODAY:%d.%m.%Y}"
    response = mentor.post(complete, {"version": pair.version, "completed_on": today}, follow=True)
    assert "укажите причину" in response.content.decode()
    reason = "Переход в другую ОО"
    mentor.post(complete, {"version": pair.version, "completed_on": today, "reason": reason})
    pair.refresh_from_db()
    assert pair.status == "completed" and pair.completed_early


def test_scope_outside_is_404_and_absent_from_lists(world):
    request = services.request_create(world.users["teacher"], world.profiles.best, {})
    pair = services.request_accept(world.mentor_users["best"], request)
    program = MentoringProgram.objects.create(
        organization=world.a["school"], title="ЦМН школы А", starts_on=TODAY
    )
    outsider = page(world.users["other_school"])
    for name, obj in [("mentoring-pair-detail", pair), ("mentoring-request-detail", request),
                      ("mentoring-program-detail", program), ("mentoring-pair-edit", pair),
                      ("mentoring-program-edit", program)]:  # fmt: skip
        assert outsider.get(reverse(name, args=[obj.pk])).status_code == 404, name
    assert (
        world.mentee.full_name not in outsider.get(reverse("mentoring-pair-list")).content.decode()
    )
    assert "ЦМН школы А" not in outsider.get(reverse("mentoring-program-list")).content.decode()
    for role in ("school", "municipal", "cnppm", "ministry", "teacher"):
        client = page(world.users[role])
        assert client.get(reverse("mentoring-pair-detail", args=[pair.pk])).status_code == 200
        assert world.mentee.full_name in client.get(reverse("mentoring-pair-list")).content.decode()
    # A colleague teacher does not see the pair; the ministry reads but does not decide.
    assert page(world.users["colleague"]).get(pair.get_absolute_url()).status_code == 404
    assert (
        page(world.users["ministry"])
        .get(reverse("mentoring-pair-edit", args=[pair.pk]))
        .status_code
        == 403
    )


@pytest.mark.parametrize("role", ["admin", "cnppm", "municipal", "school", "teacher", "ministry",
                                  "methodist", "expert"])  # fmt: skip
def test_pages_answer_every_role(world, role):
    client = page(world.users[role])
    for name in ("mentoring-home", "mentor-registry", "mentoring-pair-list",
                 "mentoring-request-list", "mentoring-program-list"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 200, name
    manager = role not in ("teacher", "expert")
    for name in ("mentor-list", "mentoring-curator-list", "mentoring-school-list"):
        assert client.get(reverse(name)).status_code == (200 if manager else 404), name
    nav = client.get(reverse("home")).content.decode()
    assert 'data-nav="mentoring"' in nav


def test_programme_curator_and_school_created_on_pages(world):
    municipal = page(world.users["municipal"])
    response = municipal.post(reverse("mentoring-program-create"), {
        "organization": world.a["school"].pk, "title": "Программа наставничества МБОУ",
        "curator": world.a["director"].snils, "starts_on": f"{TODAY:%d.%m.%Y}",
    })  # fmt: skip
    program = MentoringProgram.objects.get(title="Программа наставничества МБОУ")
    assert response.status_code == 302 and program.curator == world.a["director"]
    response = municipal.post(reverse("mentoring-curator-create"), {
        "person": world.a["director"].snils, "level": "municipal",
        "municipality": world.a["municipality"].pk, "starts_on": f"{TODAY:%d.%m.%Y}",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    response = municipal.post(reverse("mentoring-school-create"), {
        "municipality": world.a["municipality"].pk, "name": "Школа молодого педагога",
        "founded_on": f"{TODAY:%d.%m.%Y}",
    })  # fmt: skip
    assert response.status_code == 302
    # The school administration keeps programmes but not municipal schools.
    assert page(world.users["school"]).get(reverse("mentoring-school-create")).status_code == 403
    response = page(world.users["other_school"]).post(reverse("mentoring-program-create"), {
        "organization": world.a["school"].pk, "title": "Чужая", "starts_on": f"{TODAY:%d.%m.%Y}",
    })  # fmt: skip
    assert not MentoringProgram.objects.filter(title="Чужая").exists()


def test_match_page_and_pairs_export(world):
    html = page(world.users["teacher"]).get(reverse("mentoring-match")).content.decode()
    assert html.index("Лучшева") < html.index("Областная") and "Занятова" not in html
    client = page(world.users["school"])
    assert client.get(reverse("mentoring-match-person", args=[world.mentee.pk])).status_code == 200
    assert (
        page(world.users["other_school"])
        .get(reverse("mentoring-match-person", args=[world.mentee.pk]))
        .status_code
        == 404
    )
    response = client.get(reverse("mentoring-pair-list"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")


def test_teacher_profile_page_flow(world):
    colleague = page(world.users["colleague"])
    response = colleague.post(reverse("mentor-create"), {
        "capacity": 2, "mentoring_years": 3, "offers_teacher": "on", "across_organizations": "on",
        "active": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    made = world.a["director"].mentor_profile
    assert not made.public
    assert colleague.get(reverse("mentor-create")).status_code == 404  # one profile per person
    school = page(world.users["school"])
    edit = school.get(reverse("mentor-edit", args=[made.pk]))
    assert "public" in edit.context["form"].fields
    assert RequestStatus.PENDING  # the enum is importable for the pages' filters
