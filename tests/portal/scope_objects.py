"""The portal's share of the scope matrix (tests/accounts/test_scope_matrix.py): an innovation
site with a plan, a community with a member, a resource and a news item of each world, made when
the matrix first asks for them.

Innovation sites, communities, resources and news are the region's content, read by everyone
signed in in the region (portal/access.py): their URLs are region objects (outside the scope only
in another region), and their names carry the world's mark only when the region is the world's
own (the lists of the matrix look for the marks of the outside worlds) — and so do the organization
and the municipality they name (`_place`). A community's member is
the world's person: a member is shown on the working page only to those who may edit the
community or see the person (selectors.members_of).

The public portal's pages of one object (`portal-news-detail`, `portal-community`, `portal-site`,
`portal-resource`, `portal-internship`) and the download of a public site's document
(`portal-site-document`) answer everybody, anonymous visitors included, for a published object of
any region — they are in NOT_OBJECTS (with kwargs that name nothing), and
tests/portal/test_views.py and test_public_privacy.py check what they show."""

from datetime import date, timedelta

from django.core.files.base import ContentFile

from nms.portal.models import (
    Community,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
    SiteDocument,
)
from tests.factories import MunicipalityFactory, OrganizationFactory

TODAY = date.today()


def _label(world) -> str:
    return world.mark if world.own_region else f"№ {world.municipality.pk}"


def _place(world):
    """(municipality, organization) the world's region objects belong to: the world's own when
    its region is its own; else an unmarked municipality and school of the region — a region
    object names its organization and municipality to everyone in the region."""
    if world.own_region:
        return world.municipality, world.school
    municipality = MunicipalityFactory(
        region=world.municipality.region, name=f"Округ № {world.municipality.pk}"
    )
    school = OrganizationFactory(
        municipality=municipality, full_name=f"Школа № {world.municipality.pk}",
        short_name=f"Школа № {world.municipality.pk}",
    )  # fmt: skip
    return municipality, school


def _objects(world):
    made = getattr(world, "_portal", None)
    if made is None:
        region = world.municipality.region
        municipality, school = _place(world)
        site = InnovationSite.objects.create(
            region=region, organization=school, project=f"Проект {_label(world)}",
            starts_on=TODAY - timedelta(days=30), ends_on=TODAY + timedelta(days=300),
            status="applied",
        )  # fmt: skip
        community = Community.objects.create(
            region=region, municipality=municipality, name=f"Сообщество {_label(world)}",
            kind="methodical", level="municipal",
        )  # fmt: skip
        made = {
            "site": site,
            "document": SiteDocument.objects.create(
                site=site, kind="plan", year=TODAY.year, file=ContentFile(b"%PDF", name="plan.pdf")
            ),
            "community": community,
            "member": CommunityMember.objects.create(community=community, person=world.person),
            "resource": Resource.objects.create(
                region=region,
                title=f"Ресурс {_label(world)}",
                kind="platform",
                url="https://resource.example.ru",
            ),  # fmt: skip
            "news": News.objects.create(
                region=region, title=f"Новость {_label(world)}", published_on=TODAY, text="…"
            ),
        }
        world._portal = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


def _site_file(world):
    made = _objects(world)
    return {"pk": made["site"].pk, "doc_pk": made["document"].pk}


def _member(world):
    made = _objects(world)
    return {"pk": made["community"].pk, "member_pk": made["member"].pk}


OBJECTS = {
    "innovation-site-detail": _pk("site"),
    "innovation-site-edit": _pk("site"),
    "innovation-site-decide": _pk("site"),
    "innovation-site-document": _pk("site"),
    "innovation-site-file": _site_file,
    "api-innovation-site-detail": _pk("site"),
    "api-innovation-site-decide": _pk("site"),
    "community-detail": _pk("community"),
    "community-edit": _pk("community"),
    "community-member": _pk("community"),
    "community-member-remove": _member,
    "api-community-detail": _pk("community"),
    "resource-detail": _pk("resource"),
    "resource-edit": _pk("resource"),
    "api-portal-resource-detail": _pk("resource"),
    "news-detail": _pk("news"),
    "news-edit": _pk("news"),
    "api-portal-news-detail": _pk("news"),
}
REGION_OBJECTS = set(OBJECTS)
METHODIST_REGION: set[str] = set()
# Public pages of one published object: open to everybody (see the module's docstring).
NOT_OBJECTS = {
    "portal-news-detail": {"pk": 1},
    "portal-community": {"pk": 1},
    "portal-site": {"pk": 1},
    "portal-resource": {"pk": 1},
    "portal-internship": {"pk": 1},
    "portal-site-document": {"pk": 1, "doc_pk": 1},
}
