"""A small portal world on tests/conftest.py's two municipalities (A and B of one region) and a
second region:

- innovation sites: an active one of school A (project «Функциональная грамотность в школе»),
  an application of school B, one of the other region;
- communities: a regional association (published, leader teacher A, member teacher B), a
  methodical association of municipality A, an unpublished one, one of the other region;
- resources: a published one («Цифровая экосистема ДПО», Академия Минпросвещения), a hidden one,
  one of the other region;
- news: a published item, a draft, one dated in the future, one of the other region.

Every person here has a СНИЛС and a birth date; teacher A also an e-mail.
"""

from datetime import date, timedelta

import pytest

from nms.accounts.models import Role
from nms.portal.models import (
    Community,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
)
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)

TODAY = date.today()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def site(organization, project, status="active", **fields):
    fields.setdefault("starts_on", TODAY - timedelta(days=100))
    fields.setdefault("ends_on", TODAY + timedelta(days=600))
    return InnovationSite.objects.create(
        region=organization.region, organization=organization, project=project, status=status,
        topic=fields.pop("topic", "функциональная грамотность"), **fields,
    )  # fmt: skip


@pytest.fixture
def other_region(db):
    region = RegionFactory(name="Соседняя область", code="98")
    municipality = MunicipalityFactory(region=region, name="Чужой округ")
    school = OrganizationFactory(municipality=municipality, short_name="Чужая школа")
    person = EmploymentFactory(
        organization=school, person=PersonFactory(region=region, last_name="Соседов")
    ).person
    return {"region": region, "municipality": municipality, "school": school, "person": person}


@pytest.fixture
def world(region, two_municipalities, other_region):
    a, b = two_municipalities["a"], two_municipalities["b"]
    teacher_a = a["teacher"]
    teacher_a.email = "teacher.a@example.org"
    teacher_a.save()
    other = other_region
    sites = {
        "active": site(a["school"], "Функциональная грамотность в школе", order_number="12-од",
                       order_date=TODAY - timedelta(days=120), decided_by="cnppm"),
        "applied": site(b["school"], "Школа полного дня", status="applied",
                        applied_on=TODAY - timedelta(days=5)),
        "other": site(other["school"], "Проект соседей"),
    }  # fmt: skip
    association = Community.objects.create(
        region=region, name="Ассоциация учителей математики", kind="association",
        level="regional", topic="математика", links="https://math-demo.example.ru",
    )  # fmt: skip
    CommunityMember.objects.create(community=association, person=teacher_a, role="leader")
    CommunityMember.objects.create(community=association, person=b["teacher"], role="member")
    communities = {
        "association": association,
        "mo_a": Community.objects.create(
            region=region, municipality=a["municipality"], name="МО учителей начальных классов",
            kind="methodical", level="municipal",
        ),
        "hidden": Community.objects.create(
            region=region, name="Закрытый клуб", kind="club", level="regional", published=False
        ),
        "other": Community.objects.create(
            region=other["region"], name="Соседское сообщество", kind="network",
            level="regional",
        ),
    }  # fmt: skip
    resources = {
        "academy": Resource.objects.create(
            region=region, title="Цифровая экосистема ДПО", kind="academy",
            url="https://academy-demo.example.ru", tags="ДПО, курсы",
            description="Курсы Академии Минпросвещения.",
        ),
        "hidden": Resource.objects.create(
            region=region, title="Черновой ресурс", kind="platform",
            url="https://draft.example.ru", published=False,
        ),
        "other": Resource.objects.create(
            region=other["region"], title="Соседский ресурс", kind="platform",
            url="https://other.example.ru",
        ),
    }  # fmt: skip
    news = {
        "published": News.objects.create(
            region=region, title="Стартовал конкурс «Учитель года»",
            published_on=TODAY - timedelta(days=1), text="Текст новости.", published=True,
        ),
        "draft": News.objects.create(
            region=region, title="Черновик новости", published_on=TODAY, text="…",
        ),
        "future": News.objects.create(
            region=region, title="Будущая новость", published_on=TODAY + timedelta(days=3),
            text="…", published=True,
        ),
        "other": News.objects.create(
            region=other["region"], title="Соседская новость", published_on=TODAY,
            text="…", published=True,
        ),
    }  # fmt: skip
    return {
        "region": region,
        "a": a,
        "b": b,
        "other": other,
        "sites": sites,
        "communities": communities,
        "resources": resources,
        "news": news,
    }


@pytest.fixture
def other_cnppm(other_region):
    return UserFactory(role=Role.CNPPM, region=other_region["region"])
