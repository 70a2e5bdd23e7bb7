"""Writes of the roadmap app: one function per use case, transactional, checked by the access
registry. Russian ValidationError messages; nothing is half-saved."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.common.files import discard_on_commit
from nms.roadmap import deadlines
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    AgreementKind,
    Direction,
    Document,
    DocumentLevel,
    DocumentVersion,
    EvidenceFile,
    Measure,
    ResponsibleKind,
    Roadmap,
    Status,
)

NO_RIGHTS = "У вас нет прав на это действие."
MAX_YEARS = 10


def _require(user, action: str, obj=None) -> None:
    if not scope_of(user).can(action, obj):
        raise PermissionDenied(NO_RIGHTS)


def today() -> date:
    return timezone.localdate()


# -- roadmaps ----------------------------------------------------------------------------------
def _check_years(starts: int, ends: int) -> None:
    if ends < starts:
        raise ValidationError({"ends_year": "Год окончания раньше года начала."})
    if ends - starts + 1 > MAX_YEARS:
        raise ValidationError({"ends_year": f"Дорожная карта — не больше чем на {MAX_YEARS} лет."})


@transaction.atomic
def roadmap_create(user, data) -> Roadmap:
    _require(user, "roadmap.edit")
    region = data.get("region") or scope_of(user).default_region()
    if region is None:
        raise ValidationError("Не определён регион дорожной карты.")
    _check_years(data["starts_year"], data["ends_year"])
    fields = {k: v for k, v in data.items() if k != "region"}
    roadmap = Roadmap(region=region, **fields)
    _require(user, "roadmap.edit", roadmap)
    roadmap.save()
    return roadmap


@transaction.atomic
def roadmap_update(user, roadmap, data, expected_version=None) -> Roadmap:
    _require(user, "roadmap.edit", roadmap)
    roadmap = claim(roadmap, expected_version)
    _check_years(
        data.get("starts_year", roadmap.starts_year), data.get("ends_year", roadmap.ends_year)
    )
    for name, value in data.items():
        if name != "region":
            setattr(roadmap, name, value)
    roadmap.save()
    sync_periods(roadmap.activities.all(), roadmap)
    return roadmap


# -- directions and measures ------------------------------------------------------------------
# Who: the roadmap's editors (`roadmap.edit` on the roadmap). A direction's number is unique in
# its roadmap, a measure's in its direction; a measure moves only between directions of its
# roadmap. Deleting is refused while anything belongs to the record — a direction with measures,
# a measure with activities — and then nothing is deleted (docs/roadmap.md).
def _listed(numbers: list[str]) -> str:
    """«1.1, 1.2 (всего 2)»; the first five only."""
    shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
    return f"{shown} (всего {len(numbers)})"


def _check_direction_number(roadmap, number, pk=None) -> None:
    if roadmap.directions.filter(number=number).exclude(pk=pk).exists():
        raise ValidationError({"number": f"Направление {number} уже есть."})


def _check_measure_number(direction, number, pk=None) -> None:
    if Measure.objects.filter(direction=direction, number=number).exclude(pk=pk).exists():
        raise ValidationError({"number": f"Мероприятие № {number} уже есть."})


@transaction.atomic
def direction_create(user, data, roadmap=None) -> Direction:
    roadmap = roadmap or data["roadmap"]
    _require(user, "roadmap.edit", roadmap)
    _check_direction_number(roadmap, data["number"])
    return Direction.objects.create(roadmap=roadmap, number=data["number"], title=data["title"])


@transaction.atomic
def direction_update(user, direction, data, expected_version=None) -> Direction:
    _require(user, "roadmap.edit", direction)
    direction = claim(direction, expected_version)
    number = data.get("number", direction.number)
    _check_direction_number(direction.roadmap, number, direction.pk)
    direction.number = number
    direction.title = data.get("title", direction.title)
    direction.save()
    return direction


@transaction.atomic
def direction_delete(user, direction, expected_version=None) -> None:
    """Only an empty direction: with measures in it the refusal names them and nothing goes."""
    _require(user, "roadmap.edit", direction)
    # FOR UPDATE: a measure added meanwhile waits for this transaction (and then finds no
    # direction) instead of being deleted with it.
    Direction.objects.select_for_update().filter(pk=direction.pk).first()
    direction = claim(direction, expected_version)
    measures = list(direction.measures.order_by("position", "id").values_list("number", flat=True))
    if measures:
        raise ValidationError(
            f"Направление {direction.number} нельзя удалить: в нём есть системообразующие "
            f"мероприятия — {_listed(measures)}. Сначала удалите их или перенесите в другое "
            "направление."
        )
    direction.delete()


@transaction.atomic
def measure_create(user, data, roadmap=None) -> Measure:
    direction = data["direction"]
    _require(user, "roadmap.edit", direction.roadmap)
    if roadmap is not None and direction.roadmap_id != roadmap.pk:
        raise ValidationError({"direction": "Направление из другой дорожной карты."})
    _check_measure_number(direction, data["number"])
    last = Measure.objects.filter(direction__roadmap=direction.roadmap).order_by("-position")
    position = (last.first().position + 1) if last.exists() else 1
    return Measure.objects.create(
        direction=direction, number=data["number"], title=data["title"], position=position
    )


@transaction.atomic
def measure_update(user, measure, data, expected_version=None) -> Measure:
    """Number, name, and the direction — another one of the same roadmap."""
    _require(user, "roadmap.edit", measure)
    measure = claim(measure, expected_version)
    direction = data.get("direction") or measure.direction
    if direction.roadmap_id != measure.direction.roadmap_id:
        raise ValidationError(
            {"direction": "Перенести мероприятие можно только в направление той же дорожной карты."}
        )
    number = data.get("number", measure.number)
    _check_measure_number(direction, number, measure.pk)
    measure.direction = direction
    measure.number = number
    measure.title = data.get("title", measure.title)
    measure.save()
    return measure


@transaction.atomic
def measure_delete(user, measure, expected_version=None) -> None:
    """Only a measure no activity belongs to; otherwise the refusal names them."""
    _require(user, "roadmap.edit", measure)
    Measure.objects.select_for_update().filter(pk=measure.pk).first()  # see direction_delete
    measure = claim(measure, expected_version)
    numbers = list(
        Activity.objects.filter(measure=measure)
        .order_by("position", "id")
        .values_list("number", flat=True)
    )
    if numbers:
        raise ValidationError(
            f"Системообразующее мероприятие {measure.number} нельзя удалить: к нему относятся "
            f"мероприятия дорожной карты — {_listed(numbers)}. Сначала перенесите их в другое "
            "системообразующее мероприятие (страница мероприятия, «Изменить»)."
        )
    measure.delete()


# -- reporting periods -------------------------------------------------------------------------
def sync_periods(activities, roadmap: Roadmap) -> None:
    """Each activity has a period row for every year of the roadmap in which it is due, with
    that year's due date. Rows of years no longer due go unless something was reported (a
    status, a text or a file)."""
    activities = list(activities)
    if not activities:
        return
    existing = {
        (p.activity_id, p.year): p
        for p in ActivityPeriod.objects.filter(activity__in=[a.pk for a in activities])
    }
    create, update, drop = [], [], []
    for activity in activities:
        for year in roadmap.years:
            due = deadlines.due_in_year(activity, year)
            row = existing.pop((activity.pk, year), None)
            if due is None:
                if row is not None and row.status == Status.PLANNED and not row.evidence:
                    drop.append(row.pk)
                continue
            if row is None:
                create.append(ActivityPeriod(activity=activity, year=year, due_on=due))
            elif row.due_on != due:
                row.due_on = due
                update.append(row)
    for row in existing.values():  # years outside the roadmap's period now
        if row.status == Status.PLANNED and not row.evidence:
            drop.append(row.pk)
    if drop:
        # A file attached is something reported too: such a period stays, as one with a text.
        with_files = set(
            EvidenceFile.objects.filter(period_id__in=drop).values_list("period_id", flat=True)
        )
        ActivityPeriod.objects.filter(pk__in=set(drop) - with_files).delete()
    ActivityPeriod.objects.bulk_create(create)
    if update:
        ActivityPeriod.objects.bulk_update(update, ["due_on"])


# -- activities --------------------------------------------------------------------------------
def _activity_fields(data: dict) -> dict:
    fields = dict(data)
    text = fields.pop("deadline_text", None)
    if text is not None:
        try:
            parsed = deadlines.parse(text)
        except ValidationError as exc:
            raise ValidationError({"deadline_text": exc.messages}) from exc
        fields.update(parsed.as_fields(), deadline_text=" ".join(text.split()))
    kind = fields.get("responsible_kind")
    if kind == ResponsibleKind.MUNICIPALITY and not fields.get("responsible_municipality"):
        raise ValidationError(
            {"responsible_municipality": "Укажите муниципалитет, который отвечает за мероприятие."}
        )
    if kind == ResponsibleKind.ORGANIZATION and not fields.get("responsible_organization"):
        raise ValidationError(
            {"responsible_organization": "Укажите организацию, которая отвечает за мероприятие."}
        )
    if fields.get("target_value") is not None and not fields.get("indicator"):
        fields.setdefault("indicator", None)
    return fields


def _check_places(roadmap, fields: dict) -> None:
    """What an activity refers to belongs to its roadmap: the measure to the roadmap, the
    responsible municipality and organization to its region."""
    measure = fields.get("measure")
    if measure is not None and measure.direction.roadmap_id != roadmap.pk:
        raise ValidationError(
            {"measure": "Системообразующее мероприятие — из другой дорожной карты."}
        )
    municipality = fields.get("responsible_municipality")
    if municipality is not None and municipality.region_id != roadmap.region_id:
        raise ValidationError({"responsible_municipality": "Муниципалитет — из другого региона."})
    organization = fields.get("responsible_organization")
    if organization is not None and organization.region_id != roadmap.region_id:
        raise ValidationError({"responsible_organization": "Организация — из другого региона."})


def _check_number(roadmap, number, pk=None):
    taken = Activity.objects.filter(roadmap=roadmap, number=number).exclude(pk=pk)
    if taken.exists():
        raise ValidationError({"number": f"Мероприятие № {number} в дорожной карте уже есть."})


@transaction.atomic
def activity_create(user, data, roadmap=None) -> Activity:
    measure: Measure = data["measure"]
    roadmap = measure.direction.roadmap
    _require(user, "roadmap.edit", roadmap)
    fields = _activity_fields(data)
    _check_places(roadmap, fields)
    _check_number(roadmap, fields["number"])
    last = Activity.objects.filter(roadmap=roadmap).order_by("-position").first()
    activity = Activity.objects.create(
        roadmap=roadmap, position=(last.position + 1) if last else 1, **fields
    )
    sync_periods([activity], roadmap)
    return activity


@transaction.atomic
def activity_update(user, activity, data, expected_version=None) -> Activity:
    _require(user, "roadmap.edit", activity)
    activity = claim(activity, expected_version)
    fields = _activity_fields(data)
    _check_places(activity.roadmap, fields)
    if "number" in fields:
        _check_number(activity.roadmap, fields["number"], activity.pk)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    sync_periods([activity], activity.roadmap)
    return activity


# -- statuses ----------------------------------------------------------------------------------
EVIDENCE_NEEDED = (
    "Отметка «выполнено» требует подтверждения: опишите результат, дайте ссылку или приложите файл."
)


@transaction.atomic
def status_set(user, period, data, files=(), expected_version=None) -> ActivityPeriod:
    """The status of an activity in a period with its evidence (text, links, files)."""
    _require(user, "roadmap.status", period)
    period = claim(period, expected_version)
    status = data.get("status", period.status)
    evidence = data.get("evidence", period.evidence) or ""
    links = data.get("links", period.links) or ""
    done_on = data.get("done_on")
    errors = {}
    for line in links.splitlines():
        if line.strip() and not line.strip().lower().startswith(("http://", "https://")):
            errors["links"] = f"Ссылка должна начинаться с http:// или https://: «{line.strip()}»."
    if status == Status.DONE:
        done_on = done_on or today()
        if done_on > today():
            errors["done_on"] = "Дата выполнения не может быть позже сегодняшней."
        has_files = bool(files) or period.files.exists()
        if not evidence.strip() and not links.strip() and not has_files:
            errors["evidence"] = EVIDENCE_NEEDED
    else:
        done_on = None
    if errors:
        raise ValidationError(errors)
    period.status = status
    period.done_on = done_on
    period.evidence = evidence
    period.links = links
    period.reported_by = user
    period.reported_at = timezone.now()
    period.save()
    for upload in files:
        EvidenceFile.objects.create(period=period, file=upload, uploaded_by=user)
    return period


# -- agreements --------------------------------------------------------------------------------
def _agreement_check(data):
    errors = {}
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = "Окончание действия раньше его начала."
    if data.get("kind") == AgreementKind.TRIPARTITE and not data.get("municipality"):
        errors["municipality"] = "В трёхстороннем соглашении сторона — муниципалитет."
    if data.get("signed_on") and data["signed_on"] > today():
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(user, data) -> Agreement:
    _require(user, "roadmap.agreements")
    data = dict(data)
    organizations = data.pop("organizations", None) or []
    region = data.pop("region", None) or scope_of(user).default_region()
    if region is None:
        raise ValidationError("Не определён регион соглашения.")
    _agreement_check(data)
    agreement = Agreement(region=region, **data)
    _require(user, "roadmap.agreements", agreement)
    agreement.save()
    agreement.organizations.set(organizations)
    return agreement


@transaction.atomic
def agreement_update(user, agreement, data, expected_version=None) -> Agreement:
    _require(user, "roadmap.agreements", agreement)
    agreement = claim(agreement, expected_version)
    data = dict(data)
    organizations = data.pop("organizations", None)
    data.pop("region", None)
    merged = {
        name: data.get(name, getattr(agreement, name))
        for name in ("kind", "municipality", "valid_from", "valid_to", "signed_on")
    }
    _agreement_check(merged)
    replaced = agreement.file.name
    for name, value in data.items():
        if name == "file" and value is None:
            continue  # no new file: keep the one there is
        if name == "file" and value is False:
            value = ""
        setattr(agreement, name, value)
    agreement.save()
    if agreement.file.name != replaced:
        discard_on_commit(replaced)
    if organizations is not None:
        agreement.organizations.set(organizations)
    return agreement


# -- documents ---------------------------------------------------------------------------------
def _document_check(data):
    level = data.get("level")
    if level == DocumentLevel.MUNICIPAL and not data.get("municipality"):
        raise ValidationError({"municipality": "Муниципальный документ: укажите муниципалитет."})
    if level == DocumentLevel.ORGANIZATION and not data.get("organization"):
        raise ValidationError({"organization": "Документ организации: укажите организацию."})
    repealed, adopted = data.get("repealed_on"), data.get("adopted_on")
    if repealed and adopted and repealed < adopted:
        raise ValidationError({"repealed_on": "Документ не может утратить силу до его принятия."})


@transaction.atomic
def document_create(user, data) -> Document:
    """A document; with `file` (and `version_note`) its first version, dated as adopted."""
    _require(user, "roadmap.documents")
    data = dict(data)
    version = {
        "file": data.pop("file", None), "note": data.pop("version_note", "") or "",
        "dated": data.get("adopted_on"),
    }  # fmt: skip
    region = data.pop("region", None) or scope_of(user).default_region()
    if region is None:
        raise ValidationError("Не определён регион документа.")
    _document_check(data)
    document = Document(region=region, **data)
    _require(user, "roadmap.documents", document)
    document.save()
    if version["file"]:
        version_add(user, document, version)
    return document


@transaction.atomic
def document_update(user, document, data, expected_version=None) -> Document:
    _require(user, "roadmap.documents", document)
    document = claim(document, expected_version)
    data = {k: v for k, v in data.items() if k != "region"}
    merged = {
        name: data.get(name, getattr(document, name))
        for name in ("level", "municipality", "organization", "adopted_on", "repealed_on")
    }
    _document_check(merged)
    for name, value in data.items():
        setattr(document, name, value)
    _require(user, "roadmap.documents", document)
    document.save()
    return document


@transaction.atomic
def version_add(user, document, data) -> DocumentVersion:
    """A new version (a file with its date and note): the newest by date is the current one."""
    _require(user, "roadmap.documents", document)
    if not data.get("file"):
        raise ValidationError({"file": "Приложите файл редакции."})
    dated = data.get("dated") or today()
    return DocumentVersion.objects.create(
        document=document, file=data["file"], dated=dated, note=data.get("note", ""),
        uploaded_by=user,
    )  # fmt: skip
