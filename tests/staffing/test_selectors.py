"""The profile rule (selectors): a diploma's specialty or a completed retraining covers a subject
taught; the person card's panel shows it."""

from datetime import date

import pytest

from nms.registry.models import Employment
from nms.staffing import hooks, selectors
from tests.staffing.conftest import retraining

pytestmark = pytest.mark.django_db


def test_diploma_and_retraining_cover_subjects(world):
    verdicts = {t.subject: t.verdict for t in selectors.taught_subjects(world.a["teacher"].pk)}
    assert verdicts == {
        "математика": "по профилю (диплом)",
        "физика": "по профилю (переподготовка)",
    }
    far = selectors.taught_subjects(world.far.pk)
    assert [(t.subject, t.in_profile) for t in far] == [("химия", False)]


def test_retraining_counts_from_its_completion_and_only_when_completed(world):
    physics = selectors.taught_subjects(world.a["teacher"].pk, on=date(2024, 1, 1))
    assert {t.subject: t.in_profile for t in physics}["физика"] is False
    enrollment = retraining(world.far, "химия")
    enrollment.status = "dropped"
    enrollment.save()
    assert not selectors.taught_subjects(world.far.pk)[0].in_profile


def test_outside_profile_and_summary_of_a_school(world):
    school = world.a["school"]
    rows = list(selectors.outside_profile(Employment.objects.filter(organization=school)))
    assert [(r.employment.person_id, r.subject.name) for r in rows] == [(world.far.pk, "химия")]
    assert selectors.profile_summary(school.pk) == {"teachers": 2, "outside": 1, "share": 50.0}


def test_person_panel_for_the_school_and_nothing_for_another_school(world):
    panel = hooks.person_panel(world.users["school"], world.far)
    assert len(panel["diplomas"]) == 1 and panel["outside"][0].subject == "химия"
    assert panel["can_add"]
    assert hooks.person_panel(world.users["other_school"], world.far) is None
    own = hooks.person_panel(world.users["teacher"], world.a["teacher"])
    assert own["own"] and len(own["diplomas"]) == 1 and not own["can_add"]
