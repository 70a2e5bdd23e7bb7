"""The analytical report: the DOCX reads back in the structure of seed 004 §7 and names each
indicator below target; the XLSX carries every value; both download from the dashboard."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from nms.common.models import Job, JobStatus
from nms.monitoring import reports
from nms.monitoring.models import Indicator
from tests.monitoring.m2_data import indicator, snap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region, two_municipalities):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    a, b = two_municipalities["a"], two_municipalities["b"]
    a3 = indicator(region, "A3X", name="Доля прошедших ДПП из реестра", indicator_set="A")
    road = indicator(region, "B1X", name="Доля педагогов с ИОМ", indicator_set="B")
    track = indicator(region, "F1X", name="Доля молодых с наставником", indicator_set="F", track=2)
    snap(a3, region, "2025", 20, 30)  # below
    snap(road, region, "2025", 70, 60)  # met
    snap(track, region, "2025", 10, 25)  # below
    snap(road, a["municipality"], "2025", 40, 60)  # a unit below
    snap(road, b["municipality"], "2025", 90, 60)
    return {"a3": a3, "road": road, "track": track, **two_municipalities}  # fmt: skip


def text_of(content: bytes) -> str:
    document = Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_docx_names_each_indicator_below_target(world, region):
    text = text_of(reports.analytical_report_docx(region, "2025"))
    assert "Аналитическая справка" in text
    assert "Федеральные показатели РС НМС" in text
    assert "дорожная карта (Хакасия)" in text
    assert "Трек 2. Устранение дефицита педагогических кадров" in text
    conclusions = text.split("Выводы", 1)[1]
    assert "A3X. Доля прошедших ДПП из реестра" in conclusions
    assert "F1X. Доля молодых с наставником" in conclusions
    assert "B1X." not in conclusions.split("Ниже цели находятся")[0]
    below = text.split("Единицы ниже целевого значения", 1)[1].split("Выводы")[0]
    assert str(world["a"]["municipality"]) in below
    assert str(world["b"]["municipality"]) not in below


def test_the_xlsx_has_every_value(world, region):
    book = load_workbook(BytesIO(reports.analytical_report_xlsx(region, "2025")))
    rows = list(book["Значения"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[5], r[9]) for r in rows} >= {
        ("A3X", str(region), 20.0),
        ("B1X", str(world["a"]["municipality"]), 40.0),
        ("B1X", str(world["b"]["municipality"]), 90.0),
    }


def test_downloads_from_the_dashboard(client, users, world, region):
    client.force_login(users["municipal"])
    municipality = world["a"]["municipality"]
    # A background job (nms.common.jobs): the link leads to the job's page, then the file.
    answer = client.get(f"/monitoring/municipality/{municipality.pk}/report.docx?period=2025")
    assert answer.status_code == 302
    job = Job.objects.get(kind="monitoring_report")
    assert answer["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.result_name.endswith(".docx")
    assert job.message == "Аналитическая справка составлена."
    file = client.get(f"/jobs/{job.pk}/file/")
    assert file.status_code == 200
    assert "B1X" in text_of(b"".join(file.streaming_content) if file.streaming else file.content)
    answer = client.get(f"/monitoring/municipality/{municipality.pk}/report.xlsx?period=2025")
    book = Job.objects.filter(kind="monitoring_report").latest("pk")
    assert book.result_name.endswith(".xlsx") and book.status == JobStatus.DONE
    client.force_login(users["other_school"])  # another's job: not theirs to see
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    client.force_login(users["municipal"])
    assert client.get(f"/monitoring/region/{region.pk}/report.docx").status_code == 404
    other = world["b"]["municipality"]
    assert client.get(f"/monitoring/municipality/{other.pk}/report.xlsx").status_code == 404
