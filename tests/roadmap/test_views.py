"""Pages: lists with search and filters and XLSX, detail, forms, status entry with evidence,
import as a job, the overdue block on the responsible's home page; scope on every page."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nms.roadmap.models import Activity, ActivityPeriod, Document, Roadmap, Status
from tests.roadmap.conftest import period, rows_for
from tests.roadmap.test_transfer import workbook

pytestmark = pytest.mark.django_db


def test_roadmap_page_shows_the_tree_and_a1_and_overdue(client, world):
    client.force_login(world.users["cnppm"])
    page = client.get(reverse("roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert "Направление 1 «Управление системой" in page and "Муниципальный план" in page
    assert 'id="on-time"' in page and ("25,0" in page or "25.0" in page)
    assert "просрочено" in page
    overdue = client.get(reverse("roadmap-period-list") + "?state=overdue").content.decode()
    assert overdue.count("state-overdue") == 4


def test_lists_search_e_and_yo_alike_and_export(client, world):
    Activity.objects.filter(pk=world.activity["1.1.1"].pk).update(
        title="Разработка учёта мероприятий"
    )
    activity = Activity.objects.get(pk=world.activity["1.1.1"].pk)
    activity.save()  # search text kept on save
    client.force_login(world.users["ministry"])
    found = client.get(reverse("roadmap-activity-list"), {"q": "учет"}).content.decode()
    assert "Разработка учёта" in found and "Муниципальный план" not in found
    found = client.get(reverse("roadmap-period-list"), {"q": "учёт"}).content.decode()
    assert "Разработка учёта" in found
    response = client.get(reverse("roadmap-period-list"), {"format": "xlsx", "state": "overdue"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 1 + 4


def test_status_entry_with_evidence_file(client, world):
    target = period(world.roadmap, "1.2.1", 2025)
    client.force_login(world.users["municipal"])
    url = reverse("roadmap-period-status", args=[target.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"version": target.version, "status": "done"})
    assert "подтверждения" in refused.content.decode()
    upload = SimpleUploadedFile("план.pdf", b"%PDF")
    done = client.post(
        url, {"version": target.version, "status": "done", "evidence": "План", "file": upload}
    )
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.status == Status.DONE and target.files.count() == 1
    detail = client.get(reverse("roadmap-activity-detail", args=[target.activity_id]))
    assert "план.pdf" in detail.content.decode()
    evidence = target.files.get()
    assert client.get(reverse("roadmap-evidence-file", args=[evidence.pk])).status_code == 200
    # another municipality's coordinator may not, and a teacher sees nothing of it
    client.force_login(world.users["school"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("roadmap-evidence-file", args=[evidence.pk])).status_code == 404


def test_overdue_on_the_responsibles_home_page(client, world):
    client.force_login(world.users["municipal"])
    home = client.get("/").content.decode()
    assert 'id="home-roadmap-overdue"' in home and "Муниципальный план" in home
    client.force_login(world.users["ministry"])
    assert 'id="home-roadmap-overdue"' not in client.get("/").content.decode()


def test_create_import_export_pages(client, world, region):
    client.force_login(world.users["cnppm"])
    response = client.post(
        reverse("roadmap-create"), {"title": "Новая ДК", "starts_year": 2025, "ends_year": 2026}
    )
    roadmap = Roadmap.objects.get(title="Новая ДК")
    assert response.status_code == 302 and roadmap.region == region
    file = workbook(rows_for(world.a["municipality"].name, world.a["school"].short_name))
    upload = SimpleUploadedFile("дк.xlsx", file.getvalue())
    response = client.post(
        reverse("roadmap-import", args=[roadmap.pk]),
        {"kind": f"roadmap-{roadmap.pk}", "file": upload},
    )
    assert response.status_code == 302
    assert Activity.objects.filter(roadmap=roadmap).count() == 4
    exported = client.get(reverse("roadmap-export", args=[roadmap.pk]))
    assert load_workbook(BytesIO(exported.content)).active.max_row == 2 + 2 + 3 + 4
    form = client.get(reverse("roadmap-activity-create", args=[roadmap.pk]))
    assert form.status_code == 200
    measure = roadmap.directions.get(number=1).measures.first()
    response = client.post(
        reverse("roadmap-activity-create", args=[roadmap.pk]),
        {"measure": measure.pk, "number": "1.1.9", "title": "Новое", "responsible_kind": "cnppm",
         "deadline_text": "в течение 2025, 2026 годов"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ActivityPeriod.objects.filter(activity__number="1.1.9").count() == 2
    bad = client.post(
        reverse("roadmap-activity-create", args=[roadmap.pk]),
        {"measure": measure.pk, "number": "1.1.10", "title": "Плохое", "responsible_kind": "cnppm",
         "deadline_text": "31.02.2025"},
    )  # fmt: skip
    assert bad.status_code == 200 and "несуществующая дата" in bad.content.decode()


def test_editing_pages_are_refused_outside_the_role(client, world):
    client.force_login(world.users["municipal"])
    assert client.get(reverse("roadmap-create")).status_code == 404
    assert client.get(reverse("roadmap-import", args=[world.roadmap.pk])).status_code == 404
    edit = reverse("roadmap-activity-edit", args=[world.activity["1.2.1"].pk])
    assert client.get(edit).status_code == 403
    assert client.get(reverse("roadmap-detail", args=[world.roadmap.pk])).status_code == 200


def test_scope_of_the_pages(client, world):
    url = reverse("roadmap-detail", args=[world.roadmap.pk])
    school_activity = reverse("roadmap-activity-detail", args=[world.activity["2.1.1"].pk])
    regional_activity = reverse("roadmap-activity-detail", args=[world.activity["1.1.1"].pk])
    client.force_login(world.users["school"])
    page = client.get(url).content.decode()
    assert "Адресная поддержка" in page and "Разработка комплекса мер" not in page
    assert client.get(school_activity).status_code == 200
    assert client.get(regional_activity).status_code == 404
    exported = client.get(reverse("roadmap-export", args=[world.roadmap.pk]))
    sheet = load_workbook(BytesIO(exported.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "Адресная поддержка" in text and "Разработка комплекса мер" not in text
    assert "Направление 1" not in text
    client.force_login(world.users["other_school"])
    assert client.get(url).status_code == 404
    for user in ("teacher", "expert"):
        client.force_login(world.users[user])
        assert client.get(url).status_code == 404
        assert client.get(reverse("roadmap-list")).status_code == 404
        assert client.get(reverse("roadmap-period-list")).status_code == 404
    client.logout()
    assert client.get(reverse("roadmap-list")).status_code == 302  # to the login


def test_agreement_and_document_pages(client, world):
    client.force_login(world.users["cnppm"])
    response = client.post(reverse("roadmap-agreement-create"), {
        "kind": "tripartite", "subject": "О взаимодействии", "municipality":
        world.a["municipality"].pk, "signed_on": "01.02.2025", "valid_from": "01.02.2025",
        "number": "ТС-1", "file": SimpleUploadedFile("соглашение.pdf", b"%PDF")})  # fmt: skip
    assert response.status_code == 302
    listing = client.get(reverse("roadmap-agreement-list")).content.decode()
    assert "ТС-1" in listing and 'id="c3"' in listing
    response = client.post(reverse("roadmap-document-create"), {
        "kind": "system_regulation", "title": "Положение о РС НМС", "adopted_on": "01.05.2025",
        "level": "regional", "published": "on",
        "file": SimpleUploadedFile("положение.pdf", b"%PDF")})  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get()
    client.post(reverse("roadmap-document-version", args=[document.pk]), {
        "file": SimpleUploadedFile("положение-2.pdf", b"%PDF"), "dated": "01.02.2026",
        "note": "новая редакция"})  # fmt: skip
    page = client.get(reverse("roadmap-document-detail", args=[document.pk])).content.decode()
    assert "положение-2.pdf" in page and "новая редакция" in page
    # a teacher reads the published documents, and nothing else here
    client.force_login(world.users["teacher"])
    assert "Положение о РС НМС" in client.get(reverse("roadmap-document-list")).content.decode()
    assert client.get(reverse("roadmap-agreement-list")).status_code == 404
    Document.objects.update(published=False)
    assert client.get(reverse("roadmap-document-detail", args=[document.pk])).status_code == 404


def test_lists_run_a_fixed_number_of_queries(client, world, count_queries, region):
    from datetime import date

    from nms.roadmap.models import Agreement
    from tests.roadmap.conftest import build

    client.force_login(world.users["cnppm"])
    common = {"region": region, "subject": "С", "signed_on": date(2025, 1, 1),
              "valid_from": date(2025, 1, 1)}  # fmt: skip
    Agreement.objects.create(kind="cooperation", **common).organizations.set([world.a["school"]])
    urls = [reverse(name) for name in ("roadmap-period-list", "roadmap-activity-list",
            "roadmap-agreement-list", "roadmap-document-list", "roadmap-list")]  # fmt: skip
    urls.append(reverse("roadmap-detail", args=[world.roadmap.pk]))
    before = [count_queries(client.get, url)[0] for url in urls]
    build(region, world.b["municipality"].name, world.b["school"].short_name, "Вторая ДК")
    for _ in range(3):
        Agreement.objects.create(kind="network", **common).organizations.set([world.b["school"]])
    after = [count_queries(client.get, url)[0] for url in urls]
    assert after == before


def test_directions_and_measures_are_added_on_pages(client, world):
    client.force_login(world.users["cnppm"])
    roadmap = world.roadmap
    url = reverse("roadmap-direction-create", args=[roadmap.pk])
    assert (
        client.post(
            url, {"number": 3, "title": "Содержательно-методическое обеспечение"}
        ).status_code
        == 302
    )
    again = client.post(url, {"number": 3, "title": "Повтор"})
    assert again.status_code == 200 and "уже есть" in again.content.decode()
    direction = roadmap.directions.get(number=3)
    url = reverse("roadmap-measure-create", args=[roadmap.pk])
    response = client.post(url, {"direction": direction.pk, "number": "3.1", "title": "Каталог"})
    assert response.status_code == 302 and direction.measures.get().title == "Каталог"
    client.force_login(world.users["municipal"])
    assert client.get(url).status_code == 404
