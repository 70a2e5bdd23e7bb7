"""Writes of routes: creation from diagnostics, the map, reports, workflow, versions, templates.

Every change to a route goes through `_changed`, which (1) refuses a save made on a stale copy —
two people editing at once: the second is told, and their input is kept by the page —
and (2) keeps a snapshot of the whole route as a new version.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common.concurrency import StaleRecord
from nms.common.files import discard_on_commit
from nms.diagnostics.models import Result
from nms.registry.models import Person
from nms.routes import workflow
from nms.routes.access import roles_on
from nms.routes.models import (
    ItemReport,
    ItemStatus,
    ReportDecision,
    Route,
    RouteEvent,
    RouteItem,
    RouteTemplate,
    RouteType,
    RouteVersion,
    Status,
    TemplateItem,
)

ITEM_FIELDS = (
    "level", "activity_kind", "title", "source", "area", "competency", "starts_on", "due_on",
    "result_form",
)  # fmt: skip
TEXT_ITEM_FIELDS = ("source", "competency")
ALREADY_DECIDED = (
    "По этому отчёту уже принято решение (возможно, другим методистом только что): "
    "обновите страницу."
)


class StaleRoute(StaleRecord):
    """The route changed since the user opened it (nms.common.concurrency)."""


def _roles(user, route: Route) -> frozenset:
    return roles_on(user, route)


def _check_sees(user, person_id) -> None:
    if not scope_of(user).people().filter(pk=person_id).exists():
        raise PermissionDenied("Маршрут вне вашей области доступа.")


# -- sections 1 and 2: snapshots from the registry and the diagnostics -----------------------
def general_info(person: Person) -> dict:
    """Section 1: place of work, education, position, experience, category, attestation date."""
    main = person.main_employment()
    return {
        "full_name": person.full_name,
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
        "organization": main.organization.full_name if main else "",
        "organization_short": main.organization.short_name if main else "",
        "municipality": main.organization.municipality.name if main else "",
        "position": main.position.name if main else "",
        "education": person.get_education_level_display(),
        "pedagogical_education": person.has_pedagogical_education,
        "experience_years": str(main.experience_on()) if main else "",
        "category": main.get_category_display() if main else "",
        "attestation_date": main.category_date.strftime("%d.%m.%Y")
        if main and main.category_date
        else "",
        "subjects": ", ".join(s.name for s in main.subjects.all()) if main else "",
    }


def latest_result(person_id) -> Result | None:
    return (
        Result.objects.filter(person_id=person_id)
        .order_by("-taken_on", "-id")
        .prefetch_related("area_scores__area")
        .first()
    )


def deficits_snapshot(result: Result | None) -> list[dict]:
    """Section 2: every area's score of the diagnostics the route is built on."""
    if result is None:
        return []
    return [
        {
            "area_id": s.area_id,
            "area": s.area.name,
            "score": str(s.score),
            "max_score": str(s.max_score),
            "share": str(s.share),
            "is_deficit": s.is_deficit,
        }
        for s in result.area_scores.all()
    ]


# -- versions and the stale-copy check -------------------------------------------------------
def snapshot(route: Route, items=None) -> dict:
    """The whole route as plain data; `items` spares a query when they are at hand."""
    fields = (
        "status", "route_type", "starts_on", "ends_on", "methodist_id", "tutor_id",
        "evaluation", "self_evaluation", "school_proposals", "closed_reason",
    )  # fmt: skip
    data = {f: _plain(getattr(route, f)) for f in fields}
    data["general_info"] = route.general_info
    data["deficits"] = route.deficits
    data["items"] = [
        {
            **{f: _plain(getattr(item, f if f != "area" else "area_id")) for f in ITEM_FIELDS},
            "id": item.pk,
            "position": item.position,
            "status": item.status,
            "evidence_link": item.evidence_link,
            "evidence_file": item.evidence_file.name or "",
        }
        for item in (items if items is not None else route.items.order_by("position", "id"))
    ]
    return data


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _changed(user, route: Route, expected_version: int | None, reason: str) -> Route:
    """Bump the version if nobody saved since `expected_version`; record the new version."""
    if expected_version is not None:
        updated = Route.objects.filter(pk=route.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Route.objects.get(pk=route.pk)
            raise StaleRoute(
                f"Маршрут уже изменён другим пользователем (версия {current.version}, "
                f"у вас — {expected_version}). Ваши изменения не сохранены: они показаны "
                "ниже, обновите страницу и внесите их снова.",
                current.version,
            )
    else:
        Route.objects.filter(pk=route.pk).update(version=F("version") + 1)
    route.refresh_from_db()
    RouteVersion.objects.create(
        route=route, number=route.version, snapshot=snapshot(route), author=user, reason=reason
    )
    return route


def _locked(route: Route) -> Route:
    return Route.objects.select_for_update().get(pk=route.pk)


# -- creation ----------------------------------------------------------------------------------
def can_create(user) -> bool:
    """Who may open a route at all: a teacher (for themself) or the institute's methodist."""
    scope = scope_of(user)
    return scope.can("routes.create_any") or (
        scope.has(Role.TEACHER) and user.person_id is not None
    )


@transaction.atomic
def route_create(
    user, person: Person, starts_on: date, ends_on: date, *, methodist=None, tutor=None
) -> Route:
    """A draft route: the teacher for themself, or the institute's methodist for anyone in scope."""
    scope = scope_of(user)
    if scope.can("routes.create_any"):
        _check_sees(user, person.pk)
    elif scope.has(Role.TEACHER):
        if person.pk != user.person_id:
            raise PermissionDenied("Педагог создаёт маршрут только для себя.")
    else:
        raise PermissionDenied("Маршрут создаёт педагог или методист института.")
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "Окончание должно быть позже начала."})
    if (
        Route.objects.filter(person=person)
        .exclude(status__in=(Status.COMPLETED, Status.CLOSED))
        .exists()
    ):
        raise ValidationError("У работника уже есть действующий маршрут.")
    route = _build(person, starts_on, ends_on, methodist=methodist, tutor=tutor)
    route.save()
    RouteEvent.objects.create(route=route, to_status=Status.DRAFT, actor=user, comment="создан")
    RouteVersion.objects.create(
        route=route, number=1, snapshot=snapshot(route), author=user, reason="создание"
    )
    return route


def _build(person, starts_on, ends_on, *, methodist=None, tutor=None, result=None) -> Route:
    result = result if result is not None else latest_result(person.pk)
    deficits = deficits_snapshot(result)
    return Route(
        person=person,
        region_id=person.region_id,
        route_type=RouteType.DEFICITS
        if any(d["is_deficit"] for d in deficits)
        else RouteType.DEVELOPMENT,
        starts_on=starts_on,
        ends_on=ends_on,
        methodist=methodist,
        tutor=tutor,
        entry_result=result,
        general_info=general_info(person),
        deficits=deficits,
    )


# -- editing -------------------------------------------------------------------------------
def can_edit_map(user, route: Route) -> bool:
    return bool(_roles(user, route) & workflow.MAP_EDITORS.get(route.status, frozenset()))


def _check_map(user, route):
    if not can_edit_map(user, route):
        raise PermissionDenied(
            f"В состоянии «{route.get_status_display()}» вы не можете менять карту развития."
        )


def _validate_item(route: Route, data: dict) -> None:
    errors = {}
    if data.get("starts_on") and data.get("due_on") and data["due_on"] < data["starts_on"]:
        errors["due_on"] = "Срок не может быть раньше начала."
    if data.get("due_on") and data["due_on"] > route.ends_on:
        errors["due_on"] = f"Срок выходит за окончание маршрута ({route.ends_on:%d.%m.%Y})."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_add(user, route: Route, data: dict, expected_version: int | None) -> RouteItem:
    route = _locked(route)
    _check_map(user, route)
    _validate_item(route, data)
    position = route.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = RouteItem(route=route, position=position + 1, **{f: data.get(f) for f in ITEM_FIELDS})
    for field in TEXT_ITEM_FIELDS:
        setattr(item, field, getattr(item, field) or "")
    item.full_clean()
    item.save()
    _changed(user, route, expected_version, f"добавлен пункт «{item.title}»")
    return item


@transaction.atomic
def item_update(user, item: RouteItem, data: dict, expected_version: int | None) -> RouteItem:
    route = _locked(item.route)
    _check_map(user, route)
    _validate_item(route, data)
    for field in ITEM_FIELDS:
        if field in data:
            value = data[field]
            setattr(item, field, "" if value is None and field in TEXT_ITEM_FIELDS else value)
    item.full_clean()
    item.save()
    _changed(user, route, expected_version, f"изменён пункт «{item.title}»")
    return item


@transaction.atomic
def item_delete(user, item: RouteItem, expected_version: int | None) -> None:
    route = _locked(item.route)
    _check_map(user, route)
    title = item.title
    files = [item.evidence_file.name, *item.reports.values_list("file", flat=True)]
    item.delete()
    discard_on_commit(*files)
    _changed(user, route, expected_version, f"удалён пункт «{title}»")


# Section 4 and the school's proposals: who writes which text, in which states.
TEXT_FIELDS = {
    "school_proposals": (Role.SCHOOL, (Status.COMPOSED,)),
    "evaluation": (Role.CNPPM, (Status.IN_PROGRESS, Status.AUDIT)),
    "self_evaluation": (Role.TEACHER, (Status.IN_PROGRESS, Status.AUDIT)),
}


def fillable_texts(user, route: Route) -> list[str]:
    """The fields of TEXT_FIELDS the user may fill in the route's current state."""
    roles = _roles(user, route)
    return [
        field
        for field, (owner, statuses) in TEXT_FIELDS.items()
        if owner in roles and route.status in statuses
    ]


# Section 1 as the teacher confirms or corrects it while the route is a draft (seed 002, table 1:
# the teacher "вносит в ИОМ информацию о своем образовании, занимаемой должности, стаже,
# квалификационной категории, дате прохождения аттестации").
GENERAL_INFO_FIELDS = {
    "organization": "Место работы",
    "position": "Занимаемая должность",
    "subjects": "Предметы",
    "education": "Образование",
    "experience_years": "Педагогический стаж, лет",
    "category": "Квалификационная категория",
    "attestation_date": "Дата прохождения аттестации",
}


def can_fill_general_info(user, route: Route) -> bool:
    if route.status != Status.DRAFT:
        return False
    return bool(_roles(user, route) & {Role.TEACHER, Role.CNPPM})


@transaction.atomic
def general_info_update(user, route: Route, data: dict, expected_version: int | None) -> Route:
    route = _locked(route)
    if not can_fill_general_info(user, route):
        raise PermissionDenied("Раздел 1 заполняется педагогом, пока маршрут — черновик.")
    unknown = set(data) - set(GENERAL_INFO_FIELDS)
    if unknown:
        raise ValidationError(f"Неизвестные поля раздела 1: {', '.join(sorted(unknown))}.")
    route.general_info = {**route.general_info, **{k: str(v).strip() for k, v in data.items()}}
    route.save(update_fields=["general_info", "updated_at"])
    return _changed(user, route, expected_version, "заполнен раздел 1 «Общие сведения»")


@transaction.atomic
def texts_update(user, route: Route, data: dict, expected_version: int | None) -> Route:
    route = _locked(route)
    _check_sees(user, route.person_id)
    roles = _roles(user, route)
    changed = []
    for field, value in data.items():
        owner, statuses = TEXT_FIELDS[field]
        if owner == Role.TEACHER and Role.TEACHER not in roles:
            raise PermissionDenied("Самооценку заполняет сам педагог.")
        if owner not in roles or route.status not in statuses:
            raise PermissionDenied("Вы не можете заполнять это поле в текущем состоянии маршрута.")
        setattr(route, field, value.strip())
        changed.append(field)
    route.save(update_fields=[*changed, "updated_at"])
    verbose = ", ".join(str(Route._meta.get_field(f).verbose_name) for f in changed)
    return _changed(user, route, expected_version, f"заполнено: {verbose}")


# -- reports on items ------------------------------------------------------------------------
def can_report(user, item: RouteItem) -> bool:
    """The teacher reports on an item of their own route under way until the item is done."""
    route = item.route
    return (
        user.person_id is not None
        and route.person_id == user.person_id
        and route.status in (Status.IN_PROGRESS, Status.AUDIT)
        and item.status != ItemStatus.DONE
    )


def can_decide_reports(user, route: Route | None = None) -> bool:
    """A regional methodist decides on reports, never on those of their own route."""
    if route is None:
        return scope_of(user).can("routes.decide_reports")
    return Role.METHODIST in _roles(user, route)


@transaction.atomic
def report_submit(user, item: RouteItem, *, text="", file=None, link="") -> ItemReport:
    route = _locked(item.route)
    if route.person_id != user.person_id:
        raise PermissionDenied("Отчитывается о пункте сам педагог.")
    if route.status not in (Status.IN_PROGRESS, Status.AUDIT):
        raise ValidationError("Отчёты принимаются, пока маршрут реализуется.")
    if item.status == ItemStatus.DONE:
        raise ValidationError("Пункт уже выполнен.")
    if not (text.strip() or file or link.strip()):
        raise ValidationError("Опишите результат, приложите файл или ссылку.")
    report = ItemReport(item=item, author=user, text=text.strip(), link=link.strip())
    if file:
        report.file = file
    report.full_clean()
    report.save()
    RouteItem.objects.filter(pk=item.pk).update(status=ItemStatus.REPORTED)
    _changed(user, route, None, f"отчёт по пункту «{item.title}»")
    return report


@transaction.atomic
def report_decide(user, report: ItemReport, *, accept: bool, comment: str = "") -> ItemReport:
    """The regional methodist accepts a report (the item is done) or returns it with a comment.

    Decided once: the route and the report are locked and the decision is taken only from
    «pending» (a conditional UPDATE), so a second decision at the same time is refused.
    """
    route = _locked(report.item.route)
    _check_sees(user, route.person_id)
    if not can_decide_reports(user, route):
        raise PermissionDenied("Отчёты принимает региональный методист.")
    if ItemReport.objects.filter(pk=report.pk).exclude(decision=ReportDecision.PENDING).exists():
        raise StaleRecord(ALREADY_DECIDED)
    if not accept and not comment.strip():
        raise ValidationError({"comment": "Укажите, что нужно доработать."})
    decision = ReportDecision.ACCEPTED if accept else ReportDecision.RETURNED
    decided_at = timezone.now()
    taken = ItemReport.objects.filter(pk=report.pk, decision=ReportDecision.PENDING).update(
        decision=decision, decided_by=user, decided_at=decided_at, comment=comment.strip()
    )
    if not taken:
        raise StaleRecord(ALREADY_DECIDED)
    report = ItemReport.objects.select_for_update().get(pk=report.pk)
    item = RouteItem.objects.select_for_update().get(pk=report.item_id)
    item.status = ItemStatus.DONE if accept else ItemStatus.RETURNED
    if accept:
        item.evidence_link = report.link or item.evidence_link
        if report.file:
            discard_on_commit(item.evidence_file)  # kept while an older report holds it
            item.evidence_file = report.file
    item.save()
    verdict = "принят" if accept else "возвращён"
    _changed(user, route, None, f"отчёт по пункту «{item.title}» {verdict}")
    return report


# -- items closed by a record of another app (a completion, a participation, a support act) ----
OPEN_FOR_RECORDS = (Status.AGREED_METHODIST, Status.IN_PROGRESS, Status.AUDIT)


@transaction.atomic
def complete_items_from_record(
    actor, person_id: int, sources: list[str], evidence: str, link: str = ""
) -> list[RouteItem]:
    """Mark done the person's route items that point at one of `sources` (e.g. ["run:7",
    "program:12"]) — called by the activities apps when a completion, a participation or a support
    act is recorded. Each item gets an accepted report written by `actor` with the evidence
    (e.g. «удостоверение № 123 от 01.12.2026»), and its route a new version. Items of routes that
    are not under way (drafts, completed, closed) are left alone."""
    items = list(
        RouteItem.objects.select_for_update()
        .filter(
            route__person_id=person_id,
            route__status__in=OPEN_FOR_RECORDS,
            source__in=sources,
        )
        .exclude(status=ItemStatus.DONE)
        .select_related("route")
    )
    now = timezone.now()
    for item in items:
        route = _locked(item.route)
        ItemReport.objects.create(
            item=item, author=actor, text=evidence, link=link, decision=ReportDecision.ACCEPTED,
            decided_by=actor, decided_at=now, comment="отмечено по записи каталога",
        )  # fmt: skip
        item.status = ItemStatus.DONE
        item.evidence_link = link or item.evidence_link
        item.save(update_fields=["status", "evidence_link"])
        _changed(actor, route, None, f"пункт «{item.title}» выполнен: {evidence}")
    return items


# -- workflow --------------------------------------------------------------------------------
def comment_required_message(step: workflow.Transition) -> str:
    return f"Шаг «{step.label}» требует комментария: укажите причину."


@transaction.atomic
def transition(user, route: Route, name: str, comment: str, expected_version: int | None) -> Route:
    """Move the route by a named transition; only the allowed role; a comment where the step
    asks for one (`workflow.Transition.needs_comment`: returning, closing early)."""
    route = _locked(route)
    _check_sees(user, route.person_id)
    step = workflow.TRANSITIONS.get(name)
    if step is None or route.status not in step.sources:
        raise ValidationError("Этот шаг невозможен в текущем состоянии маршрута.")
    if not _roles(user, route) & step.roles:
        raise PermissionDenied(f"Шаг «{step.label}» выполняет другой участник.")
    comment = comment.strip()
    if step.needs_comment and not comment:
        raise ValidationError({"comment": comment_required_message(step)})
    if name == "compose" and not route.items.exists():
        raise ValidationError("Карта развития пуста: добавьте хотя бы один пункт.")
    if name == "complete":
        _check_completion(route)
    if name == "close":
        route.closed_reason = comment
    previous = route.status
    route.status = step.target
    if name == "compose" and route.tutor_id is None:
        route.tutor = user
    if name == "agree_methodist" and route.methodist_id is None:
        route.methodist = user
    route.save()
    RouteEvent.objects.create(
        route=route, from_status=previous, to_status=step.target, actor=user, comment=comment
    )
    return _changed(user, route, expected_version, step.label)


# -- a new diagnostics result: section 2 renewed ---------------------------------------------
def can_update_deficits(user, route: Route) -> bool:
    """The regional methodist of the route (or of a route nobody took yet) or the institute's
    methodist renews section 2 while the route is not final (`workflow.DEFICITS_UPDATERS`)."""
    if route.is_final:
        return False
    roles = _roles(user, route) & workflow.DEFICITS_UPDATERS
    if Role.CNPPM in roles:
        return True
    return Role.METHODIST in roles and route.methodist_id in (None, user.pk)


@transaction.atomic
def update_deficits_from_result(
    route: Route, result: Result, by, expected_version: int | None = None
) -> Route:
    """Section 2 rebuilt from a newer diagnostics result of the route's person, as a new version;
    the result becomes the one the route is built on (`entry_result`)."""
    route = _locked(route)
    _check_sees(by, route.person_id)
    if route.is_final:
        raise ValidationError("Маршрут завершён или закрыт: раздел 2 не обновляется.")
    if not can_update_deficits(by, route):
        raise PermissionDenied("Раздел 2 обновляет региональный методист маршрута.")
    result = (
        Result.objects.select_related("procedure")
        .prefetch_related("area_scores__area")
        .get(pk=result.pk)
    )
    if result.person_id != route.person_id:
        raise ValidationError("Это результат другого работника.")
    if result.procedure.kind == "exit":
        raise ValidationError("Выходная диагностика оценивает маршрут и не меняет раздел 2.")
    if result.pk == route.entry_result_id:
        raise ValidationError("Раздел 2 уже построен на этом результате.")
    basis = route.entry_result
    if basis is not None and (result.taken_on, result.pk) < (basis.taken_on, basis.pk):
        raise ValidationError(
            f"Результат от {result.taken_on:%d.%m.%Y} старше того, на котором построен раздел 2 "
            f"({basis.taken_on:%d.%m.%Y})."
        )
    route.deficits = deficits_snapshot(result)
    route.entry_result = result
    if any(d["is_deficit"] for d in route.deficits):
        route.route_type = RouteType.DEFICITS
    route.save(update_fields=["deficits", "entry_result", "route_type", "updated_at"])
    reason = f"раздел 2 обновлён по результату диагностики от {result.taken_on:%d.%m.%Y}"
    return _changed(by, route, expected_version, reason)


def exit_result_for(route: Route) -> Result | None:
    """An exit diagnostics result of the person taken after the route started."""
    return (
        Result.objects.filter(
            person_id=route.person_id, procedure__kind="exit", taken_on__gte=route.starts_on
        )
        .order_by("-taken_on", "-id")
        .first()
    )


def _check_completion(route: Route) -> None:
    problems = []
    exit_result = exit_result_for(route)
    if exit_result is None:
        problems.append("нет результата выходной диагностики")
    if not route.evaluation.strip():
        problems.append("нет оценки методиста")
    if not route.self_evaluation.strip():
        problems.append("нет самооценки педагога")
    if problems:
        raise ValidationError("Маршрут нельзя завершить: " + "; ".join(problems) + ".")
    route.exit_result = exit_result


# -- templates -------------------------------------------------------------------------------
def can_manage_templates(user) -> bool:
    return scope_of(user).can("routes.templates")


@transaction.atomic
def template_create(
    user, name: str, items: list[dict], *, description="", areas=()
) -> RouteTemplate:
    if not can_manage_templates(user):
        raise PermissionDenied("Шаблоны составляет методист института.")
    if not items:
        raise ValidationError("Добавьте в шаблон хотя бы один пункт.")
    template = RouteTemplate.objects.create(
        region=scope_of(user).default_region(), name=name, description=description, author=user
    )
    template.areas.set(areas)
    TemplateItem.objects.bulk_create(
        TemplateItem(template=template, position=i, **item) for i, item in enumerate(items, 1)
    )
    return template


TEMPLATE_BATCH = 200  # routes built and saved together when a template is applied
BUSY = "уже есть действующий маршрут"


@dataclass
class TemplateApplied:
    """What applying a template did: the routes created, and who was skipped and why."""

    routes: list[Route] = dataclasses.field(default_factory=list)
    skipped: list[tuple[Person, str]] = dataclasses.field(default_factory=list)


def template_apply_check(user, starts_on: date, ends_on: date) -> None:
    """What is refused before any person is looked at (also before a job is started)."""
    if not can_manage_templates(user):
        raise PermissionDenied("Маршруты по шаблону создаёт методист института.")
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "Окончание должно быть позже начала."})


@transaction.atomic
def routes_from_template(
    user, template: RouteTemplate, people, starts_on: date, ends_on: date, *, methodist=None
) -> list[Route]:
    """One independent draft route per person, with the template's map (see `template_apply`)."""
    return template_apply(user, template, people, starts_on, ends_on, methodist=methodist).routes


@transaction.atomic
def template_apply(
    user,
    template: RouteTemplate,
    people,
    starts_on: date,
    ends_on: date,
    *,
    methodist=None,
    progress=None,
) -> TemplateApplied:
    """One independent draft route per person, with the template's map, a few queries per
    TEMPLATE_BATCH people; `progress(done, total)` after each batch. All or nothing.

    People who already have a route under way are skipped (and named in the answer); people
    outside the user's scope are left out. If nobody is left, nothing is created (an error).
    """
    template_apply_check(user, starts_on, ends_on)
    chosen = people.values("pk") if isinstance(people, QuerySet) else [p.pk for p in people]
    visible = scope_of(user).people().filter(pk__in=chosen)
    under_way = Exists(
        Route.objects.filter(person=OuterRef("pk")).exclude(
            status__in=(Status.COMPLETED, Status.CLOSED)
        )
    )
    order = ("last_name", "first_name", "middle_name", "pk")
    applied = TemplateApplied(
        skipped=[(p, BUSY) for p in visible.filter(under_way).order_by(*order)]
    )
    ids = list(visible.exclude(under_way).order_by(*order).values_list("pk", flat=True))
    if not ids:
        raise ValidationError("Ни для кого из выбранных нельзя создать маршрут.")
    template_items = list(template.items.all())
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), TEMPLATE_BATCH):
        batch = ids[start : start + TEMPLATE_BATCH]
        applied.routes += _routes_from_template(
            user, template, template_items, batch, starts_on, ends_on, methodist
        )
        if progress:
            progress(start + len(batch), len(ids))
    return applied


def _routes_from_template(
    user, template, template_items, person_ids, starts_on, ends_on, methodist
) -> list[Route]:
    people = Person.objects.filter(pk__in=person_ids).prefetch_related(
        "employments__organization__municipality", "employments__position",
        "employments__subjects",
    )  # fmt: skip
    position = {pk: index for index, pk in enumerate(person_ids)}
    people = sorted(people, key=lambda p: position[p.pk])
    results = _latest_results(person_ids)
    routes = [
        _build(p, starts_on, ends_on, methodist=methodist, tutor=user, result=results.get(p.pk))
        for p in people
    ]
    for route in routes:
        route.template = template
    Route.objects.bulk_create(routes)
    RouteItem.objects.bulk_create(
        RouteItem(
            route=route,
            position=t.position,
            level=t.level,
            activity_kind=t.activity_kind,
            title=t.title,
            source=t.source,
            area_id=t.area_id,
            competency=t.competency,
            starts_on=starts_on + timedelta(days=t.start_offset_days),
            due_on=min(starts_on + timedelta(days=t.start_offset_days + t.duration_days), ends_on),
            result_form=t.result_form,
        )
        for route in routes
        for t in template_items
    )
    RouteEvent.objects.bulk_create(
        RouteEvent(route=r, to_status=Status.DRAFT, actor=user, comment=f"по шаблону «{template}»")
        for r in routes
    )
    items_by_route = {}
    for item in RouteItem.objects.filter(route__in=routes).order_by("position", "id"):
        items_by_route.setdefault(item.route_id, []).append(item)
    RouteVersion.objects.bulk_create(
        RouteVersion(
            route=r, number=1, snapshot=snapshot(r, items_by_route.get(r.pk, [])),
            author=user, reason=f"создан по шаблону «{template}»",
        )
        for r in routes
    )  # fmt: skip
    return routes


def _latest_results(person_ids: list[int]) -> dict[int, Result]:
    latest = {}
    rows = (
        Result.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-taken_on", "-id")
        .prefetch_related("area_scores__area")
    )
    for result in rows:
        latest.setdefault(result.person_id, result)
    return latest
