"""The API /api/v1/mentoring/...: scope, the request flow, versions, matching."""

from nms.mentoring.models import MentorProfile, Pair
from tests.api_helpers import client_for, ids
from tests.mentoring.conftest import TODAY

API = "/api/v1/mentoring"


def test_request_accept_complete_through_the_api(world):
    teacher = client_for(world.users["teacher"])
    response = teacher.post(
        f"{API}/requests/",
        {"mentor_profile": world.profiles.best.pk, "form": "teacher_teacher", "goals": "Урок"},
        format="json",
    )
    assert response.status_code == 201, response.content
    request = response.json()
    assert request["status"] == "pending" and request["mentee"] == world.mentee.pk
    mentor = client_for(world.mentor_users["best"])
    url = f"{API}/requests/{request['id']}/accept/"
    assert teacher.post(url, {"version": request["version"]}, format="json").status_code == 403
    response = mentor.post(url, {"version": request["version"]}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    # The same accept on the version seen before: 409, still one pair.
    response = mentor.post(url, {"version": request["version"]}, format="json")
    assert response.status_code == 409 and "Запись изменили" in response.json()["detail"]
    pair = Pair.objects.get(mentee=world.mentee)
    response = teacher.post(
        f"{API}/pairs/{pair.pk}/meetings/", {"held_on": f"{TODAY:%d.%m.%Y}", "topic": "Встреча"}
    )
    assert response.status_code == 201, response.content
    detail = mentor.get(f"{API}/pairs/{pair.pk}/")
    assert detail.json()["meetings"][0]["topic"] == "Встреча"
    version = detail.json()["version"]
    seen = f'"{version}"'
    response = mentor.patch(f"{API}/pairs/{pair.pk}/", {"goals": "Новые цели"}, HTTP_IF_MATCH=seen)
    assert response.status_code == 200 and response.json()["goals"] == "Новые цели"
    response = mentor.patch(f"{API}/pairs/{pair.pk}/", {"goals": "Устаревшие"}, HTTP_IF_MATCH=seen)
    assert response.status_code == 409
    version = mentor.get(f"{API}/pairs/{pair.pk}/").json()["version"]
    complete = f"{API}/pairs/{pair.pk}/complete/"
    response = mentor.post(complete, {"version": version}, format="json")
    assert response.status_code == 400 and "укажите причину" in str(response.json())
    response = mentor.post(complete, {"version": version, "reason": "Переезд"}, format="json")
    assert response.status_code == 200 and response.json()["completed_early"] is True


def test_capacity_refusal_is_400_in_russian(world):
    response = client_for(world.users["teacher"]).post(
        f"{API}/requests/", {"mentor_profile": world.profiles.full.pk}, format="json"
    )
    assert response.status_code == 400 and "нет свободных мест" in str(response.json())


def test_lists_follow_the_scope(world):
    Pair.objects.create(
        mentor=world.profiles.far.person, mentee=world.b["teacher"], form="teacher_teacher",
        starts_on=TODAY,
    )  # fmt: skip
    a_pair = Pair.objects.get(mentor=world.profiles.full.person)
    b_pair = Pair.objects.get(mentor=world.profiles.far.person)
    assert ids(client_for(world.users["school"]).get(f"{API}/pairs/")) == {a_pair.pk}
    assert ids(client_for(world.users["cnppm"]).get(f"{API}/pairs/")) == {a_pair.pk, b_pair.pk}
    assert ids(client_for(world.users["teacher"]).get(f"{API}/pairs/")) == set()
    other = client_for(world.users["other_school"])
    assert ids(other.get(f"{API}/pairs/")) == {b_pair.pk}
    assert other.get(f"{API}/pairs/{a_pair.pk}/").status_code == 404
    assert other.patch(f"{API}/pairs/{a_pair.pk}/", {"goals": "x"}).status_code == 404
    # Published profiles are read by every signed-in user; unpublished ones by their scope only.
    hidden = MentorProfile.objects.create(person=world.a["director"])
    assert hidden.pk not in ids(other.get(f"{API}/mentors/"))
    assert hidden.pk in ids(client_for(world.users["school"]).get(f"{API}/mentors/"))
    assert world.profiles.best.pk in ids(other.get(f"{API}/mentors/"))


def test_teacher_creates_own_profile_and_cannot_publish_it(world):
    teacher = client_for(world.users["colleague"])
    response = teacher.post(
        f"{API}/mentors/", {"capacity": 2, "offers_teacher": True, "public": True}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (
        response.json()["public"] is False and response.json()["person"] == world.a["director"].pk
    )
    response = client_for(world.users["school"]).patch(
        f"{API}/mentors/{response.json()['id']}/", {"public": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["public"] is True


def test_match_endpoint_ranks_with_reasons(world):
    response = client_for(world.users["school"]).get(f"{API}/match/{world.mentee.pk}/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["mentor_profile"] for r in rows] == [
        world.profiles.best.pk, world.profiles.area_only.pk,
    ]  # fmt: skip
    assert "тот же предмет: математика" in rows[0]["reason"]
    other = client_for(world.users["other_school"]).get(f"{API}/match/{world.mentee.pk}/")
    assert other.status_code == 404


def test_programmes_created_within_the_scope(world):
    school = client_for(world.users["school"])
    data = {"organization": world.a["school"].pk, "title": "ЦМН", "starts_on": f"{TODAY:%d.%m.%Y}"}
    response = school.post(f"{API}/programs/", data, format="json")
    assert response.status_code == 201, response.content
    other = client_for(world.users["other_school"]).post(f"{API}/programs/", data, format="json")
    assert other.status_code == 400  # the organization is not among theirs
    teacher = client_for(world.users["teacher"]).post(f"{API}/programs/", data, format="json")
    assert teacher.status_code in (400, 403)
