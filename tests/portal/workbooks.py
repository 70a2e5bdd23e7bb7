"""The portal workbooks for tests/common/test_xlsx_exports.py: an innovation site, a
community, a resource and a news item of the user's region named with formula payloads, and
each list the app exports of them."""

from datetime import date

from nms.accounts.scope import scope_of
from nms.portal import exports, selectors
from nms.portal.models import (
    Community,
    CommunityKind,
    CommunityLevel,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
    ResourceKind,
)

PAYLOAD = '=HYPERLINK("http://x.example","y")'
SHORT = "@SUM(A1)"


def portal_workbooks(user) -> dict[str, bytes]:
    scope = scope_of(user)
    region = scope.default_region()
    person = scope.people().filter(region=region, employments__isnull=False).order_by("pk")[0]
    organization = person.employments.order_by("pk")[0].organization
    InnovationSite.objects.create(
        region=region, organization=organization, project=PAYLOAD, topic=SHORT,
        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31), order_number="+1",
    )  # fmt: skip
    community = Community.objects.create(
        region=region, municipality=organization.municipality, name=PAYLOAD,
        kind=CommunityKind.NETWORK, level=CommunityLevel.MUNICIPAL, topic=SHORT,
        links="+1\nhttps://x.example",
    )  # fmt: skip
    CommunityMember.objects.create(community=community, person=person)
    Resource.objects.create(
        region=region, title=PAYLOAD, kind=ResourceKind.OTHER, url="https://x.example/",
        description=SHORT, tags="+1, -1+2",
    )  # fmt: skip
    News.objects.create(region=region, title=PAYLOAD, published_on=date(2025, 5, 1), text=SHORT)
    return {
        "sites_xlsx": exports.sites_xlsx(selectors.sites_for_list(user)),
        "communities_xlsx": exports.communities_xlsx(selectors.communities_for_list(user)),
        "resources_xlsx": exports.resources_xlsx(selectors.resources_for_list(user)),
        "news_xlsx": exports.news_xlsx(selectors.news_for_list(user)),
    }


# What the lead adds to EXPECTED in tests/common/test_xlsx_exports.py.
EXPECTED = {
    "sites_xlsx": [PAYLOAD, SHORT, "+1"],
    "communities_xlsx": [PAYLOAD, SHORT],
    "resources_xlsx": [PAYLOAD, SHORT, "+1, -1+2"],
    "news_xlsx": [PAYLOAD],
}
