"""Reads of the diagnostics, each starting from the user's scope.

Results and attempts follow the people scope: a teacher sees their own, a school its staff's,
a municipality its people's. The item bank's reads are in nms.itembank.selectors.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.diagnostics.models import (
    Answer,
    AreaScore,
    Attempt,
    AttemptStatus,
    Group,
    Membership,
    Procedure,
    ProcedureKind,
    Result,
    VariantItem,
)
from nms.itembank.models import CompetencyArea
from nms.registry.models import Employment, Organization, Person
from nms.registry.selectors import EMPLOYMENTS_FOR_LISTS, filter_people, search_people


def procedures_visible(user) -> QuerySet[Procedure]:
    """Procedures, their groups and variants: for those who run diagnostics and the ministry."""
    return scope_of(user).visible(Procedure)


def procedures_involving(user) -> QuerySet[Procedure]:
    """Procedures the people of the user's scope took part in (to filter maps and results by);
    not a licence to open the procedure itself."""
    people = scope_of(user).people()
    involved = Exists(
        Membership.objects.filter(procedure=OuterRef("pk"), person__in=people)
    ) | Exists(Result.objects.filter(procedure=OuterRef("pk"), person__in=people))
    return Procedure.objects.filter(Q(pk__in=procedures_visible(user).values("pk")) | Q(involved))


def procedure_get(user, pk) -> Procedure:
    return get_visible_or_404(procedures_visible(user), pk=pk)


def procedure_to_take(user, pk) -> Procedure:
    """A procedure the user is in a group of, to start or resume their own attempt."""
    return get_visible_or_404(my_procedures(user), pk=pk)


def results_visible(user) -> QuerySet[Result]:
    return scope_of(user).visible(Result)


def attempts_visible(user) -> QuerySet[Attempt]:
    return scope_of(user).visible(Attempt)


def my_procedures(user) -> QuerySet[Procedure]:
    """Procedures the user, as a teacher, is in a group of."""
    if getattr(user, "person_id", None) is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(groups__membership__person_id=user.person_id).distinct()


def person_results(user, person) -> QuerySet[Result]:
    """A person's results, newest first, with area scores (entry vs exit on one page)."""
    return (
        results_visible(user)
        .filter(person=person)
        .select_related("procedure")
        .prefetch_related("area_scores__area")
        .order_by("-taken_on", "-id")
    )


# -- pages of procedures, groups, testing and results ----------------------------------------
def procedures_for_list(user) -> QuerySet[Procedure]:
    return (
        procedures_visible(user)
        .select_related("municipality")
        .annotate(group_count=Count("groups"))
        .order_by("-starts_on", "name", "pk")
    )


def procedure_groups(user, procedure: Procedure) -> QuerySet[Group]:
    """The procedure's groups with the number of members the user may see and variant size."""
    people = scope_of(user).people()
    members = Membership.objects.filter(group=OuterRef("pk"), person__in=people)
    return (
        procedure.groups.select_related("subject")
        .annotate(
            member_count=Coalesce(
                Subquery(
                    members.order_by().values("group").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            item_count=Count("variant__variant_items"),
        )
        .order_by("number")
    )


def group_get(user, pk) -> Group:
    groups = scope_of(user).visible(Group)
    return get_visible_or_404(groups.select_related("procedure", "subject"), pk=pk)


def group_members(user, group: Group) -> QuerySet[Person]:
    """Members of the group within the user's scope, with their jobs for the list."""
    return (
        scope_of(user)
        .people()
        .filter(diagnostic_groups=group)
        .prefetch_related(EMPLOYMENTS_FOR_LISTS)
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def variant_items(group: Group) -> QuerySet[VariantItem]:
    return VariantItem.objects.filter(variant__group=group).select_related(
        "item__area", "item__subject"
    )


def own_attempt_get(user, pk) -> Attempt:
    """An attempt is the answer sheet: only its own person opens it, whoever else sees results."""
    own = attempts_visible(user).filter(person_id=user.person_id or 0)
    return get_visible_or_404(own.select_related("procedure", "variant"), pk=pk)


def attempt_questions(attempt: Attempt) -> list[tuple[VariantItem, Answer | None]]:
    """The variant's items in order, each with the answer saved so far (two queries)."""
    answers = {a.item_id: a for a in attempt.answers.all()}
    rows = attempt.variant.variant_items.select_related("item__area").order_by("position")
    return [(row, answers.get(row.item_id)) for row in rows]


@dataclass(frozen=True)
class AttemptProgress:
    """How far the answer sheet is: `unanswered` as (position, item id), in the sheet's order."""

    total: int
    answered: int
    unanswered: list[tuple[int, int]]


def attempt_progress(rows: list[tuple[VariantItem, Answer | None]]) -> AttemptProgress:
    """From `attempt_questions`: an item is answered when a response is saved (an answer cleared
    again is kept as no response)."""
    unanswered = [
        (row.position, row.item_id)
        for row, answer in rows
        if answer is None or answer.response is None
    ]
    return AttemptProgress(len(rows), len(rows) - len(unanswered), unanswered)


def attempt_result(user, attempt: Attempt) -> Result | None:
    return (
        results_visible(user)
        .filter(procedure_id=attempt.procedure_id, person_id=attempt.person_id)
        .first()
    )


def result_get(user, pk) -> Result:
    results = results_visible(user).select_related("procedure", "person")
    return get_visible_or_404(results.prefetch_related("area_scores__area"), pk=pk)


# -- results of a procedure (managers' list and export) --------------------------------------
def procedure_areas(procedure: Procedure) -> QuerySet[CompetencyArea]:
    """The area columns of a procedure's results: the areas of its blueprint or, when results
    are loaded from outside, the areas its results have scores in."""
    if procedure.is_external:
        scored = AreaScore.objects.filter(result__procedure=procedure, area=OuterRef("pk"))
        return CompetencyArea.objects.filter(Exists(scored))
    return CompetencyArea.objects.filter(blueprintrow__procedure=procedure)


def procedure_results(
    user,
    procedure: Procedure,
    *,
    q: str = "",
    has_deficit: bool | None = None,
    deficit_area: CompetencyArea | None = None,
    municipality=None,
    organization=None,
) -> QuerySet[Result]:
    """The procedure's results within the user's scope, filtered, ordered by name.

    The person, their area scores and jobs come along in a fixed number of queries whatever the
    number of rows. Municipality and organization are those of any of the person's jobs (as in
    the registry's lists); `q` searches ФИО or СНИЛС as the registry does (ё as е).
    """
    results = results_visible(user).filter(procedure=procedure)
    if q:
        results = results.filter(person__in=search_people(Person.objects.all(), q))
    if has_deficit is not None:
        results = results.filter(has_deficit=has_deficit)
    if deficit_area is not None:
        deficits = AreaScore.objects.filter(
            result=OuterRef("pk"), area=deficit_area, is_deficit=True
        )
        results = results.filter(Exists(deficits))
    if municipality or organization:
        people = filter_people(
            Person.objects.all(), municipality=municipality, organization=organization
        )
        results = results.filter(person__in=people)
    return (
        results.select_related("person")
        .prefetch_related(
            Prefetch("area_scores", queryset=AreaScore.objects.select_related("area")),
            Prefetch(
                "person__employments",
                queryset=Employment.objects.select_related("organization").order_by(
                    "is_part_time", "id"
                ),
            ),
        )
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )


@dataclass
class ResultRow:
    """A line of a procedure's results: the result, the main job's organization, and per area
    column the score (None where the result has none)."""

    result: Result
    organization: Organization | None
    scores: list[AreaScore | None]

    @property
    def deficit_areas(self) -> list[CompetencyArea]:
        return [s.area for s in self.scores if s is not None and s.is_deficit]


def result_row(result: Result, areas) -> ResultRow:
    by_area = {score.area_id: score for score in result.area_scores.all()}
    job = result.person.main_employment()
    return ResultRow(
        result, job.organization if job else None, [by_area.get(area.pk) for area in areas]
    )


@dataclass
class MyDiagnostic:
    """An open procedure of the teacher, with their attempt and result if there are any."""

    procedure: Procedure
    attempt: Attempt | None
    result: Result | None
    now: datetime

    @property
    def minutes_left(self) -> int | None:
        if self.attempt is None or self.attempt.deadline is None:
            return None
        seconds = (self.attempt.deadline - self.now).total_seconds()
        return max(0, math.ceil(seconds / 60))

    @property
    def state(self) -> str:
        """new, in_progress or finished (time over counts as finished)."""
        if self.attempt is None:
            return "new"
        if self.attempt.status == AttemptStatus.IN_PROGRESS and self.minutes_left != 0:
            return "in_progress"
        return "finished"


def my_diagnostics(user) -> list[MyDiagnostic]:
    """Open procedures where the user, as a teacher, has a variant to take (three queries)."""
    if user.person_id is None:
        return []
    today = timezone.localdate()
    procedures = list(
        Procedure.objects.filter(
            groups__membership__person_id=user.person_id,
            groups__variant__isnull=False,
            starts_on__lte=today,
            ends_on__gte=today,
        ).order_by("ends_on", "name")
    )
    ids = [p.pk for p in procedures]
    attempts = {
        a.procedure_id: a
        for a in Attempt.objects.filter(person_id=user.person_id, procedure_id__in=ids)
    }
    results = {
        r.procedure_id: r
        for r in Result.objects.filter(person_id=user.person_id, procedure_id__in=ids)
    }
    now = timezone.now()
    return [MyDiagnostic(p, attempts.get(p.pk), results.get(p.pk), now) for p in procedures]


def results_comparison(results) -> dict:
    """A person's results side by side: one column per result, oldest first, one row per area.

    When there is an exit result after an entry one, `change` holds, per area, the latest exit
    share minus the latest entry share before it.
    """
    columns = sorted(results, key=lambda r: (r.taken_on, r.pk))
    areas: dict = {}
    cells: dict = {}
    for column, result in enumerate(columns):
        for score in result.area_scores.all():
            areas.setdefault(score.area.pk, score.area)
            cells[score.area.pk, column] = score
    exits = [i for i, r in enumerate(columns) if r.procedure.kind == ProcedureKind.EXIT]
    last_exit = exits[-1] if exits else None
    entries = [
        i
        for i, r in enumerate(columns)
        if r.procedure.kind == ProcedureKind.ENTRY and last_exit is not None and i < last_exit
    ]
    last_entry = entries[-1] if entries else None
    rows = []
    for area in sorted(areas.values(), key=lambda a: (a.order, a.name)):
        row = [cells.get((area.pk, i)) for i in range(len(columns))]
        change = None
        if last_entry is not None:
            before, after = row[last_entry], row[last_exit]
            if before is not None and after is not None:
                change = after.share - before.share
        rows.append({"area": area, "cells": row, "change": change})
    compared = (columns[last_entry], columns[last_exit]) if last_entry is not None else None
    return {"columns": columns, "rows": rows, "compared": compared}
