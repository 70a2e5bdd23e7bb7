"""An anonymous visitor opens the open portal, finds a community and a news item, opens the
navigator and follows to a resource's card; an innovation site's page offers its plan. The
ЦНППМ loads the navigator from a spreadsheet."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from nms.accounts.models import Role
from nms.portal.models import (
    Community,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
    SiteDocument,
)

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitor_reads_the_portal(page, two_municipalities, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = two_municipalities["a"]
    region = a["municipality"].region
    community = Community.objects.create(
        region=region, name="Сетевое сообщество учёных-педагогов", kind="network",
        level="regional", topic="исследовательская деятельность",
    )  # fmt: skip
    CommunityMember.objects.create(community=community, person=a["teacher"], role="leader")
    Community.objects.create(
        region=region, name="Клуб «Педагог года»", kind="club", level="regional"
    )
    News.objects.create(
        region=region, title="Открыт приём заявок на конкурс практик",
        published_on=date.today() - timedelta(days=1), text="Заявки принимаются до конца месяца.",
        published=True,
    )  # fmt: skip
    Resource.objects.create(
        region=region, title="Цифровая экосистема ДПО", kind="academy",
        url="https://academy-demo.example.ru", description="Курсы Академии Минпросвещения.",
        tags="ДПО, курсы",
    )  # fmt: skip

    page.goto("/portal/")
    assert "Открытый портал" in page.inner_text("h1")
    page.click("#sections >> text=Профессиональные сообщества")
    page.fill("input[name=q]", "ученых")  # typed with е, the name has ё
    page.click("#portal-search button[type=submit]")
    rows = page.locator("#communities tbody tr")
    assert rows.count() == 1
    assert a["teacher"].last_name in rows.first.inner_text()  # the leader is named
    rows.first.locator("a").click()
    assert "учёных-педагогов" in page.inner_text("h1")
    assert a["teacher"].snils not in page.content()

    page.click(".portal-nav >> text=Новости")
    page.click("#news >> text=Открыт приём заявок")
    assert "Заявки принимаются" in page.inner_text("#news-item")

    page.click(".portal-nav >> text=Навигатор")
    page.select_option("select[name=kind]", "academy")
    page.click("#portal-search button[type=submit]")
    page.click("#resources >> text=Цифровая экосистема ДПО")
    assert page.inner_text("#resource-url") == "https://academy-demo.example.ru"

    site = InnovationSite.objects.create(
        region=region, organization=a["school"], project="Школа функциональной грамотности",
        starts_on=date.today() - timedelta(days=90), ends_on=date.today() + timedelta(days=600),
        status="active",
    )  # fmt: skip
    plan = SiteDocument.objects.create(
        site=site, kind="plan", year=2025, original_name="План работы 2025.pdf",
        file=ContentFile(b"%PDF-1.4", name="plan.pdf"),
    )  # fmt: skip
    page.goto(f"/portal/innovation-sites/{site.pk}/")
    link = page.locator("#site-documents a")
    assert link.count() == 1 and link.inner_text() == "План работы 2025.pdf"
    assert link.get_attribute("href") == f"/portal/innovation-sites/{site.pk}/documents/{plan.pk}/"


@pytest.mark.django_db(transaction=True)
def test_cnppm_loads_the_navigator_from_a_spreadsheet(
    page, login, two_municipalities, make_user, tmp_path
):
    make_user(Role.CNPPM, username="cnppm_portal")
    book = Workbook()
    book.active.append(["Ресурс", "Вид", "Адрес", "Для кого", "Теги", "Описание", "На портале"])
    book.active.append(
        ["Школа молодого педагога", "онлайн-курс", "https://young.example.ru", "молодые педагоги",
         "наставничество", "Курс для молодых педагогов.", "да"]
    )  # fmt: skip
    book.save(tmp_path / "navigator.xlsx")

    login("cnppm_portal", PASSWORD)
    page.goto("/portal/manage/resources/")
    page.click("text=Загрузить из XLSX")
    page.set_input_files("input[name=file]", str(tmp_path / "navigator.xlsx"))
    page.click("button:has-text('Загрузить')")
    page.wait_for_selector("#import-report")
    assert "Добавлено: 1" in page.inner_text("#import-report")
    page.goto("/portal/manage/resources/?q=молодого")
    assert "Школа молодого педагога" in page.inner_text("table")
    assert Resource.objects.get(url="https://young.example.ru").audience == "young"
