"""Generated audit proposals: each organisation's sources (an audit report, a scrutiny review that follows
it up, a business plan), their proposals with the management response, and the actions taken.

Actions are spread over every status and due date, so the tracker shows red, amber and green
proposals, some overdue, some implemented; an action with progress has its owner's latest update,
and about one in ten had its due date revised (the original is kept, as ``revise_due_date`` does).
Some proposals link to the organisation's risks and systems; the review's proposals follow up the
audit report's.
"""

from __future__ import annotations

from datetime import timedelta

from govtrack.models import Membership
from proposals import rag
from proposals.models import Action, ActionUpdate, DueDateRevision, Proposal, Source
from reporting.scale import GeneratedOrganisation, Run, insert

# kind, issuer, title, years before today
SOURCES = [
    (Source.Kind.AUDIT_REPORT, "Wales Audit Office", "Review of information technology", 3),
    (Source.Kind.SCRUTINY_REVIEW, "Select committee", "Scrutiny review of digital services", 2),
    (Source.Kind.BUSINESS_PLAN, "Chief Executive's Unit", "Digital business plan", 1),
    (Source.Kind.FOLLOW_UP_REVIEW, "Audit Wales", "Follow-up review of information technology", 1),
    (Source.Kind.DIGITAL_ROADMAP, "Digital and Technology", "Digital roadmap", 0),
]
THEMES = ["Governance", "Shared service", "Strategy and planning", "Information management", "Contracts",
          "Cyber security", "Workforce", "Value for money"]
ASKS = ["Review the membership of the board to ensure no conflicts of interest",
        "Agree service level agreements with the shared service and measure its performance",
        "Record every system with its contracts, costs and owners in one catalogue",
        "Set out clear and measurable actions in the business plan",
        "Report progress on the digital programme to members each quarter",
        "Test the recovery of critical systems at least once a year",
        "Train staff in information security every year",
        "Assess the value for money of the shared service each year"]
ACTIONS = ["Draft new terms of reference", "Report to the select committee", "Agree the targets with the provider",
           "Collect declarations of interest from every member", "Procure a replacement system",
           "Run a recovery exercise", "Publish the catalogue to managers", "Train the service desk"]
NOTES = ["Drafted and circulated for comment.", "Waiting for the provider's figures.",
         "Agreed at the last meeting; implementation has started.", "Delayed by the budget round."]
STATUSES = list(Action.Status.values)
STATUS_WEIGHTS = [25, 40, 10, 20, 5]


def _proposals(run: Run, rng, source: Source, owners: list[int], closer: int) -> list[Proposal]:
    made = []
    for n in range(run.scale.proposals_per_source):
        response = rng.choices(list(Proposal.Response.values), weights=[5, 80, 10, 5])[0]
        ask = rng.choice(ASKS)
        closed = rng.random() < 0.05
        made.append(Proposal(
            source=source, code=f"R{n + 1}", position=n, title=ask[:60], text=f"{ask}.",
            priority=rng.choice(list(Proposal.Priority.values)), theme=rng.choice(THEMES), response=response,
            response_text="The council will act on this recommendation." if response else "",
            owner_id=rng.choice(owners),
            decision=Proposal.Decision.CLOSED if closed else "", decided_by_id=closer if closed else None,
            decided_on=run.today - timedelta(days=30) if closed else None,
            decision_note="Every action is done." if closed else "",
        ))
    return made


def _action(run: Run, rng, proposal: Proposal, owners: list[int], checkers: list[int]) -> Action:
    # A closed proposal's actions are finished (closing is refused while one is open).
    status = (rng.choice([Action.Status.SIGNED_OFF, Action.Status.CANCELLED]) if proposal.decision
              else rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0])
    due = run.today + timedelta(days=rng.randint(-240, 360))
    progress = {Action.Status.NOT_STARTED: 0, Action.Status.IN_PROGRESS: rng.choice([10, 25, 40, 60, 75, 90]),
                Action.Status.COMPLETED: 100, Action.Status.SIGNED_OFF: 100,
                Action.Status.CANCELLED: rng.choice([0, 25])}[status]
    finished = status in (Action.Status.COMPLETED, Action.Status.SIGNED_OFF)
    owner = rng.choice(owners)
    revised = rng.random() < 0.1 and not finished
    return Action(
        proposal=proposal, description=rng.choice(ACTIONS), owner_id=owner, due_on=due,
        original_due_on=due - timedelta(days=90) if revised else due, progress=progress, status=status,
        forecast=rng.choice(list(rag.Forecast.values)) if progress and not finished else "",
        completed_on=min(due, run.today) - timedelta(days=rng.randint(0, 30)) if finished else None,
        signed_off_by_id=next((c for c in checkers if c != owner), None)
        if status == Action.Status.SIGNED_OFF else None,
        signed_off_on=min(due, run.today) if status == Action.Status.SIGNED_OFF else None,
    )


def _organisation(run: Run, generated: GeneratedOrganisation):
    """The organisation's sources and proposals (inserted), their links, and its actions (not yet inserted)."""
    rng = run.random(f"proposals.{generated.index}")
    owners = generated.members(Membership.Role.OFFICER, Membership.Role.MANAGER)
    checkers = generated.members(Membership.Role.MANAGER)
    kinds = [SOURCES[i % len(SOURCES)] for i in range(run.scale.sources_per_organisation)]
    sources = insert(Source, [
        Source(organisation=generated.organisation, kind=kind, issuer=issuer, reference=f"{generated.index}-{n + 1}",
               title=f"{title} ({generated.organisation.short_name})",
               issued_on=run.today - timedelta(days=365 * years + rng.randint(0, 200)),
               summary=f"{issuer}'s findings and the council's response.")
        for n, (kind, issuer, title, years) in enumerate(kinds)
    ])
    proposals = insert(Proposal, [p for source in sources for p in _proposals(run, rng, source, owners, checkers[0])])
    # The later sources follow up the first one's proposals, code for code.
    first = {p.code: p.pk for p in proposals if p.source_id == sources[0].pk}
    links = [Proposal.follows_up.through(from_proposal_id=p.pk, to_proposal_id=first[p.code])
             for p in proposals if p.source_id != sources[0].pk and p.code in first and rng.random() < 0.3]
    risks, systems = generated.extra.get("risks", []), [pk for pk, *_ in generated.extra.get("systems", [])]
    # Every proposal names a risk and a system, as the auditors' proposals do (the bench's sample
    # proposal then shows the same sections, and its trail the same links, at every scale).
    links += [Proposal.risks.through(proposal_id=p.pk, risk_id=rng.choice(risks)) for p in proposals if risks]
    links += [Proposal.systems.through(proposal_id=p.pk, system_id=rng.choice(systems))
              for p in proposals if systems]
    actions = [_action(run, rng, p, owners, checkers) for p in proposals for _ in range(run.scale.actions_per_proposal)]
    generated.extra["proposals"] = [p.pk for p in proposals]
    run.count("sources", len(sources))
    run.count("proposals", len(proposals))
    return links, actions


def generate(run: Run) -> None:
    with run.step("audit proposals"):
        links, actions, owners_of = [], [], []
        for generated in run.organisations:
            more_links, more_actions = _organisation(run, generated)
            links += more_links
            actions += more_actions
            owners_of += [generated] * len(more_actions)
        for through in (Proposal.follows_up.through, Proposal.risks.through, Proposal.systems.through):
            insert(through, [row for row in links if isinstance(row, through)])
        actions = insert(Action, actions)
        for generated, action in zip(owners_of, actions, strict=True):
            generated.extra.setdefault("proposal_actions", []).append(action.pk)
        rng = run.random("proposals.updates")
        updates = [ActionUpdate(action=a, written_by_id=a.owner_id, progress=a.progress,
                                forecast=a.forecast or rag.Forecast.ON_TRACK, note=rng.choice(NOTES),
                                for_meeting_on=run.today - timedelta(days=14))
                   for a in actions if a.progress and a.status != Action.Status.CANCELLED]
        insert(ActionUpdate, updates)
        revisions = insert(DueDateRevision, [
            DueDateRevision(action=a, previous_due_on=a.original_due_on, new_due_on=a.due_on,
                            reason="Waiting for the provider's figures.", revised_by_id=a.owner_id)
            for a in actions if a.original_due_on != a.due_on])
        run.count("proposal actions", len(actions))
        run.count("action updates", len(updates))
        run.count("due-date revisions", len(revisions))
