"""A removed file of a practice leaves MEDIA_ROOT once the removal is committed, not before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from nms.catalogs import services
from nms.catalogs.models import ItemFile
from tests.catalogs.conftest import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_with_file(world):
    item = make_practice(world)
    made = services.file_add(world.users["teacher"], item, SimpleUploadedFile("a.pdf", b"%PDF"))
    return item, made


def test_a_removed_file_is_gone(
    world, draft_with_file, tmp_path, django_capture_on_commit_callbacks
):
    item, made = draft_with_file
    path = tmp_path / made.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.file_remove(world.users["teacher"], item, made)
    assert not ItemFile.objects.exists()
    assert not path.exists()


def test_a_removal_rolled_back_keeps_the_file(
    world, draft_with_file, tmp_path, django_capture_on_commit_callbacks
):
    item, made = draft_with_file
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.file_remove(world.users["teacher"], item, made)
        raise RuntimeError("сбой после удаления")
    assert ItemFile.objects.count() == 1
    assert (tmp_path / made.file.name).exists()
