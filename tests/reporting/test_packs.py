"""Board packs: a real PDF (pages and text read back), Welsh, immutability once issued, failure and retry,
who may download it, and the command."""

import hashlib
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from govtrack.models import Notification
from registers import services as registers
from reporting import packs
from reporting.models import BoardPack

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf_text(pdf: bytes, tmp_path) -> tuple[str, int]:
    """The PDF's text and page count, read back by poppler (bin/setup installs poppler-utils)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext and pdfinfo (poppler-utils) are needed: bin/setup installs them.")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


def _request(org, by, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        pack = packs.request_pack(organisation=org, by=by, meeting_date=TODAY,
                                  since=TODAY - timedelta(days=30), **kwargs)
    pack.refresh_from_db()
    return pack


@pytest.fixture
def registers_with_risks(org_a, corporate, project, make_risk, officer_a):
    for n in range(6):
        make_risk(1 + n % 5, 2 + n % 4, title=f"Flo supplier risk {n}", officer_owner=officer_a)
    registers.propose_escalation(risk=make_risk(4, 4, title="Escalated one"), by=None, reason="threshold")
    return [corporate, project]


def test_pack_is_a_real_pdf_with_every_section_page_numbers_and_an_annex_per_register(
        org_a, manager_a, registers_with_risks, django_capture_on_commit_callbacks, tmp_path):
    pack = _request(org_a, manager_a, django_capture_on_commit_callbacks, title="Digital Board pack")
    assert pack.status == BoardPack.Status.READY, pack.error
    with pack.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == pack.checksum and pack.size == len(pdf)
    text, pages = _pdf_text(pdf, tmp_path)
    assert pages == pack.pages and pages >= 8
    flat = " ".join(text.split())
    for section in ("Digital Board pack", "Contents", "Executive summary", "Risk heat map", "Top risks",
                    "Escalations waiting for a decision", "What changed since", "Overdue reviews and actions",
                    "Contracts", "Catalogue completeness", "Governance gaps", "Annex 1: Corporate",
                    "Annex 2: Social Care and Health", "Annex 3: Flo project", "Flo supplier risk 3",
                    f"Page 2 of {pages}", "Escalated one"):
        assert section in flat, section
    assert Notification.objects.filter(recipient=manager_a, subject__contains="is ready").exists()


def test_pack_in_welsh(org_a, manager_a, registers_with_risks, django_capture_on_commit_callbacks, tmp_path):
    pack = _request(org_a, manager_a, django_capture_on_commit_callbacks, language="cy")
    assert pack.status == BoardPack.Status.READY, pack.error
    with pack.file.open("rb") as handle:
        text, pages = _pdf_text(handle.read(), tmp_path)
    flat = " ".join(text.split())
    assert pages >= 8 and "Tebygolrwydd" in flat and "Effaith" in flat  # Likelihood, Impact
    assert "Likelihood" not in flat
    html = packs.pack_html(pack=pack)
    assert '<html lang="cy">' in html


def test_a_pack_for_an_organisation_with_no_data_is_a_valid_pack_that_says_so(org_b, manager_b, tmp_path,
                                                                               django_capture_on_commit_callbacks):
    pack = _request(org_b, manager_b, django_capture_on_commit_callbacks)
    assert pack.status == BoardPack.Status.READY, pack.error
    with pack.file.open("rb") as handle:
        text, _pages = _pdf_text(handle.read(), tmp_path)
    assert "has no open risks and no systems recorded yet" in " ".join(text.split())


def test_an_issued_pack_never_changes(org_a, manager_a, make_risk, django_capture_on_commit_callbacks):
    pack = _request(org_a, manager_a, django_capture_on_commit_callbacks)
    checksum, name = pack.checksum, pack.file.name
    pack.issue(by=manager_a)
    make_risk(5, 5, title="Arrived after the pack")
    assert packs.build_pack(pack=pack).checksum == checksum  # not rebuilt
    pack.refresh_from_db()
    pack.checksum = "0" * 64
    with pytest.raises(ValidationError):
        pack.save()
    pack.refresh_from_db()
    assert pack.checksum == checksum and pack.file.name == name and packs.verify(pack)
    with pytest.raises(ValidationError):
        pack.issue(by=manager_a)
    # A new draft shows the new data.
    draft = _request(org_a, manager_a, django_capture_on_commit_callbacks)
    assert draft.pk != pack.pk and draft.checksum != checksum and "Arrived after the pack" in packs.pack_html(
        pack=draft)


def test_a_failed_build_says_why_and_can_be_retried(org_a, manager_a, login, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    def broken(html):
        raise RuntimeError("the PDF renderer is out of fonts")

    monkeypatch.setattr(packs, "render_pdf", broken)
    pack = _request(org_a, manager_a, django_capture_on_commit_callbacks)
    assert pack.status == BoardPack.Status.FAILED and "out of fonts" in pack.error and not pack.file
    assert Notification.objects.filter(recipient=manager_a, subject__contains="could not be built").exists()
    client = login(manager_a)
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "out of fonts" in page and "Try the build again" in page
    assert client.get(reverse("reporting:pack_download", args=[pack.pk])).status_code == 404
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:pack_action", args=[pack.pk, "retry"]))
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY and pack.attempts == 2 and not pack.error
    # Retrying a pack that did not fail is refused with a message, not an error page.
    response = client.post(reverse("reporting:pack_action", args=[pack.pk, "retry"]), follow=True)
    assert "Only a failed build can be retried" in response.content.decode()


def test_only_the_organisations_people_download_a_pack(org_a, manager_a, viewer_a, officer_b, login, client,
                                                       django_capture_on_commit_callbacks):
    pack = _request(org_a, manager_a, django_capture_on_commit_callbacks)
    url = reverse("reporting:pack_download", args=[pack.pk])
    response = login(viewer_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Checksum-SHA256"] == pack.checksum
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    outsider = login(officer_b)
    for name in ("pack_download", "pack_detail"):
        assert outsider.get(reverse(f"reporting:{name}", args=[pack.pk])).status_code == 404
    assert outsider.post(reverse("reporting:pack_action", args=[pack.pk, "issue"])).status_code == 404
    # A viewer (a board member) reads and downloads but neither builds nor issues.
    viewer = login(viewer_a)
    assert viewer.post(reverse("reporting:pack_action", args=[pack.pk, "issue"])).status_code == 403
    assert viewer.post(reverse("reporting:pack_list", args=[org_a.slug]), {}).status_code == 403


def test_the_packs_page_builds_a_pack_and_refuses_bad_dates(org_a, manager_a, login,
                                                            django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(packs, "render_pdf", lambda html: (b"%PDF-1.7 test", 1))
    client = login(manager_a)
    url = reverse("reporting:pack_list", args=[org_a.slug])
    data = {"title": "Digital Board", "meeting_date_day": TODAY.day, "meeting_date_month": TODAY.month,
            "meeting_date_year": TODAY.year, "since_day": 1, "since_month": 1, "since_year": TODAY.year + 1,
            "language": "en"}
    response = client.post(url, data)
    assert response.status_code == 200 and "on or before the meeting" in response.content.decode()
    assert not BoardPack.objects.exists()
    data.update(since_year=TODAY.year - 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and response.url == pack.get_absolute_url()
    assert pack.status == BoardPack.Status.READY and pack.requested_by == manager_a
    assert "Digital Board" in client.get(url).content.decode()


def test_build_board_pack_command_writes_the_pdf(org_a, registers_with_risks, tmp_path):
    output = tmp_path / "out.pdf"
    call_command("build_board_pack", "--organisation", org_a.slug, "--language", "cy",
                 "--date", TODAY.isoformat(), "--output", str(output))
    pack = BoardPack.objects.get()
    assert output.read_bytes().startswith(b"%PDF") and pack.language == "cy" and pack.status == "ready"
    assert hashlib.sha256(output.read_bytes()).hexdigest() == pack.checksum
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("build_board_pack", "--organisation", org_a.slug, "--date", "31/02/2026")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("build_board_pack", "--organisation", "nowhere")
