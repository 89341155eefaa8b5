"""The escalation workflow: the threshold rule, the check, accept / reject / de-escalate, and notices."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govtrack.checks import run_checks
from govtrack.models import Notification
from registers import services
from registers.models import Escalation, Risk

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(("likelihood", "impact", "proposed"), [(2, 5, 0), (3, 4, 1), (4, 5, 1)])
def test_check_proposes_risks_at_or_above_the_threshold_only(make_risk, likelihood, impact, proposed):
    make_risk(likelihood, impact)  # the project threshold is 12
    assert services.run_escalation_check(organisation=None, today=TODAY) == proposed
    assert Escalation.objects.count() == proposed


def test_running_the_check_twice_creates_one_escalation(make_risk, org_a):
    risk = make_risk(4, 4)
    run_checks(names=["escalations"], organisation=org_a, today=TODAY)
    runs = run_checks(names=["escalations"], organisation=org_a, today=TODAY)
    assert runs[0].created == 0 and not runs[0].error
    assert list(Escalation.objects.values_list("risk", "status")) == [(risk.pk, Escalation.Status.PROPOSED)]


def test_proposed_escalation_notifies_the_parent_registers_owner_once(make_risk, officer_a, org_a):
    make_risk(4, 4)
    services.run_escalation_check(organisation=org_a, today=TODAY)
    services.run_escalation_check(organisation=org_a, today=TODAY)
    assert Notification.objects.filter(recipient=officer_a).count() == 1


def test_check_for_another_organisation_leaves_this_one_alone(make_risk, org_b):
    make_risk(5, 5)
    assert services.run_escalation_check(organisation=org_b, today=TODAY) == 0


def test_accepting_escalation_shows_the_same_risk_on_the_parent_register(make_risk, project, directorate_register,
                                                                          officer_a):
    risk = make_risk(4, 4)
    escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    assert list(Risk.objects.on_register(directorate_register)) == [risk]
    assert list(Risk.objects.on_register(project)) == [risk]
    assert Risk.objects.count() == 1
    escalation.refresh_from_db()
    assert escalation.decided_by == officer_a and escalation.decided_at is not None


def test_accepting_twice_is_an_error_and_changes_nothing(make_risk, officer_a, manager_a):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    stale = Escalation.objects.get(pk=escalation.pk)
    stale.status = Escalation.Status.PROPOSED  # as a second browser tab still shows it
    with pytest.raises(ValidationError):
        services.accept_escalation(escalation=stale, by=manager_a)
    escalation.refresh_from_db()
    assert escalation.decided_by == officer_a
    assert escalation.history.count() == 2


def test_rejecting_needs_a_reason_and_keeps_the_risk_off_the_parent(make_risk, directorate_register, officer_a):
    risk = make_risk(4, 4)
    escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    with pytest.raises(ValidationError):
        services.reject_escalation(escalation=escalation, by=officer_a, reason=" ")
    services.reject_escalation(escalation=escalation, by=officer_a, reason="Managed in the project")
    assert not Risk.objects.on_register(directorate_register).exists()
    assert escalation.decision_reason == "Managed in the project"


def test_a_rejected_risk_is_not_proposed_again_until_its_score_rises(make_risk, officer_a):
    risk = make_risk(3, 4)
    escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    services.reject_escalation(escalation=escalation, by=officer_a, reason="No")
    assert services.run_escalation_check(organisation=None, today=TODAY) == 0
    Risk.objects.filter(pk=risk.pk).update(current_likelihood=4)
    assert services.run_escalation_check(organisation=None, today=TODAY) == 1


def test_de_escalating_removes_the_risk_from_the_parent_and_keeps_the_record(make_risk, directorate_register,
                                                                              officer_a):
    risk = make_risk(4, 4)
    escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    services.de_escalate(escalation=escalation, by=officer_a, reason="Mitigated")
    assert not Risk.objects.on_register(directorate_register).exists()
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.DE_ESCALATED
    assert escalation.de_escalated_by == officer_a and escalation.de_escalation_reason == "Mitigated"


def test_an_accepted_risk_escalates_on_from_the_parent_at_the_parents_threshold(make_risk, corporate, officer_a):
    risk = make_risk(4, 4)  # 16: above the project's 12 and the directorate's 15
    escalation = services.propose_escalation(risk=risk, by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    assert services.run_escalation_check(organisation=None, today=TODAY) == 1
    upper = Escalation.objects.get(to_register=corporate)
    assert upper.from_register.slug == "sch"


def test_manual_escalation_of_a_risk_below_the_threshold(make_risk, project_owner):
    risk = make_risk(1, 2)
    escalation = services.propose_escalation(risk=risk, by=project_owner, reason="Supplier news")
    assert escalation.kind == Escalation.Kind.MANUAL and escalation.proposed_by == project_owner


def test_escalating_from_the_top_register_is_an_error(make_risk, corporate):
    risk = make_risk(5, 5, register=corporate)
    with pytest.raises(ValidationError):
        services.propose_escalation(risk=risk, by=None, reason="x")
    assert not Escalation.objects.exists()


# --- through the pages ---------------------------------------------------------------------------------------


def test_register_owner_accepts_from_the_inbox(login, make_risk, officer_a, directorate_register):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    client = login(officer_a)
    inbox = client.get(reverse("registers:escalation_inbox"))
    assert escalation.risk.title in inbox.content.decode()
    url = reverse("registers:escalation_decide", args=[escalation.pk, "accept"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACCEPTED
    page = client.get(directorate_register.get_absolute_url()).content.decode()
    assert escalation.risk.title in page and "Escalated in" in page


def test_accepting_an_already_accepted_escalation_shows_an_error(login, make_risk, officer_a):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    response = login(officer_a).post(reverse("registers:escalation_decide", args=[escalation.pk, "accept"]), {})
    assert response.status_code == 200
    assert "already accepted" in response.content.decode()


def test_people_other_than_the_parent_owner_or_a_manager_cannot_decide(login, make_risk, project_owner, viewer_a,
                                                                         officer_b, manager_a):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    url = reverse("registers:escalation_decide", args=[escalation.pk, "accept"])
    assert login(project_owner).post(url, {}).status_code == 403
    assert login(viewer_a).post(url, {}).status_code == 403
    assert login(officer_b).post(url, {}).status_code == 404
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.PROPOSED
    assert login(manager_a).post(url, {}).status_code == 302


def test_reject_without_reason_is_refused_on_the_page(login, make_risk, officer_a):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    response = login(officer_a).post(reverse("registers:escalation_decide", args=[escalation.pk, "reject"]),
                                     {"reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.PROPOSED


def test_risk_owner_escalates_by_hand(login, make_risk, project_owner, directorate_register):
    risk = make_risk(1, 1)
    response = login(project_owner).post(reverse("registers:risk_escalate", args=[risk.pk]), {"reason": "CMC2 news"})
    assert response.status_code == 302
    assert Escalation.objects.get(risk=risk).to_register == directorate_register


def test_a_managers_inbox_lists_decisions_on_registers_they_may_decide_but_do_not_own(
        login, make_risk, officer_a, manager_a, directorate_register):
    """Officer A owns the directorate register and accepted; manager A may decide there too and sees it."""
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="Threshold")
    services.accept_escalation(escalation=escalation, by=officer_a)
    inbox = login(manager_a).get(reverse("registers:escalation_inbox")).content.decode()
    assert escalation.risk.title in inbox and "has been decided yet" not in inbox


def test_the_checks_sql_rule_agrees_with_should_escalate(make_risk, project, directorate_register, corporate):
    """``escalations_due`` (SQL, the daily check) and ``should_escalate`` (a risk's page, the API) are one rule."""
    import random

    rng = random.Random(7)
    chain = [project, directorate_register, corporate]
    statuses = [None, *Escalation.Status.values]
    for n in range(150):
        start = rng.randrange(3)
        likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
        risk = make_risk(likelihood, impact, register=chain[start],
                         status=rng.choice([Risk.Status.OPEN] * 5 + [Risk.Status.CLOSED]), reference=f"EQ-{n}")
        for low in range(start, 2):
            for _step in range(rng.randint(0, 2)):
                status = rng.choice(statuses)
                if status is None:
                    continue
                if status in Escalation.OPEN_STATUSES and Escalation.objects.filter(
                        risk=risk, to_register=chain[low + 1], status__in=Escalation.OPEN_STATUSES).exists():
                    continue
                near = [None, *(likelihood * impact + d for d in (-1, 0, 1))]  # at, above and below the score
                Escalation.objects.create(risk=risk, from_register=chain[low], to_register=chain[low + 1],
                                          status=status, score=rng.choice(near))
    expected = {r.pk for r in Risk.objects.for_pages() if r.should_escalate()}
    found = {row[0] for row in services.escalations_due(Risk.objects.all())}
    assert 10 < len(expected) < 140  # the cases cover both answers
    assert found == expected
