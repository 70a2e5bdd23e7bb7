from datetime import date, timedelta
from decimal import Decimal

import pytest

from nms.diagnostics.models import Procedure, ResultSource
from nms.diagnostics.services import result_record
from nms.itembank.models import CompetencyArea
from nms.routes.models import ActivityKind, Level

TODAY = date.today()


@pytest.fixture
def actors(users):
    """The users of every role (tests/conftest.py), the director of school A as `other_teacher`."""
    return {**users, "other_teacher": users["colleague"]}


def _procedure(region, name, kind, taken_on):
    return Procedure.objects.create(
        region=region, name=name, level="regional", kind=kind,
        starts_on=taken_on, ends_on=taken_on, is_external=True,
    )  # fmt: skip


@pytest.fixture
def entry_result(region, two_municipalities):
    """Entry diagnostics of teacher A: methodical 40 % (deficit), ICT 80 %."""
    areas = {a.code: a for a in CompetencyArea.objects.all()}
    procedure = _procedure(region, "Входная", "entry", TODAY - timedelta(days=10))
    return result_record(
        two_municipalities["a"]["teacher"].pk,
        procedure,
        TODAY - timedelta(days=10),
        {areas["methodical"]: (Decimal(4), Decimal(10)), areas["ict"]: (Decimal(8), Decimal(10))},
        ResultSource.IMPORT,
    )


@pytest.fixture
def exit_result_factory(region, two_municipalities):
    def make(methodical_share=70):
        areas = {a.code: a for a in CompetencyArea.objects.all()}
        procedure = _procedure(region, "Выходная", "exit", TODAY)
        return result_record(
            two_municipalities["a"]["teacher"].pk,
            procedure,
            TODAY,
            {
                areas["methodical"]: (Decimal(methodical_share), Decimal(100)),
                areas["ict"]: (Decimal(90), Decimal(100)),
            },
            ResultSource.IMPORT,
        )

    return make


@pytest.fixture
def new_result(region, two_municipalities):
    """A later result of teacher A: methodical 30 % and ICT 20 % — two deficits instead of one."""

    def make(kind="entry", methodical=3, ict=2, days_ago=1):
        areas = {a.code: a for a in CompetencyArea.objects.all()}
        taken_on = TODAY - timedelta(days=days_ago)
        procedure = _procedure(region, f"Повторная {kind} {days_ago}", kind, taken_on)
        return result_record(
            two_municipalities["a"]["teacher"].pk,
            procedure,
            taken_on,
            {
                areas["methodical"]: (Decimal(methodical), Decimal(10)),
                areas["ict"]: (Decimal(ict), Decimal(10)),
            },
            ResultSource.IMPORT,
        )

    return make


def item_data(**overrides):
    data = {
        "level": Level.REGIONAL,
        "activity_kind": ActivityKind.PROGRAM,
        "title": "ДПП ПК «Формирование функциональной грамотности»",
        "source": "",
        "area": CompetencyArea.objects.get(code="methodical"),
        "competency": "проектирование урока",
        "starts_on": TODAY,
        "due_on": TODAY + timedelta(days=60),
        "result_form": "удостоверение о повышении квалификации",
    }
    data.update(overrides)
    return data
