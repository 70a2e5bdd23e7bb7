"""A map item deleted from a running route takes its files out of MEDIA_ROOT after the commit:
the files of its reports and its evidence (the file of the accepted report)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from nms.routes import services
from nms.routes.models import ItemReport
from tests.routes.conftest import TODAY, item_data

pytestmark = pytest.mark.django_db

START = [("compose", "cnppm"), ("agree_school", "school"), ("agree_methodist", "methodist"),
         ("start", "methodist")]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reported(actors, entry_result, two_municipalities, tmp_path):
    """A running route whose item has a returned report and an accepted one, each with a file."""
    teacher = two_municipalities["a"]["teacher"]
    route = services.route_create(actors["teacher"], teacher, TODAY, TODAY + timedelta(days=180))
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    for name, actor in START:
        services.transition(actors[actor], route, name, "ок", None)
    first = services.report_submit(
        actors["teacher"], item, file=SimpleUploadedFile("скан.pdf", b"%PDF 1")
    )
    services.report_decide(actors["methodist"], first, accept=False, comment="Нечитаемо")
    second = services.report_submit(
        actors["teacher"], item, file=SimpleUploadedFile("скан.pdf", b"%PDF 2")
    )
    services.report_decide(actors["methodist"], second, accept=True)
    item.refresh_from_db()
    assert item.evidence_file.name == second.file.name
    paths = [tmp_path / r.file.name for r in ItemReport.objects.all()]
    assert len(paths) == 2 and all(p.exists() for p in paths)
    return route, item, paths


def test_a_deleted_item_takes_its_files_along(
    actors, reported, tmp_path, django_capture_on_commit_callbacks
):
    route, item, paths = reported
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(actors["methodist"], item, None)
    assert not ItemReport.objects.exists()
    assert not any(p.exists() for p in paths)


def test_a_deletion_rolled_back_keeps_the_files(
    actors, reported, django_capture_on_commit_callbacks
):
    route, item, paths = reported
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.item_delete(actors["methodist"], item, None)
        raise RuntimeError("сбой после удаления")
    assert ItemReport.objects.count() == 2
    assert all(p.exists() for p in paths)


def test_evidence_replaced_by_an_accepted_report_stays_while_a_report_holds_it(
    actors, entry_result, two_municipalities, tmp_path, django_capture_on_commit_callbacks
):
    teacher = two_municipalities["a"]["teacher"]
    route = services.route_create(actors["teacher"], teacher, TODAY, TODAY + timedelta(days=180))
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    for name, actor in START:
        services.transition(actors[actor], route, name, "ок", None)
    first = services.report_submit(actors["teacher"], item, file=SimpleUploadedFile("a.pdf", b"1"))
    # The item's evidence is the earlier report's file: the row of that report still needs it.
    type(item).objects.filter(pk=item.pk).update(evidence_file=first.file.name)
    services.report_decide(actors["methodist"], first, accept=False, comment="Ещё скан")
    second = services.report_submit(actors["teacher"], item, file=SimpleUploadedFile("b.pdf", b"2"))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide(actors["methodist"], second, accept=True)
    item.refresh_from_db()
    assert item.evidence_file.name == second.file.name
    assert (tmp_path / first.file.name).exists() and (tmp_path / second.file.name).exists()
