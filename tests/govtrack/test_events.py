"""The kernel's event hook: announced after commit, never for rolled-back work, and emitted by the registers."""

import pytest
from django.db import transaction

from govtrack import events
from registers import services


@pytest.fixture
def heard():
    received = []

    def listener(sender, event, **kwargs):
        received.append(event)

    events.event_emitted.connect(listener)
    yield received
    events.event_emitted.disconnect(listener)


def test_an_event_is_heard_once_the_transaction_commits(org_a, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = events.emit(events.BOARD_PACK_ISSUED, org_a, organisation=org_a, data={"title": "June"})
        assert heard == []
    assert heard == [event]
    assert event.organisation_ids == (org_a.pk,)
    body = event.payload()
    assert body["event"] == "board_pack.issued" and body["occurred_at"]
    assert (body["object"]["type"], body["object"]["id"], body["object"]["title"]) == (
        "govtrack.organisation", org_a.pk, "June")


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_announces_nothing(heard):
    from tests.factories import OrganisationFactory

    with pytest.raises(RuntimeError), transaction.atomic():
        organisation = OrganisationFactory()
        events.emit(events.BREACH_RECORDED, organisation, organisation=organisation)
        raise RuntimeError
    assert heard == []


def test_an_unknown_event_is_refused(org_a):
    with pytest.raises(ValueError, match="Unknown event"):
        events.emit("risk.exploded", org_a, organisation=org_a)


def test_a_failing_listener_does_not_stop_the_others(org_a, heard, django_capture_on_commit_callbacks):
    def broken(sender, event, **kwargs):
        raise RuntimeError("receiver down")

    events.event_emitted.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit(events.ACTION_OVERDUE, org_a, organisation=[org_a, org_a, None])
    finally:
        events.event_emitted.disconnect(broken)
    assert [e.organisation_ids for e in heard] == [(org_a.pk,)]


def test_proposing_and_deciding_an_escalation_are_announced(make_risk, officer_a, org_a, heard,
                                                            django_capture_on_commit_callbacks):
    risk = make_risk(4, 4)
    with django_capture_on_commit_callbacks(execute=True):
        escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_escalation(escalation=escalation, by=officer_a, reason="Agreed")
    assert [e.name for e in heard] == [events.ESCALATION_PROPOSED, events.ESCALATION_DECIDED]
    decided = heard[1].payload()
    assert decided["object"]["id"] == escalation.pk and decided["object"]["status"] == "accepted"
    assert decided["object"]["risk"]["reference"] == risk.reference
    assert decided["object"]["url"].endswith(f"#escalation-{escalation.pk}")
    assert all(e.organisation_ids == (org_a.pk,) for e in heard)


def test_the_escalation_check_announces_each_proposal(make_risk, org_a, heard, django_capture_on_commit_callbacks):
    from datetime import date

    make_risk(4, 4)
    make_risk(5, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_escalation_check(organisation=org_a, today=date(2026, 6, 1))
    assert [e.name for e in heard] == [events.ESCALATION_PROPOSED] * 2
