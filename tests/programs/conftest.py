from datetime import date, timedelta
from decimal import Decimal

import pytest

from nms.diagnostics.models import Procedure, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.programs.models import Programme, Run

TODAY = date.today()


@pytest.fixture
def areas(db):
    return {a.code: a for a in CompetencyArea.objects.all()}


@pytest.fixture
def make_programme(region, areas):
    def make(title="ДПП", *, federal=False, codes=("methodical",), **kwargs):
        kwargs.setdefault("hours", 36)
        programme = Programme.objects.create(
            region=region,
            title=title,
            in_federal_registry=federal,
            federal_number=kwargs.pop("federal_number", f"ФР-{title}" if federal else ""),
            **kwargs,
        )
        programme.areas.set([areas[c] for c in codes])
        return programme

    return make


@pytest.fixture
def make_run():
    def make(programme, starts_on=TODAY - timedelta(days=20), days=10, **kwargs):
        return Run.objects.create(
            programme=programme,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days),
            **kwargs,
        )

    return make


@pytest.fixture
def diagnose(region, areas):
    """diagnose(person, taken_on, methodical=share, ict=share): a result; under 50 % a deficit."""
    count = [0]

    def make(person, taken_on=TODAY - timedelta(days=60), **shares):
        count[0] += 1
        procedure = Procedure.objects.create(
            region=region,
            name=f"Диагностика {count[0]}",
            level="regional",
            kind="entry",
            starts_on=taken_on,
            ends_on=taken_on,
            is_external=True,
        )
        scores = {areas[code]: (Decimal(share), Decimal(100)) for code, share in shares.items()}
        return result_record(person.pk, procedure, taken_on, scores, ResultSource.IMPORT)

    return make
