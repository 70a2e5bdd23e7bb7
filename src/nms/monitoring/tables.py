"""The columns of the monitoring lists (see nms.common.tables); each reads only what the list's
selector fetches."""

from django.utils.text import Truncator

from nms.common.tables import Column, Table

EMPTY = "—"


def unit(recommendation) -> str:
    return str(recommendation.organization or recommendation.municipality or "регион")


def indicator_code(recommendation) -> str:
    return recommendation.indicator.code if recommendation.indicator else ""


def short_text(recommendation) -> str:
    return Truncator(recommendation.text).chars(160)


class RecommendationTable(Table):
    css_id = "recommendations"
    empty_text = "Рекомендаций нет."

    text = Column("Рекомендация", short_text, link="monitoring-recommendation")
    indicator = Column("Показатель", indicator_code, sort="indicator__code", empty=EMPTY)
    addressee = Column("Кому", "get_addressee_display", sort="addressee")
    unit = Column("Единица", unit)
    period = Column("Период", sort="period")
    status = Column("Состояние", "get_status_display", sort="status")


class DecisionTable(Table):
    css_id = "decisions"
    empty_text = "Решений нет."

    title = Column("Решение", link="monitoring-decision", sort="title")
    document = Column("Документ", empty=EMPTY)
    decided_on = Column("Дата", sort="decided_on", css_class="nowrap")
    base_period = Column("Базовый период", sort="base_period")
    responsible = Column("Ответственный")
    deadline = Column("Срок", sort="deadline", css_class="nowrap")
    status = Column("Состояние", "get_status_display", sort="status")
