"""Reads of the portal app.

Working lists: what the user's scope shows (the access registry), with what their tables read.
The public portal: published items of one region only, read without a user — what a public
page may show of a person is their name as a published item names it (a community's leader),
never a СНИЛС, a birth date, an e-mail or a phone (the pages read names only, `leaders_of`).
"""

from collections import defaultdict
from datetime import date

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, Q

from nms.accounts.scope import scope_of
from nms.common.filters import parse_id
from nms.common.text import search_tokens
from nms.events.models import InternshipSite
from nms.portal.models import (
    PUBLIC_DOCUMENT_KINDS,
    PUBLIC_SITE_STATUSES,
    Community,
    CommunityMember,
    InnovationSite,
    MemberRole,
    News,
    Resource,
    SiteDocument,
)
from nms.registry.models import Region


def search(queryset, text: str, *paths: str):
    """Every word of `text` (ё as е, any case) in one of the paths' search keys."""
    paths = paths or ("search_text",)
    for token in search_tokens(text):
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__contains": token})
        queryset = queryset.filter(condition)
    return queryset


# -- working lists -----------------------------------------------------------------------------
def sites_for_list(user):
    return (
        scope_of(user)
        .visible(InnovationSite)
        .select_related("organization__municipality", "region")
    )


def communities_for_list(user):
    return (
        scope_of(user)
        .visible(Community)
        .select_related("municipality")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name", "pk")
    )


def resources_for_list(user):
    return scope_of(user).visible(Resource)


def news_for_list(user):
    return scope_of(user).visible(News)


def members_of(user, community) -> list[CommunityMember]:
    """The members a user is shown: all to those who may edit the community; to the others the
    leaders (named on the public portal too) and the members among the people of their scope."""
    from nms.portal.access import EDIT

    rows = CommunityMember.objects.filter(community=community)
    scope = scope_of(user)
    if not scope.can(EDIT, community):
        people = scope.people().values("pk")
        rows = rows.filter(Q(role=MemberRole.LEADER) | Q(person__in=people))
    return list(
        rows.select_related("person").order_by(
            "role", "person__last_name", "person__first_name", "pk"
        )
    )


# -- the public portal: which region -----------------------------------------------------------
def public_regions(user=None):
    """The regions a visitor may choose: all for an anonymous visitor; a signed-in user's own
    (the administrator: all)."""
    if user is not None and user.is_authenticated:
        return scope_of(user).regions().order_by("name")
    return Region.objects.order_by("name")


def public_region(user, asked) -> Region | None:
    """The region of the public pages: ?region=<id> among the visitor's choices, else the
    signed-in user's region, else the only region there is; None when a choice is needed."""
    choices = public_regions(user)
    if asked:
        text = str(asked).strip()
        if text.isascii() and text.isdigit() and len(text) < 19:
            found = choices.filter(pk=int(text)).first()
            if found is not None:
                return found
    if user is not None and user.is_authenticated:
        region = scope_of(user).default_region()
        if region is not None:
            return region
    found = list(choices[:2])
    return found[0] if len(found) == 1 else None


# -- the public portal: what it shows ----------------------------------------------------------
def public_sites(region):
    return (
        InnovationSite.objects.filter(region=region, status__in=PUBLIC_SITE_STATUSES)
        .select_related("organization__municipality")
        .order_by("-starts_on", "pk")
    )


def public_site_documents(site=None):
    """The documents of innovation sites a visitor of the public portal may read and download —
    the one rule: the site is public (`InnovationSite.is_public`: «действует» or «завершила
    работу», PUBLIC_SITE_STATUSES) and the document's kind is public (PUBLIC_DOCUMENT_KINDS: the
    plan of work and the report; the selection's expert opinion never). Of one site when `site`
    is given; the newest year first."""
    rows = SiteDocument.objects.filter(
        site__status__in=PUBLIC_SITE_STATUSES, kind__in=PUBLIC_DOCUMENT_KINDS
    )
    if site is not None:
        rows = rows.filter(site=site)
    return rows.order_by("-year", "kind", "pk")


def public_site_document(site_pk: int, document_pk: int) -> SiteDocument | None:
    """One public document (public_site_documents) of the site `site_pk`, read afresh at every
    download; None when the site is not public, the document is another site's or its kind is
    not public (or an id is beyond the database's range)."""
    site_pk, document_pk = parse_id(site_pk), parse_id(document_pk)
    if site_pk is None or document_pk is None:
        return None
    document = (
        public_site_documents()
        .filter(pk=document_pk, site_id=site_pk)
        .select_related("site")
        .first()
    )
    if document is None or not document.site.is_public:
        return None
    return document


def site_documents(site) -> list[SiteDocument]:
    """A site's documents for its working page, each marked `public`: whether the public portal
    shows it now (public_site_documents), and when not, `hidden_because` (in Russian)."""
    public_ids = set(public_site_documents(site).values_list("pk", flat=True))
    documents = list(site.documents.order_by("-year", "kind", "pk"))
    for document in documents:
        document.public = document.pk in public_ids
        if document.public:
            document.hidden_because = ""
        elif document.kind not in PUBLIC_DOCUMENT_KINDS:
            document.hidden_because = "внутренний документ отбора"
        else:
            document.hidden_because = "площадка не на открытом портале"
    return documents


def public_communities(region):
    return (
        Community.objects.filter(region=region, published=True)
        .select_related("municipality")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name", "pk")
    )


def public_resources(region):
    return Resource.objects.filter(region=region, published=True).order_by("title", "pk")


def public_news(region):
    return News.objects.filter(region=region, published=True, published_on__lte=date.today())


def public_internship_sites(region, on: date | None = None):
    """Internship sites whose status is in force on the day (today)."""
    on = on or date.today()
    return (
        InternshipSite.objects.filter(region=region, starts_on__lte=on, ends_on__gte=on)
        .select_related("organization__municipality")
        .prefetch_related("areas")
        .order_by("organization__short_name", "pk")
    )


def leaders_of(communities) -> dict[int, list[str]]:
    """{community id: leaders' full names} — the names only, nothing else of the people."""
    found = defaultdict(list)
    rows = (
        CommunityMember.objects.filter(
            community__in=[c.pk for c in communities], role=MemberRole.LEADER
        )
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(
            "community_id", "person__last_name", "person__first_name", "person__middle_name"
        )
    )
    for community_id, last, first, middle in rows:
        found[community_id].append(" ".join(p for p in (last, first, middle) if p))
    return dict(found)


def published_bank_count(region, kind: str) -> int | None:
    """Published practices (`kind` "practice") or materials ("material") of the catalogs app, or
    None while it has no such records."""
    try:
        Item = apps.get_model("catalogs", "Item")
        return Item.objects.filter(region=region, kind=kind, status="published").count()
    except (LookupError, FieldError, ValueError):
        return None


def public_counts(region) -> dict:
    return {
        "sites": public_sites(region).count(),
        "communities": Community.objects.filter(region=region, published=True).count(),
        "resources": public_resources(region).count(),
        "news": public_news(region).count(),
        "internships": public_internship_sites(region).count(),
        "practices": published_bank_count(region, "practice"),
        "materials": published_bank_count(region, "material"),
    }


def public_sites_all():
    """Innovation sites of any region that a public page may show."""
    return InnovationSite.objects.filter(status__in=PUBLIC_SITE_STATUSES).select_related(
        "organization__municipality"
    )


def public_internship_sites_all():
    """Internship sites of any region (the status and its order are public)."""
    return InternshipSite.objects.select_related("organization__municipality").prefetch_related(
        "areas"
    )
