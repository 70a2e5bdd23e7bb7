"""The portal's pages: the public portal for an anonymous visitor (published items of the region
only), the working lists (scope, search with ё as е, XLSX), forms and buttons."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nms.portal.models import Community, InnovationSite
from tests.portal.conftest import TODAY

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# -- the public portal -------------------------------------------------------------------------
def test_the_home_asks_for_a_region_when_there_are_several(client, world):
    text = _text(client.get(reverse("portal-home")))
    assert "Выберите регион" in text and "Соседняя область" in text
    text = _text(client.get(reverse("portal-home") + f"?region={world['region'].pk}"))
    assert "Инновационные площадки" in text and "Навигатор образовательных ресурсов" in text
    assert "Стартовал конкурс" in text  # the latest news
    assert "Соседская новость" not in text


def test_a_signed_in_user_gets_their_own_region(client, world, users):
    client.force_login(users["teacher"])
    text = _text(client.get(reverse("portal-home")))
    assert world["region"].name in text and "Выберите регион" not in text
    # another region is not theirs to choose: their own is shown
    text = _text(client.get(reverse("portal-news") + f"?region={world['other']['region'].pk}"))
    assert "Соседская новость" not in text


def test_public_lists_show_published_items_of_the_region_only(client, world):
    query = f"?region={world['region'].pk}"
    news = _text(client.get(reverse("portal-news") + query))
    assert "Учитель года" in news
    assert "Черновик" not in news and "Будущая" not in news and "Соседская" not in news
    communities = _text(client.get(reverse("portal-communities") + query))
    assert "Ассоциация учителей математики" in communities
    assert "Закрытый клуб" not in communities and "Соседское" not in communities
    sites = _text(client.get(reverse("portal-sites") + query))
    assert "Функциональная грамотность в школе" in sites
    assert "Школа полного дня" not in sites  # an application is not public
    navigator = _text(client.get(reverse("portal-navigator") + query))
    assert "Цифровая экосистема ДПО" in navigator and "Черновой" not in navigator


def test_public_search_takes_yo_as_ye_and_the_filters(client, world):
    query = f"?region={world['region'].pk}"
    found = _text(client.get(reverse("portal-communities") + query + "&q=учителёй"))
    assert "Ассоциация учителей математики" in found  # ё typed where the title has е
    found = _text(client.get(reverse("portal-communities") + query + "&q=физики"))
    assert "Ассоциация учителей математики" not in found
    found = _text(client.get(reverse("portal-communities") + query + "&q=МАТЕМАТИКИ учителей"))
    assert "Ассоциация учителей математики" in found
    found = _text(client.get(reverse("portal-news") + query + "&q=учитёль"))
    assert "Учитель года" in found
    found = _text(client.get(reverse("portal-news") + query + "&q=стартовал"))
    assert "Учитель года" in found
    found = _text(client.get(reverse("portal-communities") + query + "&kind=methodical"))
    assert "МО учителей начальных классов" in found and "Ассоциация" not in found
    found = _text(client.get(reverse("portal-navigator") + query + "&kind=academy&q=экосистема"))
    assert "Цифровая экосистема ДПО" in found


def test_yo_in_a_title_is_found_by_ye(client, world):
    Community.objects.create(
        region=world["region"],
        name="Объединение учёных-педагогов",
        kind="network",
        level="regional",
    )
    found = _text(
        client.get(reverse("portal-communities") + f"?region={world['region'].pk}&q=ученых")
    )
    assert "Объединение учёных-педагогов" in found


def test_public_details_name_the_leader_and_nothing_else_of_people(client, world):
    community = world["communities"]["association"]
    text = _text(client.get(reverse("portal-community", args=[community.pk])))
    teacher = world["a"]["teacher"]
    assert teacher.last_name in text
    assert teacher.snils not in text and "teacher.a@example.org" not in text
    assert world["b"]["teacher"].last_name not in text  # a plain member is counted, not named
    hidden = world["communities"]["hidden"]
    assert client.get(reverse("portal-community", args=[hidden.pk])).status_code == 404
    applied = world["sites"]["applied"]
    assert client.get(reverse("portal-site", args=[applied.pk])).status_code == 404
    draft = world["news"]["draft"]
    assert client.get(reverse("portal-news-detail", args=[draft.pk])).status_code == 404
    resource = world["resources"]["academy"]
    text = _text(client.get(reverse("portal-resource", args=[resource.pk])))
    assert "https://academy-demo.example.ru" in text


def test_internship_sites_in_force_are_public(client, world):
    from nms.events.models import InternshipSite

    site = InternshipSite.objects.create(
        organization=world["a"]["school"], region=world["region"], starts_on=TODAY,
        ends_on=TODAY.replace(year=TODAY.year + 2), order_number="7", order_date=TODAY,
        programmes="Стажировка по функциональной грамотности",
    )  # fmt: skip
    text = _text(client.get(reverse("portal-internships") + f"?region={world['region'].pk}"))
    assert world["a"]["school"].short_name in text
    text = _text(client.get(reverse("portal-internship", args=[site.pk])))
    assert "Стажировка по функциональной грамотности" in text


def test_the_monitoring_summary_shows_the_latest_region_values_of_the_published_sets(client, world):
    from django.utils import timezone

    from nms.monitoring.models import Indicator, Snapshot

    region = world["region"]
    a4 = Indicator.objects.get(region__isnull=True, code="A4")
    b9 = Indicator.objects.get(region__isnull=True, code="B9")  # a roadmap of another region

    def snap(indicator, period, value, ends):
        Snapshot.objects.create(
            region=region, indicator=indicator, period=period,
            starts_on=ends.replace(month=1, day=1), ends_on=ends, scope_type="region",
            scope_id=region.pk, scope_name=region.name,
            value=value, definition_version=1, computed_at=timezone.now(),
        )  # fmt: skip

    snap(a4, "2024", 11, TODAY.replace(year=2024, month=12, day=31))
    snap(a4, "2025", 42.5, TODAY.replace(year=2025, month=12, day=31))
    snap(b9, "2025", 12, TODAY.replace(year=2025, month=12, day=31))
    text = _text(client.get(reverse("portal-monitoring") + f"?region={region.pk}"))
    assert "<td>A4</td>" in text and "42,5 %" in text and "2025" in text
    assert "<td>B9</td>" not in text  # (a bare "B9" may be in the page's random CSRF token)


# -- working pages -----------------------------------------------------------------------------
def test_working_pages_need_a_login(client, world):
    response = client.get(reverse("innovation-site-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_working_lists_show_the_region_and_nothing_of_another(client, world, users, other_cnppm):
    client.force_login(users["teacher"])
    text = _text(client.get(reverse("community-list")))
    assert "Закрытый клуб" in text and "Соседское" not in text  # signed in: read all of the region
    client.force_login(other_cnppm)
    for name in ("innovation-site-list", "community-list", "resource-list", "news-list"):
        text = _text(client.get(reverse(name)))
        assert "Функциональная" not in text and "Ассоциация" not in text and "Цифровая" not in text
    site = world["sites"]["active"]
    assert client.get(reverse("innovation-site-detail", args=[site.pk])).status_code == 404


def test_working_list_search_filter_and_export(client, world, users):
    client.force_login(users["cnppm"])
    text = _text(client.get(reverse("innovation-site-list") + "?q=грамотность&status=active"))
    assert "Функциональная грамотность в школе" in text and "Школа полного дня" not in text
    response = client.get(reverse("innovation-site-list") + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Функциональная грамотность в школе" in cells and "12-од" in cells
    for name in ("community-list", "resource-list", "news-list"):
        response = client.get(reverse(name) + "?format=xlsx")
        assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_an_application_and_its_decision_through_the_pages(client, world, users):
    client.force_login(users["municipal"])
    response = client.post(
        reverse("innovation-site-create"),
        {"organization": world["a"]["school"].pk, "project": "Новая модель",
         "starts_on": TODAY.strftime("%d.%m.%Y"), "ends_on": "01.01.2000"},
    )  # fmt: skip
    assert (
        response.status_code == 200
        and "Окончание периода раньше его начала" in response.content.decode()
    )
    assert not InnovationSite.objects.filter(project="Новая модель").exists()
    response = client.post(
        reverse("innovation-site-create"),
        {"organization": world["a"]["school"].pk, "project": "Новая модель",
         "starts_on": TODAY.strftime("%d.%m.%Y"), "ends_on": "01.01.2099"},
    )  # fmt: skip
    site = InnovationSite.objects.get(project="Новая модель")
    assert response.status_code == 302 and site.status == "applied"
    page = _text(client.get(reverse("innovation-site-detail", args=[site.pk])))
    assert "Решение по отбору" not in page  # the coordinator does not decide
    assert client.post(reverse("innovation-site-decide", args=[site.pk]), {}).status_code == 404
    client.force_login(users["cnppm"])
    page = _text(client.get(reverse("innovation-site-detail", args=[site.pk])))
    assert "Решение по отбору" in page
    client.post(
        reverse("innovation-site-decide", args=[site.pk]),
        {"status": "active", "decided_by": "cnppm", "order_number": "77-од",
         "order_date": TODAY.strftime("%d.%m.%Y"), "version": site.version},
    )  # fmt: skip
    site.refresh_from_db()
    assert (site.status, site.order_number) == ("active", "77-од")


def test_members_through_the_community_page(client, world, users):
    community = world["communities"]["mo_a"]
    client.force_login(users["municipal"])
    director = world["a"]["director"]
    client.post(
        reverse("community-member", args=[community.pk]),
        {"person": director.snils, "role": "leader"},
    )
    page = _text(client.get(reverse("community-detail", args=[community.pk])))
    assert director.last_name in page and "руководитель" in page
    client.force_login(users["school"])
    response = client.post(
        reverse("community-member", args=[community.pk]), {"person": director.snils}
    )
    assert response.status_code == 404


def test_a_site_document_is_uploaded_and_downloaded(client, world, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    site = world["sites"]["active"]
    client.force_login(users["municipal"])
    client.post(
        reverse("innovation-site-document", args=[site.pk]),
        {"kind": "report", "year": 2025, "file": SimpleUploadedFile("otchet.pdf", b"%PDF-1.4")},
    )
    document = site.documents.get()
    response = client.get(reverse("innovation-site-file", args=[site.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"


def test_the_working_page_of_a_site_shows_which_documents_are_public(client, world, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nms.portal import services

    active, applied = world["sites"]["active"], world["sites"]["applied"]
    uploads = ((active, "plan", "План.pdf"), (active, "expertise", "Заключение.pdf"),
               (applied, "plan", "План заявки.pdf"))  # fmt: skip
    made = {}
    for site, kind, name in uploads:
        data = {"kind": kind, "year": 2025, "file": SimpleUploadedFile(name, b"%PDF")}
        made[name] = services.site_document(users["cnppm"], site, data)
    client.force_login(users["municipal"])
    text = _text(client.get(reverse("innovation-site-detail", args=[active.pk])))
    assert "на открытом портале" in text
    assert reverse("portal-site-document", args=[active.pk, made["План.pdf"].pk]) in text
    assert "не публикуется: внутренний документ отбора" in text
    assert reverse("portal-site-document", args=[active.pk, made["Заключение.pdf"].pk]) not in text
    text = _text(client.get(reverse("innovation-site-detail", args=[applied.pk])))
    assert "не публикуется: площадка не на открытом портале" in text
    assert 'data-public="yes"' not in text
    # the working download gives the uploaded name too
    response = client.get(reverse("innovation-site-file", args=[active.pk, made["План.pdf"].pk]))
    assert (
        response.status_code == 200
        and "%D0%9F%D0%BB%D0%B0%D0%BD.pdf" in response["Content-Disposition"]
    )


def test_list_pages_run_a_fixed_number_of_queries(client, world, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["cnppm"])
    names = ("community-list", "innovation-site-list", "portal-communities", "portal-sites")
    for name in names:
        client.get(reverse(name))
    counts = {}
    for extra in (0, 5):
        for index in range(extra):
            community = Community.objects.create(
                region=world["region"], name=f"Ещё {index}", kind="club", level="regional"
            )
            community.members.create(person=world["a"]["director"], role="leader")
            InnovationSite.objects.create(
                region=world["region"], organization=world["b"]["school"], project=f"П{index}",
                starts_on=TODAY, ends_on=TODAY, status="active",
            )  # fmt: skip
        for name in names:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts[(name, extra)] = len(queries)
    for name in names:
        assert counts[(name, 0)] == counts[(name, 5)], counts


def test_every_working_page_answers_an_editor(client, world, users):
    client.force_login(users["cnppm"])
    assert "Ведение портала" in _text(client.get(reverse("portal-home")))
    site = world["sites"]["active"]
    community = world["communities"]["association"]
    resource = world["resources"]["academy"]
    item = world["news"]["published"]
    for name, pk in (
        ("innovation-site-detail", site.pk), ("innovation-site-edit", site.pk),
        ("community-detail", community.pk), ("community-edit", community.pk),
        ("resource-detail", resource.pk), ("resource-edit", resource.pk),
        ("news-detail", item.pk), ("news-edit", item.pk),
    ):  # fmt: skip
        _text(client.get(reverse(name, args=[pk])))
    for name in ("innovation-site-create", "community-create", "resource-create", "news-create"):
        _text(client.get(reverse(name)))
    client.force_login(users["teacher"])
    assert "Ведение портала" not in _text(client.get(reverse("portal-home")))
    assert client.get(reverse("resource-edit", args=[resource.pk])).status_code == 403


def test_a_resource_through_its_form(client, world, users):
    client.force_login(users["cnppm"])
    response = client.post(
        reverse("resource-create"),
        {"title": "Вебинары ЦНППМ", "kind": "course", "url": "не адрес", "audience": "all"},
    )
    assert "Введите правильный URL" in response.content.decode()
    response = client.post(
        reverse("resource-create"),
        {"title": "Вебинары ЦНППМ", "kind": "course", "url": "https://webinars.example.ru",
         "audience": "all", "published": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    page = _text(
        client.get(reverse("portal-navigator") + f"?region={world['region'].pk}&q=вебинары")
    )
    assert "Вебинары ЦНППМ" in page
