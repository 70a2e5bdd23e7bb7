"""Information cards: the form from the catalogue, fill, submit, return with a comment, correct,
accept (version-checked, Russian errors), the board of who has not submitted with reminders, and
the accepted values rolled up to the municipality by the engine."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from nms.common.concurrency import StaleRecord
from nms.monitoring import cards
from nms.monitoring.models import Indicator, InfoCard, Snapshot
from tests.monitoring.m2_data import indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_indicators(region):
    Indicator.objects.filter(region__isnull=True).update(active=False)  # the catalogue aside
    return {
        "plan": indicator(region, "K1", name="Наличие плана наставничества", method="card",
                          unit="yes_no", card_scope="organization", targets={"2025": 100}),
        "mentors": indicator(region, "K2", name="Число наставников", method="card",
                             unit="count", card_scope="organization"),
    }  # fmt: skip


@pytest.fixture
def card(users, two_municipalities, card_indicators):
    return cards.card_for(users["school"], "2025", two_municipalities["a"]["school"])


def fill(user, card, plan="да", mentors="3"):
    return cards.card_save(
        user, card, {"K1": {"yes": plan}, "K2": {"number": mentors, "text": "по приказу"}},
        card.version,
    )  # fmt: skip


def test_the_form_comes_from_the_catalogue(card, card_indicators):
    assert [line.indicator.code for line in cards.lines(card)] == ["K1", "K2"]
    assert card.status == InfoCard.Status.DRAFT


def test_only_the_school_fills_its_own_card(users, two_municipalities, card_indicators):
    with pytest.raises(PermissionDenied):
        cards.card_for(users["other_school"], "2025", two_municipalities["a"]["school"])
    with pytest.raises(PermissionDenied):
        cards.card_for(users["teacher"], "2025", two_municipalities["a"]["school"])


def test_bad_values_are_refused_in_russian_and_nothing_is_saved(users, card):
    with pytest.raises(ValidationError) as error:
        cards.card_save(
            users["school"], card, {"K1": {"yes": "да"}, "K2": {"number": "много"}}, card.version
        )
    assert "K2: «много» — не число" in " ".join(error.value.messages)
    assert not card.values.exists()


def test_submit_needs_every_value(users, card):
    cards.card_save(users["school"], card, {"K1": {"yes": "да"}}, card.version)
    card.refresh_from_db()
    with pytest.raises(ValidationError, match="не заполнены: K2"):
        cards.card_submit(users["school"], card, card.version)


def test_return_correct_accept_and_the_municipal_value_changes(
    users, two_municipalities, card, region
):
    school, municipal = users["school"], users["municipal"]
    card = fill(school, card, mentors="3")
    card = cards.card_submit(school, card, card.version)
    with pytest.raises(PermissionDenied):
        cards.card_accept(users["other_school"], card, card.version)
    with pytest.raises(ValidationError, match="комментарий обязателен"):
        cards.card_return(municipal, card, "  ", card.version)
    card = cards.card_return(municipal, card, "Уточните число наставников", card.version)
    assert card.status == InfoCard.Status.RETURNED and card.comment

    card = fill(school, card, mentors="5")
    card = cards.card_submit(school, card, card.version)
    stale = card.version
    card = cards.card_accept(municipal, card, card.version)
    assert card.status == InfoCard.Status.ACCEPTED
    with pytest.raises(StaleRecord):
        cards.card_return(municipal, card, "поздно", stale)
    with pytest.raises(ValidationError, match="принята"):
        fill(school, card)

    municipality = two_municipalities["a"]["municipality"]
    value = Snapshot.objects.get(
        indicator__code="K2", period="2025", scope_type="municipality", scope_id=municipality.pk
    )
    assert value.value == Decimal("5")


def test_board_and_reminders(users, two_municipalities, card, region, settings):
    users["school"].email = "school@example.ru"
    users["school"].save()
    rows = cards.board(users["municipal"], region, "2025")
    assert [r.unit for r in rows] == [two_municipalities["a"]["school"]]
    assert rows[0].waiting
    units, letters = cards.remind(users["municipal"], region, "2025")
    assert (units, letters) == (1, 1)
    assert mail.outbox[0].to == ["school@example.ru"]
    assert "2025" in mail.outbox[0].subject
    with pytest.raises(PermissionDenied):
        cards.remind(users["school"], region, "2025")
    # Stored: who was reminded, when, by whom; shown on the board; seen within the scope only.
    from nms.accounts.scope import scope_of
    from nms.monitoring.models import CardReminder

    [reminder] = CardReminder.objects.all()
    school = two_municipalities["a"]["school"]
    assert (reminder.organization, reminder.sent_by, reminder.recipients) == (
        school, users["municipal"], ["school@example.ru"],
    )  # fmt: skip
    assert reminder.card_status and reminder.sent_at is not None
    cards.remind(users["municipal"], region, "2025")
    [row] = cards.board(users["municipal"], region, "2025")
    assert row.reminders == 2 and row.reminded.sent_by == users["municipal"]
    assert scope_of(users["school"]).visible(CardReminder).count() == 2
    assert not scope_of(users["other_school"]).visible(CardReminder).exists()


def test_reminders_on_the_board_page(client, users, two_municipalities, card, region):
    users["school"].email = "school@example.ru"
    users["school"].save()
    client.force_login(users["municipal"])
    answer = client.post("/monitoring/cards/remind/", {"period": "2025", "level": "organization"})
    assert answer.status_code in (200, 302)
    board = client.get("/monitoring/cards/?period=2025").content.decode()
    assert "school@example.ru" in board and 'class="reminded"' in board


def test_the_card_pages(client, users, card):
    client.force_login(users["school"])
    page = client.get(f"/monitoring/cards/{card.pk}/")
    assert page.status_code == 200 and "Число наставников" in page.content.decode()
    answer = client.post(
        f"/monitoring/cards/{card.pk}/",
        {"version": card.version, "vK1": "да", "vK2": "4", "tK2": "", "lK2": "", "submit": "1"}
        | {f"v{i.pk}": v for i, v in ((cards.lines(card)[0].indicator, "да"),
                                      (cards.lines(card)[1].indicator, "4"))},
    )  # fmt: skip
    assert answer.status_code == 302
    card.refresh_from_db()
    assert card.status == InfoCard.Status.SUBMITTED

    client.force_login(users["municipal"])
    board = client.get("/monitoring/cards/?period=2025").content.decode()
    assert "на проверке" in board
    answer = client.post(
        f"/monitoring/cards/{card.pk}/return/", {"version": card.version, "comment": "Исправьте"}
    )
    card.refresh_from_db()
    assert card.status == InfoCard.Status.RETURNED

    client.force_login(users["other_school"])
    assert client.get(f"/monitoring/cards/{card.pk}/").status_code == 404
    client.force_login(users["teacher"])
    assert client.get("/monitoring/cards/").status_code == 404
