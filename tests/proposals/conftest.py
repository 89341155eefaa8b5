from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory

TODAY = date(2026, 6, 1)


@pytest.fixture
def source_a(org_a):
    return SourceFactory(organisation=org_a, title="Information technology follow-up review 2016")


@pytest.fixture
def proposal_a(source_a, manager_a):
    return ProposalFactory(source=source_a, code="P1", owner=manager_a)


@pytest.fixture
def action_a(proposal_a, officer_a):
    return ActionFactory(proposal=proposal_a, owner=officer_a, due_on=date.today() + timedelta(days=90))


def pdf(name="evidence.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
