"""The rules of proposals and actions: status roll-up, revised dates, sign-off, closing, follow-ups, RAG."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govtrack.models import Membership, Notification
from proposals import rag, services
from proposals.models import Action, ActionUpdate, Evidence, Proposal
from tests.factories import member
from tests.proposals.conftest import pdf
from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status


def _status(proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).status


def _evidence(action, by):
    return Evidence.objects.create(action=action, title="Minutes", url="https://example.org/minutes", added_by=by)


def test_a_proposal_without_actions_is_open(proposal_a):
    assert _status(proposal_a) == S.OPEN


def test_status_rolls_up_from_the_actions(proposal_a, officer_a, manager_a):
    first = ActionFactory(proposal=proposal_a, owner=officer_a)
    second = ActionFactory(proposal=proposal_a, owner=officer_a)
    assert _status(proposal_a) == S.OPEN
    first.record_update(by=officer_a, progress=40, forecast=rag.Forecast.ON_TRACK)
    assert _status(proposal_a) == S.IN_PROGRESS
    first.record_update(by=officer_a, progress=100, forecast=rag.Forecast.ON_TRACK)
    _evidence(first, officer_a)
    first.sign_off(by=manager_a)
    assert _status(proposal_a) == S.IN_PROGRESS  # the second is not done yet
    second.cancel(by=manager_a, reason="Overtaken by the 2022 review")
    assert _status(proposal_a) == S.IMPLEMENTED
    counts = services.proposals_by_status(Proposal.objects.all())
    assert counts[S.IMPLEMENTED] == 1 and counts[S.OPEN] == 0 and set(counts) == set(S.values)


def test_a_completed_action_is_not_implemented_until_signed_off(action_a, officer_a):
    action_a.record_update(by=officer_a, progress=100, forecast=rag.Forecast.ON_TRACK)
    assert action_a.status == Action.Status.COMPLETED
    assert _status(action_a.proposal) == S.IN_PROGRESS


def test_signing_off_needs_evidence_and_someone_other_than_the_owner(action_a, officer_a, manager_a):
    action_a.record_update(by=officer_a, progress=100, forecast=rag.Forecast.ON_TRACK)
    with pytest.raises(ValidationError, match="evidence"):
        action_a.sign_off(by=manager_a)
    _evidence(action_a, officer_a)
    with pytest.raises(ValidationError, match="own action"):
        action_a.sign_off(by=officer_a)
    assert Action.objects.get(pk=action_a.pk).status == Action.Status.COMPLETED
    action_a.sign_off(by=manager_a, on=date(2026, 3, 1))
    saved = Action.objects.get(pk=action_a.pk)
    assert (saved.status, saved.signed_off_by, saved.signed_off_on) == (
        Action.Status.SIGNED_OFF, manager_a, date(2026, 3, 1))


def test_an_open_action_cannot_be_signed_off(action_a, manager_a):
    with pytest.raises(ValidationError, match="completed"):
        action_a.sign_off(by=manager_a)


def test_closing_needs_no_open_actions_a_person_and_a_date(action_a, manager_a, officer_a):
    proposal = action_a.proposal
    with pytest.raises(ValidationError, match="open actions"):
        proposal.close(by=manager_a, on=date(2026, 1, 5))
    assert Proposal.objects.get(pk=proposal.pk).decision == ""
    with pytest.raises(ValidationError, match="person"):
        proposal.close(by=None, on=date(2026, 1, 5))
    action_a.cancel(by=manager_a, reason="Replaced by the digital strategy")
    proposal.close(by=manager_a, on=date(2026, 1, 5), note="Committee agreed")
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.status, saved.decided_by, saved.decided_on) == (S.CLOSED, manager_a, date(2026, 1, 5))


def test_superseding_is_allowed_with_open_actions(action_a, manager_a):
    action_a.proposal.close(by=manager_a, on=date(2026, 1, 5), superseded=True)
    assert _status(action_a.proposal) == S.SUPERSEDED


def test_revising_a_due_date_keeps_the_original_and_the_reason(action_a, officer_a):
    original = action_a.due_on
    later = original + timedelta(days=60)
    action_a.revise_due_date(new_due_on=later, reason="Supplier delayed the upgrade", by=officer_a)
    action_a.revise_due_date(new_due_on=later + timedelta(days=30), reason="Board deferred", by=officer_a)
    saved = Action.objects.get(pk=action_a.pk)
    assert saved.original_due_on == original and saved.due_on == later + timedelta(days=30) and saved.was_revised
    assert [(r.previous_due_on, r.reason) for r in saved.revisions.all()] == [
        (original, "Supplier delayed the upgrade"), (later, "Board deferred")]


def test_a_revised_due_date_without_a_reason_changes_nothing(action_a, officer_a):
    before = action_a.due_on
    with pytest.raises(ValidationError) as caught:
        action_a.revise_due_date(new_due_on=before + timedelta(days=5), reason="  ", by=officer_a)
    assert "reason" in caught.value.message_dict
    assert Action.objects.get(pk=action_a.pk).due_on == before and not action_a.revisions.exists()


def test_the_due_date_cannot_be_edited_without_a_revision(action_a):
    action_a.due_on = action_a.due_on + timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        action_a.full_clean()
    assert "due_on" in caught.value.message_dict


def test_updates_are_kept_never_overwritten(action_a, officer_a):
    action_a.record_update(by=officer_a, progress=20, forecast=rag.Forecast.ON_TRACK, note="Scoped",
                           for_meeting_on=date(2026, 2, 1))
    action_a.record_update(by=officer_a, progress=35, forecast=rag.Forecast.AT_RISK, note="Supplier slow",
                           for_meeting_on=date(2026, 3, 1))
    updates = list(ActionUpdate.objects.filter(action=action_a).order_by("created_at", "pk"))
    assert [(u.progress, u.forecast, u.note) for u in updates] == [
        (20, "on_track", "Scoped"), (35, "at_risk", "Supplier slow")]
    saved = Action.objects.get(pk=action_a.pk)
    assert (saved.progress, saved.forecast) == (35, rag.Forecast.AT_RISK)


def test_an_update_out_of_range_changes_nothing(action_a, officer_a):
    with pytest.raises(ValidationError):
        action_a.record_update(by=officer_a, progress=150, forecast=rag.Forecast.ON_TRACK)
    assert not action_a.updates.exists() and Action.objects.get(pk=action_a.pk).progress == 0


def test_an_action_owner_outside_the_organisation_is_refused(proposal_a, officer_b):
    action = Action(proposal=proposal_a, description="Review the catalogue", owner=officer_b)
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert "owner" in caught.value.message_dict


def test_follow_up_links_show_both_ways(org_a, manager_a):
    assessment = SourceFactory(organisation=org_a, title="Improvement assessment 2015", issued_on=date(2015, 3, 1))
    review = SourceFactory(organisation=org_a, title="Follow-up review 2016", issued_on=date(2016, 5, 1))
    earlier = ProposalFactory(source=assessment, code="P2")
    later = ProposalFactory(source=review, code="P1")
    later.follows_up.add(earlier)
    assert list(later.follows_up.all()) == [earlier]
    assert list(earlier.followed_up_by.all()) == [later]
    problems = earlier.link_errors({"follows_up": [later]}, fields=["follows_up"])
    assert "follows_up" in problems  # the earlier review cannot follow up the later one


def test_follow_up_to_another_organisations_proposal_is_refused(proposal_a, org_b):
    foreign = ProposalFactory(source=SourceFactory(organisation=org_b, issued_on=date(2010, 1, 1)))
    assert "follows_up" in proposal_a.link_errors({"follows_up": [foreign]}, fields=["follows_up"])


def test_measurable_target_progress(proposal_a):
    action = ActionFactory(proposal=proposal_a, metric="Systems with a named owner", unit="%",
                           baseline=Decimal("40"), target=Decimal("100"), actual=Decimal("70"))
    assert action.target_progress == Decimal("0.50")
    action.metric = ""
    with pytest.raises(ValidationError):
        action.full_clean()


def test_a_target_without_a_measure_is_refused(proposal_a):
    with pytest.raises(ValidationError) as caught:
        Action(proposal=proposal_a, description="x", target=Decimal(5)).full_clean()
    assert "metric" in caught.value.message_dict


# -- RAG on its boundaries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "progress", "forecast", "expected"), [
    (-1, 90, "on_track", "red"),            # overdue
    (0, 90, "on_track", "amber"),           # due today is not overdue
    (0, 49, "on_track", "red"),             # under half done, less than a month
    (29, 49, "on_track", "red"),
    (29, 50, "on_track", "amber"),          # half done, less than a month
    (30, 49, "on_track", "green"),          # a month left exactly: not "less than a month"
    (30, 10, "at_risk", "amber"),
    (90, 10, "late", "red"),                # the owner says it will not finish on time
    (90, 10, "", "green"),
    (None, 10, "", "amber"),                # no due date
])
def test_rag_rule_boundaries(proposal_a, days_left, progress, forecast, expected):
    today = date.today()
    action = ActionFactory(proposal=proposal_a, progress=progress, forecast=forecast,
                           status=Action.Status.IN_PROGRESS,
                           due_on=None if days_left is None else today + timedelta(days=days_left))
    assert Action.objects.get(pk=action.pk).rag == expected
    proposal = Proposal.objects.rag_is(expected, today).get()
    assert proposal == proposal_a


def test_a_proposal_shows_its_worst_open_action(proposal_a, officer_a, manager_a):
    today = date.today()
    ActionFactory(proposal=proposal_a, due_on=today + timedelta(days=200))
    late = ActionFactory(proposal=proposal_a, due_on=today - timedelta(days=3))
    tracked = Proposal.objects.with_tracker(today).get(pk=proposal_a.pk)
    assert rag.NAME[tracked.rag_rank_db] == "red" and services.days_overdue(tracked, today) == 3
    assert list(Proposal.objects.overdue(today)) == [proposal_a]
    late.cancel(by=manager_a, reason="Not needed")
    tracked = Proposal.objects.with_tracker(today).get(pk=proposal_a.pk)
    assert rag.NAME[tracked.rag_rank_db] == "green" and services.days_overdue(tracked, today) == 0


# -- the overdue check -----------------------------------------------------------------------------------------


def test_overdue_check_tells_the_owner_once_then_the_proposal_owner(action_a, officer_a, manager_a):
    Action.objects.filter(pk=action_a.pk).update(due_on=date.today() - timedelta(days=1))
    today = date.today()
    assert services.run_overdue_action_check(organisation=None, today=today) == 1
    assert services.run_overdue_action_check(organisation=None, today=today) == 0
    assert Notification.objects.filter(recipient=officer_a).count() == 1
    assert services.run_overdue_action_check(organisation=None, today=today + timedelta(days=20)) == 1
    assert Notification.objects.filter(recipient=manager_a).count() == 1
    overdue = services.overdue_actions(Action.objects.all(), today=today)
    assert [(a, a.owner) for a in overdue] == [(action_a, officer_a)]


def test_update_requests_go_once_per_meeting(action_a, officer_a):
    meeting = date.today() + timedelta(days=7)
    assert services.request_updates(actions=Action.objects.all(), meeting_on=meeting) == 1
    assert services.request_updates(actions=Action.objects.all(), meeting_on=meeting) == 0


# -- evidence --------------------------------------------------------------------------------------------------


def test_evidence_type_is_judged_by_content_not_name(action_a, officer_a):
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03 not a pdf at all", content_type="application/pdf")
    evidence = Evidence(action=action_a, title="Report", file=disguised, added_by=officer_a)
    with pytest.raises(ValidationError) as caught:
        evidence.full_clean()
    assert "file" in caught.value.message_dict
    html = SimpleUploadedFile("notes.txt", b"<html><script>alert(1)</script></html>", content_type="text/plain")
    with pytest.raises(ValidationError):
        Evidence(action=action_a, title="Notes", file=html).full_clean()
    good = Evidence(action=action_a, title="Report", file=pdf("board-minutes.exe"), added_by=officer_a)
    good.full_clean()
    good.save()
    assert good.content_type == "application/pdf" and good.file.name.endswith(".pdf")
    assert good.file_name == "board-minutes.exe" and good.file_size > 0


def test_evidence_over_the_size_limit_is_refused(action_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="largest"):
        Evidence(action=action_a, title="Big", file=pdf(size=1001)).full_clean()
    Evidence(action=action_a, title="Small", file=pdf(size=1000)).full_clean()
    assert not Evidence.objects.exists()


def test_evidence_needs_a_file_or_a_link(action_a):
    with pytest.raises(ValidationError):
        Evidence(action=action_a, title="Nothing").full_clean()


def test_office_and_text_files_are_recognised(action_a):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    docx = SimpleUploadedFile("plan.docx", buffer.getvalue())
    evidence = Evidence(action=action_a, title="Plan", file=docx)
    evidence.full_clean()
    assert evidence.content_type.endswith("wordprocessingml.document")
    csv = Evidence(action=action_a, title="Figures", file=SimpleUploadedFile("f.csv", "a,b\n1,£2\n".encode()))
    csv.full_clean()
    assert csv.content_type == "text/csv"


def test_an_officer_in_another_role_is_still_not_an_owner_elsewhere(org_b, proposal_a):
    outsider = member(org_b, Membership.Role.MANAGER, "outsider")
    with pytest.raises(ValidationError):
        Action(proposal=proposal_a, description="x", owner=outsider).full_clean()


def test_a_proposal_links_only_its_organisations_slas(proposal_a, org_a, org_b):
    from slas.models import Agreement
    from tests.factories import OrganisationFactory

    provider = OrganisationFactory(name="Shared Resource Service", slug="srs")
    ours = Agreement.objects.create(provider=provider, client=org_a, title="SRS to Monmouthshire", reference="A1")
    theirs = Agreement.objects.create(provider=provider, client=org_b, title="SRS to Newport", reference="B1")
    assert not proposal_a.link_errors({"agreements": [ours]}, fields=["agreements"])
    assert "agreements" in proposal_a.link_errors({"agreements": [theirs]}, fields=["agreements"])
