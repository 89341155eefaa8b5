"""A full disk while storing a file: the page says so and keeps nothing, the API answers 503, a board pack's
build is recorded as failed, and no record points at a missing file, nor is a partial file left behind."""

import errno
from datetime import timedelta

import pytest
from django.core.files.base import File
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from proposals.models import Evidence
from reporting import packs
from reporting.models import BoardPack
from tests.conftest import sign_in
from tests.proposals.conftest import pdf


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def disk_full(monkeypatch):
    """The disk takes the first chunk of any file, then refuses the rest (ENOSPC), as a full disk does."""

    def chunks(self, chunk_size=None):
        self.seek(0)
        yield self.read(16)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(File, "chunks", chunks)
    monkeypatch.setattr(InMemoryUploadedFile, "chunks", chunks)


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_evidence_uploaded_to_a_full_disk_is_refused_with_a_message_and_leaves_nothing(
        client, action_a, officer_a, media, disk_full):
    sign_in(client, officer_a)
    response = client.post(reverse("proposals:evidence_create", args=[action_a.pk]),
                           {"title": "Minutes", "file": pdf()})
    assert response.status_code == 200
    assert "could not be stored" in response.content.decode() and "Minutes" in response.content.decode()
    assert not Evidence.objects.exists() and _files(media) == []


def test_the_api_answers_503_and_keeps_nothing(action_a, officer_a, media, disk_full):
    client = APIClient()
    client.force_authenticate(officer_a)
    response = client.post("/api/v1/evidence/", {"action": action_a.pk, "title": "Minutes", "file": pdf()},
                           format="multipart")
    assert response.status_code == 503 and "could not be stored" in response.json()["detail"]
    assert not Evidence.objects.exists() and _files(media) == []


def test_a_board_pack_built_onto_a_full_disk_fails_visibly_and_points_at_no_file(
        org_a, manager_a, media, disk_full, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(packs, "render_pdf", lambda html: (b"%PDF-1.7 " + b"x" * 4096, 1))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        pack = packs.request_pack(organisation=org_a, by=manager_a, meeting_date=today,
                                  since=today - timedelta(days=30))
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED and "No space left" in pack.error
    assert not pack.file and not pack.checksum and _files(media) == []


def test_a_file_the_disk_takes_whole_is_stored_as_before(client, action_a, officer_a, media):
    sign_in(client, officer_a)
    response = client.post(reverse("proposals:evidence_create", args=[action_a.pk]),
                           {"title": "Minutes", "file": SimpleUploadedFile("m.pdf", pdf().read(), "application/pdf")})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file and len(_files(media)) == 1
