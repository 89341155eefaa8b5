"""Generated boards: each organisation's digital board with its members and their declared interests,
membership reviews, meetings (most held, a few to come) with agenda items and papers, the decisions
taken, and the board packs built for the meetings held.

Members are a mix of the organisation's people and named outsiders; two declare an interest in
one of the organisation's catalogue suppliers, so the board shows conflicts of interest; one has
left. Decisions are spread over the meetings held, and about one in three concerns an audit
proposal (and one of its actions). Packs are records only: the generator renders no PDFs, so a
pack is ready and issued with no file to download.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting, MembershipReview, Paper
from govtrack.models import Membership
from reporting.models import BoardPack
from reporting.scale import GeneratedOrganisation, Run, insert
from reporting.scale.kernel import FIRST_NAMES, LAST_NAMES
from systems_catalogue.models import Supplier

#: Seats after the ones held by the organisation's people: role, title, whom the member represents.
OUTSIDERS = [
    (BoardMember.Role.CHAIR, "Cabinet member for resources", ""),
    (BoardMember.Role.CABINET_MEMBER, "Cabinet member for governance", ""),
    (BoardMember.Role.COUNCILLOR, "Chair of the select committee", ""),
    (BoardMember.Role.REPRESENTATIVE, "Service delivery manager", "The shared service"),
    (BoardMember.Role.REPRESENTATIVE, "Managing director", "A council-owned software company"),
    (BoardMember.Role.ADVISER, "Digital adviser", "Local Government Association"),
]
AGENDA = ["Apologies and declarations of interest", "Minutes of the last meeting", "Digital programme: progress",
          "Service level agreement performance", "Audit proposals: progress", "Systems catalogue and contracts",
          "Cyber security report", "Date of the next meeting"]
DECISIONS = ["Approve the digital programme's next phase", "Note the SLA performance report",
             "Agree the response to the audit proposals", "Ask for a business case for a replacement system",
             "Defer the membership review until the terms of reference are refreshed",
             "Agree the cyber security action plan", "Note the catalogue completeness report",
             "Reject the proposal to extend the contract without procurement"]
DECISION_STATUS_WEIGHTS = [60, 25, 10, 5]
#: Days between meetings.
EVERY = 45


def _seats(run: Run, generated: GeneratedOrganisation, rng, board: Board) -> list[BoardMember]:
    people = generated.members(Membership.Role.MANAGER, Membership.Role.OFFICER)
    inside = max(0, run.scale.members_per_board - len(OUTSIDERS))
    seats = [BoardMember(board=board, person_id=person, role=BoardMember.Role.OFFICER, title="Officer",
                         joined_on=run.today - timedelta(days=rng.randint(200, 2000)))
             for person in people[:inside]]
    for role, title, represents in OUTSIDERS[: run.scale.members_per_board - len(seats)]:
        seats.append(BoardMember(board=board, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", role=role,
                                 title=title, represents_name=represents,
                                 joined_on=run.today - timedelta(days=rng.randint(200, 2000))))
    if len(seats) > 2:  # one member has left
        seats[-1].left_on = run.today - timedelta(days=rng.randint(30, 150))
    return seats


def _meetings(run: Run, board: Board) -> list[Meeting]:
    n = run.scale.meetings_per_board
    to_come = min(3, n // 4)
    meetings = []
    for position in range(n):
        held_on = run.today + timedelta(days=EVERY * (position - (n - to_come)) + EVERY // 2)
        past = held_on < run.today
        meetings.append(Meeting(
            board=board, title=f"{board.name}, meeting {position + 1}", held_on=held_on, starts_at=time(10, 0),
            location="County Hall" if position % 3 else "Remote meeting",
            status=Meeting.Status.HELD if past else Meeting.Status.SCHEDULED,
            minutes="The board received the reports and took the decisions recorded." if past else "",
            minutes_approved_on=held_on + timedelta(days=EVERY) if past and held_on + timedelta(days=EVERY)
            < run.today else None))
    return meetings


def _organisation(run: Run, generated: GeneratedOrganisation) -> dict[str, list]:
    rng = run.random(f"boards.{generated.index}")
    officers = generated.members(Membership.Role.OFFICER)
    board = insert(Board, [Board(
        organisation=generated.organisation, name="Digital Board", slug="digital-board",
        kind=Board.Kind.DIGITAL_BOARD, secretary_id=officers[0],
        purpose="Oversees the digital programme and advises Cabinet.",
        membership_reviewed_on=run.today - timedelta(days=rng.randint(100, 500)),
        membership_review_due_on=run.today + timedelta(days=rng.randint(-130, 265)))])[0]
    return {"board": [board], "seats": _seats(run, generated, rng, board), "meetings": _meetings(run, board)}


def _interests(rng, seats: list[BoardMember], suppliers: dict[int, list[int]], today) -> list[DeclaredInterest]:
    """Two members of each board declare an interest in a supplier of its organisation: conflicts."""
    made = []
    by_board: dict[int, list[BoardMember]] = {}
    for seat in seats:
        by_board.setdefault(seat.board_id, []).append(seat)
    for board_seats in by_board.values():
        organisation = board_seats[0].board.organisation_id
        named = [s for s in board_seats if s.represents_name][:2]
        for seat in named:
            supplier = rng.choice(suppliers[organisation]) if suppliers.get(organisation) else None
            made.append(DeclaredInterest(member=seat, kind=DeclaredInterest.Kind.EMPLOYMENT, supplier_id=supplier,
                                         company="" if supplier else seat.represents_name,
                                         declared_on=today - timedelta(days=rng.randint(100, 800))))
        if board_seats:
            made.append(DeclaredInterest(member=board_seats[0], kind=DeclaredInterest.Kind.DIRECTORSHIP,
                                         company="Local housing trust", description="Unpaid trustee.",
                                         declared_on=today - timedelta(days=rng.randint(100, 800))))
    return made


def _decisions(run: Run, rng, generated: GeneratedOrganisation, meetings: list[Meeting],
               items: dict[int, list[AgendaItem]]) -> list[tuple[Decision, int | None, int | None]]:
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    proposals = generated.extra.get("proposals", [])
    actions = generated.extra.get("proposal_actions", [])
    people = generated.members(Membership.Role.MANAGER, Membership.Role.OFFICER)
    made = []
    for n in range(run.scale.decisions_per_board if held else 0):
        meeting = held[n % len(held)]
        agenda = [item for item in items.get(meeting.pk, []) if not item.is_procedural]
        status = rng.choices(list(Decision.Status.values), weights=DECISION_STATUS_WEIGHTS)[0]
        about = rng.random() < 0.35 and proposals
        proposal = rng.choice(proposals) if about else None
        # Actions belong to proposals in order (``actions_per_proposal`` each): this proposal's first one.
        index = proposals.index(proposal) * run.scale.actions_per_proposal if proposal else None
        action = actions[index] if proposal and index < len(actions) and rng.random() < 0.5 else None
        made.append((Decision(
            meeting=meeting, agenda_item=rng.choice(agenda) if agenda else None, reference=f"DB-{n + 1:02d}",
            title=rng.choice(DECISIONS), text="Recorded in the minutes.", status=status,
            owner_id=rng.choice(people) if status == Decision.Status.AGREED else None), proposal, action))
    return made


def generate(run: Run) -> None:
    with run.step("boards"):
        suppliers: dict[int, list[int]] = {}
        for pk, organisation in Supplier.objects.filter(
                organisation__in=[g.pk for g in run.organisations]).order_by("pk").values_list("pk", "organisation_id"):
            suppliers.setdefault(organisation, []).append(pk)
        made = {g.index: _organisation(run, g) for g in run.organisations}
        seats = insert(BoardMember, [s for m in made.values() for s in m["seats"]])
        meetings = insert(Meeting, [x for m in made.values() for x in m["meetings"]])
        rng = run.random("boards.records")
        insert(DeclaredInterest, _interests(rng, seats, suppliers, run.today))
        reviews = insert(MembershipReview, [
            MembershipReview(board=board, reviewed_on=board.membership_reviewed_on, reviewed_by_id=board.secretary_id,
                             note="No conflicts found beyond those declared.",
                             next_due_on=board.membership_review_due_on)
            for m in made.values() for board in m["board"]
            if board.membership_review_due_on > board.membership_reviewed_on])
        items = insert(AgendaItem, [
            AgendaItem(meeting=meeting, position=n + 1, number=str(n + 1), title=title,
                       is_procedural=n in (0, 1) or title.startswith("Date"))
            for meeting in meetings for n, title in enumerate(AGENDA)])
        by_meeting: dict[int, list[AgendaItem]] = {}
        for item in items:
            by_meeting.setdefault(item.meeting_id, []).append(item)
        papers = insert(Paper, [
            Paper(meeting=item.meeting, agenda_item=item, title=f"Report: {item.title}",
                  url=f"https://democracy.example.gov.uk/papers/{item.meeting_id}/{item.position}")
            for item in items if not item.is_procedural and item.position % 2])
        decided = []
        for generated in run.organisations:
            decided += _decisions(run, rng, generated, made[generated.index]["meetings"], by_meeting)
        decisions = insert(Decision, [d for d, _p, _a in decided])
        insert(Decision.proposals.through, [Decision.proposals.through(decision_id=d.pk, proposal_id=p)
                                            for d, (_d, p, _a) in zip(decisions, decided, strict=True) if p])
        insert(Decision.actions.through, [Decision.actions.through(decision_id=d.pk, action_id=a)
                                          for d, (_d, _p, a) in zip(decisions, decided, strict=True) if a])
        now = timezone.now()
        packs = insert(BoardPack, [
            BoardPack(organisation=board.organisation, board=board, title=f"{board.name}, {meeting.held_on:%d %B %Y}",
                      meeting_date=meeting.held_on, since=meeting.held_on - timedelta(days=EVERY),
                      status=BoardPack.Status.READY, attempts=1, pages=rng.randint(20, 60),
                      size=rng.randint(400_000, 2_000_000), requested_by_id=board.secretary_id, built_at=now,
                      issued_at=now, issued_by_id=board.secretary_id)
            for m in made.values() for board in m["board"] for meeting in m["meetings"]
            if meeting.status == Meeting.Status.HELD])
        run.count("boards", len(made))
        run.count("board members", len(seats))
        run.count("membership reviews", len(reviews))
        run.count("meetings", len(meetings))
        run.count("agenda items", len(items))
        run.count("papers", len(papers))
        run.count("decisions", len(decisions))
        run.count("board packs", len(packs))
