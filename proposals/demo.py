"""Demo audit proposals: what the auditors and reviewers asked, with the responses and the actions taken.

- Wales Audit Office, 2015 Corporate Assessment and 2016 follow-up review of IT at Monmouthshire (P1-P5),
  with plausible actions, updates, a revised date and evidence; P1-P5 follow up the 2015 findings.
- Wales Audit Office, 2012 national report on the use of technology by Welsh councils: recommendations 1-6.
- Herefordshire Council, 2007 cabinet response to the scrutiny review of ICT: recommendations (a)-(m),
  each with its response.
- Audit Wales, 2022 follow-up review of the SRS: its key areas for development, belonging to the partnership,
  following up the 2015 review of the SRS.
- Monmouthshire's iCounty Business Plan 2016-2019 with measurable actions (P1), shared with the partnership,
  and a business case with its benefits (2012 recommendations 4 and 5).

Idempotent: records are found by their natural keys; updates and revisions are added only where there are none.

The trail keeps the story's dates: a source and its proposals are recorded on the day it was issued,
an action a year before it fell due, its revision, updates and sign-off in that order after it,
and links to records of later years (risks assessed this year) on the day the later one appeared.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from govtrack.demo import ensure, happened, link
from govtrack.models import Organisation, Partnership
from proposals.models import Action, Benefit, BusinessCase, Evidence, Proposal, Source
from registers.models import Risk
from slas.models import Agreement
from systems_catalogue.models import System

WAO = "Wales Audit Office"

# code, title, text, priority, theme, response, response text, owner, [risks], [systems]
P_2016 = [
    ("P1", "Measurable iCounty business plan",
     "Review and revise the iCounty Business Plan for 2016-2019 by setting out clear and measurable actions to "
     "enable senior managers and members to effectively monitor and manage progress of its implementation.",
     "important", "Strategy and planning", "accepted",
     "The business plan will be revised with SMART actions, owners and timescales and reported to the Digital "
     "Programme Board and the select committee.", "digital.manager", [], []),
    ("P2", "Digital Board membership and conflicts of interest",
     "Review membership of the Digital Board following changes in software provider to ensure no conflicts of "
     "interest.", "fundamental", "Governance", "accepted",
     "Membership will be reviewed and every member asked to declare interests annually.", "digital.manager", [], []),
    ("P3", "Commercial grade SLAs with SRS",
     "Negotiate and agree commercial grade Service Level Agreements with SRS in advance of new organisations "
     "joining the partnership to support sound governance, and to enable the Council to measure service delivery, "
     "and assure itself that its IT needs continue to be met.", "fundamental", "Shared service", "accepted",
     "SLAs will be agreed with SRS before Blaenau Gwent and Newport join.", "digital.manager", [], []),
    ("P4", "Complete database of systems",
     "Complete the database of systems used by the Council, identifying information such as contract details, "
     "costs, and the comments of the system owners, to support the Council in its strategic management of IT "
     "resources.", "important", "Systems", "accepted",
     "The applications catalogue will be completed with contracts, costs and owners' comments.", "digital.manager",
     [], ["Flo"]),
    ("P5", "Consistent risk management and escalation",
     "Review the Council's risk management arrangements to assure itself it manages risks consistently across "
     "directorates and identifies, escalates, and addresses risks in a timely and appropriate way.",
     "fundamental", "Risk management", "accepted",
     "A Social Care and Health directorate register will be set up and escalation rules applied to every register.",
     "risk.officer", ["FLO-03", "FLO-04"], ["Flo"]),
]

# proposal code, description, owner, due (days from today), progress, forecast, metric, unit, baseline, target,
# actual, status, revision (days, reason) or None, evidence title or ""
A_2016 = [
    ("P1", "Rewrite the business plan with an owner, a date and a measure for every action", "digital.manager",
     -20, 80, "late", "Business plan actions with an owner, date and measure", "%", 20, 100, 80, "in_progress",
     (45, "Waiting for the new directorate structure to be agreed"), ""),
    ("P1", "Report progress against the plan to the select committee every quarter", "digital.manager", 60, 50,
     "on_track", "Quarterly reports presented", "reports", 0, 4, 2, "in_progress", None, ""),
    ("P2", "Review Digital Board membership and record members' declared interests", "digital.manager", -200, 100,
     "on_track", "", "", None, None, None, "signed_off", None, "Digital Board terms of reference and declarations"),
    ("P3", "Agree service level agreements with SRS before new partners join", "digital.manager", 20, 30, "at_risk",
     "Service lines with an agreed target", "lines", 0, 12, 4, "in_progress", None, ""),
    ("P4", "Record contracts, costs and owners' comments for every system", "risk.officer", 100, 65, "on_track",
     "Catalogue completeness", "%", 35, 100, 72, "in_progress", None, ""),
    ("P5", "Set up the Social Care and Health directorate risk register", "risk.officer", -300, 100, "on_track", "",
     "", None, None, None, "signed_off", None, "Directorate register approved by DMT"),
    ("P5", "Escalate the Flo support risks to the corporate register", "risk.officer", 10, 20, "on_track", "", "",
     None, None, None, "in_progress", None, ""),
]

R_2012 = [
    ("1", "Develop more common ICT approaches that support the delivery of the ICT Strategy for the Public Sector in "
          "Wales across local government and the wider public service wherever appropriate.", "Collaboration"),
    ("2", "Centralise devolved service technology development funds within individual councils to: (a) reduce the "
          "opportunistic approach to funding ICT; and (b) focus resources to maximise the potential gains.",
     "Funding"),
    ("3", "Establish ICT workforce plans linked to local, regional and national technology support and development "
          "requirements, identifying both key skills and capacity needs.", "Workforce"),
    ("4", "Learn from experience by reviewing completed technology related projects against business cases, and "
          "work collaboratively to establish standard proven business solutions, that can be reused.",
     "Benefits realisation"),
    ("5", "Review, evaluate and report on the effectiveness and return on investment arising from technology "
          "projects against the original objectives.", "Benefits realisation"),
    ("6", "Implement robust arrangements to effectively scrutinise and challenge technology projects and service "
          "provision at local, regional and national level.", "Scrutiny"),
]

# code, recommendation, response, response text
R_2007 = [
    ("(a)", "Responsibility for the line management for all the authority's ICT staff should be placed within the "
            "ICT Services Division and implemented with immediate effect.", "accepted",
     "This position has already been agreed in principle by the Corporate Management Board."),
    ("(b)", "Consideration is given to the control for ICT expenditure being placed within the ICT Services "
            "Division subject to overall responsibility being held by the Director of Resources.", "partly",
     "Overall responsibility for the budget rests with the Director of Resources as section 151 officer; ICT "
     "expenditure will be signed off on a business case demonstrating clear benefits."),
    ("(c)", "A review of the financing of ICT Services is undertaken examining the way directorates account for ICT "
            "spend, base budget for ICT Services, as well as the corporate funding of ICT programmes.", "accepted",
     "A fresh look will be taken at the corporate ICT projects budget and the trading account."),
    ("(d)", "A council-wide policy should be developed and implemented that provides for greater standardisation of "
            "desktops and server infrastructure, with all ICT assets corporate.", "accepted",
     "The call for greater standardisation is welcomed; server consolidation is well advanced."),
    ("(e)", "The existing ICT procurement policies and procedures, including taking positive action to address "
            "non-compliance, are enforced.", "accepted",
     "Proposals to purchase outside agreed guidelines will be thrown back; procurement policies are under review."),
    ("(f)", "Consideration is given to dedicated public relations support to the Head of ICT and the means by which "
            "this might be delivered.", "partly",
     "The corporate communications team will deploy a communication package to ICT Services."),
    ("(g)", "As part of the corporate review of SLAs the ICT Service ensures that the ICT SLAs are clearly worded, "
            "describe the services, charges and financial arrangements and are issued before each financial year.",
     "accepted", "CMB has commissioned a working group to review all SLAs; an interim report is expected in May."),
    ("(h)", "The responsibility for providing ICT training and its procurement be centralised under the management "
            "of the ICT service, with training needs formalised as part of induction.", "accepted",
     "Induction will include a compulsory ICT module; training needs will be captured from SRD interviews."),
    ("(i)", "The options for offering a variety of income generating services to local partners not covered under "
            "existing SLAs are explored.", "not_accepted",
     "Attention should first be focussed on getting the 'ship in order'."),
    ("(j)", "Improvement to the implementation of project management throughout the authority continues and the "
            "interface between Corporate Programmes and project delivery within Directorates is strengthened.",
     "accepted", "Project boards with Prince2 quality assurance are in place for the transformation programme."),
    ("(k)", "That the feedback from schools be analysed and an improvement plan prepared to address the concerns "
            "identified.", "accepted", "ICT liaison meetings with schools are in place; an improvement plan will "
                                       "be built with them."),
    ("(l)", "A single website for all council services is developed ensuring consistent branding and access to "
            "services for all, with a single directory of contacts.", "accepted",
     "The principle is accepted; a timetable for completing the migration will be requested."),
    ("(m)", "The options for growing own talent through training and a form of golden handcuffs be explored by "
            "Human Resources.", "accepted",
     "HR and ICT Services are developing a recruitment and retention strategy for ICT."),
]

# code, title, text, theme (paragraph of the 2022 review)
K_2022 = [
    ("18", "Align transformation with the SRS strategy",
     "Align organisation-level transformation activity with SRS strategy; make the linkages between strategy, "
     "tactical plan, delivery groups and governance boards more explicit.", "Strategy"),
    ("20", "Share digital aspirations", "Share digital aspirations across partners to understand each other's "
                                        "aspirations and gaps, and develop more ambitious digital plans.", "Strategy"),
    ("22", "Rolling roadmaps and staffing resilience",
     "All partners to develop medium-term rolling roadmaps which are 'live' and reviewed regularly; tackle staffing "
     "resilience and skills availability; consider using the same digital systems across partners.", "Delivery"),
    ("24", "Share learning", "Bring together learning from operational level and the boards; build in time to share "
                             "learning; share digital roadmaps as organisations.", "Learning"),
    ("26", "Joint scrutiny and a single repository",
     "Consider joint scrutiny of SRS; develop a single repository of documents and decisions relating to the "
     "various boards; improve communication between board members and between the three boards.", "Governance"),
    ("28", "Value for money for all partners",
     "Evidence that the SRS collaboration is providing value for money for all partners, with common criteria so "
     "that SRS provides the information each organisation needs for its own assessment.", "Value for money"),
]


def _people() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(
        username__in=["digital.manager", "risk.officer", "org.admin", "srs.manager", "auditor"])}


def _source(organisation, title, *, by=None, **fields) -> Source:
    """A source, recorded on the day it was issued."""
    return ensure(Source, organisation=organisation, title=title, defaults=fields, on=fields.get("issued_on"), by=by)


def _proposal(source: Source, code: str, *, by=None, **fields) -> Proposal:
    """A proposal of a source, recorded with it."""
    return ensure(Proposal, source=source, code=code, defaults=fields, on=source.issued_on, by=by)


def _proposals_2016(org, people) -> dict[str, Proposal]:
    keeper = people.get("digital.manager")
    assessment = _source(org, "Corporate Assessment 2015: information technology", kind=Source.Kind.AUDIT_REPORT,
                         issuer=WAO, issued_on=date(2015, 9, 1), by=keeper)
    finding = _proposal(assessment, "IT", by=keeper, **{
        "title": "IT risks not reported to the Corporate Risk Register",
        "text": "Risks relating to the replacement Social Services IT system project are not on the Corporate Risk "
                "Register, and some key risks are not considered in the project register.",
        "theme": "Risk management", "position": 1})
    review = _source(org, "Information technology follow-up review 2016", kind=Source.Kind.FOLLOW_UP_REVIEW,
                     issuer=WAO, issued_on=date(2016, 7, 1), reference="Follow-up review of IT, 2016",
                     summary="The Council has made progress in some areas, but the overall arrangements for managing "
                             "IT services are disjointed and do not adequately allow it to demonstrate good "
                             "governance, value for money or impact.", by=keeper)
    proposals = {}
    for position, (code, title, text, priority, theme, response, words, owner, risks, systems) in enumerate(P_2016):
        proposal = _proposal(review, code, by=keeper, **{
            "title": title, "text": text, "priority": priority, "theme": theme, "response": response,
            "response_text": words, "owner": people.get(owner), "position": position + 1})
        # Oldest links first: each is dated once what it names is there, and never before the last change.
        if code in ("P1", "P5"):
            link(proposal, "follows_up", [finding], by=keeper)
        link(proposal, "systems", System.objects.filter(organisation=org, name__in=systems), by=proposal.owner)
        link(proposal, "risks", Risk.objects.filter(organisation=org, reference__in=risks), by=proposal.owner)
        proposals[code] = proposal
    link(proposals["P3"], "agreements", Agreement.objects.filter(Q(provider=org) | Q(client=org)), by=keeper)
    return proposals


def _actions(proposals, people, today) -> int:
    manager = people.get("digital.manager")
    count = 0
    for (code, description, owner, due, progress, forecast, metric, unit, baseline, target, actual, state,
         revision, evidence) in A_2016:
        first_due = today + timedelta(days=due - (revision[0] if revision else 0))
        # Agreed a year before it fell due (or before today, for one not due yet); then, in order, its
        # revised date, two updates to the committee, its evidence, and its sign-off on the day it fell due.
        agreed = min(first_due, today) - timedelta(days=365)
        action = ensure(Action, proposal=proposals[code], description=description, defaults={
            "owner": people.get(owner), "metric": metric, "unit": unit,
            "baseline": None if baseline is None else Decimal(baseline),
            "target": None if target is None else Decimal(target)}, on=agreed, by=manager)
        count += 1
        if action.updates.exists() or action.revisions.exists():
            continue
        Action.objects.filter(pk=action.pk).update(due_on=first_due, original_due_on=first_due)
        action.refresh_from_db()
        if revision:
            with happened(agreed + timedelta(days=30), by=action.owner):
                action.revise_due_date(new_due_on=first_due + timedelta(days=revision[0]), reason=revision[1],
                                       by=action.owner)
        for days, step in ((120, progress // 2), (240, progress)):
            if step:
                with happened(agreed + timedelta(days=days), by=action.owner):
                    action.record_update(by=action.owner, progress=step, forecast=forecast,
                                         note=f"Progress reported to the committee ({step}%).",
                                         actual=None if actual is None or step != progress else Decimal(actual))
        if evidence:
            with happened(agreed + timedelta(days=240), by=action.owner):
                Evidence.objects.create(action=action, title=evidence, url="https://www.monmouthshire.gov.uk/",
                                        added_by=action.owner)
        if state == "signed_off":
            signer = manager if action.owner_id != getattr(manager, "pk", None) else people.get("org.admin")
            with happened(first_due, by=signer):
                action.sign_off(by=signer, on=first_due)
    return count


def _national_2012(org, people) -> int:
    keeper = people.get("digital.manager")
    source = _source(org, "The use of technology to support improvement and efficiency in local government",
                     kind=Source.Kind.AUDIT_REPORT, issuer=WAO, issued_on=date(2012, 1, 1),
                     reference="National report, 2012", by=keeper)
    for position, (code, text, theme) in enumerate(R_2012):
        _proposal(source, f"Recommendation {code}", by=keeper, **{
            "text": text, "theme": theme, "position": position + 1, "response": "accepted", "owner": keeper})
    return len(R_2012)


def _herefordshire_2007() -> int:
    responded = date(2007, 3, 15)
    org = ensure(Organisation, slug="herefordshire", defaults={
        "name": "Herefordshire Council", "short_name": "Herefordshire", "kind": Organisation.Kind.COUNCIL,
        "website": "https://www.herefordshire.gov.uk"}, on=responded)
    source = _source(org, "Scrutiny review of ICT services: cabinet response", kind=Source.Kind.SCRUTINY_REVIEW,
                     issuer="Strategic Monitoring Committee", issued_on=responded,
                     summary="The executive's response to each recommendation of the ICT review group, with an "
                             "action plan to follow within six months.")
    for position, (code, text, response, words) in enumerate(R_2007):
        proposal = _proposal(source, code, **{
            "text": text, "response": response, "response_text": words, "position": position + 1})
        closer = _any_superuser()
        if response == "not_accepted" and not proposal.decision and closer is not None:
            with happened(responded, by=closer):
                proposal.close(by=closer, on=responded, note=words)
    return len(R_2007)


def _any_superuser():
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _srs_2022(srs: Partnership, earlier_review: Source | None, by) -> int:
    issued = date(2022, 3, 1)
    source = ensure(Source, organisation=None, partnership=srs, title="Shared Resource Service follow-up review",
                    defaults={"kind": Source.Kind.FOLLOW_UP_REVIEW, "issuer": "Audit Wales", "issued_on": issued},
                    on=issued, by=by)
    followed = _proposal(earlier_review, "Conclusion", by=by, **{
        "text": "The strategic vision for the SRS was not formally established at the outset, which contributed to "
                "weaknesses in how the emerging service was managed and governed.", "theme": "Governance"})
    for position, (code, title, text, theme) in enumerate(K_2022):
        proposal = _proposal(source, f"Paragraph {code}", by=by, **{
            "title": title, "text": text, "theme": theme, "position": position + 1})
        if code in ("18", "26"):
            link(proposal, "follows_up", [followed], by=by)
    return len(K_2022)


def _business_plan(org, srs, people, today) -> None:
    keeper = people.get("digital.manager")
    plan = _source(org, "iCounty Business Plan 2016-2019", kind=Source.Kind.BUSINESS_PLAN,
                   issuer="Monmouthshire County Council", issued_on=date(2016, 4, 13), partnership=srs, by=keeper)
    objective = _proposal(plan, "Objective 1", by=keeper, **{
        "title": "Digitally enabled council", "theme": "Internal systems", "owner": keeper,
        "text": "Improve the council's internal systems so that residents can do more online."})
    ensure(Action, proposal=objective, description="Move the top twenty transactions online", defaults={
        "owner": keeper, "due_on": today + timedelta(days=240), "metric": "Transactions online",
        "unit": "", "baseline": Decimal(6), "target": Decimal(20), "actual": Decimal(11)}, on=plan.issued_on, by=keeper)
    approved, measured = date(2014, 10, 1), date(2017, 3, 31)
    case = ensure(BusinessCase, organisation=org, title="Flo social care case management", defaults={
        "system": System.objects.filter(organisation=org, name="Flo").first(), "owner": people.get("risk.officer"),
        "approved_on": approved, "go_live_on": date(2016, 4, 1), "cost": Decimal("1250000"),
        "summary": "Replace the social services case management system with one shared with Health practitioners."},
        on=approved, by=people.get("risk.officer"))
    for description, kind, unit, baseline, target, actual in [
        ("Licence and support savings a year", Benefit.Kind.SAVING, "£", 0, 180000, 95000),
        ("Assessments completed within 7 days", Benefit.Kind.MEASURE, "%", 62, 85, 71),
    ]:
        ensure(Benefit, business_case=case, description=description, defaults={
            "kind": kind, "unit": unit, "baseline": Decimal(baseline), "target": Decimal(target),
            "actual": Decimal(actual), "measured_on": measured}, on=measured, by=people.get("risk.officer"))


def load() -> list[str]:
    org = Organisation.objects.filter(slug="monmouthshire").first()
    srs = Partnership.objects.filter(slug="srs").first()
    if org is None or srs is None:
        return []
    today = timezone.localdate()
    people = _people()
    proposals = _proposals_2016(org, people)
    actions = _actions(proposals, people, today)
    national = _national_2012(org, people)
    herefordshire = _herefordshire_2007()
    reported = date(2015, 6, 1)
    earlier = ensure(Source, organisation=None, partnership=srs, title="Review of the Shared Resource Service 2015",
                     defaults={"kind": Source.Kind.AUDIT_REPORT, "issuer": WAO, "issued_on": reported},
                     on=reported, by=people.get("srs.manager"))
    areas = _srs_2022(srs, earlier, people.get("srs.manager"))
    _business_plan(org, srs, people, today)
    return [f"Audit proposals: 2016 P1-P5 with {actions} actions, 2012 recommendations 1-{national}, "
            f"2007 recommendations (a)-(m) ({herefordshire}), 2022 SRS key areas ({areas}), a business plan and a "
            "business case with its benefits."]

