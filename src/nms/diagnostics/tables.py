"""The columns of the diagnostics' list pages (see nms.common.tables).

The columns read only what the list selectors fetch: `procedures_for_list` selects the
municipality and counts the groups; `procedure_results` selects the person and prefetches the
area scores and the jobs, which `result_row` reads. So a page runs a fixed number of queries.
"""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html

from nms.common.tables import Column, Table, display


def percent(value) -> str:
    return f"{floatformat(value, '-2')} %"


# -- procedures --------------------------------------------------------------------------------
def procedure_level(procedure) -> str:
    if procedure.municipality is None:
        return procedure.get_level_display()
    return format_html(
        '{} <span class="muted">({})</span>',
        procedure.get_level_display(),
        procedure.municipality.name,
    )


def procedure_period(procedure) -> str:
    return f"{display(procedure.starts_on)} — {display(procedure.ends_on)}"


class ProcedureTable(Table):
    css_id = "procedures"
    empty_text = "Процедур нет."
    name = Column("Наименование", link="procedure-detail", sort="name")
    level = Column("Уровень", procedure_level, sort="level")
    kind = Column("Вид", "get_kind_display", sort="kind")
    period = Column("Проводится", procedure_period, sort=("starts_on", "ends_on"))
    threshold = Column("Порог дефицита", lambda p: percent(p.threshold), sort="threshold")
    group_count = Column("Групп", sort="group_count")


# -- a procedure's results ---------------------------------------------------------------------
# The rows are `selectors.ResultRow`s: the result, the main job's organization, the area scores.
def result_share(row) -> str:
    return percent(row.result.share)


def area_score(index: int):
    def cell(row) -> str:
        score = row.scores[index]
        if score is None:
            return "—"
        if score.is_deficit:
            return format_html('{} <span class="badge warn">дефицит</span>', percent(score.share))
        return percent(score.share)

    return cell


class ProcedureResultsTable(Table):
    """The fixed columns; `for_areas` adds one per competency area of the procedure."""

    css_id = "procedure-results"
    empty_text = "Результатов нет."
    person = Column(
        "ФИО",
        "result.person.full_name",
        link=lambda row: reverse("person-results", args=[row.result.person_id]),
    )
    organization = Column("Организация", "organization.short_name", empty="—")
    taken_on = Column("Дата", "result.taken_on", css_class="nowrap")
    share = Column(
        "Общий результат",
        result_share,
        link=lambda row: reverse("result-detail", args=[row.result.pk]),
    )

    @classmethod
    def for_areas(cls, areas) -> type["ProcedureResultsTable"]:
        columns = {
            f"area_{area.pk}": Column(area.name, area_score(index), css_class="nowrap")
            for index, area in enumerate(areas)
        }
        return type("ProcedureResultsTable", (cls,), columns)
