"""load_demo builds the partnership of the seeds, and a second run changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from govtrack.models import Membership, Organisation, Partnership

pytestmark = pytest.mark.slow  # loads every app's demo data


def _snapshot() -> dict[str, int]:
    """Row counts of every table, history tables included: a re-run must not add a row anywhere."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "axes", "admin"}
    }


def test_load_demo_creates_the_partnership_and_is_idempotent(db):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first

    srs = Partnership.objects.get(slug="srs")
    partners = set(srs.members_on(__import__("datetime").date(2026, 1, 1)).values_list("slug", flat=True))
    assert partners == {"blaenau-gwent", "monmouthshire", "newport", "torfaen", "gwent-police"}
    assert srs.provider.slug == "srs"
    assert Organisation.objects.get(slug="audit-wales").kind == "audit_body"
    roles = set(Membership.objects.filter(organisation__slug="monmouthshire").values_list("role", flat=True))
    assert roles == {"viewer", "officer", "manager", "auditor", "admin"}
