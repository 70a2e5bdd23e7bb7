"""Stored files leave MEDIA_ROOT once no row needs them (nms.common.files) and `nms prune_media`
finds the ones left over. The rows here are roadmap agreements: any model with a FileField does."""

import os
import time
from datetime import date
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from nms.common.files import discard_on_commit
from nms.roadmap.models import Agreement

HOUR_AGO = time.time() - 2 * 3600


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def agreement(region, name="", content=b"%PDF"):
    row = Agreement(
        region=region, kind="cooperation", subject="О сотрудничестве",
        signed_on=date(2025, 1, 1), valid_from=date(2025, 1, 1),
    )  # fmt: skip
    if name:
        row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row


def stored(tmp_path, relative: str, *, old: bool = True):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"data")
    if old:
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return path


def test_a_file_of_a_deleted_row_goes_after_the_commit(
    region, tmp_path, django_capture_on_commit_callbacks
):
    row = agreement(region, "a.pdf")
    path = tmp_path / row.file.name
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
        discard_on_commit(row.file)
        assert path.exists()  # not before the commit
    assert not path.exists()


def test_a_rolled_back_change_keeps_the_file(region, tmp_path, django_capture_on_commit_callbacks):
    row = agreement(region, "a.pdf")
    pk = row.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        row.delete()
        discard_on_commit(row.file)
        raise RuntimeError("отказ после удаления")
    assert callbacks == []
    assert Agreement.objects.filter(pk=pk).exists()
    assert (tmp_path / row.file.name).exists()


def test_a_name_another_row_refers_to_is_kept(region, tmp_path, django_capture_on_commit_callbacks):
    row = agreement(region, "shared.pdf")
    twin = agreement(region)
    Agreement.objects.filter(pk=twin.pk).update(file=row.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
        discard_on_commit(row.file.name)
    assert (tmp_path / row.file.name).exists()


def test_empty_names_ask_for_nothing(region, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        discard_on_commit(agreement(region).file, "", None)
    assert callbacks == []


def test_a_missing_file_is_no_error(region, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discard_on_commit("roadmap/agreements/нет-такого.pdf")
    assert list(tmp_path.iterdir()) == []


def test_prune_media_lists_unreferenced_old_files_and_deletes_them_only_when_asked(
    region, tmp_path
):
    kept = tmp_path / agreement(region, "kept.pdf").file.name
    os.utime(kept, (HOUR_AGO, HOUR_AGO))
    orphan = stored(tmp_path, "routes/reports/сирота.pdf")
    deep = stored(tmp_path, "catalogs/7/old.docx")
    young = stored(tmp_path, "support/requests/загружается.pdf", old=False)

    out = StringIO()
    call_command("prune_media", stdout=out)
    listed = out.getvalue()
    assert "routes/reports/сирота.pdf" in listed and "catalogs/7/old.docx" in listed
    assert "kept.pdf" not in listed and "загружается" not in listed
    assert "Файлов без ссылок из базы: 2" in listed and "--delete" in listed
    assert orphan.exists() and deep.exists()

    out = StringIO()
    call_command("prune_media", "--delete", stdout=out)
    assert "Удалено файлов без ссылок из базы: 2" in out.getvalue()
    assert not orphan.exists() and not deep.exists()
    assert kept.exists() and young.exists()
    assert not (tmp_path / "catalogs").exists()  # the folders left empty go too
    assert (tmp_path / "routes").is_dir() is False and (tmp_path / "support/requests").is_dir()

    out = StringIO()
    call_command("prune_media", stdout=out)
    assert "Файлов без ссылок из базы нет." in out.getvalue()
