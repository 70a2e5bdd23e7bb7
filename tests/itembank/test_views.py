"""Item bank pages: who sees them, list, search, export, forms, status, import, query counts."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nms.accounts.models import Role
from nms.common.models import Job, JobStatus
from nms.itembank import importers
from nms.itembank.models import Item, ItemKind, ReviewStatus
from nms.itembank.services import MAX_POINTS
from tests.itembank.conftest import make_item


@pytest.fixture
def items(areas):
    return [
        make_item(areas["methodical"], "МЕТ-1", kind=ItemKind.MATCHING),
        make_item(areas["ict"], "ИКТ-1", kind=ItemKind.MULTIPLE, status=ReviewStatus.DRAFT),
    ]


@pytest.fixture
def cnppm(client, make_user):
    user = make_user(Role.CNPPM)
    client.force_login(user)
    return user


def _urls(item) -> list[tuple[str, str]]:
    """(method, url) of every bank page."""
    return [
        ("get", reverse("bank-list")),
        ("get", reverse("bank-list") + "?format=xlsx"),
        ("get", reverse("bank-create")),
        ("get", reverse("bank-import")),
        ("get", reverse("bank-template")),
        ("get", reverse("bank-detail", args=[item.pk])),
        ("get", reverse("bank-edit", args=[item.pk])),
        ("post", reverse("bank-status", args=[item.pk])),
    ]


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.SCHOOL, Role.MUNICIPAL, Role.METHODIST, Role.MINISTRY]
)
def test_roles_without_the_bank_get_404_everywhere(
    client, make_user, two_municipalities, items, role
):
    kwargs = {}
    if role == Role.MUNICIPAL:
        kwargs["municipality"] = two_municipalities["a"]["municipality"]
    if role == Role.SCHOOL:
        kwargs["organization"] = two_municipalities["a"]["school"]
    client.force_login(make_user(role, **kwargs))
    for method, url in _urls(items[0]):
        response = getattr(client, method)(url, {"status": "review"} if method == "post" else {})
        assert response.status_code == 404, url
    assert Item.objects.get(pk=items[0].pk).status == ReviewStatus.APPROVED


def test_pages_require_login(client, items):
    response = client.get(reverse("bank-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_expert_reviews_but_does_not_edit(client, make_user, items):
    client.force_login(make_user(Role.EXPERT))
    page = client.get(reverse("bank-list")).content.decode()
    assert "МЕТ-1" in page and "Добавить задание" not in page
    draft = items[1]
    for name in ("bank-create", "bank-import"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("bank-edit", args=[draft.pk])).status_code == 404
    detail = client.get(reverse("bank-detail", args=[draft.pk])).content.decode()
    assert "Отправить на экспертизу" in detail and "Изменить" not in detail
    response = client.post(reverse("bank-status", args=[draft.pk]), {"status": "review"})
    assert response.status_code == 302
    assert Item.objects.get(pk=draft.pk).status == ReviewStatus.REVIEW
    response = client.post(
        reverse("bank-status", args=[draft.pk]), {"status": "draft"}, follow=True
    )
    assert Item.objects.get(pk=draft.pk).status == ReviewStatus.DRAFT
    response = client.post(
        reverse("bank-status", args=[draft.pk]), {"status": "approved"}, follow=True
    )
    assert "нельзя перевести в «утверждено»" in response.content.decode()


def test_list_search_filters_and_export(client, cnppm, areas, items):
    make_item(areas["upbringing"], "ВОС-7", difficulty=3)
    Item.objects.filter(code="ВОС-7").update(text="Внутришкольный учёт обучающихся")
    page = client.get(reverse("bank-list"), {"q": "УЧЕТ"}).content.decode()
    assert "ВОС-7" in page and "МЕТ-1" not in page and "Найдено: 1" in page
    page = client.get(reverse("bank-list"), {"status": "draft"}).content.decode()
    assert "ИКТ-1" in page and "МЕТ-1" not in page
    page = client.get(reverse("bank-list"), {"area": areas["methodical"].pk, "kind": "matching"})
    assert "МЕТ-1" in page.content.decode()
    partial = client.get(reverse("bank-list"), {"difficulty": 3}, HTTP_HX_REQUEST="true")
    assert "<h1>" not in partial.content.decode() and "ВОС-7" in partial.content.decode()
    response = client.get(reverse("bank-list"), {"format": "xlsx", "status": "approved"})
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["ВОС-7", "МЕТ-1"]


def test_detail_shows_the_item_as_the_teacher_sees_it_and_the_key(client, cnppm, items):
    page = client.get(reverse("bank-detail", args=[items[0].pk])).content.decode()
    preview = page[page.index('id="item-preview"') : page.index('id="item-key"')]
    assert "<select" in preview and "Задание МЕТ-1" in preview
    assert "1-3; 2-1; 3-2" in page
    assert "1. 1 — 3. z" in page


def _post(**changes) -> dict:
    data = {
        "code": "КОМ-1",
        "kind": "ordering",
        "difficulty": "2",
        "text": "Расположите этапы подготовки родительского собрания.",
        "options": "провести собрание\nопределить тему\nоформить протокол",
        "options_right": "",
        "key": "2; 1; 3",
        "points": "2",
    }
    data.update(changes)
    return data


def test_create_and_edit_through_the_form(client, cnppm, areas):
    page = client.get(reverse("bank-create")).content.decode()
    assert 'data-kinds="matching"' in page
    response = client.post(reverse("bank-create"), _post(area=areas["communicative"].pk, key="4"))
    assert "Нет варианта с номером 4: их всего 3." in response.content.decode()
    assert not Item.objects.exists()
    response = client.post(reverse("bank-create"), _post(area=areas["communicative"].pk))
    item = Item.objects.get(code="КОМ-1")
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/")
    assert (item.key, item.status, item.points) == ([1, 0, 2], ReviewStatus.DRAFT, 2)

    page = client.get(reverse("bank-edit", args=[item.pk])).content.decode()
    assert "2; 1; 3" in page and "провести собрание\nопределить тему" in page
    response = client.post(
        reverse("bank-edit", args=[item.pk]),
        _post(area=areas["communicative"].pk, key="2; 3; 1", version=item.version),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.key == [1, 2, 0]


HEADERS = [c.header for c in importers.COLUMNS]
GOOD = {
    "Шифр": "ИКТ-5",
    "Область": "ИКТ",
    "Тип": "краткий ответ",
    "Формулировка": "Как называется платформа учебного общения?",
    "Ключ": "Сферум",
}


def bank_file(rows) -> BytesIO:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for values in rows:
        workbook.active.append([values.get(h) for h in HEADERS])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "bank.xlsx"
    return buffer


def test_import_page_shows_the_report(client, cnppm, areas):
    def upload(rows):
        return client.post(reverse("bank-import"), {"file": bank_file(rows)}, follow=True).text

    assert 'type="hidden" name="kind"' in client.get(reverse("bank-import")).text
    page = upload([GOOD, {**GOOD, "Шифр": "ИКТ-6", "Тип": "один верный ответ"}])
    assert "ничего не сохранено" in page and "нужно не меньше двух вариантов" in page
    assert not Item.objects.exists()
    page = upload([GOOD])
    assert "Добавлено заданий: 1" in page
    assert Item.objects.get().key == ["Сферум"]
    response = client.get(reverse("bank-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# -- the import as a background job -------------------------------------------------------------
def test_the_upload_becomes_a_job_that_imports(client, cnppm, areas):
    response = client.post(reverse("bank-import"), {"file": bank_file([GOOD])})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.user, job.kind, job.status, job.upload_name) == (
        cnppm,
        "import_items",
        JobStatus.DONE,
        "bank.xlsx",
    )
    assert (job.report["created"], job.report["errors"]) == (1, [])
    assert Item.objects.get().code == "ИКТ-5"
    page = client.get(response["Location"]).text
    assert 'id="import-report"' in page and "Добавлено заданий: 1" in page


def test_a_file_with_errors_saves_nothing_and_the_job_lists_them(client, cnppm, areas):
    rows = [GOOD, {**GOOD, "Шифр": "ИКТ-6", "Баллы": "сто"}]

    page = client.post(reverse("bank-import"), {"file": bank_file(rows)}, follow=True).text

    job = Job.objects.get()
    assert job.status == JobStatus.DONE and not Item.objects.exists()
    assert job.report["errors"] == [
        {
            "row": 3,
            "column": "Баллы",
            "value": "сто",
            "message": f"баллы — целое число от 1 до {MAX_POINTS}",
        }
    ]
    assert "<td>3</td><td>Баллы</td><td>сто</td>" in page and "ничего не сохранено" in page


def test_another_users_bank_import_job_is_not_found(client, cnppm, make_user, areas):
    client.post(reverse("bank-import"), {"file": bank_file([GOOD])})
    job = Job.objects.get()
    client.force_login(make_user(Role.CNPPM))
    for name in ("job-detail", "job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_bank_import_reports_progress(areas):
    rows = [{**GOOD, "Шифр": f"ИКТ-{n}"} for n in range(1200)]
    calls = []

    report = importers.bank_import(None, bank_file(rows), progress=lambda *a: calls.append(a))

    assert report.ok and report.created == 1200
    checks = [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    saves = [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    assert calls == checks + checks + saves  # read, checked by the bank's rules, saved by 500

    # Changing them: the UPDATEs are reported batch by batch too.
    calls.clear()
    changed = [{**row, "Формулировка": "Новая формулировка"} for row in rows[:600]]
    report = importers.bank_import(None, bank_file(changed), progress=lambda *a: calls.append(a))
    assert report.updated == 600
    assert calls[-3:] == [(0, 600), (500, 600), (600, 600)]


def test_bank_import_runs_the_same_queries_with_and_without_progress(areas, count_queries):
    rows = [{**GOOD, "Шифр": f"ИКТ-{n}"} for n in range(20)]
    silent, _ = count_queries(importers.bank_import, None, bank_file(rows))
    Item.objects.all().delete()
    watched, report = count_queries(
        importers.bank_import, None, bank_file(rows), progress=lambda *a: None
    )
    assert report.created == 20 and watched == silent


def test_list_runs_a_fixed_number_of_queries(client, cnppm, areas, count_queries):
    def queries(url) -> int:
        count, response = count_queries(client.get, url)
        assert response.status_code == 200
        return count

    make_item(areas["ict"], "Q-0")
    first = queries(reverse("bank-list"))
    for n in range(1, 25):
        make_item(areas["ict"], f"Q-{n}", kind=list(ItemKind)[n % 5])
    assert queries(reverse("bank-list")) == first
    assert queries(reverse("bank-list") + "?q=Задание") == first
