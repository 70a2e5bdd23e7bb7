"""Management decisions (seed 004 §8–9): the record, and in the next period the change of the
targeted indicators for the targeted units, on the decision's page and in the report."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from nms.common.concurrency import StaleRecord
from nms.monitoring import decisions, reports
from nms.monitoring.models import Indicator
from tests.monitoring.m2_data import indicator, snap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    a = two_municipalities["a"]
    share = indicator(region, "T1", name="Доля молодых педагогов с наставником")
    snap(share, a["municipality"], "2024", 20, 50)
    snap(share, a["municipality"], "2025", 45, 50)
    return {"share": share, **two_municipalities}


def data(world, **more):
    return {
        "title": "Внедрить целевую модель наставничества",
        "document": "Приказ № 12",
        "decided_on": date(2025, 1, 20),
        "measures": "Назначить наставников всем молодым педагогам",
        "indicators": [world["share"]],
        "municipalities": [world["a"]["municipality"]],
        "base_period": "2024",
        "responsible": "Управление образования",
        "deadline": date(2025, 12, 31),
        **more,
    }


def test_the_effect_in_the_next_period(users, world):
    decision = decisions.create(users["municipal"], data(world))
    period, rows = decisions.effect(decision)
    assert period == "2025"
    [row] = rows
    assert row.change == 25 and row.verdict == "улучшение"


def test_rules_of_the_record(users, world):
    with pytest.raises(ValidationError) as error:
        decisions.create(users["ministry"], data(world, deadline=date(2024, 1, 1), indicators=[]))
    assert set(error.value.message_dict) == {"deadline", "indicators"}
    with pytest.raises(ValidationError, match="только его организаций"):
        decisions.create(
            users["municipal"], data(world, municipalities=[world["b"]["municipality"]])
        )
    with pytest.raises(PermissionDenied):
        decisions.create(users["school"], data(world))
    decision = decisions.create(users["ministry"], data(world))
    seen = decision.version
    decisions.update(users["ministry"], decision, {"status": "done"}, seen)
    with pytest.raises(StaleRecord):
        decisions.update(users["ministry"], decision, {"status": "planned"}, seen)


def test_shown_on_the_page_and_in_the_report(client, users, world, region):
    decision = decisions.create(users["ministry"], data(world))
    client.force_login(users["municipal"])
    page = client.get(f"/monitoring/decisions/{decision.pk}/").content.decode()
    assert "2024 → 2025" in page and "улучшение" in page
    client.force_login(users["other_school"])
    assert client.get(f"/monitoring/decisions/{decision.pk}/").status_code == 404
    content = reports.analytical_report_docx(region, "2024", world["a"]["municipality"])
    document = Document(BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Внедрить целевую модель наставничества" in text
    assert "улучшение" in cells


def test_the_form_page(client, users, world, region):
    client.force_login(users["ministry"])
    assert client.get("/monitoring/decisions/new/").status_code == 200
    answer = client.post(
        "/monitoring/decisions/new/",
        {
            "title": "Решение",
            "decided_on": "20.01.2025",
            "measures": "Меры",
            "indicators": [world["share"].pk],
            "municipalities": [world["a"]["municipality"].pk],
            "base_period": "2024",
            "responsible": "ИМЦ",
            "deadline": "01.01.2025",
            "status": "planned",
        },
    )
    assert "Срок не может быть раньше даты решения" in answer.content.decode()
    client.force_login(users["teacher"])
    assert client.get("/monitoring/decisions/new/").status_code == 404


def test_overdue_when_the_deadline_passes(users, world, client):
    """One rule: a decision not done is «просрочено» from the day after its deadline — set when
    it is saved, by the daily `nms monitor --mark-overdue`, before the pages and the API read
    decisions; «принято» again when the deadline is moved on; «исполнено» stays."""
    from django.core.management import call_command
    from django.utils import timezone

    from nms.monitoring.models import Decision

    today = timezone.localdate()
    soon = decisions.create(
        users["ministry"], data(world, decided_on=date(2024, 1, 1), deadline=today)
    )
    assert soon.status == Decision.Status.PLANNED  # the deadline is today: not yet
    late = decisions.create(
        users["ministry"], data(world, decided_on=date(2024, 1, 1), deadline=date(2024, 6, 1))
    )
    assert late.status == Decision.Status.OVERDUE
    done = decisions.create(
        users["ministry"],
        data(world, decided_on=date(2024, 1, 1), deadline=date(2024, 6, 1), status="done"),
    )
    assert done.status == Decision.Status.DONE
    # The deadline passes: the periodic run marks it, in one UPDATE.
    from datetime import timedelta

    assert decisions.mark_overdue(today + timedelta(days=1)) == 1
    soon.refresh_from_db()
    assert soon.status == Decision.Status.OVERDUE
    Decision.objects.filter(pk=soon.pk).update(status=Decision.Status.PLANNED)
    call_command("monitor", "--mark-overdue")  # today: the deadline is not past
    soon.refresh_from_db()
    assert soon.status == Decision.Status.PLANNED
    # Moved on: «принято» again.
    late = decisions.update(users["ministry"], late, {"deadline": today + timedelta(days=30)})
    assert late.status == Decision.Status.PLANNED
    # The pages and the API read it as the rule says.
    Decision.objects.filter(pk=late.pk).update(deadline=date(2024, 6, 1))
    client.force_login(users["ministry"])
    answer = client.get(f"/api/v1/monitoring/decisions/{late.pk}/")
    assert answer.status_code == 200 and answer.json()["status"] == "overdue"
    page = client.get(f"/monitoring/decisions/{late.pk}/")
    assert "просрочено" in page.content.decode()
