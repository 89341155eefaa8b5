"""A fresh load_demo looks as a morning's checks leave it, and loading it again adds nothing."""

import pytest
from django.core.management import call_command

from govtrack.models import CheckRun, Notification
from registers.models import Escalation

pytestmark = pytest.mark.slow  # loads every app's demo data


def test_load_demo_runs_the_checks_once(db):
    call_command("load_demo")
    proposed = Escalation.objects.filter(status=Escalation.Status.PROPOSED, kind=Escalation.Kind.AUTOMATIC).count()
    notices = Notification.objects.count()
    assert proposed and notices
    assert Notification.objects.filter(kind="contract").exists() and Notification.objects.filter(kind="review").exists()
    assert not CheckRun.objects.exists()
    call_command("load_demo")
    assert Notification.objects.count() == notices
    assert Escalation.objects.filter(status=Escalation.Status.PROPOSED).count() == proposed
