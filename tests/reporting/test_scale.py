"""The scale generator: the same seed gives the same data, and the data obeys the models' rules."""

from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from boards.models import Board, BoardMember, Decision, Meeting
from govtrack.models import Membership, Organisation, Partnership
from proposals.models import Action, Proposal, Source
from registers import scoring
from registers.models import Escalation, Register, Risk, RiskAction, RiskMatrix, RiskReview
from reporting.models import BoardPack
from reporting.scale import SCALES, AlreadyGenerated, generate
from slas.models import Agreement, Breach, Measurement, ServiceLine
from systems_catalogue.models import Contract, System

pytestmark = pytest.mark.django_db

#: A tenth of a council, so most tests generate in a fraction of a second.
SMALL = replace(SCALES["council"], name="small", systems=20, registers=6, risks=80, actions=30)


def _quiet(_line: str) -> None:
    pass


def _fingerprint() -> dict:
    """Counts and a few sampled values that do not depend on primary keys or clocks."""
    risks = Risk.objects.order_by("register__slug", "reference")
    return {
        "counts": {model.__name__: model.objects.count()
                   for model in (Organisation, System, Contract, Register, Risk, RiskReview, RiskAction, Escalation,
                                 Agreement, ServiceLine, Measurement, Breach, Source, Proposal, Action, Board,
                                 BoardMember, Meeting, Decision, BoardPack)},
        "risks": list(risks.values_list("register__slug", "reference", "title", "current_likelihood",
                                        "current_impact", "review_date", "officer_owner__username")[:5]),
        "systems": list(System.objects.order_by("name").values_list("name", "criticality", "owner__username")[:5]),
        "escalations": sorted(Escalation.objects.values_list("risk__reference", "status", "score")),
        "breaches": sorted(Breach.objects.values_list("service_line__metric", "period", "actual", "consecutive")),
        "actions": sorted(Action.objects.values_list("proposal__code", "due_on", "status", "progress")),
        "decisions": sorted(Decision.objects.values_list("reference", "meeting__held_on", "status")),
    }


def _generated(scale, seed: int) -> dict:
    with transaction.atomic():
        generate(scale=scale, seed=seed, log=_quiet)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


def test_the_same_seed_generates_the_same_council():
    first = _generated(SCALES["council"], seed=7)
    assert first == _generated(SCALES["council"], seed=7)
    assert first["counts"]["System"] == 100 and first["counts"]["Risk"] == 500
    assert first["counts"]["Register"] == 10 and first["counts"]["RiskAction"] == 200


def test_another_seed_generates_other_values():
    assert _generated(SMALL, seed=1)["risks"] != _generated(SMALL, seed=2)["risks"]


def test_generated_records_pass_their_models_validation():
    generate(scale=SCALES["council"], seed=3, log=_quiet)
    for model in (Risk, Register, Escalation, System, Contract, RiskReview, Agreement, Measurement, Source,
                  Proposal, Action, Board, BoardMember, Meeting, Decision, BoardPack):
        for record in model.objects.order_by("pk")[:60]:
            record.full_clean()


def test_owners_are_members_of_the_records_organisation():
    generate(scale=replace(SMALL, organisations=3, lead_share=0.5), seed=4, log=_quiet)
    members = set(Membership.objects.values_list("organisation_id", "user_id"))
    owned = [
        *Risk.objects.filter(officer_owner__isnull=False).values_list("organisation_id", "officer_owner_id"),
        *Register.objects.filter(owner__isnull=False).values_list("organisation_id", "owner_id"),
        *System.objects.filter(owner__isnull=False).values_list("organisation_id", "owner_id"),
        *RiskAction.objects.filter(owner__isnull=False).values_list("risk__organisation_id", "owner_id"),
    ]
    assert owned and set(owned) <= members


def test_scores_reviews_and_escalations_follow_the_rules():
    generate(scale=SCALES["council"], seed=5, log=_quiet)
    for risk in Risk.objects.for_pages():
        reviews = risk.review_list
        assert reviews, "every risk has a review history"
        last = reviews[-1]
        assert (last.current_likelihood, last.current_impact) == (risk.current_likelihood, risk.current_impact)
        assert 1 <= risk.current_likelihood <= risk.inherent_likelihood <= 5
        for escalation in risk.escalation_list:
            assert escalation.to_register_id == escalation.from_register.parent_id
            if escalation.kind == Escalation.Kind.AUTOMATIC:
                assert escalation.score >= escalation.from_register.escalation_threshold
    statuses = set(Escalation.objects.values_list("status", flat=True))
    assert {Escalation.Status.PROPOSED, Escalation.Status.ACCEPTED} <= statuses
    # Some risks reached their threshold with no escalation yet: the daily check has work to do.
    assert any(r.should_escalate() for r in Risk.objects.for_pages().open())


def test_review_dates_come_from_the_band_of_the_last_review():
    generate(scale=SMALL, seed=6, log=_quiet)
    risk = Risk.objects.for_pages().order_by("pk").first()
    matrix = RiskMatrix.for_organisation(risk.organisation)
    last = risk.review_list[-1]
    assert risk.review_date == scoring.next_review_date(matrix, last.current_score, last.reviewed_on)


def test_each_organisation_gets_an_sla_proposals_and_a_board_of_a_realistic_size():
    generate(scale=replace(SMALL, organisations=3, lead_share=0.5), seed=8, log=_quiet)
    organisations = Organisation.objects.filter(memberships__isnull=False).distinct()
    assert organisations.count() == 3
    # Every partnership has a provider: the other party of its members' SLAs, not one of the scale's bodies.
    assert not Partnership.objects.filter(provider__isnull=True).exists()
    for organisation in organisations:
        agreement = Agreement.objects.get(client=organisation)
        assert agreement.status == Agreement.Status.AGREED and agreement.provider.kind == Organisation.Kind.PROVIDER
        assert agreement.lines.count() == 10
        assert Measurement.objects.filter(service_line__agreement=agreement).count() == 10 * 24
        assert Proposal.objects.filter(source__organisation=organisation).count() == 3 * 20
        assert Action.objects.filter(proposal__source__organisation=organisation).count() == 3 * 20 * 3
        board = Board.objects.get(organisation=organisation)
        assert (board.members.count(), board.meetings.count()) == (10, 12)
        assert Decision.objects.filter(meeting__board=board).count() == 30
    # A breach is a figure that misses its target, numbered by its run; some runs escalate, most months meet.
    measurements = Measurement.objects.select_related("service_line")
    missed = {m.pk for m in measurements if m.is_breach()}
    assert set(Breach.objects.values_list("measurement_id", flat=True)) == missed
    assert 0.05 < len(missed) / measurements.count() < 0.25
    assert Breach.objects.filter(escalated_at__isnull=False).exists()
    assert Breach.objects.filter(consecutive__gte=3).exists()


def test_generating_twice_is_refused_saying_what_is_there():
    call_command("generate_scale", "--scale", "council", stdout=_Null())
    with pytest.raises(CommandError, match="already holds 1 generated organisations .* 500 risks"):
        call_command("generate_scale", "--scale", "council", stdout=_Null())
    with pytest.raises(AlreadyGenerated):
        generate(scale=SMALL, log=_quiet)


def test_the_split_gives_the_lead_its_share_and_sums_exactly():
    assert SCALES["large"].split(10_000) == [5_000, 1_250, 1_250, 1_250, 1_250]
    national = SCALES["national"].split(200_000)
    assert len(national) == 40 and set(national) == {5_000}
    assert sum(SCALES["national"].split(1_001)) == 1_001


class _Null:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def test_generated_records_trails_hold_the_links_made_with_them():
    from govtrack import audit

    generate(scale=SMALL, seed=1, log=_quiet)
    system = System.objects.filter(capabilities__isnull=False).order_by("pk").first()
    created = system.history.get()
    assert set(created.capabilities.values_list("capability_id", flat=True)) == set(
        system.capabilities.values_list("pk", flat=True))
    system.purpose = "Edited after generation"
    system.save()
    changes = [c.label for c in audit.history_for(system)[0].changes]
    assert changes == ["Purpose"]  # not every capability "added" on the first edit
