"""Writes of the app catalogs: one function per use case, transactional, Russian refusals.

The review workflow is one for practices and materials:

- the author (or whoever created the item, or the administration of its organization —
  `catalogs.manage`) keeps a draft or an item returned for revision and submits it: the item
  becomes «подана» and a new round of review begins (`Item.round`);
- the ЦНППМ of the item's region (`catalogs.curate`) assigns one or more experts: people with a
  current support.ExpertRole in the region and a user account, never an author or a named
  co-author of the item; the item is then «на экспертизе»;
- each assigned expert writes one review of the round: a score by every active criterion
  (0…its maximum) and a verdict (опубликовать / доработать / отклонить); an author never reviews
  their own item;
- the ЦНППМ decides: **publish** only when the round has at least NMS_PRACTICE_REVIEWS (2)
  reviews and more than half of them say «опубликовать»; **return for revision** or **reject**
  at any point of the review with a comment (the reason the author reads);
- every change of state is kept in the history (who, when, comment).

Every change of an item carries the version the user saw (nms.common.concurrency).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from nms.accounts.models import User
from nms.accounts.scope import scope_of
from nms.catalogs import conf
from nms.catalogs.models import (
    Assignment,
    Authorship,
    Criterion,
    Item,
    ItemFile,
    ItemKind,
    ItemLevel,
    ItemStatus,
    Replication,
    Review,
    Tag,
    Transition,
    Verdict,
)
from nms.common.concurrency import claim
from nms.common.files import discard_on_commit
from nms.common.text import search_key
from nms.registry.models import Person

NO_RIGHTS = "У вас нет прав на это действие."
EDITABLE = (ItemStatus.DRAFT, ItemStatus.REVISION)
IN_REVIEW = (ItemStatus.SUBMITTED, ItemStatus.REVIEW)
FIELDS = (
    "title", "description", "organization", "coauthors", "level", "links", "direction", "event",
    "material_kind", "audience",
)  # fmt: skip
DEFAULT_CRITERIA = (
    ("Актуальность и соответствие приоритетным направлениям", 3),
    ("Новизна и оригинальность", 3),
    ("Результативность (подтверждённые результаты)", 3),
    ("Возможность тиражирования в других организациях", 3),
    ("Полнота и качество представленных материалов", 3),
)


def _require(condition: bool, message: str = NO_RIGHTS) -> None:
    if not condition:
        raise PermissionDenied(message)


def _today() -> date:
    return date.today()


# -- who the user is here ----------------------------------------------------------------------
def person_id_of(user):
    return getattr(user, "person_id", None) if user.is_authenticated else None


def is_author(item: Item, person: Person | int | None) -> bool:
    """A person among the item's authors, or named among its free-text co-authors."""
    person_id = getattr(person, "pk", person)
    if not person_id:
        return False
    if Authorship.objects.filter(item_id=item.pk, person_id=person_id).exists():
        return True
    if not item.coauthors:
        return False
    if not isinstance(person, Person):
        person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return False
    named = search_key(item.coauthors)
    return search_key(f"{person.last_name} {person.first_name}") in named


def can_edit(user, item: Item) -> bool:
    if item.status not in EDITABLE or not user.is_authenticated:
        return False
    if item.created_by_id == user.pk or is_author(item, person_id_of(user)):
        return True
    return scope_of(user).can("catalogs.manage", item)


def can_curate(user, item: Item) -> bool:
    return scope_of(user).can("catalogs.curate", item)


def can_replicate(user, item: Item) -> bool:
    return item.is_practice and scope_of(user).can("catalogs.replicate", item)


def open_assignment(user, item: Item) -> Assignment | None:
    """The user's assignment of the item's current round still without a review."""
    person_id = person_id_of(user)
    if not person_id or item.status != ItemStatus.REVIEW:
        return None
    return (
        Assignment.objects.filter(
            item=item, expert_id=person_id, round=item.round, review__isnull=True
        )
        .select_related("item")
        .first()
    )


def _move(item: Item, to: str, user, comment: str = "") -> None:
    Transition.objects.create(
        item=item, from_status=item.status, to_status=to, actor=user, comment=comment
    )
    item.status = to


# -- criteria ----------------------------------------------------------------------------------
def criteria() -> list[Criterion]:
    """The active criteria; the default set is put in the first time none exist."""
    found = list(Criterion.objects.filter(active=True))
    if not found and not Criterion.objects.exists():
        Criterion.objects.bulk_create(
            Criterion(name=name, max_score=top, order=n)
            for n, (name, top) in enumerate(DEFAULT_CRITERIA, start=1)
        )
        found = list(Criterion.objects.filter(active=True))
    return found


# -- items -------------------------------------------------------------------------------------
def _check_links(links: str) -> None:
    for n, line in enumerate(links.splitlines(), start=1):
        line = line.strip()
        if line and not line.lower().startswith(("http://", "https://")):
            raise ValidationError(
                {"links": f"Строка {n}: ссылка должна начинаться с http:// или https://."}
            )


def _tags(text: str) -> list[Tag]:
    names = []
    for part in (text or "").replace(";", ",").split(","):
        name = " ".join(part.split()).lower()[:60]
        if name and name not in names:
            names.append(name)
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return [existing[n] for n in names if n in existing]


def _set_relations(item: Item, data: dict, user) -> None:
    if "areas" in data:
        item.areas.set(data["areas"] or [])
    if "subjects" in data:
        item.subjects.set(data["subjects"] or [])
    if "tags" in data:
        item.tags.set(_tags(data["tags"]))
    if "authors" in data:
        people = list(data["authors"] or [])
        own = person_id_of(user)
        if own and item.created_by_id == user.pk and own not in [p.pk for p in people]:
            people.insert(0, Person(pk=own))
        item.authorships.exclude(person_id__in=[p.pk for p in people]).delete()
        kept = set(item.authorships.values_list("person_id", flat=True))
        Authorship.objects.bulk_create(
            Authorship(item=item, person_id=p.pk, order=n)
            for n, p in enumerate(people)
            if p.pk not in kept
        )


def _fill(item: Item, data: dict) -> None:
    for field in FIELDS:
        if field in data:
            value = data[field]
            if value is None and field not in ("organization", "event"):
                value = ""
            setattr(item, field, value)
    if not (item.title or "").strip():
        raise ValidationError({"title": "Укажите название."})
    if not (item.description or "").strip():
        raise ValidationError({"description": "Опишите практику (материал)."})
    if item.level not in ItemLevel.values:
        raise ValidationError({"level": "Выберите уровень."})
    _check_links(item.links or "")
    if item.kind == ItemKind.MATERIAL and not item.material_kind:
        raise ValidationError({"material_kind": "Выберите вид материала."})
    if item.kind == ItemKind.PRACTICE:
        item.material_kind, item.audience = "", item.audience or ""
    else:
        item.event = None
    if item.organization_id and item.organization.region_id != item.region_id:
        raise ValidationError({"organization": "Организация другого региона."})


def _region_for(user, data):
    organization = data.get("organization")
    if organization is not None:
        return organization.region
    person_id = person_id_of(user)
    if person_id:
        return Person.objects.get(pk=person_id).region
    region = scope_of(user).default_region()
    if region is None:
        raise ValidationError({"organization": "Укажите организацию."})
    return region


@transaction.atomic
def item_create(user, data: dict, *, kind: str = ItemKind.PRACTICE) -> Item:
    """A new draft; the user (their person) becomes its first author."""
    _require(scope_of(user).can("catalogs.submit"))
    organization = data.get("organization")
    if organization is not None:
        _require(
            scope_of(user).organizations().filter(pk=organization.pk).exists(),
            "Организация вне вашей области доступа.",
        )
    item = Item(kind=kind, region=_region_for(user, data), created_by=user)
    _fill(item, data)
    item.save()
    _set_relations(item, {"authors": [], **data}, user)
    Transition.objects.create(item=item, to_status=ItemStatus.DRAFT, actor=user, comment="")
    return item


def practice_create(user, data: dict) -> Item:
    return item_create(user, data, kind=ItemKind.PRACTICE)


def material_create(user, data: dict) -> Item:
    return item_create(user, data, kind=ItemKind.MATERIAL)


@transaction.atomic
def item_update(user, item: Item, data: dict, expected_version: int | None = None) -> Item:
    _require(can_edit(user, item), "Изменять можно только черновик или возвращённую на доработку.")
    claim(item, expected_version)
    _fill(item, data)
    item.save()
    _set_relations(item, data, user)
    return item


@transaction.atomic
def file_add(user, item: Item, file) -> ItemFile:
    _require(can_edit(user, item), "Файлы добавляются к черновику или возвращённой на доработку.")
    if file is None:
        raise ValidationError({"file": "Выберите файл."})
    name = file.name.lower()
    if not name.endswith(conf.FILE_EXTENSIONS):
        allowed = ", ".join(e.lstrip(".") for e in conf.FILE_EXTENSIONS)
        raise ValidationError({"file": f"Такой файл не принимается. Допустимые: {allowed}."})
    if file.size > conf.file_bytes():
        limit = conf.file_bytes() // (1024 * 1024)
        raise ValidationError({"file": f"Файл больше {limit} МБ."})
    claim(item)
    return ItemFile.objects.create(item=item, file=file, uploaded_by=user)


@transaction.atomic
def file_remove(user, item: Item, item_file: ItemFile) -> None:
    _require(can_edit(user, item))
    claim(item)
    item_file.delete()
    discard_on_commit(item_file.file)


# -- the workflow ------------------------------------------------------------------------------
@transaction.atomic
def submit(user, item: Item, *, expected_version=None, comment: str = "") -> Item:
    """The author sends a draft (or a revised item) for review: a new round begins."""
    _require(can_edit(user, item), "Подать можно только черновик или доработанную практику.")
    claim(item, expected_version)
    if not item.authorships.exists() and not item.coauthors:
        raise ValidationError("Укажите хотя бы одного автора.")
    _move(item, ItemStatus.SUBMITTED, user, comment)
    item.round += 1
    item.submitted_on = _today()
    item.save()
    return item


def eligible_experts(item: Item, on: date | None = None):
    """People who may review the item: a current expert role in its region, an active user
    account, not an author (nor a named co-author)."""
    from nms.support.models import ExpertRole

    on = on or _today()
    roles = ExpertRole.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on), region_id=item.region_id, starts_on__lte=on
    )
    with_account = User.objects.filter(is_active=True, person__isnull=False)
    people = Person.objects.filter(
        pk__in=roles.values("person_id"),
    ).filter(pk__in=with_account.values("person_id"))
    people = people.exclude(pk__in=item.authorships.values("person_id"))
    return people.order_by("last_name", "first_name", "middle_name", "id")


@transaction.atomic
def assign_experts(user, item: Item, experts, *, expected_version=None) -> list[Assignment]:
    """The ЦНППМ names the experts of the current round; the item goes under review."""
    _require(can_curate(user, item), "Назначать экспертов может ЦНППМ региона практики.")
    if item.status not in IN_REVIEW:
        raise ValidationError("Экспертов назначают поданной практике (материалу).")
    experts = list(experts or [])
    if not experts:
        raise ValidationError({"experts": "Выберите хотя бы одного эксперта."})
    claim(item, expected_version)
    eligible = set(eligible_experts(item).values_list("pk", flat=True))
    for expert in experts:
        if is_author(item, expert):
            raise ValidationError(
                {
                    "experts": f"{expert.full_name} — автор (соавтор) этой работы и не может "
                    "быть её экспертом."
                }
            )
        if expert.pk not in eligible:
            raise ValidationError(
                {
                    "experts": f"{expert.full_name} не эксперт региона сейчас или у него нет "
                    "учётной записи."
                }
            )
    already = set(
        Assignment.objects.filter(item=item, round=item.round).values_list("expert_id", flat=True)
    )
    made = [
        Assignment.objects.create(item=item, expert=e, round=item.round, assigned_by=user)
        for e in experts
        if e.pk not in already
    ]
    names = ", ".join(e.full_name for e in experts)
    _move(item, ItemStatus.REVIEW, user, f"Эксперты: {names}")
    item.save()
    return made


@transaction.atomic
def review_write(user, assignment: Assignment, data: dict) -> Review:
    """An assigned expert's review: a score by every active criterion and a verdict."""
    item = Item.objects.select_for_update().get(pk=assignment.item_id)
    _require(
        person_id_of(user) == assignment.expert_id,
        "Заключение пишет назначенный эксперт.",
    )
    if is_author(item, assignment.expert_id):
        raise PermissionDenied("Автор не может быть экспертом собственной работы.")
    if item.status != ItemStatus.REVIEW or assignment.round != item.round:
        raise ValidationError("Экспертиза этой работы сейчас не идёт.")
    if Review.objects.filter(assignment=assignment).exists():
        raise ValidationError("Заключение уже написано.")
    verdict = data.get("verdict")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Выберите решение эксперта."})
    given = {str(k): v for k, v in (data.get("scores") or {}).items()}
    scores, total, top = {}, 0, 0
    for criterion in criteria():
        value = given.get(str(criterion.pk))
        if value is None or value == "":
            raise ValidationError({"scores": f"Оцените критерий «{criterion.name}»."})
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"scores": f"«{criterion.name}»: балл — целое число."}) from None
        if not 0 <= value <= criterion.max_score:
            raise ValidationError(
                {"scores": f"«{criterion.name}»: балл от 0 до {criterion.max_score}."}
            )
        scores[str(criterion.pk)] = value
        total += value
        top += criterion.max_score
    comment = (data.get("comment") or "").strip()
    if verdict != Verdict.PUBLISH and not comment:
        raise ValidationError(
            {"comment": "Объясните решение: что доработать или почему отклонить."}
        )
    return Review.objects.create(
        assignment=assignment, item=item, expert_id=assignment.expert_id, round=item.round,
        scores=scores, total=total, max_total=top, verdict=verdict, comment=comment,
    )  # fmt: skip


def round_reviews(item: Item) -> list[Review]:
    return list(Review.objects.filter(item=item, round=item.round).select_related("expert"))


def publish_refusal(item: Item) -> str:
    """Why the item may not be published now ("" when it may): the rule of NMS_PRACTICE_REVIEWS."""
    if item.status != ItemStatus.REVIEW:
        return "Опубликовать можно только работу на экспертизе."
    reviews = round_reviews(item)
    needed = conf.reviews_required()
    if len(reviews) < needed:
        return f"Нужно не меньше {needed} экспертных заключений, сейчас — {len(reviews)}."
    publish = sum(1 for r in reviews if r.verdict == Verdict.PUBLISH)
    if publish * 2 <= len(reviews):
        return (
            "Большинство экспертов не рекомендует публикацию: верните на доработку или отклоните."
        )
    return ""


DECISIONS = {
    "publish": ItemStatus.PUBLISHED,
    "revise": ItemStatus.REVISION,
    "reject": ItemStatus.REJECTED,
}


@transaction.atomic
def decide(user, item: Item, decision: str, *, comment: str = "", expected_version=None) -> Item:
    """The ЦНППМ's decision: publish (by the rule above), return for revision, reject."""
    _require(can_curate(user, item), "Решение принимает ЦНППМ региона практики.")
    if decision not in DECISIONS:
        raise ValidationError("Неизвестное решение.")
    claim(item, expected_version)
    comment = (comment or "").strip()
    if decision == "publish":
        refusal = publish_refusal(item)
        if refusal:
            raise ValidationError(refusal)
        item.published_on = _today()
    else:
        if item.status not in IN_REVIEW:
            raise ValidationError("Решение принимается по поданной работе или на экспертизе.")
        if not comment:
            raise ValidationError({"comment": "Напишите автору причину решения."})
    _move(item, DECISIONS[decision], user, comment)
    item.save()
    return item


# -- replication -------------------------------------------------------------------------------
@transaction.atomic
def replication_add(user, item: Item, data: dict) -> Replication:
    _require(can_replicate(user, item), "Тиражирование отмечают по опубликованной практике.")
    scope = scope_of(user).restricted_to(("admin", "cnppm", "municipal", "school"))
    organization, municipality = data.get("organization"), data.get("municipality")
    if organization is None and municipality is None:
        raise ValidationError({"organization": "Укажите организацию или муниципалитет."})
    if organization is not None:
        _require(
            scope.organizations().filter(pk=organization.pk).exists(),
            "Организация вне вашей области доступа.",
        )
        municipality = municipality or organization.municipality
    if municipality is not None:
        _require(
            scope.municipalities().filter(pk=municipality.pk).exists()
            or (organization is not None and organization.municipality_id == municipality.pk),
            "Муниципалитет вне вашей области доступа.",
        )
    level = data.get("level")
    if level not in ItemLevel.values:
        raise ValidationError({"level": "Выберите уровень тиражирования."})
    replicated_on = data.get("replicated_on") or _today()
    if replicated_on > _today():
        raise ValidationError({"replicated_on": "Дата в будущем."})
    return Replication.objects.create(
        item=item, organization=organization, municipality=municipality, level=level,
        replicated_on=replicated_on, note=data.get("note", ""), recorded_by=user,
    )  # fmt: skip


@transaction.atomic
def criteria_save(user, rows: list[dict]) -> list[Criterion]:
    """The ЦНППМ keeps the criteria: each row {id (or None for a new one), name, max_score,
    order, active}; a row without a name is skipped. Reviews already written keep their scores
    and totals."""
    _require(scope_of(user).can("catalogs.curate"), "Критерии экспертизы ведёт ЦНППМ.")
    saved = []
    for n, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        top = row.get("max_score")
        if not isinstance(top, int) or not 1 <= top <= 100:
            raise ValidationError(f"Строка {n}: максимальный балл — от 1 до 100.")
        criterion = Criterion.objects.filter(pk=row.get("id") or 0).first() or Criterion()
        criterion.name, criterion.max_score = name[:300], top
        criterion.order = row.get("order") or n
        criterion.active = bool(row.get("active", True))
        criterion.save()
        saved.append(criterion)
    if not Criterion.objects.filter(active=True).exists():
        raise ValidationError("Нужен хотя бы один применяемый критерий.")
    return saved
