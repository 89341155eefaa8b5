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


def test_demo_history_carries_the_storys_dates_not_the_day_of_loading(db):
    """The trail of a record reads as the demo tells it: 1 Jun 2015, Rhys Morgan created SRS's support contract."""
    from django.utils import timezone

    from govtrack import audit
    from proposals.models import Action, Proposal
    from registers.models import Risk
    from systems_catalogue.models import Contract, OwnerComment, System
    from systems_catalogue.views import system_trail

    call_command("load_demo")
    today = timezone.localdate()
    rhys = Membership.objects.get(user__username="digital.manager").user
    flo = System.objects.get(organisation__slug="monmouthshire", name="Flo")
    support = Contract.objects.get(reference="SRS-SUPPORT-FLO")
    created = support.history.earliest()
    assert (timezone.localdate(created.history_date), created.history_user) == (support.start_on, rhys)
    comment = OwnerComment.objects.filter(system=flo).order_by("written_on").first()
    assert timezone.localdate(comment.history.earliest().history_date) == comment.written_on
    # The system's own trail: recorded (with its capabilities) when CMC2 began it, reviewed on its review day.
    first = flo.history.earliest()
    assert timezone.localdate(first.history_date) == support.system.contracts.order_by("start_on")[0].start_on
    assert set(first.capabilities.values_list("capability__name", flat=True)) == {
        "Case management", "Workflow", "Mobile working"}
    assert timezone.localdate(flo.history.latest().history_date) == flo.last_reviewed_on
    trail = audit.history_for(flo, related=system_trail(flo))
    assert [e for e in trail if e.record == f"Contract {support.reference}"][-1].when == created.history_date
    # Risks on the day of each review; a proposal on the day its source was issued.
    risk = Risk.objects.get(reference="FLO-03")
    assert sorted(timezone.localdate(h.history_date) for h in risk.history.filter(history_change_reason="Reviewed")) \
        == sorted(risk.reviews.values_list("reviewed_on", flat=True))
    p5 = Proposal.objects.get(code="P5", source__reference="Follow-up review of IT, 2016")
    assert timezone.localdate(p5.history.earliest().history_date) == p5.source.issued_on
    signed = Action.objects.filter(status=Action.Status.SIGNED_OFF).first()
    assert timezone.localdate(signed.history.latest().history_date) == signed.signed_off_on
    # Nothing the story dates is recorded on the day of loading (the morning's checks are: they run then).
    from registers.demo import RISKS

    for model, story in ((System, {"organisation__slug": "monmouthshire"}), (Contract, {}), (OwnerComment, {}),
                         (Risk, {"reference__in": [row[1] for row in RISKS]}), (Proposal, {})):
        rows = model.history.filter(history_date__date=today, **story)
        assert not rows.exists(), f"{model.__name__} history on the day of loading: {list(rows[:3])}"
