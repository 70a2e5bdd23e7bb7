"""A plan of an innovation site uploaded again for the same year replaces the stored file: the
old one leaves MEDIA_ROOT after the commit, and stays if the replacement is rolled back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from nms.portal import services
from nms.portal.models import SiteDocument

pytestmark = pytest.mark.django_db


def upload(user, site, name):
    data = {
        "kind": "plan",
        "year": 2025,
        "file": SimpleUploadedFile(name, b"%PDF " + name.encode()),
    }
    return services.site_document(user, site, data)


def test_a_new_plan_of_the_year_removes_the_old_file(
    world, users, tmp_path, django_capture_on_commit_callbacks
):
    site = world["sites"]["active"]
    old = tmp_path / upload(users["municipal"], site, "plan.pdf").file.name
    with django_capture_on_commit_callbacks(execute=True):
        new = upload(users["cnppm"], site, "plan.pdf")
    assert SiteDocument.objects.get().pk == new.pk
    assert (tmp_path / new.file.name).read_bytes() == b"%PDF plan.pdf"
    assert new.file.name != old.relative_to(tmp_path).as_posix()
    assert not old.exists()


def test_a_replacement_rolled_back_keeps_the_old_file(
    world, users, tmp_path, django_capture_on_commit_callbacks
):
    site = world["sites"]["active"]
    first = upload(users["municipal"], site, "plan.pdf")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        upload(users["cnppm"], site, "plan-2.pdf")
        raise RuntimeError("сбой после замены")
    assert SiteDocument.objects.get().file.name == first.file.name
    assert (tmp_path / first.file.name).exists()
