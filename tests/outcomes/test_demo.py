"""The demo's students' results on a tiny region: about half the teachers, three school years,
teachers of completed routes covered, nothing naming a pupil."""

from datetime import date

import pytest

from nms.demo.build import build_demo_region
from nms.demo.outcomes import last_ended_year
from nms.outcomes.models import StudentResult
from nms.registry.models import Employment

pytestmark = pytest.mark.django_db
SIZES = {"municipalities": 2, "organizations": 8, "people": 40, "seed": 3}


def test_demo_results():
    summary = build_demo_region(**SIZES)
    assert "результатов обучающихся" in summary
    rows = StudentResult.objects.all()
    assert rows.exists()
    last = last_ended_year(date.today())
    assert set(rows.values_list("school_year", flat=True)) >= {last - 2, last - 1, last}
    assert max(rows.values_list("school_year", flat=True)) <= last
    teachers = Employment.objects.filter(position__name="учитель").values("person_id").distinct()
    with_results = rows.values("teacher_id").distinct().count()
    assert 0.2 * teachers.count() <= with_results <= teachers.count()
    assert not rows.filter(share_passing__gt=100).exists()
    assert all(len(label) <= 3 for label in rows.values_list("group_label", flat=True))


def test_last_ended_year():
    assert last_ended_year(date(2026, 12, 1)) == 2025
    assert last_ended_year(date(2026, 6, 30)) == 2024


def test_generate_on_a_hand_built_region(two_municipalities):
    """The step alone: teachers with subjects get results; a teacher whose route ended before the
    last school year's end gets the years before and after it, so G4 has a verdict."""
    from nms.demo import outcomes as demo
    from nms.outcomes import dynamics
    from nms.registry.models import Subject
    from tests.outcomes.conftest import route

    maths = Subject.objects.get(name="математика")
    people = []
    for world in two_municipalities.values():
        for key in ("teacher", "director"):
            world[key].employments.get().subjects.set([maths])
            people.append(world[key])
    today = date(2026, 12, 1)
    made = route(people[0], starts_on=date(2024, 10, 1), ends_on=date(2025, 5, 31))
    line = demo.generate(people[0].region, seed=1, today=today)
    assert "результатов обучающихся" in line
    years = set(StudentResult.objects.values_list("school_year", flat=True))
    assert years >= {2023, 2024, 2025} and max(years) == 2025
    assert StudentResult.objects.filter(teacher=people[0]).exists()
    assert dynamics.verdicts([made])[made.pk].positive is not None
    again = StudentResult.objects.count()
    StudentResult.objects.all().delete()
    demo.generate(people[0].region, seed=1, today=today)
    assert StudentResult.objects.count() == again  # the same seed, the same data
