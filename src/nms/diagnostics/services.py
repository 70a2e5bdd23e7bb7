"""Writes of the diagnostics: procedures, groups, attempts, results. Checked against the scope."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.diagnostics.models import (
    Answer,
    AreaScore,
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Group,
    Level,
    Membership,
    Procedure,
    Result,
    ResultSource,
    Variant,
)
from nms.diagnostics.variants import OverlapReport, assemble_variants
from nms.itembank import scoring
from nms.registry.selectors import filter_people

NO_RIGHTS = "У вас нет прав на проведение диагностики."
# A request sent right at the deadline still counts (network delay), nothing later.
DEADLINE_GRACE = timedelta(seconds=30)
GROUP_CRITERIA = ("municipality", "organization", "subject", "position", "young", "manager")


def _percent(value: Fraction | Decimal) -> Decimal:
    return (
        Decimal(value.numerator * 100) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value * 100
    )


def _round(value: Decimal, places="0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


# -- procedures and groups -------------------------------------------------------------------
def _check_manage(user, procedure: Procedure | None = None, *, level=None, municipality=None):
    scope = scope_of(user)
    if not scope.can("diagnostics.manage"):
        raise PermissionDenied(NO_RIGHTS)
    if procedure is None:
        region = scope.default_region()
        procedure = Procedure(
            level=level,
            municipality=municipality,
            region_id=getattr(region, "pk", None) or getattr(municipality, "region_id", None),
        )
    if not scope.can("diagnostics.manage", procedure):
        if scope.has(Role.MUNICIPAL) and not scope.has(Role.CNPPM, Role.ADMIN):
            raise PermissionDenied(
                "Муниципальная служба проводит только муниципальную диагностику."
            )
        raise PermissionDenied(NO_RIGHTS)


def can_manage(user, procedure: Procedure) -> bool:
    """Whether the user may change the procedure (its groups, blueprint, variants)."""
    try:
        _check_manage(user, procedure)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def procedure_create(user, data: dict, blueprint: list[dict]) -> Procedure:
    """A procedure with its blueprint rows: [{"area": area, "easy": n, "medium": n, "hard": n}]."""
    scope = scope_of(user)
    municipal = scope.of_role(Role.MUNICIPAL)
    if municipal and not scope.has(Role.CNPPM, Role.ADMIN):
        # A municipal service runs its own municipality's diagnostics; asking for another level
        # or municipality is refused by _check_manage below.
        data = {"level": Level.MUNICIPAL, **data}
        if data["level"] == Level.MUNICIPAL and not data.get("municipality"):
            data["municipality"] = municipal[0].municipality
    if data.get("level") == Level.MUNICIPAL and not data.get("municipality"):
        raise ValidationError(
            {"municipality": "Для муниципальной диагностики укажите муниципалитет."}
        )
    _check_manage(user, level=data.get("level"), municipality=data.get("municipality"))
    region = scope.default_region()
    if region is None:
        raise ValidationError("Не определён регион.")
    procedure = Procedure(region=region, created_by=user, **data)
    if procedure.starts_on and procedure.ends_on and procedure.ends_on < procedure.starts_on:
        raise ValidationError({"ends_on": "Окончание не может быть раньше начала."})
    procedure.full_clean()
    procedure.save()
    _save_blueprint(procedure, blueprint)
    return procedure


PROCEDURE_DETAILS = (
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "time_limit_minutes",
    "threshold",
    "seed",
)


@transaction.atomic
def procedure_update(
    user, procedure: Procedure, data: dict, expected_version: int | None = None
) -> int:
    """Change a procedure's details (PROCEDURE_DETAILS); all or nothing.

    The seed is fixed once variants are assembled and testing has started. The threshold may
    change at any time: the deficits of every result of the procedure are then recomputed in
    SQL. Returns how many results were recomputed (0 when the threshold stayed or no results).
    Refused if the procedure changed since `expected_version` (nms.common.concurrency).
    """
    # A ModelForm has already put the posted values on `procedure`: work on the stored row.
    stored = Procedure.objects.get(pk=procedure.pk)
    _check_manage(user, stored)
    claim(stored, expected_version)
    old_threshold = stored.threshold
    changes = {field: data[field] for field in PROCEDURE_DETAILS if field in data}
    if (
        "seed" in changes
        and changes["seed"] != stored.seed
        and Variant.objects.filter(group__procedure=stored).exists()
        and Attempt.objects.filter(procedure=stored).exists()
    ):
        raise ValidationError(
            {"seed": "Зерно сборки нельзя менять: варианты собраны и тестирование уже начато."}
        )
    for field, value in changes.items():
        setattr(stored, field, value.strip() if isinstance(value, str) else value)
    if stored.starts_on and stored.ends_on and stored.ends_on < stored.starts_on:
        raise ValidationError({"ends_on": "Окончание не может быть раньше начала."})
    stored.full_clean()
    stored.save(update_fields=list(changes))
    procedure.version = stored.version
    if stored.threshold != old_threshold:
        return recompute_deficits(stored)
    return 0


def recompute_deficits(procedure: Procedure) -> int:
    """Mark deficits of all the procedure's results by its threshold (share ≤ threshold), in two
    UPDATE queries; returns the number of results."""
    results = Result.objects.filter(procedure=procedure)
    AreaScore.objects.filter(result__in=results.values("pk")).update(
        is_deficit=Q(share__lte=procedure.threshold)
    )
    deficits = AreaScore.objects.filter(result=OuterRef("pk"), is_deficit=True)
    return results.update(has_deficit=Exists(deficits))


def _save_blueprint(procedure: Procedure, blueprint: list[dict]) -> None:
    rows = [r for r in blueprint if r.get("easy", 0) + r.get("medium", 0) + r.get("hard", 0)]
    if not rows and not procedure.is_external:
        raise ValidationError(
            "Спецификация пуста: укажите число заданий хотя бы для одной области."
        )
    procedure.blueprint.all().delete()
    BlueprintRow.objects.bulk_create(BlueprintRow(procedure=procedure, **row) for row in rows)


@transaction.atomic
def blueprint_update(user, procedure: Procedure, blueprint: list[dict]) -> None:
    _check_manage(user, procedure)
    if Attempt.objects.filter(procedure=procedure).exists():
        raise ValidationError("Спецификацию нельзя менять: тестирование уже начато.")
    _save_blueprint(procedure, blueprint)


def group_candidates(user, criteria: dict):
    """The people a group with these criteria would take, within the user's scope."""
    people = scope_of(user).people()
    return filter_people(people, **{k: v for k, v in criteria.items() if k in GROUP_CRITERIA})


def group_preview(user, procedure: Procedure, criteria: dict):
    """The people a new group with these criteria would take (as group_create does)."""
    return group_candidates(user, criteria).exclude(diagnostic_groups__procedure=procedure)


@transaction.atomic
def group_create(user, procedure: Procedure, name: str, criteria: dict, subject=None) -> Group:
    """A target group: everyone in scope matching the criteria and in no other group yet."""
    _check_manage(user, procedure)
    if Attempt.objects.filter(procedure=procedure).exists():
        raise ValidationError("Группы нельзя менять: тестирование уже начато.")
    person_ids = list(group_preview(user, procedure, criteria).values_list("pk", flat=True))
    if not person_ids:
        raise ValidationError(
            "Под условия отбора не подходит ни один работник, не входящий в другие группы."
        )
    number = (
        procedure.groups.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    stored = {k: getattr(v, "pk", v) for k, v in criteria.items() if v not in (None, "")}
    group = Group.objects.create(
        procedure=procedure,
        number=number,
        name=name.strip() or f"Группа {number}",
        criteria=stored,
        subject=subject or criteria.get("subject"),
    )
    Membership.objects.bulk_create(
        Membership(group=group, person_id=pk, procedure=procedure) for pk in person_ids
    )
    return group


@transaction.atomic
def group_delete(user, group: Group) -> None:
    _check_manage(user, group.procedure)
    if Attempt.objects.filter(procedure_id=group.procedure_id).exists():
        raise ValidationError("Группы нельзя менять: тестирование уже начато.")
    group.delete()


def variants_assemble(user, procedure: Procedure) -> OverlapReport:
    """Assemble the variants of every group (see nms.diagnostics.variants), for a manager."""
    _check_manage(user, procedure)
    return assemble_variants(procedure)


# -- testing ---------------------------------------------------------------------------------
def _own_attempt(user, attempt: Attempt) -> None:
    if attempt.person_id != user.person_id:
        raise PermissionDenied("Это не ваше тестирование.")


@transaction.atomic
def attempt_start(user, procedure: Procedure) -> Attempt:
    """The user's attempt of the procedure: started now, or the one already under way."""
    if user.person_id is None:
        raise PermissionDenied("Учётная запись не связана с работником.")
    if not scope_of(user).can("diagnostics.take", procedure):
        raise PermissionDenied(
            "Вы видите ключи банка заданий, из которого собраны варианты, поэтому не можете "
            "проходить эту диагностику."
        )
    existing = Attempt.objects.filter(procedure=procedure, person_id=user.person_id).first()
    if existing:
        return expire_if_due(existing)
    today = timezone.localdate()
    if not (procedure.starts_on <= today <= procedure.ends_on):
        raise ValidationError("Диагностика сейчас не проводится.")
    variant = Variant.objects.filter(
        group__procedure=procedure, group__membership__person_id=user.person_id
    ).first()
    if variant is None:
        raise ValidationError("Для вас нет варианта этой диагностики.")
    now = timezone.now()
    limit = procedure.time_limit_minutes
    return Attempt.objects.create(
        person_id=user.person_id,
        variant=variant,
        procedure=procedure,
        started_at=now,
        deadline=now + timedelta(minutes=limit) if limit else None,
    )


def _is_overdue(attempt: Attempt, now=None) -> bool:
    return (
        attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + DEADLINE_GRACE
    )


def answer_save(user, attempt: Attempt, item_id: int, response) -> Answer:
    """Keep one answer as the teacher types it; refused after the deadline or the submission.

    An overdue attempt is closed (and scored) in its own transaction before the refusal, so the
    refusal does not roll the closing back.
    """
    _own_attempt(user, attempt)
    attempt.refresh_from_db()
    if attempt.status == AttemptStatus.IN_PROGRESS and _is_overdue(attempt):
        expire_if_due(attempt)
        raise ValidationError(
            "Время тестирования истекло. Сохранённые ответы отправлены на проверку."
        )
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise ValidationError("Тестирование уже завершено, ответы не принимаются.")
        if not attempt.variant.variant_items.filter(item_id=item_id).exists():
            raise ValidationError("Такого задания нет в вашем варианте.")
        answer, _ = Answer.objects.update_or_create(
            attempt=attempt, item_id=item_id, defaults={"response": response}
        )
    return answer


@transaction.atomic
def attempt_submit(user, attempt: Attempt) -> Result:
    _own_attempt(user, attempt)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt.procedure.results.get(person_id=attempt.person_id)
    status = AttemptStatus.EXPIRED if _is_overdue(attempt) else AttemptStatus.SUBMITTED
    return finish(attempt, status)


def expire_if_due(attempt: Attempt) -> Attempt:
    """An attempt whose time ran out is scored from the answers saved in time."""
    if attempt.status == AttemptStatus.IN_PROGRESS and _is_overdue(attempt):
        with transaction.atomic():
            finish(attempt, AttemptStatus.EXPIRED)
    return attempt


def finish(attempt: Attempt, status: str) -> Result:
    """Score every item of the variant, close the attempt and record the result."""
    answers = {a.item_id: a for a in attempt.answers.all()}
    totals: dict = {}
    for variant_item in attempt.variant.variant_items.select_related("item__area"):
        item = variant_item.item
        answer = answers.get(item.pk)
        share = scoring.score(item.kind, item.key, answer.response if answer else None)
        points = share * item.points
        if answer is not None:
            answer.score = _round(Decimal(points.numerator) / Decimal(points.denominator), "0.0001")
            answer.save(update_fields=["score"])
        got, top = totals.get(item.area, (Fraction(0), 0))
        totals[item.area] = (got + points, top + item.points)
    attempt.status = status
    attempt.finished_at = timezone.now()
    attempt.save(update_fields=["status", "finished_at"])
    return result_record(
        attempt.person_id,
        attempt.procedure,
        timezone.localdate(),
        {
            area: (Decimal(got.numerator) / Decimal(got.denominator), Decimal(top))
            for area, (got, top) in totals.items()
        },
        ResultSource.ONLINE,
    )


# -- results -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoredResult:
    """The derived figures of a result: `areas` maps each key of the scores given to the field
    values of its AreaScore (score, max_score, share, is_deficit)."""

    share: Decimal
    has_deficit: bool
    areas: dict


def score_result(threshold: Decimal, scores: dict) -> ScoredResult:
    """The one rule for a result's figures from {area (or its id): (score, max_score)}: each area's
    share of its maximum, a deficit at or below the threshold, the share of the total. No queries:
    `result_record` and the results import both go through it."""
    areas = {}
    total = Decimal(0)
    total_max = Decimal(0)
    for area, (score, max_score) in scores.items():
        share = _round(score * 100 / max_score) if max_score else Decimal(0)
        areas[area] = {
            "score": _round(score),
            "max_score": _round(max_score),
            "share": share,
            "is_deficit": share <= threshold,
        }
        total += score
        total_max += max_score
    return ScoredResult(
        share=_round(total * 100 / total_max) if total_max else Decimal(0),
        has_deficit=any(figures["is_deficit"] for figures in areas.values()),
        areas=areas,
    )


def result_record(person_id, procedure: Procedure, taken_on: date, scores: dict, source) -> Result:
    """Create or replace a person's result of a procedure from {area: (score, max_score)}."""
    scored = score_result(procedure.threshold, scores)
    result, _ = Result.objects.update_or_create(
        procedure=procedure,
        person_id=person_id,
        defaults={
            "taken_on": taken_on,
            "source": source,
            "share": scored.share,
            "has_deficit": scored.has_deficit,
        },
    )
    result.area_scores.all().delete()
    AreaScore.objects.bulk_create(
        AreaScore(result=result, area=area, **figures) for area, figures in scored.areas.items()
    )
    return result
