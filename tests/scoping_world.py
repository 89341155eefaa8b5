"""Two organisations with one record of every kind, for the generated isolation tests.

Organisation A and organisation B are not partners. Each has directorates, suppliers, systems
with a contract, a comment and an integration, a risk matrix with a category, a corporate,
directorate and project register, a risk linked to a system, an action and a proposed
escalation. A new model joins by adding its record here (``World.records``); the isolation
tests fail with a message naming any writable field whose model has no record here. A notice to
the officer and a run of a scheduled check are kept apart (``Side.notice``, ``Side.check_run``):
they belong to a person or a schedule, and no form or serializer links them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting, MembershipReview, Paper
from govtrack import services
from govtrack.models import (
    CheckRun,
    Directorate,
    Membership,
    Notification,
    Organisation,
    Partnership,
    PartnershipMembership,
)
from proposals.models import Action, Benefit, BusinessCase, Evidence, Proposal, Source
from registers.models import Escalation, Register, Risk, RiskAction, RiskCategory, RiskMatrix, RiskReview
from reporting.models import BoardPack
from slas import services as sla_services
from slas.models import Agreement, Breach, ServiceLine
from systems_catalogue.models import Contract, Integration, OwnerComment, Supplier, System
from tests.factories import member
from webhooks.models import Delivery, Endpoint


@dataclass
class Side:
    """One organisation's people and records."""

    organisation: Organisation
    officer: object
    manager: object
    records: dict[type, object] = field(default_factory=dict)

    def record(self, model: type):
        return self.records.get(model)


def _side(slug: str, name: str) -> Side:
    organisation = Organisation.objects.create(name=name, slug=slug, short_name=name.split()[0])
    officer = member(organisation, Membership.Role.OFFICER, f"{slug}-officer")
    manager = member(organisation, Membership.Role.MANAGER, f"{slug}-manager")
    directorate = Directorate.objects.create(organisation=organisation, name=f"{name} Resources",
                                             slug="resources")
    supplier = Supplier.objects.create(organisation=organisation, name=f"{name} Supplier Ltd")
    system = System.objects.create(organisation=organisation, name=f"{name} Casebook", owner=officer,
                                   directorate=directorate, supplier=supplier,
                                   criticality=System.Criticality.CRITICAL)
    other_system = System.objects.create(organisation=organisation, name=f"{name} Ledger", owner=officer)
    contract = Contract.objects.create(system=system, supplier=supplier, reference=f"{slug.upper()}-C1",
                                       title=f"{name} Casebook licence")
    comment = OwnerComment.objects.create(system=system, author=officer, text=f"{name} comment")
    integration = Integration.objects.create(source=system, target=other_system, description="nightly file")
    matrix = RiskMatrix.for_organisation(organisation)
    category = RiskCategory.objects.create(matrix=matrix, name=f"{name} Technology", appetite=8)
    corporate = Register.objects.create(organisation=organisation, name=f"{name} Corporate", slug="corporate",
                                        level=Register.Level.CORPORATE, owner=manager)
    directorate_register = Register.objects.create(
        organisation=organisation, name=f"{name} Resources register", slug="resources",
        level=Register.Level.DIRECTORATE, parent=corporate, directorate=directorate, owner=officer,
        escalation_threshold=15,
    )
    project = Register.objects.create(organisation=organisation, name=f"{name} Casebook project", slug="casebook",
                                      level=Register.Level.PROJECT, parent=directorate_register, owner=officer,
                                      escalation_threshold=12)
    risk = Risk.objects.create(organisation=organisation, register=project, reference=f"{slug.upper()}-R1",
                               title=f"{name} supplier failure", category=category, officer_owner=officer,
                               inherent_likelihood=4, inherent_impact=4, current_likelihood=4, current_impact=4)
    risk.systems.add(system)
    action = RiskAction.objects.create(risk=risk, description=f"{name} exit plan", owner=officer)
    review = RiskReview.objects.create(risk=risk, reviewed_on=date(2026, 1, 5), reviewed_by=officer,
                                       inherent_likelihood=4, inherent_impact=4, current_likelihood=4,
                                       current_impact=4, next_review_on=date(2026, 4, 5), note=f"{name} review")
    escalation = Escalation.objects.create(risk=risk, from_register=project, to_register=directorate_register,
                                           reason="Threshold reached", score=16)
    source = Source.objects.create(organisation=organisation, issuer="Wales Audit Office", issued_on=date(2016, 5, 1),
                                   title=f"{name} IT follow-up review")
    proposal = Proposal.objects.create(source=source, code="P1", text=f"{name} should keep a systems register",
                                       owner=manager, theme="Governance")
    proposal.risks.add(risk)
    proposal.systems.add(system)
    proposal_action = Action.objects.create(proposal=proposal, description=f"{name} completes the catalogue",
                                            owner=officer, due_on=date(2027, 3, 31))
    evidence = Evidence.objects.create(action=proposal_action, title=f"{name} catalogue report",
                                       url="https://example.org/catalogue", added_by=officer)
    business_case = BusinessCase.objects.create(organisation=organisation, title=f"{name} Casebook replacement",
                                                system=system, owner=officer)
    benefit = Benefit.objects.create(business_case=business_case, description=f"{name} fewer paper files",
                                     target=100)
    agreement, line, measurement, breach = _agreement(organisation, name, slug, officer, corporate, risk)
    pack = BoardPack.objects.create(organisation=organisation, title=f"{name} board pack", requested_by=officer,
                                    meeting_date=date(2026, 3, 1), since=date(2026, 1, 1))
    endpoint = Endpoint.objects.create(organisation=organisation, name=f"{name} service desk hook",
                                       url="https://93.184.215.14/hook", events=["breach.recorded"])
    delivery = Delivery.objects.create(endpoint=endpoint, event="breach.recorded", payload={"id": 1})
    proposal.agreements.add(agreement)
    side = Side(organisation=organisation, officer=officer, manager=manager)
    boards = _boards(organisation, name, officer, supplier)
    for record in (organisation, directorate, supplier, system, contract, comment, integration, matrix, category,
                   directorate_register, risk, action, review, escalation, agreement, line, measurement, breach, source,
                   proposal, proposal_action, evidence, business_case, benefit, endpoint, delivery, *boards, pack):
        side.records[type(record)] = record
    side.records[get_user_model()] = officer
    side.corporate, side.project, side.other_system = corporate, project, other_system
    side.notice = Notification.objects.create(recipient=officer, organisation=organisation, kind="general",
                                              key=f"{slug}-welcome", subject=f"{name} escalation proposed")
    side.check_run = CheckRun.objects.create(name="escalation_check", organisation=organisation, created=1)
    return side


def _agreement(organisation, name, slug, officer, register, risk):
    """The organisation's draft SLA with its own shared service provider, one line, one missed figure."""
    provider = Organisation.objects.create(name=f"{name} Shared IT", slug=f"{slug}-provider",
                                           kind=Organisation.Kind.PROVIDER)
    partnership = Partnership.objects.create(name=f"{name} IT partnership", slug=f"{slug}-partnership",
                                             provider=provider)
    PartnershipMembership.objects.create(partnership=partnership, organisation=organisation,
                                         joined_on=date(2020, 4, 1))
    agreement = Agreement.objects.create(title=f"{name} IT service SLA", reference=f"{slug.upper()}-SLA",
                                         provider=provider, client=organisation, owner=officer, created_by=officer,
                                         effective_from=date(2024, 4, 1), risk_register=register,
                                         annual_charge=100000, users=1000)
    agreement.risks.add(risk)
    line = ServiceLine.objects.create(agreement=agreement, service=f"{name} service desk",
                                      metric="P1 incidents resolved within 4 hours", target=95,
                                      direction=ServiceLine.Direction.HIGHER)
    measurement, _created = sla_services.submit_measurement(service_line=line, period=date(2025, 1, 1),
                                                             actual=90, by=officer)
    return agreement, line, measurement, Breach.objects.get(measurement=measurement)


def _boards(organisation, name, officer, supplier) -> list:
    """A board with a member who declared an interest in the supplier, a review, and a meeting that decided."""
    board = Board.objects.create(organisation=organisation, name=f"{name} Digital Board", slug="digital-board",
                                 secretary=officer)
    seat = BoardMember.objects.create(board=board, person=officer, role=BoardMember.Role.OFFICER)
    interest = DeclaredInterest.objects.create(member=seat, supplier=supplier, company=str(supplier))
    review = MembershipReview.objects.create(board=board, reviewed_by=officer, next_due_on="2030-01-01")
    meeting = Meeting.objects.create(board=board, held_on="2026-01-15", title=f"{name} board meeting")
    item = AgendaItem.objects.create(meeting=meeting, number="1", title=f"{name} digital strategy")
    paper = Paper.objects.create(meeting=meeting, agenda_item=item, title=f"{name} strategy paper",
                                 url="https://example.gov.uk/strategy.pdf")
    decision = Decision.objects.create(meeting=meeting, agenda_item=item, title=f"{name} adopts the strategy",
                                       owner=officer)
    return [board, seat, interest, review, meeting, item, paper, decision]


@dataclass
class World:
    a: Side
    b: Side
    #: A manager of A who is also a viewer in B: B's records are visible to them, never linkable from A's.
    viewer_in_b: object
    #: A partner's service account of A (officer role) and its token.
    service_account: object
    token: str


def build_world() -> World:
    a = _side("org-a", "Monmouthshire County Council")
    b = _side("org-b", "Newport City Council")
    both = member(a.organisation, Membership.Role.MANAGER, "a-manager-b-viewer")
    Membership.objects.create(user=both, organisation=b.organisation, role=Membership.Role.VIEWER)
    account, token = services.create_service_account(organisation=a.organisation, name="A feed",
                                                      role=Membership.Role.OFFICER, by=a.manager)
    return World(a=a, b=b, viewer_in_b=both, service_account=account, token=token)
