"""A real Celery worker on Redis builds a board pack into PostgreSQL and the storage every process shares."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from govtrack.models import Membership
from registers.models import Register, Risk
from reporting.models import BoardPack
from reporting.tasks import build_board_pack_task
from tests.factories import OrganisationFactory, member
from tests.govtrack.test_worker import worker  # noqa: F401 - the fixture that starts a worker

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_worker_builds_a_board_pack_and_stores_it_with_its_checksum(worker):  # noqa: F811
    organisation = OrganisationFactory(name="Torfaen County Borough Council", slug="torfaen")
    owner = member(organisation, Membership.Role.MANAGER, "torfaen-manager")
    register = Register.objects.create(organisation=organisation, name="Corporate", slug="corporate",
                                       level=Register.Level.CORPORATE, owner=owner)
    Risk.objects.create(organisation=organisation, register=register, reference="T1", title="Data centre power",
                        inherent_likelihood=4, inherent_impact=5, current_likelihood=3, current_impact=5)
    today = timezone.localdate()
    pack = BoardPack.objects.create(organisation=organisation, requested_by=owner, meeting_date=today,
                                    since=today - timedelta(days=30))
    try:
        assert worker(build_board_pack_task.s(pack.pk)).get(timeout=180) == BoardPack.Status.READY
        pack.refresh_from_db()
        assert pack.status == BoardPack.Status.READY and pack.pages >= 5 and pack.attempts == 1
        with pack.file.open("rb") as handle:
            pdf = handle.read()
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == pack.checksum
    finally:
        pack.refresh_from_db()
        if pack.file:
            pack.file.delete(save=False)
