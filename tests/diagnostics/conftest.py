"""Fixtures of the diagnostics: a procedure over the item bank's fixtures."""

from datetime import date, timedelta

import pytest

from nms.diagnostics.models import Procedure
from tests.itembank.conftest import areas, bank  # noqa: F401  (fixtures)


@pytest.fixture
def procedure(region, areas):  # noqa: F811  (areas: the fixture imported above)
    today = date.today()
    proc = Procedure.objects.create(
        region=region,
        name="Региональная входная диагностика",
        level="regional",
        kind="entry",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        time_limit_minutes=45,
        seed=42,
    )
    for code, (easy, medium, hard) in {
        "methodical": (1, 1, 1),
        "psychological": (1, 1, 0),
        "ict": (1, 0, 1),
    }.items():
        proc.blueprint.create(area=areas[code], easy=easy, medium=medium, hard=hard)
    return proc
