"""Online testing: start, save, deadline on the server, submit, scores and deficits."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nms.accounts.models import Role
from nms.diagnostics import services
from nms.diagnostics.models import Attempt, AttemptStatus, Result
from nms.diagnostics.variants import assemble_variants
from nms.itembank.models import ItemKind
from tests.itembank.conftest import make_item


@pytest.fixture
def setup(areas, procedure, make_user, two_municipalities):
    """One group of the two teachers of school A; a variant of 4 known items."""
    procedure.blueprint.all().delete()
    procedure.blueprint.create(area=areas["ict"], easy=2)
    procedure.blueprint.create(area=areas["methodical"], easy=2)
    items = {
        "ict_single": make_item(areas["ict"], "i1", 1, kind=ItemKind.SINGLE),  # key 1
        "ict_multi": make_item(areas["ict"], "i2", 1, kind=ItemKind.MULTIPLE),  # key [0, 2]
        "met_short": make_item(areas["methodical"], "m1", 1, kind=ItemKind.SHORT),  # ["ФГОС"]
        "met_match": make_item(areas["methodical"], "m2", 1, kind=ItemKind.MATCHING),  # [2,0,1]
    }
    cnppm = make_user(Role.CNPPM)
    a = two_municipalities["a"]
    services.group_create(cnppm, procedure, "Школа А", {"organization": a["school"]})
    assemble_variants(procedure)
    teacher = make_user(Role.TEACHER, person=a["teacher"])
    return {"items": items, "teacher": teacher, "procedure": procedure}


def test_submit_scores_per_area_and_marks_deficits(setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=45)
    services.answer_save(teacher, attempt, items["ict_single"].pk, 1)  # 1 of 1
    services.answer_save(teacher, attempt, items["ict_multi"].pk, [0])  # 1/2
    services.answer_save(teacher, attempt, items["met_short"].pk, "фгос")  # 1
    services.answer_save(teacher, attempt, items["met_match"].pk, [2, 1, 0])  # 1/3
    services.answer_save(teacher, attempt, items["met_match"].pk, [0, 1, 2])  # changed: 0
    result = services.attempt_submit(teacher, attempt)
    scores = {s.area.code: s for s in result.area_scores.all()}
    assert scores["ict"].score == Decimal("1.50") and scores["ict"].share == Decimal("75.00")
    assert not scores["ict"].is_deficit
    assert scores["methodical"].share == Decimal("50.00") and scores["methodical"].is_deficit
    assert result.share == Decimal("62.50")
    assert result.has_deficit
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.answer_save(teacher, attempt, items["ict_single"].pk, 0)


def test_share_equal_to_threshold_is_a_deficit(setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    procedure.threshold = Decimal("75")
    procedure.save()
    attempt = services.attempt_start(teacher, procedure)
    services.answer_save(teacher, attempt, items["ict_single"].pk, 1)
    services.answer_save(teacher, attempt, items["ict_multi"].pk, [0])
    result = services.attempt_submit(teacher, attempt)
    assert result.area_scores.get(area__code="ict").is_deficit


def test_start_again_resumes_same_attempt_with_answers(setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    services.answer_save(teacher, attempt, items["ict_single"].pk, 3)
    again = services.attempt_start(teacher, procedure)
    assert again.pk == attempt.pk
    assert again.answers.get().response == 3


def test_deadline_enforced_on_server(setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    services.answer_save(teacher, attempt, items["ict_single"].pk, 1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    attempt.refresh_from_db()
    with pytest.raises(ValidationError, match="Время тестирования истекло"):
        services.answer_save(teacher, attempt, items["ict_multi"].pk, [0, 2])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    result = Result.objects.get(person=teacher.person, procedure=procedure)
    assert result.area_scores.get(area__code="ict").share == Decimal("50.00")


def test_item_outside_variant_and_foreign_attempt_refused(setup, make_user, two_municipalities):
    teacher, procedure = setup["teacher"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    other_item = make_item(setup["items"]["ict_single"].area, "outside", 1)
    with pytest.raises(ValidationError):
        services.answer_save(teacher, attempt, other_item.pk, 1)
    director = make_user(Role.TEACHER, person=two_municipalities["a"]["director"])
    with pytest.raises(PermissionDenied):
        services.answer_save(director, attempt, setup["items"]["ict_single"].pk, 1)


def test_person_outside_groups_cannot_start(setup, make_user, two_municipalities):
    outsider = make_user(Role.TEACHER, person=two_municipalities["b"]["teacher"])
    with pytest.raises(ValidationError, match="нет варианта"):
        services.attempt_start(outsider, setup["procedure"])


def test_group_takes_only_people_in_scope_and_not_twice(setup, make_user, two_municipalities):
    procedure = setup["procedure"]
    municipal = make_user(Role.MUNICIPAL, municipality=two_municipalities["b"]["municipality"])
    with pytest.raises(PermissionDenied):
        services.group_create(municipal, procedure, "Чужая", {})
    cnppm = make_user(Role.CNPPM)
    group = services.group_create(cnppm, procedure, "Все остальные", {})
    assert set(group.members.all()) == {
        two_municipalities["b"]["teacher"],
        two_municipalities["b"]["director"],
    }


# -- the sheet's progress and the confirmation naming unanswered items ---------------------------
def _sheet(client, attempt) -> str:
    return client.get(reverse("attempt-detail", args=[attempt.pk])).content.decode()


def _progress(page: str) -> str:
    nav = re.search(r'<nav[^>]*id="attempt-progress".*?</nav>', page, re.S)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", nav)).strip()


def test_sheet_shows_answered_of_total_and_links_to_the_unanswered(client, setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    client.force_login(teacher)
    positions = dict(attempt.variant.variant_items.values_list("item_id", "position"))
    page = _sheet(client, attempt)
    assert page.index('id="attempt-progress"') < page.index('class="card question"')
    assert _progress(page) == "Отвечено 0 из 4 · без ответа: 1, 2, 3, 4"
    for item in items.values():
        assert f'href="#item-{item.pk}"' in page

    services.answer_save(teacher, attempt, items["ict_single"].pk, 1)
    services.answer_save(teacher, attempt, items["met_short"].pk, "фгос")
    services.answer_save(teacher, attempt, items["met_short"].pk, None)  # cleared again
    page = _sheet(client, attempt)
    assert "Отвечено 1 из 4" in _progress(page)
    links = re.findall(r'<a href="#item-(\d+)">(\d+)</a>', page)
    unanswered = sorted((positions[pk], pk) for pk in positions if pk != items["ict_single"].pk)
    assert [(int(p), int(pk)) for pk, p in links] == unanswered
    for position, pk in unanswered:
        assert f'id="item-{pk}" data-kind' in page and f'data-position="{position}"' in page


def test_submit_with_unanswered_asks_first_naming_them_without_javascript(client, setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    services.answer_save(teacher, attempt, items["ict_single"].pk, 1)
    client.force_login(teacher)
    positions = dict(attempt.variant.variant_items.values_list("item_id", "position"))
    missing = sorted(p for pk, p in positions.items() if pk != items["ict_single"].pk)

    response = client.post(reverse("attempt-submit", args=[attempt.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    listed = ", ".join(str(p) for p in missing)
    assert f"Не отвечены задания {listed}." in page and 'id="confirm-submit"' in page
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS and not Result.objects.exists()

    response = client.post(reverse("attempt-submit", args=[attempt.pk]), {"confirmed": "1"})
    result = Result.objects.get()
    assert response["Location"] == reverse("result-detail", args=[result.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED


def test_submit_with_everything_answered_needs_no_confirmation(client, setup):
    teacher, items, procedure = setup["teacher"], setup["items"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    for key, response in (
        ("ict_single", 1), ("ict_multi", [0]), ("met_short", "x"), ("met_match", [0, -1, -1]),
    ):  # fmt: skip
        services.answer_save(teacher, attempt, items[key].pk, response)
    client.force_login(teacher)
    assert "Отвечено 4 из 4" in _progress(_sheet(client, attempt))
    response = client.post(reverse("attempt-submit", args=[attempt.pk]))
    assert response.status_code == 302 and Result.objects.exists()


def test_one_unanswered_is_named_in_the_singular(client, setup):
    from nms.diagnostics.views import unanswered_text

    assert unanswered_text([7]) == "Не отвечено задание 7."
    assert unanswered_text([3, 7, 12]) == "Не отвечены задания 3, 7, 12."
    assert unanswered_text([]) == ""


def test_time_over_submits_without_asking(client, setup):
    teacher, procedure = setup["teacher"], setup["procedure"]
    attempt = services.attempt_start(teacher, procedure)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(teacher)
    response = client.post(reverse("attempt-submit", args=[attempt.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
