"""Files of the roadmap leave MEDIA_ROOT once the change that drops them is committed: an
agreement's file replaced or taken away, the evidence of a reporting period the roadmap no longer
has."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from nms.roadmap import services
from nms.roadmap.models import ActivityPeriod, EvidenceFile, Status
from tests.roadmap.conftest import period

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(world):
    data = {
        "kind": "cooperation", "subject": "О сотрудничестве", "signed_on": date(2025, 1, 1),
        "valid_from": date(2025, 1, 1), "file": SimpleUploadedFile("соглашение.pdf", b"%PDF 1"),
    }  # fmt: skip
    return services.agreement_create(world.users["cnppm"], data)


def test_a_new_file_of_an_agreement_removes_the_old_one(
    world, agreement, tmp_path, django_capture_on_commit_callbacks
):
    old = tmp_path / agreement.file.name
    new_file = SimpleUploadedFile("соглашение.pdf", b"%PDF 2")
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_update(world.users["cnppm"], agreement, {"file": new_file})
    assert (tmp_path / agreement.file.name).read_bytes() == b"%PDF 2"
    assert not old.exists()
    with django_capture_on_commit_callbacks(execute=True):  # no file given: the file stays
        services.agreement_update(world.users["cnppm"], agreement, {"subject": "Иной предмет"})
    assert (tmp_path / agreement.file.name).exists()


def test_a_file_taken_away_is_removed(
    world, agreement, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / agreement.file.name
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_update(world.users["cnppm"], agreement, {"file": False})
    assert agreement.file.name == ""
    assert not path.exists()


def test_a_replacement_refused_later_keeps_the_old_file(
    world, agreement, tmp_path, django_capture_on_commit_callbacks
):
    old = agreement.file.name
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_file = SimpleUploadedFile("новое.pdf", b"%PDF 2")
        services.agreement_update(world.users["cnppm"], agreement, {"file": new_file})
        raise RuntimeError("сбой после замены")
    agreement.refresh_from_db()
    assert agreement.file.name == old
    assert (tmp_path / old).exists()


def test_a_period_with_files_stays_when_its_year_is_no_longer_due(world, tmp_path):
    """Files are something reported: the period keeps them when the roadmap's years shrink, as
    a period with a text or a status does; a bare planned period goes."""
    user = world.users["cnppm"]
    with_file = period(world.roadmap, "2.1.1", 2026)
    upload = SimpleUploadedFile("фото.jpg", b"JPEG")
    services.status_set(user, with_file, {"status": Status.PLANNED}, files=[upload])
    path = tmp_path / EvidenceFile.objects.get(period=with_file).file.name
    bare = ActivityPeriod.objects.filter(year=2026, status=Status.PLANNED, evidence="").exclude(
        pk=with_file.pk
    )
    assert bare.exists()
    services.roadmap_update(user, world.roadmap, {"ends_year": 2025})
    assert ActivityPeriod.objects.filter(pk=with_file.pk).exists()
    assert path.exists()
    assert not bare.exists()
