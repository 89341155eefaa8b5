"""The board's dashboard: every section, every number linking to its records, a fixed number of queries."""

import itertools
import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govtrack.models import Membership
from registers import services as registers
from registers.models import Risk, RiskAction, RiskCategory
from reporting import dashboard, services
from systems_catalogue.models import System
from tests.factories import OrganisationFactory, PartnershipFactory, PartnershipMembershipFactory, member
from tests.registers.factories import RiskActionFactory, RiskFactory
from tests.systems_catalogue.factories import ContractFactory

TODAY = timezone.localdate()
_names = itertools.count()


def _fill(org, project, owner, n):
    """n risks of every kind the dashboard shows: overdue, escalated, with overdue actions and contracts."""
    for i in range(n):
        risk = RiskFactory(register=project, current_likelihood=1 + i % 5, current_impact=1 + (i * 2) % 5,
                           officer_owner=owner, review_date=TODAY - timedelta(days=i + 1))
        RiskActionFactory(risk=risk, owner=owner, due_on=TODAY - timedelta(days=3))
        if i % 3 == 0:
            registers.propose_escalation(risk=risk, by=None, reason="threshold")
        system = System.objects.create(organisation=org, name=f"System {next(_names)}", owner=owner,
                                       criticality=System.Criticality.CRITICAL)
        ContractFactory(system=system, end_on=TODAY + timedelta(days=100 + i), notice_period_days=120)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_dashboard_runs_the_same_number_of_queries_for_few_or_many_records(login, org_a, project, project_owner,
                                                                           viewer_a):
    client = login(viewer_a)
    url = reverse("reporting:dashboard", args=[org_a.slug])
    _fill(org_a, project, project_owner, 3)
    small, _ = _queries(client, url)
    _fill(org_a, project, project_owner, 30)
    large, response = _queries(client, url)
    assert small == large, (small, large)
    assert large <= 45
    print(f"dashboard: {large} queries, {len(response.content)} bytes")
    board = response.context["board"]
    assert board.totals["overdue_reviews"] == 33 and len(board.overdue_reviews) == dashboard.SAMPLE


def test_figures_asked_together_agree_with_the_lists_and_gaps_behind_them(login, org_a, project, project_owner,
                                                                         viewer_a, matrix_a):
    _fill(org_a, project, project_owner, 14)
    technology = RiskCategory.objects.create(matrix=matrix_a, name="Technology", appetite=6)
    for n in range(4):
        risk = RiskFactory(register=project, current_likelihood=3, current_impact=3 + n % 2, category=technology)
        if n == 0:
            RiskActionFactory(risk=risk, owner=project_owner, status=RiskAction.Status.OPEN)
    since = dashboard.default_since(TODAY)
    board = login(viewer_a).get(reverse("reporting:dashboard", args=[org_a.slug])).context["board"]
    gaps = services.governance_gaps(organisation=org_a, today=TODAY, limit=dashboard.SAMPLE)
    assert board.gaps.totals == gaps.totals and board.gaps.totals["above_appetite_without_action"] == 3
    assert board.gaps.overdue_reviews == gaps.overdue_reviews
    queries = dashboard.section_querysets(organisation=org_a, today=TODAY, since=since, user=viewer_a)
    for name in ("overdue_reviews", "contracts_ending", "notice_passed"):
        assert board.totals[name] == queries[name].count() > 0, name
        assert getattr(board, name) == list(queries[name][:dashboard.SAMPLE]), name
    assert sum(board.heat_counts.values()) == Risk.objects.open().filter(organisation=org_a).count()


def test_dashboard_shows_every_section(login, org_a, project, project_owner, viewer_a):
    _fill(org_a, project, project_owner, 4)
    page = login(viewer_a).get(reverse("reporting:dashboard", args=[org_a.slug])).content.decode()
    for heading in ("Key figures", "Risk heat map", "Top risks", "Escalations waiting for a decision",
                    "What changed since", "Overdue reviews and actions", "Contracts", "Catalogue completeness",
                    "Governance gaps"):
        assert heading in page, heading
    assert "Actions past their due date" in page
    assert (project_owner.get_full_name() or project_owner.username) in page


def test_every_number_on_the_dashboard_links_to_the_records_behind_it(login, org_a, project, project_owner,
                                                                      viewer_a):
    _fill(org_a, project, project_owner, 4)
    client = login(viewer_a)
    page = client.get(reverse("reporting:dashboard", args=[org_a.slug])).content.decode()
    summary = re.search(r'<table class="govuk-table" id="summary-figures">.*?</table>', page, re.S).group(0)
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>', summary, re.S)
    assert cells and all(cell.startswith('<a class="govuk-link" href="') for cell in cells)
    # Follow each figure: the list behind it holds as many records as the figure says.
    for link, number in re.findall(r'href="(/reporting/[^"#]+)">(\d+)</a>', summary):
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        if "paginator" in response.context:
            assert response.context["paginator"].count == int(number), link


def test_heat_map_cells_link_to_the_organisations_risks_in_that_cell(login, org_a, project, make_risk, viewer_a):
    make_risk(4, 3, title="Four by three")
    make_risk(1, 1, title="One by one")
    client = login(viewer_a)
    page = client.get(reverse("reporting:dashboard", args=[org_a.slug])).content.decode()
    url = reverse("reporting:risk_list", args=[org_a.slug])
    assert f'href="{url}?likelihood=4&amp;impact=3">1</a>' in page
    listed = client.get(url, {"likelihood": 4, "impact": 3}).content.decode()
    assert "Four by three" in listed and "One by one" not in listed


def test_movement_lists_which_risks_moved_since_the_chosen_date(login, org_a, make_risk, viewer_a, officer_a):
    risk = make_risk(2, 2, title="Rising supplier risk")
    risk.record_review(by=officer_a, reviewed_on=TODAY - timedelta(days=30), current_likelihood=1, current_impact=2)
    risk.record_review(by=officer_a, reviewed_on=TODAY, current_likelihood=4, current_impact=4)
    Risk.objects.filter(pk=risk.pk).update(created_at=timezone.now() - timedelta(days=60))  # on the register then
    url = reverse("reporting:dashboard", args=[org_a.slug])
    response = login(viewer_a).get(url, {"since": (TODAY - timedelta(days=10)).isoformat()})
    movement = response.context["board"].movement
    assert movement.up == [risk] and (movement.up[0].then_score, movement.up[0].now_score) == (2, 16)
    assert "Rising supplier risk" in response.content.decode()


def test_a_bad_date_is_explained_not_a_server_error(login, org_a, viewer_a):
    client = login(viewer_a)
    url = reverse("reporting:dashboard", args=[org_a.slug])
    for bad in ("2026-02-31", "yesterday"):
        response = client.get(url, {"since": bad})
        assert response.status_code == 200 and "There is a problem" in response.content.decode(), bad
    assert client.get(reverse("reporting:risk_list", args=[org_a.slug]), {"likelihood": "x"}).status_code == 400
    assert client.get(reverse("reporting:records", args=[org_a.slug, "nothing"])).status_code == 404


def test_another_organisations_dashboard_is_not_found(login, org_a, officer_b, make_risk):
    make_risk(title="Private to A")
    client = login(officer_b)
    for name, args in (("dashboard", [org_a.slug]), ("risk_list", [org_a.slug]),
                       ("records", [org_a.slug, "overdue_reviews"])):
        assert client.get(reverse(f"reporting:{name}", args=args)).status_code == 404


def test_records_page_pages_through_a_long_list(login, org_a, project, make_risk, viewer_a):
    for n in range(55):
        make_risk(reference=f"L-{n:02d}", review_date=TODAY - timedelta(days=n + 1))
    client = login(viewer_a)
    url = reverse("reporting:records", args=[org_a.slug, "overdue_reviews"])
    first = client.get(url)
    assert first.context["paginator"].count == 55 and len(first.context["object_list"]) == 50
    assert len(client.get(url, {"page": 2}).context["object_list"]) == 5


def test_partnership_dashboard_shows_only_the_partners_this_person_may_see(login, org_a, org_b, make_risk,
                                                                           viewer_a):
    srs = PartnershipFactory(name="Shared Resource Service", slug="srs")
    for org in (org_a, org_b):
        PartnershipMembershipFactory(partnership=srs, organisation=org, joined_on=date(2020, 1, 1))
    make_risk(title="A's risk")
    response = login(viewer_a).get(reverse("reporting:partnership_dashboard", args=["srs"]))
    assert response.status_code == 200
    rows = response.context["board"].rows
    assert [r.organisation for r in rows] == [org_a] and rows[0].open_risks == 1
    assert response.context["board"].hidden == 1 and org_b.name not in response.content.decode()


def test_partnership_dashboard_is_not_found_for_outsiders(login, org_b):
    srs = PartnershipFactory(name="Shared Resource Service", slug="srs")
    PartnershipMembershipFactory(partnership=srs, organisation=org_b, joined_on=date(2020, 1, 1))
    outsider = member(OrganisationFactory(name="Cardiff Council", slug="cardiff"), Membership.Role.MANAGER, "outsider")
    assert login(outsider).get(reverse("reporting:partnership_dashboard", args=["srs"])).status_code == 404


def test_closed_risks_are_listed_as_closed_not_counted_as_open(org_a, make_risk):
    closed = make_risk(title="Done with")
    closed.status = Risk.Status.CLOSED
    closed.save()
    board = dashboard.organisation_dashboard(organisation=org_a, today=TODAY, since=TODAY - timedelta(days=1))
    assert board.open_risks == 0 and board.movement.closed == [closed]
