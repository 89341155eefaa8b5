"""Demo boards: Monmouthshire's Digital Board and the SRS partnership's strategic board.

Facts from the 2016 review (paragraphs 15-16): the Digital Board consists of two Cabinet members,
representatives of CMC2 (a council-owned community interest company) and of SRS, and council
officers; it meets regularly, oversees iCounty and advises, with no decision-making powers; its
membership had not been reviewed since the 2015 Corporate Assessment although CMC2 had stopped
developing the council's software (P2). CMC2 and SRS are both suppliers in the catalogue (Flo and
Plant), so both representatives' interests show as conflicts. Names and meetings are plausible.
Dates are relative to the day of loading; idempotent through ``ensure``.

The trail keeps the story's dates: the Digital Board and its members are recorded when they joined
(May 2015), a meeting four weeks before it is held, its decisions on the day, by the secretary.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting
from govtrack.demo import ensure, link
from govtrack.models import Organisation, Partnership
from proposals.models import Proposal
from systems_catalogue.models import Supplier

# name or username, role, title, represents (slug or a name), interest (company, kind, catalogue supplier)
DIGITAL_BOARD = [
    ("board.member", BoardMember.Role.CABINET_MEMBER, "Cabinet member for governance", "monmouthshire", None),
    ("County Councillor Ann Watkins", BoardMember.Role.CHAIR, "Cabinet member for resources", "monmouthshire", None),
    ("Dafydd Price", BoardMember.Role.REPRESENTATIVE, "Managing director", "CMC2",
     ("CMC2", DeclaredInterest.Kind.EMPLOYMENT, "CMC2")),
    ("srs.manager", BoardMember.Role.REPRESENTATIVE, "Service delivery manager", "srs",
     ("SRS", DeclaredInterest.Kind.EMPLOYMENT, "SRS")),
    ("digital.manager", BoardMember.Role.OFFICER, "Head of Digital and Technology", "monmouthshire", None),
    ("org.admin", BoardMember.Role.OFFICER, "Digital programme officer", "monmouthshire", None),
]

# days from today, title, location, [(number, title, procedural)], [(reference, decision, status, details)]
MEETINGS = [
    (-120, "Digital Board: iCounty progress, Flo and Plant", "County Hall, Usk", [
        ("1", "Apologies and declarations of interest", True),
        ("2", "iCounty business plan 2016-2019: progress", False),
        ("3", "Flo and Plant after CMC2 curtailed development", False),
    ], [
        ("DB-01", "Agree that SRS maintains Flo and Plant while the all-Wales system (WCCIS) is assessed", "agreed",
         "A former CMC2 developer is contracted to SRS to hand the system over."),
        ("DB-02", "Note the progress report on the iCounty business plan", "noted", ""),
    ]),
    (-60, "Digital Board: SLAs and the systems catalogue", "County Hall, Usk", [
        ("1", "Apologies and declarations of interest", True),
        ("2", "Service level agreements with SRS", False),
        ("3", "A single database of the council's systems and contracts", False),
    ], [
        ("DB-03", "Negotiate commercial-grade SLAs with SRS before new partners join the partnership", "agreed",
         "Proposal P3: the council to measure service delivery and value for money."),
        ("DB-04", "Record every system with its contracts, costs and owners' comments in one catalogue", "agreed",
         "Proposal P4."),
        ("DB-05", "Review the board's membership for conflicts of interest", "deferred",
         "Proposal P2: deferred until the terms of reference are refreshed."),
    ]),
    (30, "Digital Board: membership and terms of reference", "Remote meeting", [
        ("1", "Apologies and declarations of interest", True),
        ("2", "Membership review and terms of reference", False),
        ("3", "Date of next meeting", True),
    ], []),
]

#: When the Digital Board's members joined it.
JOINED = date(2015, 5, 1)

#: Digital Board decisions about the 2016 follow-up review's proposals (the proposals app loads first).
ABOUT_2016_PROPOSALS = {"DB-03": "P3", "DB-04": "P4", "DB-05": "P2"}

SRS_MEETINGS = [
    (-45, "SRS Strategic Board: roadmaps", "SRS, Blaenavon", [
        ("1", "Apologies", True),
        ("2", "Rolling digital roadmaps of the partners", False),
    ], [
        ("SB-01", "Each partner shares a rolling two-to-three-year digital roadmap with the partnership", "agreed",
         "From the 2022 review of the SRS: partners to see each other's plans."),
    ]),
]


def _seat(board: Board, who: str, role: str, title: str, represents: str, organisations: dict) -> BoardMember:
    person = get_user_model().objects.filter(username=who).first()
    org = organisations.get(represents)
    lookup = {"board": board, "person": person} if person else {"board": board, "name": who}
    return ensure(BoardMember, **lookup, defaults={
        "role": role, "title": title, "represents": org, "represents_name": "" if org else represents,
        "joined_on": JOINED}, on=JOINED, by=board.secretary)


def _meetings(board: Board, meetings: list, today: date) -> int:
    decisions = 0
    for days, title, location, items, decided in meetings:
        held_on = today + timedelta(days=days)
        status = Meeting.Status.HELD if days < 0 else Meeting.Status.SCHEDULED
        # Called four weeks ahead with its agenda (held: marked so on the day, as the record now stands).
        called = min(held_on - timedelta(days=28), today)
        meeting = ensure(Meeting, board=board, title=title,
                         defaults={"held_on": held_on, "starts_at": time(10, 0), "location": location,
                                   "status": status}, on=called, by=board.secretary)
        agenda = {}
        for position, (number, item_title, procedural) in enumerate(items, start=1):
            agenda[number] = ensure(AgendaItem, meeting=meeting, number=number, defaults={
                "position": position, "title": item_title, "is_procedural": procedural},
                on=called, by=board.secretary)
        for n, (reference, text, state, details) in enumerate(decided, start=2):
            ensure(Decision, meeting=meeting, reference=reference, defaults={
                "title": text, "status": state, "text": details, "agenda_item": agenda.get(str(n))},
                on=held_on, by=board.secretary)
            decisions += 1
    return decisions


def _link_proposals(board: Board, organisation: Organisation) -> None:
    proposals = {p.code: p for p in Proposal.objects.filter(
        source__organisation=organisation, source__reference="Follow-up review of IT, 2016",
        code__in=ABOUT_2016_PROPOSALS.values())}
    for decision in Decision.objects.filter(meeting__board=board, reference__in=ABOUT_2016_PROPOSALS):
        proposal = proposals.get(ABOUT_2016_PROPOSALS[decision.reference])
        if proposal is not None:
            link(decision, "proposals", [*decision.proposals.all(), proposal], by=board.secretary)


def load() -> list[str]:
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=["monmouthshire", "srs"])}
    monmouthshire = organisations.get("monmouthshire")
    srs = Partnership.objects.filter(slug="srs").first()
    if monmouthshire is None or srs is None:
        return []
    today = timezone.localdate()
    secretary = get_user_model().objects.filter(username="digital.manager").first()
    board = ensure(Board, organisation=monmouthshire, slug="digital-board", defaults={
        "name": "Digital Board", "kind": Board.Kind.DIGITAL_BOARD, "secretary": secretary,
        "purpose": "Oversees the implementation of the iCounty strategy and advises Cabinet; it has no "
                   "decision-making powers and reports to Cabinet periodically.",
        # Not reviewed since the 2015 Corporate Assessment (P2): the review shows as overdue.
        "membership_reviewed_on": date(2015, 6, 1), "membership_review_due_on": date(2016, 6, 1)},
        on=JOINED, by=secretary)
    suppliers = {s.name: s for s in Supplier.objects.filter(organisation=monmouthshire, name__in=["CMC2", "SRS"])}
    for who, role, title, represents, interest in DIGITAL_BOARD:
        seat = _seat(board, who, role, title, represents, organisations)
        if interest:
            company, kind, supplier = interest
            ensure(DeclaredInterest, member=seat, company=company, defaults={
                "kind": kind, "supplier": suppliers.get(supplier), "declared_on": JOINED}, on=JOINED, by=secretary)
    decisions = _meetings(board, MEETINGS, today)
    _link_proposals(board, monmouthshire)
    srs_manager = get_user_model().objects.filter(username="srs.manager").first()
    strategic = ensure(Board, organisation=None, partnership=srs, slug="srs-strategic-board", defaults={
        "name": "SRS Strategic Board", "kind": Board.Kind.PARTNERSHIP_BOARD, "secretary": srs_manager,
        "purpose": "The partners' joint board: strategy, performance and value for money of the shared service.",
        "membership_reviewed_on": today - timedelta(days=200), "membership_review_due_on": today + timedelta(days=165)},
        on=JOINED, by=srs_manager)
    _seat(strategic, "srs.manager", BoardMember.Role.OFFICER, "Service delivery manager", "srs", organisations)
    _seat(strategic, "newport.officer", BoardMember.Role.REPRESENTATIVE, "ICT client officer", "newport",
          {o.slug: o for o in Organisation.objects.filter(slug="newport")})
    decisions += _meetings(strategic, SRS_MEETINGS, today)
    return [f"2 boards with {len(DIGITAL_BOARD) + 2} members and {decisions} decisions."]
