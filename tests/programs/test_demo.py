"""The demo's share of the app programs (`nms.demo.programs.generate`) on a small hand-built
region: a catalogue of 60+ (a third in ФР ДПП), runs over two years, enrollments of about a fifth
of the pedagogical workers with completions, drop-outs, choices from diagnostics and teams. (The
whole demo region, this step included, is built by tests/demo.)"""

from datetime import timedelta

import pytest

from nms.demo import programs as demo
from nms.programs.models import Enrollment, EnrollmentStatus, Programme, Run, Team
from nms.programs.selectors import a3_counts
from tests.factories import EmploymentFactory
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_programmes(region, two_municipalities, diagnose):
    a = two_municipalities["a"]
    teachers = [EmploymentFactory(organization=a["school"]).person for _ in range(40)]
    for person in teachers:
        diagnose(person, TODAY - timedelta(days=400), methodical=20, ict=30)
    EmploymentFactory(organization=a["school"], manager_kind="deputy")
    summary = demo.generate(region, seed=3, today=TODAY)
    assert summary.startswith("  программ ДПП: 64")
    programmes = Programme.objects.filter(region=region)
    assert programmes.count() >= 60
    federal = programmes.filter(in_federal_registry=True)
    assert 0.25 <= federal.count() / programmes.count() <= 0.4
    assert not federal.filter(federal_number="").exists()
    assert not federal.filter(federal_since=None).exists()
    assert programmes.exclude(review_outcome="").exists()
    assert {t for p in programmes for t in p.topics} >= {"fgos", "literacy", "digital", "tech"}
    starts = sorted(Run.objects.values_list("starts_on", flat=True))
    assert starts[-1] - starts[0] > timedelta(days=500)
    enrolled = Enrollment.objects.filter(team=None).values_list("person_id", flat=True)
    assert 0.15 <= len(set(enrolled)) / 45 <= 0.25
    assert Enrollment.objects.filter(chosen_from_diagnostics=True).exists()
    assert Team.objects.exists() and Enrollment.objects.exclude(team=None).exists()
    completed = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED)
    assert completed.exists() and not completed.filter(certificate_number="").exists()
    numerator, denominator = a3_counts(
        None, since=TODAY - timedelta(days=800), until=TODAY, region=region
    )
    assert 0 < numerator < denominator
