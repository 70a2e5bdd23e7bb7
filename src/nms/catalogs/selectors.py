"""Reads of the app catalogs: scoped through the access registry (nms.catalogs.access), and the
public banks (published items only, nothing personal beyond the authors' names and the
organization)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from nms.accounts.scope import scope_of
from nms.catalogs.models import (
    Assignment,
    Authorship,
    Item,
    ItemKind,
    ItemStatus,
    Material,
    Practice,
    Replication,
    Review,
    Tag,
    Transition,
)
from nms.common.text import search_tokens
from nms.registry.models import Municipality

AUTHORS = Prefetch(
    "authorships", queryset=Authorship.objects.select_related("person").order_by("order", "id")
)


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organization__municipality").prefetch_related(AUTHORS)


def practices_for_list(user) -> QuerySet:
    return _listed(scope_of(user).visible(Practice))


def materials_for_list(user) -> QuerySet:
    return _listed(scope_of(user).visible(Material))


def items_for_list(user) -> QuerySet:
    return _listed(scope_of(user).visible(Item))


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Every word of the text in the title or the description (ё and е alike, any case)."""
    for token in search_tokens(text):
        queryset = queryset.filter(search_text__contains=token)
    return queryset


def author_names(item) -> list[str]:
    """Names of the authors (from a prefetched `authorships`), then the free-text co-authors."""
    names = [a.person.full_name for a in item.authorships.all()]
    names += [n.strip() for n in item.coauthors.split(",") if n.strip()]
    return names


def my_assignments(user) -> QuerySet:
    """«Мои экспертизы»: the user's assignments, newest first, with their reviews."""
    person_id = user.person_id if user.is_authenticated else None
    return (
        Assignment.objects.filter(expert_id=person_id or 0)
        .select_related("item__organization", "review")
        .order_by("-created_at", "-id")
    )


def detail_context(user, item: Item) -> dict:
    scope = scope_of(user)
    reviews = (
        scope.visible(Review)
        .filter(item=item)
        .select_related("expert")
        .order_by("-round", "created_at", "id")
    )
    assignments = (
        scope.visible(Assignment)
        .filter(item=item)
        .select_related("expert", "review")
        .order_by("-round", "id")
    )
    return {
        "authors": author_names(item),
        "files": list(item.files.all()),
        "reviews": list(reviews),
        "assignments": list(assignments),
        "history": list(
            Transition.objects.filter(item=item).select_related("actor__person").order_by("id")
        ),
        "replications": list(
            scope.visible(Replication)
            .filter(item=item)
            .select_related("organization", "municipality")
        ),
    }


def pending_reviews_count(user) -> int:
    person_id = user.person_id if user.is_authenticated else None
    if not person_id:
        return 0
    return Assignment.objects.filter(
        expert_id=person_id,
        review__isnull=True,
        item__status=ItemStatus.REVIEW,
    ).count()


# -- the public banks --------------------------------------------------------------------------
def public_items(kind: str) -> QuerySet:
    return Item.objects.filter(kind=kind, status=ItemStatus.PUBLISHED)


def public_rows(
    kind: str, *, q="", level="", area=None, subject=None, municipality=None, tag=None
) -> QuerySet:
    rows = public_items(kind)
    if q.strip():
        tokens = search_tokens(q)
        if not tokens:
            return rows.none()
        rows = search(rows, q)
    if level:
        rows = rows.filter(level=level)
    if area:
        rows = rows.filter(areas=area)
    if subject:
        rows = rows.filter(subjects=subject)
    if municipality:
        rows = rows.filter(organization__municipality=municipality)
    if tag:
        rows = rows.filter(tags=tag)
    return rows.order_by("-published_on", "-id")


@dataclass
class PublicItem:
    pk: int
    title: str
    kind_label: str
    level: str
    authors: list[str]
    organization: str
    municipality: str
    published_on: object
    annotation: str
    areas: list[str]
    subjects: list[str]
    tags: list[str]


def public_page(rows) -> list[PublicItem]:
    """The public rows of a page of items, in a fixed number of queries: names of the authors
    and the organization only."""
    rows = list(rows)
    ids = [r.pk for r in rows]
    authors = defaultdict(list)
    for item_id, last, first, middle in (
        Authorship.objects.filter(item_id__in=ids)
        .order_by("order", "id")
        .values_list("item_id", "person__last_name", "person__first_name", "person__middle_name")
    ):
        authors[item_id].append(" ".join(p for p in (last, first, middle) if p))
    places = {
        pk: (short, municipality)
        for pk, short, municipality in Item.objects.filter(pk__in=ids).values_list(
            "pk", "organization__short_name", "organization__municipality__name"
        )
    }
    areas, subjects, tags = defaultdict(list), defaultdict(list), defaultdict(list)
    for item_id, name in Item.areas.through.objects.filter(item_id__in=ids).values_list(
        "item_id", "competencyarea__name"
    ):
        areas[item_id].append(name)
    for item_id, name in Item.subjects.through.objects.filter(item_id__in=ids).values_list(
        "item_id", "subject__name"
    ):
        subjects[item_id].append(name)
    for item_id, name in Item.tags.through.objects.filter(item_id__in=ids).values_list(
        "item_id", "tag__name"
    ):
        tags[item_id].append(name)
    page = []
    for item in rows:
        organization, municipality = places.get(item.pk, (None, None))
        coauthors = [n.strip() for n in item.coauthors.split(",") if n.strip()]
        page.append(
            PublicItem(
                pk=item.pk,
                title=item.title,
                kind_label=item.get_material_kind_display() if item.material_kind else "",
                level=item.get_level_display(),
                authors=authors[item.pk] + coauthors,
                organization=organization or "",
                municipality=municipality or "",
                published_on=item.published_on,
                annotation=item.description,
                areas=areas[item.pk],
                subjects=sorted(subjects[item.pk]),
                tags=sorted(tags[item.pk]),
            )
        )
    return page


def public_item(kind: str, pk: int) -> Item | None:
    return (
        public_items(kind)
        .select_related("organization__municipality", "event")
        .filter(pk=pk)
        .first()
    )


def public_municipalities(kind: str) -> QuerySet:
    published = public_items(kind).values("organization__municipality_id")
    return Municipality.objects.filter(pk__in=published).order_by("name")


def public_tags(kind: str) -> QuerySet:
    return Tag.objects.filter(items__in=public_items(kind).values("pk")).distinct().order_by("name")


def kind_of(model) -> str:
    return ItemKind.PRACTICE if model is Practice else ItemKind.MATERIAL


def published_count(region=None) -> dict:
    rows = Item.objects.filter(status=ItemStatus.PUBLISHED)
    if region is not None:
        rows = rows.filter(region=region)
    return {
        "practices": rows.filter(kind=ItemKind.PRACTICE).count(),
        "materials": rows.filter(kind=ItemKind.MATERIAL).count(),
    }


def exclude_authored_by(queryset: QuerySet, person_id) -> QuerySet:
    return queryset.exclude(Q(authorships__person_id=person_id))
