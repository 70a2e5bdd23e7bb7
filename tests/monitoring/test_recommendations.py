"""Address recommendations: rules produce drafts for each unit below target, edited before
publishing; the addressees see them on their home page and mark them done."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.common.concurrency import StaleRecord
from nms.monitoring import recommendations
from nms.monitoring.models import Addressee, Indicator, Recommendation
from tests.monitoring.m2_data import indicator, snap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region, two_municipalities, users):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    a, b = two_municipalities["a"], two_municipalities["b"]
    share = indicator(region, "T1", name="Доля педагогов с ИОМ")
    snap(share, a["school"], "2025", 10, 50)  # below
    snap(share, b["school"], "2025", 90, 50)
    snap(share, a["municipality"], "2025", 10, 50)  # below
    teachers = recommendations.rule_create(
        users["cnppm"],
        {"indicator": share, "addressee": Addressee.TEACHERS, "text": "Пройдите диагностику"},
    )
    service = recommendations.rule_create(
        users["cnppm"],
        {"indicator": share, "addressee": Addressee.MUNICIPAL_SERVICE, "text": "Проверьте ИОМ"},
    )
    return {"share": share, "teachers": teachers, "service": service, **two_municipalities}


def test_rules_are_the_institutes(users, world):
    with pytest.raises(PermissionDenied):
        recommendations.rule_create(
            users["municipal"],
            {"indicator": world["share"], "addressee": Addressee.REGION, "text": "x"},
        )
    with pytest.raises(ValidationError):
        recommendations.rule_create(
            users["cnppm"], {"indicator": world["share"], "addressee": "nobody", "text": "x"}
        )


def test_drafts_for_each_unit_below_target_once(users, world, region):
    assert recommendations.generate(users["cnppm"], region, "2025") == 2
    assert recommendations.generate(users["cnppm"], region, "2025") == 0
    drafts = Recommendation.objects.order_by("addressee")
    assert [(r.addressee, r.organization_id, r.municipality_id) for r in drafts] == [
        (Addressee.MUNICIPAL_SERVICE, None, world["a"]["municipality"].pk),
        (Addressee.TEACHERS, world["a"]["school"].pk, world["a"]["municipality"].pk),
    ]
    assert all(r.status == Recommendation.Status.DRAFT for r in drafts)


def test_edit_publish_see_on_home_and_mark_done(client, users, world, region):
    recommendations.generate(users["cnppm"], region, "2025")
    draft = Recommendation.objects.get(addressee=Addressee.TEACHERS)
    teacher = users["teacher"]
    assert not recommendations.addressed_to(teacher).exists()  # a draft is nobody's yet
    draft = recommendations.update(
        users["cnppm"], draft, {"text": "Пройдите диагностику до 1 марта"}, draft.version
    )
    with pytest.raises(StaleRecord):
        recommendations.update(users["cnppm"], draft, {"text": "старое"}, draft.version - 1)
    draft = recommendations.publish(users["cnppm"], draft, draft.version)
    with pytest.raises(ValidationError, match="Опубликованную"):
        recommendations.update(users["cnppm"], draft, {"text": "ещё"}, draft.version)

    client.force_login(teacher)
    home = client.get("/").content.decode()
    assert "Пройдите диагностику до 1 марта" in home
    client.force_login(users["expert"])  # a teacher of the other school
    assert "Пройдите диагностику" not in client.get("/").content.decode()
    assert client.get(f"/monitoring/recommendations/{draft.pk}/").status_code == 404

    client.force_login(teacher)
    draft.refresh_from_db()
    answer = client.post(
        f"/monitoring/recommendations/{draft.pk}/done/", {"version": draft.version, "next": "home"}
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Recommendation.Status.DONE and draft.done_by == teacher
    assert "Пройдите диагностику" not in client.get("/").content.decode()


def test_the_municipal_service_sees_its_own(client, users, world, region):
    recommendations.generate(users["cnppm"], region, "2025")
    service = Recommendation.objects.get(addressee=Addressee.MUNICIPAL_SERVICE)
    recommendations.publish(users["cnppm"], service, service.version)
    client.force_login(users["municipal"])
    page = client.get("/monitoring/recommendations/").content.decode()
    assert "Проверьте ИОМ" in page
    assert "Проверьте ИОМ" in client.get("/").content.decode()
    client.force_login(users["other_school"])
    assert "Проверьте ИОМ" not in client.get("/monitoring/recommendations/").content.decode()


def test_a_stale_rule_save_is_refused(users, world):
    rule = world["teachers"]
    seen = rule.version
    recommendations.rule_update(users["cnppm"], rule, {"text": "Новый текст"}, seen)
    with pytest.raises(StaleRecord):
        recommendations.rule_update(users["cnppm"], rule, {"active": False}, seen)
    rule.refresh_from_db()
    assert rule.text == "Новый текст" and rule.active


def test_a_recommendation_written_by_hand(client, users, world):
    """Not from a rule: a user who may recommend writes one to a role of a territory on its page
    (or through the API); it is a draft, then published and seen by the addressees."""
    school = world["a"]["school"]
    client.force_login(users["municipal"])
    assert client.get("/monitoring/recommendations/new/").status_code == 200
    assert "recommendation-new" in client.get("/monitoring/recommendations/").content.decode()
    empty = client.post(
        "/monitoring/recommendations/new/",
        {"addressee": Addressee.ORGANIZATION, "period": "2025", "text": "Проведите семинар"},
    )
    assert "Укажите организацию" in empty.content.decode()
    assert not Recommendation.objects.exists()  # nothing half-saved
    refused = client.post(
        "/monitoring/recommendations/new/",
        {"addressee": Addressee.REGION, "period": "2025", "text": "Региону"},
    )
    assert "рекомендовать вы не можете" in refused.content.decode()
    answer = client.post(
        "/monitoring/recommendations/new/",
        {
            "addressee": Addressee.ORGANIZATION,
            "organization": school.pk,
            "indicator": world["share"].pk,
            "period": "2025",
            "text": "Проведите семинар по ИОМ",
        },
    )
    made = Recommendation.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{made.pk}/")
    assert (made.rule, made.organization, made.status) == (None, school, "draft")
    recommendations.publish(users["municipal"], made)
    assert list(recommendations.addressed_to(users["school"])) == [made]
    # The API does the same; another municipality's school is outside the scope.
    other = world["b"]["school"]
    api = "/api/v1/monitoring/recommendations/"
    body = {"addressee": "organization", "organization": other.pk, "period": "2025", "text": "x"}
    assert client.post(api, body, content_type="application/json").status_code == 400
    body["organization"] = school.pk
    created = client.post(api, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    client.force_login(users["teacher"])
    assert client.get("/monitoring/recommendations/new/").status_code == 404
