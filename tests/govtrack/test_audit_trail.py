"""The audit trail reads like a record: dates and money as the page writes them, numbers without stored
zeros, links added and removed ("Added capability: Case management") wherever they were made, a long
history folded after its ten latest changes, and the whole history a page at a time."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from boards.models import Decision
from govtrack import audit
from govtrack.imports import import_file
from proposals.models import Proposal
from registers.models import Risk
from systems_catalogue.models import Contract, System
from tests.boards.factories import BoardFactory, DecisionFactory, MeetingFactory
from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory
from tests.registers.factories import RiskFactory
from tests.systems_catalogue.factories import CapabilityFactory, ContractFactory, OwnerCommentFactory, SystemFactory


def test_dates_and_money_read_as_on_the_page(org_a, officer_a):
    contract = ContractFactory(system=SystemFactory(organisation=org_a), start_on=date(2015, 6, 1),
                               annual_support_cost=Decimal("45000.00"))
    changes = {c.label: c.new for c in audit.history_for(contract)[0].changes}
    assert changes["Start"] == "1 Jun 2015"
    assert changes["Annual support cost (£)"] == "£45,000", changes


def test_a_long_history_folds_after_the_latest_ten(client, login, org_a, manager_a):
    system = SystemFactory(organisation=org_a, owner=manager_a)
    for n in range(14):
        system.purpose = f"Purpose {n}"
        system.save()
    page = login(manager_a).get(system.get_absolute_url()).content.decode()
    assert "5 earlier changes" in page  # 15 records: the creation and 14 edits
    history = page[page.index('id="history"'):]
    assert history.index("Purpose 13") < history.index("earlier changes") < history.index("Purpose 2")


def test_field_names_in_the_trail_are_labels(org_a):
    contract = ContractFactory(system=SystemFactory(organisation=org_a))
    labels = {c.label for c in audit.history_for(contract)[0].changes}
    assert not {f.name for f in Contract._meta.fields} & labels - {"reference"}


# -- links (many-to-many fields) ----------------------------------------------------------------------------


def _latest(record, **kwargs):
    entry = audit.history_for(record, **kwargs)[0]
    return entry, [(c.label, c.new) for c in entry.changes]


def test_every_link_of_a_record_with_a_trail_is_in_its_trail():
    """A many-to-many field added later to a model with history joins the trail, or this fails."""
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models() if hasattr(model, "history") and not model.__name__.startswith("Historical")
        for field in model._meta.local_many_to_many
        if field.name not in {f.name for f in model.history.model._history_m2m_fields}
    ]
    assert not missing, "follow these in HistoricalRecords(m2m_fields=...) or _history_m2m_fields: " + str(missing)


def test_capabilities_changed_on_the_edit_page_read_as_added_and_removed_in_one_entry(login, manager_a, org_a):
    system = SystemFactory(organisation=org_a, name="Flo", owner=manager_a)
    case, finance = CapabilityFactory(name="Case management"), CapabilityFactory(name="Finance")
    System.objects.get(pk=system.pk).capabilities.add(finance)
    before = system.history.count()
    client = login(manager_a)
    response = client.post(reverse("systems_catalogue:system_update", args=[system.pk]), {
        "name": "Flo", "purpose": "Adult social care", "owner": manager_a.pk, "lifecycle": "live",
        "capabilities": [case.pk], "version": System.objects.get(pk=system.pk).version})
    assert response.status_code == 302
    assert system.history.count() == before + 1  # the save and its links are one change, not three
    entry, changes = _latest(system)
    assert (entry.action, entry.who) == ("Changed", manager_a)
    assert changes == [("Purpose", "Adult social care"), ("Added capability", "Case management"),
                       ("Removed capability", "Finance")]
    page = client.get(system.get_absolute_url()).content.decode()
    trail = page[page.index('id="history"'):]
    assert "Added capability: Case management" in trail and "Removed capability: Finance" in trail


def test_links_changed_through_the_api_and_an_import_read_the_same(api_client, manager_a, org_a):
    from systems_catalogue.imports import SystemResource

    system = SystemFactory(organisation=org_a, name="Flo")
    CapabilityFactory(name="Case management", slug="case-management")
    CapabilityFactory(name="Workflow", slug="workflow")
    api_client.force_authenticate(manager_a)
    response = api_client.patch(f"/api/v1/systems/{system.pk}/", {"capabilities": ["case-management"]},
                                format="json")
    assert response.status_code == 200, response.json()
    entry, changes = _latest(system)
    assert entry.who == manager_a and changes == [("Added capability", "Case management")]
    outcome = import_file(resource_class=SystemResource, organisation=org_a, user=manager_a,
                          content=b"name,capabilities\nFlo,Case management;Workflow\n", filename="systems.csv",
                          dry_run=False)
    assert outcome.ok, outcome.errors
    entry, changes = _latest(system)
    assert entry.who == manager_a and changes == [("Added capability", "Workflow")]


def test_a_link_made_from_the_other_side_is_recorded_on_the_record_that_holds_it(org_a, manager_a):
    system = SystemFactory(organisation=org_a, name="Flo")
    case = CapabilityFactory(name="Case management")
    capability_rows = case.history.count()
    case._history_user = manager_a
    case.systems.add(system)
    assert _latest(system)[1] == [("Added capability", "Case management")]
    assert _latest(system)[0].who == manager_a
    case.systems.clear()
    assert _latest(system)[1] == [("Removed capability", "Case management")]
    assert case.history.count() == capability_rows


def test_a_risks_systems_and_a_decisions_proposals_and_actions_read_in_their_trails(login, officer_a, org_a):
    flo = SystemFactory(organisation=org_a, name="Flo")
    risk = RiskFactory(organisation=org_a, officer_owner=officer_a)
    Risk.objects.get(pk=risk.pk).systems.add(flo)
    assert _latest(risk)[1] == [("Added system", "Flo")]

    proposal = ProposalFactory(source=SourceFactory(organisation=org_a), code="P2", title="Board membership")
    action = ActionFactory(proposal=proposal, description="Review the Digital Board's membership")
    meeting = MeetingFactory(board=BoardFactory(organisation=org_a, secretary=officer_a))
    decision = DecisionFactory(meeting=meeting, reference="DB-05", title="Review the membership")
    client = login(officer_a)
    response = client.post(reverse("boards:decision_edit", args=[decision.pk]), {
        "reference": "DB-05", "title": "Review the membership", "status": "agreed", "proposals": [proposal.pk],
        "actions": [action.pk],
        "version": Decision.objects.get(pk=decision.pk).version})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry, changes = _latest(decision)
    assert entry.who == officer_a
    # Fields with a name of their own keep it: "Actions it concerns", not "Action".
    assert changes == [("Audit proposals it concerns", f"added {proposal}"),
                       ("Actions it concerns", f"added {action.description}")]
    page = client.get(meeting.get_absolute_url()).content.decode()
    trail = page[page.index('id="history"'):]
    assert "Decision DB-05" in trail and f"Audit proposals it concerns: added {proposal}" in trail


def test_adding_a_link_that_is_there_or_removing_one_that_is_not_records_nothing(org_a):
    system = SystemFactory(organisation=org_a, name="Flo")
    case, finance = CapabilityFactory(name="Case management"), CapabilityFactory(name="Finance")
    System.objects.get(pk=system.pk).capabilities.add(case)
    rows = system.history.count()
    System.objects.get(pk=system.pk).capabilities.add(case)
    System.objects.get(pk=system.pk).capabilities.remove(finance)
    System.objects.get(pk=system.pk).capabilities.set([case])
    assert system.history.count() == rows


def test_links_to_records_the_reader_may_not_see_are_counted_not_named(org_a, org_b, officer_a, officer_b):
    ours = SystemFactory(organisation=org_a, name="Flo")
    theirs = SystemFactory(organisation=org_b, name="Newport payroll")
    proposal = ProposalFactory(source=SourceFactory(organisation=org_a))
    Proposal.objects.get(pk=proposal.pk).systems.add(ours, theirs)  # as a partnership's proposal may
    assert _latest(proposal, user=officer_a)[1] == [("Added systems", "Flo, 1 that you may not see")]
    assert _latest(proposal, user=officer_b)[1] == [("Added systems", "Newport payroll, 1 that you may not see")]


def test_an_edit_refused_as_stale_names_the_links_changed_since(org_a, manager_a):
    system = SystemFactory(organisation=org_a, name="Flo")
    opened_at = System.objects.get(pk=system.pk).version
    other = System.objects.get(pk=system.pk)
    other.purpose = "Changed by someone else"
    other.save()
    other.capabilities.add(CapabilityFactory(name="Case management"))
    changes, _by = audit.describe_changes(system, since_version=opened_at)
    assert ("Added capability", "Case management") in [(c.label, c.new) for c in changes]


# -- the whole history ------------------------------------------------------------------------------------


def _edited(system, times: int, *, start: int = 0) -> None:
    for n in range(start, start + times):
        system.purpose = f"Purpose {n}"
        system.save()


def test_the_folded_trail_links_to_the_whole_history_which_pages_through_every_change(login, viewer_a, org_a):
    system = SystemFactory(organisation=org_a, name="Flo")
    ContractFactory(system=system, reference="MCC-ICT-001")
    _edited(system, 60)
    client = login(viewer_a)
    page = client.get(system.get_absolute_url()).content.decode()
    url = reverse("systems_catalogue:system_history", args=[system.pk])
    assert f'href="{url}"' in page and "See the whole history (62 changes)" in page
    first = client.get(url)
    assert first.status_code == 200
    entries = first.context["history"]
    assert len(entries) == 50 and first.context["paginator"].count == 62
    assert [(c.old, c.new) for c in entries[0].changes] == [("Purpose 58", "Purpose 59")]
    # The last entry of a page is compared with a row that is on the next page.
    assert [(c.old, c.new) for c in entries[-1].changes] == [("Purpose 9", "Purpose 10")]
    text = first.content.decode()
    assert "62 changes, newest first." in text and "Page 1 of 2" in text and "?page=2" in text
    rest = client.get(url, {"page": 2}).context["history"]
    assert len(rest) == 12 and rest[-1].action == "Created"
    assert "Contract MCC-ICT-001" in {e.record for e in rest}


@pytest.mark.parametrize("edits", [55, 130])
def test_a_page_of_the_whole_history_runs_a_constant_number_of_queries(login, viewer_a, org_a, edits,
                                                                      django_assert_num_queries):
    system = SystemFactory(organisation=org_a, name="Flo")
    _edited(system, edits)
    ContractFactory(system=system)
    OwnerCommentFactory(system=system)
    for _ in range(3):
        System.objects.get(pk=system.pk).capabilities.add(CapabilityFactory())
    url = reverse("systems_catalogue:system_history", args=[system.pk])
    client = login(viewer_a)
    client.get(url)  # warm the session and the person's roles
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        assert len(client.get(url).context["history"]) == 50


# Session, person and roles; the system; the count and the page's rows (one UNION each); then for each part
# of the trail on the page its rows (and the rows before them), the names of the records they mention, and
# for the system the links each row kept (one query per field). None of it grows with the history.
HISTORY_PAGE_QUERIES = 20


def test_another_organisations_whole_history_is_not_found(login, viewer_a, officer_b, org_a, org_b, client):
    ours, theirs = SystemFactory(organisation=org_a), SystemFactory(organisation=org_b)
    risk = RiskFactory(organisation=org_b)
    login(viewer_a)
    assert client.get(reverse("systems_catalogue:system_history", args=[ours.pk])).status_code == 200
    assert client.get(reverse("systems_catalogue:system_history", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("registers:risk_history", args=[risk.pk])).status_code == 404
    login(officer_b)
    assert client.get(reverse("systems_catalogue:system_history", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("systems_catalogue:system_history", args=[ours.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("systems_catalogue:system_history", args=[ours.pk])).status_code == 302
