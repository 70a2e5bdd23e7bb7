"""The demo's mentoring on the small region of tests/demo: every state and form, the demo teacher
finds mentors."""

import pytest

from nms.demo.build import build_demo_region
from nms.mentoring import selectors
from nms.mentoring.models import (
    MentoringForm,
    MentoringProgram,
    MentorProfile,
    MentorshipRequest,
    Pair,
    RequestStatus,
)
from nms.registry.models import Person, Region

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 2, "organizations": 8, "people": 40, "seed": 2}


def test_demo_mentoring_in_every_state_and_the_demo_teacher_finds_mentors():
    build_demo_region(**SIZES)
    region = Region.objects.get()
    teachers = Person.objects.filter(region=region).count()
    mentors = MentorProfile.objects.count()
    assert 0.01 * teachers <= mentors <= 0.06 * teachers
    assert MentoringProgram.objects.exists()
    assert set(Pair.objects.values_list("status", flat=True)) == {"active", "completed"}
    assert Pair.objects.filter(completed_early=True).exists()
    assert set(Pair.objects.values_list("form", flat=True)) >= {
        MentoringForm.TEACHER_TEACHER, MentoringForm.TEAM_TEAM,
    }  # fmt: skip
    assert set(MentorshipRequest.objects.values_list("status", flat=True)) == set(
        RequestStatus.values
    )
    mentored, young = selectors.young_with_mentor(region)
    assert young and mentored >= 1  # a region this small has places for few
    teacher = Person.objects.get(user__username="teacher")
    assert not Pair.objects.filter(mentee=teacher).exists()
    assert selectors.match_mentors(teacher)
    assert selectors.registry_rows(region=region).exists()
