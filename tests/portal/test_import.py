"""The navigator's XLSX import (nms.portal.importers): a resource is known by its address in the
region — a known one is updated or left as it was, a new one added; any bad row saves nothing
and is named with its column; only the region's ЦНППМ and ministry import, into their region;
the export's file comes back as it went."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nms.portal import exports, importers
from nms.portal.models import Resource

pytestmark = pytest.mark.django_db
HEADERS = ["Ресурс", "Вид", "Адрес", "Для кого", "Теги", "Описание", "На портале"]


def xlsx(rows, headers=HEADERS) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_new_rows_are_added_and_a_known_address_updates_its_resource(world, users):
    academy = world["resources"]["academy"]
    report = importers.resources_import(
        users["cnppm"],
        xlsx([
            ["Цифровая экосистема ДПО Академии", "Академия Минпросвещения",
             "https://academy-demo.example.ru", "методисты", "ДПО", "Курсы.", "да"],
            ["Банк задач по функциональной грамотности", "образовательная платформа",
             "https://fg.example.ru/bank", None, "ФГ, задания", None, "нет"],
        ]),
    )  # fmt: skip
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    academy.refresh_from_db()
    assert (academy.title, academy.audience, academy.version) == (
        "Цифровая экосистема ДПО Академии", "methodists", 2,
    )  # fmt: skip
    new = Resource.objects.get(url="https://fg.example.ru/bank")
    assert (new.region, new.kind, new.audience, new.published) == (
        world["region"], "platform", "all", False,
    )  # fmt: skip
    assert "функциональной" in new.search_text
    # The other region's resource at another address is not touched; nothing is added there.
    assert Resource.objects.filter(region=world["other"]["region"]).count() == 1


def test_the_export_comes_back_unchanged(world, users):
    region_resources = Resource.objects.filter(region=world["region"]).order_by("title")
    exported = BytesIO(exports.resources_xlsx(region_resources))
    report = importers.resources_import(users["ministry"], exported)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert "Изменений нет" in report.summary


def test_any_bad_row_saves_nothing_and_each_is_named(world, users):
    before = list(Resource.objects.order_by("pk").values_list("pk", "title", "version"))
    report = importers.resources_import(
        users["cnppm"],
        xlsx([
            ["Хороший ресурс", "онлайн-курс", "https://good.example.ru", None, None, None, None],
            ["Без адреса", "онлайн-курс", "ftp://files.example.ru", None, None, None, None],
            ["Неизвестный вид", "блог", "https://blog.example.ru", None, None, None, None],
            ["Повтор", "онлайн-курс", "https://good.example.ru", None, None, None, None],
            ["Кому-то", "онлайн-курс", "https://x.example.ru", "всем подряд", None, None, "может"],
            [None, "онлайн-курс", "https://y.example.ru", None, None, None, None],
        ]),
    )  # fmt: skip
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Адрес"), (4, "Вид"), (5, "Адрес"), (6, "Для кого"), (6, "На портале"), (7, "Ресурс"),
    }  # fmt: skip
    messages = " ".join(e.message for e in report.errors)
    assert "http://" in messages and "уже встречается в строке 2" in messages
    assert "Академия Минпросвещения" in messages  # the kinds are listed
    assert list(Resource.objects.order_by("pk").values_list("pk", "title", "version")) == before


def test_a_file_without_a_required_column_is_refused(world, users):
    report = importers.resources_import(
        users["cnppm"], xlsx([["Ресурс", "онлайн-курс"]], ["Ресурс", "Вид"])
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(None, "Адрес")]


@pytest.mark.parametrize("role", ["municipal", "school", "teacher", "methodist"])
def test_only_the_regions_portal_editors_import(world, users, role):
    report = importers.resources_import(
        users[role],
        xlsx([["Ресурс", "онлайн-курс", "https::/z.example.ru", None, None, None, None]]),
    )
    assert not report.ok
    assert "ЦНППМ и министерство" in report.errors[0].message
    assert not Resource.objects.filter(title="Ресурс").exists()


def test_the_template_lists_the_choices(world, users):
    workbook = load_workbook(BytesIO(importers.template_xlsx()))
    first = workbook.worksheets[0]
    assert [c.value for c in first[1]][: len(HEADERS)] == HEADERS
    reference = " ".join(
        str(c.value) for sheet in workbook.worksheets[1:] for row in sheet.iter_rows() for c in row
    )
    assert "онлайн-курс" in reference and "молодые педагоги" in reference


# -- the API -----------------------------------------------------------------------------------
def _post(user, file):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/portal/resources/import/", {"file": file}, format="multipart")


def _named(file, name="навигатор.xlsx"):
    file.name = name
    return file


def test_api_imports_and_reports(world, users):
    row = ["Курс «Наставник»", "онлайн-курс", "https://mentor.example.ru", None, None, None, "да"]
    answer = _post(users["cnppm"], _named(xlsx([row])))
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] == 1
    bad = _post(users["cnppm"], _named(xlsx([["Курс", "курс", "https://m.example.ru"]])))
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["column"] == "Вид"
    missing = _post(users["cnppm"], "")
    assert missing.status_code == 400 and missing.json()["errors"][0]["column"] == "file"


def test_api_refuses_those_who_may_not_import(world, users, other_cnppm):
    row = ["Чужой", "онлайн-курс", "https://academy-demo.example.ru", None, None, None, "да"]
    for user in (users["school"], users["municipal"], users["teacher"]):
        assert _post(user, _named(xlsx([row]))).status_code == 403
    # Another region's ЦНППМ imports into its own region: the address known here is new there.
    answer = _post(other_cnppm, _named(xlsx([row])))
    assert answer.status_code == 200 and answer.json()["created"] == 1
    assert (
        world["resources"]["academy"].title
        == Resource.objects.get(pk=world["resources"]["academy"].pk).title
    )


def test_api_takes_a_big_file_as_a_job(world, users, settings):
    settings.NMS_EXPORT_SYNC_LIMIT = 2
    rows = [[f"Ресурс {i}", "онлайн-курс", f"https://r{i}.example.ru", None, None, None, None]
            for i in range(3)]  # fmt: skip
    answer = _post(users["cnppm"], _named(xlsx(rows)))
    assert answer.status_code == 202
    assert answer["Location"].startswith("/api/v1/jobs/")
    assert Resource.objects.filter(title__startswith="Ресурс ").count() == 3  # tasks run at once


# -- the pages ---------------------------------------------------------------------------------
def test_the_page_imports_a_file_as_a_job(client, world, users):
    client.force_login(users["cnppm"])
    listing = client.get(reverse("resource-list")).content.decode()
    assert reverse("resource-import") in listing
    page = client.get(reverse("resource-import"))
    assert page.status_code == 200 and "по адресу" in page.content.decode()
    template = client.get(reverse("resource-template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    row = ["Курс «Наставник»", "онлайн-курс", "https://mentor.example.ru", None, None, None, "да"]
    answer = client.post(reverse("resource-import"), {"file": _named(xlsx([row]))})
    assert answer.status_code == 302
    job = client.get(answer["Location"]).content.decode()
    assert "Добавлено: 1" in job
    assert Resource.objects.filter(url="https://mentor.example.ru", region=world["region"]).exists()


def test_the_page_is_not_there_for_other_roles(client, world, users):
    for role in ("school", "municipal", "teacher"):
        client.force_login(users[role])
        assert (
            reverse("resource-import") not in client.get(reverse("resource-list")).content.decode()
        )
        assert client.get(reverse("resource-import")).status_code == 404
        assert client.get(reverse("resource-template")).status_code == 404
