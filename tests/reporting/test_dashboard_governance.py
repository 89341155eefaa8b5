"""The dashboard and the pack beyond the registers: SLA performance and open breaches, audit proposals by RAG,
and board members' conflicts of interest, each from its app's own rule, in a fixed number of queries and
only for the organisation whose dashboard it is."""

import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import BoardMember, DeclaredInterest
from govtrack.models import Organisation, Partnership, PartnershipMembership
from reporting import dashboard, packs
from reporting.models import BoardPack
from slas import services as slas
from slas.models import Agreement, Measurement, ServiceLine
from systems_catalogue.models import Supplier, System
from tests.boards.factories import BoardFactory
from tests.factories import OrganisationFactory
from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)
_n = itertools.count()


@pytest.fixture
def provider(org_a, org_b):
    srs = OrganisationFactory(name="Shared Resource Service", slug="srs", kind=Organisation.Kind.PROVIDER)
    partnership = Partnership.objects.create(name="SRS", slug="srs-p", provider=srs)
    for org in (org_a, org_b):
        PartnershipMembership.objects.create(partnership=partnership, organisation=org, joined_on=date(2015, 4, 1))
    return srs


def _agreement(client, provider, *, status=Agreement.Status.AGREED):
    n = next(_n)
    agreement = Agreement.objects.create(title=f"SLA {n}", reference=f"SLA-{n}", provider=provider, client=client,
                                         status=status,
                                         effective_from=date(2020, 4, 1))
    line = ServiceLine.objects.create(agreement=agreement, service="Network", metric="Availability", unit="%",
                                      target="99.5", direction=ServiceLine.Direction.HIGHER)
    return agreement, line


def _fill(org, provider, owner, n):
    """n of each: an agreed SLA with a missed and a met month, a red proposal, a board member's conflict."""
    for _ in range(n):
        _agreement_, line = _agreement(org, provider)
        previous = (MONTH - timedelta(days=1)).replace(day=1)
        Measurement.objects.create(service_line=line, period=previous, actual="98")  # missed
        Measurement.objects.create(service_line=line, period=MONTH, actual="99.9")  # met
        slas.derive_breaches(lines=[line.pk])
        proposal = ProposalFactory(source=SourceFactory(organisation=org), owner=owner)
        ActionFactory(proposal=proposal, owner=owner, due_on=TODAY - timedelta(days=5))
        supplier = Supplier.objects.create(organisation=org, name=f"Supplier {next(_n)} Ltd")
        System.objects.create(organisation=org, name=f"Built by {supplier.name}", supplier=supplier)
        seat = BoardMember.objects.create(board=BoardFactory(organisation=org), name=f"Councillor {next(_n)}")
        DeclaredInterest.objects.create(member=seat, company=supplier.name)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_dashboard_shows_slas_proposals_and_conflicts_in_the_same_queries_however_many(
        login, org_a, provider, officer_a, viewer_a):
    client = login(viewer_a)
    url = reverse("reporting:dashboard", args=[org_a.slug])
    _fill(org_a, provider, officer_a, 1)
    _queries(client, url)  # the first request fills the session's and the matrix's caches
    small, _ = _queries(client, url)
    _fill(org_a, provider, officer_a, 6)
    large, response = _queries(client, url)
    assert small == large, (small, large)
    board = response.context["board"]
    assert board.totals["open_breaches"] == 7 and len(board.open_breaches) == 7
    assert [(m["measured"], m["met"]) for m in board.sla_months][-2:] == [(7, 0), (7, 7)]
    assert dict((name, n) for name, _label, n in board.proposal_rag)["red"] == 7
    assert board.totals["red_proposals"] == 7 and len(board.red_proposals) == 7
    assert len(board.conflicts) == 7
    page = response.content.decode()
    for heading in ("SLA performance", "Open breaches", "Audit proposals by RAG", "Conflicts of interest"):
        assert heading in page, heading
    assert reverse("slas:breach_list", args=[org_a.slug]) in page
    assert f"?organisation={org_a.slug}&amp;rag=red" in page


def test_another_organisations_slas_proposals_and_conflicts_stay_out(login, org_a, org_b, provider, officer_a,
                                                                     manager_b):
    _fill(org_a, provider, officer_a, 2)
    _agreement(org_b, provider, status=Agreement.Status.DRAFT)
    page = login(manager_b).get(reverse("reporting:dashboard", args=[org_b.slug]))
    board = page.context["board"]
    assert board.totals["open_breaches"] == 0 and board.totals["red_proposals"] == 0 and not board.conflicts
    assert board.totals["unagreed_slas"] == 1
    assert "Councillor" not in page.content.decode() and "Supplier" not in page.content.decode()
    assert "1 SLA is not agreed yet" in page.content.decode()
    # A pack has no reader to scope by: the organisation alone decides what it holds.
    pack_board = dashboard.organisation_dashboard(organisation=org_b, today=TODAY)
    assert pack_board.totals["open_breaches"] == 0 and not pack_board.conflicts and not pack_board.red_proposals


def test_the_pack_carries_the_same_figures(org_a, provider, officer_a, manager_a):
    _fill(org_a, provider, officer_a, 2)
    pack = BoardPack(organisation=org_a, meeting_date=TODAY, since=TODAY - timedelta(days=30), requested_by=manager_a)
    html = packs.pack_html(pack=pack)
    assert "2 SLA breaches are open." in html and "2 audit proposals are red." in html
    assert "2 conflicts of interest are declared." in html
    for heading in ("SLA performance", "Audit proposals by RAG", "Conflicts of interest"):
        assert heading in html
    board = dashboard.organisation_dashboard(organisation=org_a, today=TODAY, since=TODAY - timedelta(days=30))
    assert board.totals["open_breaches"] == 2 and len(board.conflicts) == 2
