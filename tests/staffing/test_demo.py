"""The demo's staffing on the small region of tests/demo: schedules for every organization with
a few per cent vacant, diplomas with some teaching outside the profile, contracts, classes."""

import pytest

from nms.registry.models import Employment, Organization, Region
from nms.staffing import selectors
from nms.staffing.models import Diploma, ScheduleRow, StaffSchedule, TargetContract

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 2, "organizations": 8, "people": 40, "seed": 2}


def test_demo_staffing():
    from nms.demo.build import build_demo_region

    summary = build_demo_region(**SIZES)
    assert "Кадры:" in summary, summary
    region = Region.objects.get()
    assert StaffSchedule.objects.count() == Organization.objects.filter(region=region).count()
    rows = list(ScheduleRow.objects.all())
    rates = sum(r.rates for r in rows)
    vacant = sum(r.vacant for r in rows)
    assert rates > 0 and 0 <= vacant / rates < 0.15
    assert all(r.filled <= r.rates for r in rows)
    assert (
        Diploma.objects.count()
        >= 0.6
        * Employment.objects.filter(position__is_pedagogical=True)
        .values("person")
        .distinct()
        .count()
    )
    assert TargetContract.objects.count() == 40
    assert set(TargetContract.objects.values_list("status", flat=True)) >= {"studying", "graduated"}
    outside = selectors.outside_profile(Employment.objects.all())
    assert outside.count() < Diploma.objects.count()
