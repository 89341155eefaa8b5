"""Generated risk registers: a matrix per organisation, registers at three levels, risks with review
history, actions, links to systems, and escalations that respect the registers' thresholds.

Scores are drawn on the organisation's matrix and every review sets the next review date from
the band, as ``Risk.record_review`` does (``scoring.next_review_date``), so some reviews fall
overdue naturally. A risk whose current score reaches its register's threshold is accepted on
the parent, proposed, rejected at that score, or left for the escalation check to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from govtrack.models import Membership
from registers import scoring
from registers.demo import CATEGORIES
from registers.models import Escalation, Register, Risk, RiskAction, RiskCategory, RiskMatrix, RiskReview
from reporting.scale import GeneratedOrganisation, Run, insert

EVENTS = ["Loss of key staff", "Supplier ceases to trade", "Cyber attack", "Personal data disclosed",
          "System outage", "Budget overspend", "Project delivered late", "Failed audit", "Contract lapses",
          "Legacy system out of support", "Service demand exceeds capacity", "Regulatory change not met",
          "Duplicate records", "Poor data quality", "Partner withdraws from the shared service"]
AREAS = ["adult social care", "children's services", "revenues", "the contact centre", "schools", "highways",
         "waste collection", "payroll", "planning", "housing", "the data centre", "the website", "finance"]
ACTIONS = ["Agree an exit plan with the supplier", "Run a recovery exercise", "Recruit to the vacant post",
           "Complete the data protection impact assessment", "Report progress to the board",
           "Procure a replacement", "Train the team", "Review the contract terms", "Test the backups"]
#: Share of an organisation's risks on its corporate register (the rest spread over the others).
CORPORATE_SHARE = 0.10


@dataclass(frozen=True)
class RegisterInfo:
    pk: int
    level: str
    parent_id: int | None
    threshold: int | None
    owner_id: int


def _registers(run: Run, generated: GeneratedOrganisation, rng) -> list[Register]:
    organisation = generated.organisation
    total = run.scale.split(run.scale.registers)[generated.index]
    managers = generated.members(Membership.Role.MANAGER)
    officers = generated.members(Membership.Role.OFFICER)
    corporate = insert(Register, [Register(
        organisation=organisation, name="Corporate risk register", slug="corporate", level=Register.Level.CORPORATE,
        owner_id=generated.people[Membership.Role.MANAGER][0],
        description="Strategic risks, reported to Cabinet and the Audit Committee.")])[0]
    # The last directorate has no register: a governance gap for the gaps page and the checks.
    directorates = generated.directorates[: max(0, min(len(generated.directorates) - 1, total - 1))]
    below = insert(Register, [
        Register(organisation=organisation, name=f"{d.name} directorate register", slug=d.slug,
                 level=Register.Level.DIRECTORATE, directorate=d, parent=corporate,
                 owner_id=managers[i % len(managers)], escalation_threshold=rng.choice([15, 15, 16]))
        for i, d in enumerate(directorates)
    ])
    projects = insert(Register, [
        Register(organisation=organisation, name=f"Project {n + 1:03d} register", slug=f"project-{n + 1:03d}",
                 level=Register.Level.PROJECT, directorate=below[n % len(below)].directorate,
                 parent=below[n % len(below)], owner_id=officers[n % len(officers)],
                 escalation_threshold=rng.choice([10, 12, 12]),
                 status=Register.Status.ACTIVE if n % 10 else Register.Status.DRAFT)
        for n in range(total - 1 - len(below))
    ]) if below else []
    return [corporate, *below, *projects]


def _allocation(registers: list[Register], total: int) -> list[int]:
    """How many risks each register gets: a tenth on the corporate one, directorates twice projects."""
    if len(registers) == 1:
        return [total]
    corporate = round(total * CORPORATE_SHARE)
    weights = [2 if r.level == Register.Level.DIRECTORATE else 1 for r in registers[1:]]
    rest = total - corporate
    shares = [rest * w // sum(weights) for w in weights]
    for index in range(rest - sum(shares)):
        shares[index % len(shares)] += 1
    return [corporate, *shares]


def _history(rng, matrix: RiskMatrix, inherent: tuple[int, int], reviews: int, run: Run):
    """Review dates and scores, oldest first: each review sets the next from its band."""
    scores = []
    likelihood, impact = inherent
    for _ in range(reviews):
        likelihood = max(1, min(inherent[0], likelihood + rng.choice([-1, 0, 0, 1])))
        impact = max(1, min(inherent[1], impact + rng.choice([-1, 0, 0, 0, 1])))
        scores.append((likelihood, impact))
    band = scoring.band_for(matrix, scores[-1][0] * scores[-1][1])
    interval = band.review_days if band else 365
    # Up to 15% beyond the interval: about one risk in eight is overdue for review.
    day = run.today - timedelta(days=rng.randint(0, int(interval * 1.15)))
    history = []
    for likelihood, impact in reversed(scores):
        history.append((day, likelihood, impact))
        band = scoring.band_for(matrix, likelihood * impact)
        day -= timedelta(days=(band.review_days if band else 365) + rng.randint(-5, 20))
    return list(reversed(history))


def _risk(rng, run: Run, generated, register, reference: str, matrix, categories, owners):
    inherent = (rng.randint(2, matrix.likelihood_levels), rng.randint(2, matrix.impact_levels))
    history = _history(rng, matrix, inherent, rng.randint(*run.scale.reviews_per_risk), run)
    _day, likelihood, impact = history[-1]
    targeted = rng.random() < 0.8
    event, area = rng.choice(EVENTS), rng.choice(AREAS)
    risk = Risk(
        organisation=generated.organisation, register=register, reference=reference,
        title=f"{event} in {area}", cause=f"Pressures on {area}.", event=f"{event}.",
        effect="Services are disrupted and the council's reputation suffers.",
        category=rng.choice(categories), officer_owner_id=rng.choice(owners),
        member_owner="Cabinet Member for Resources" if rng.random() < 0.3 else "",
        inherent_likelihood=inherent[0], inherent_impact=inherent[1],
        current_likelihood=likelihood, current_impact=impact,
        target_likelihood=max(1, likelihood - 1) if targeted else None,
        target_impact=max(1, impact - 1) if targeted else None,
        existing_controls="Monthly monitoring by the service; reported to the directorate team.",
        status=Risk.Status.CLOSED if rng.random() < 0.08 else Risk.Status.OPEN,
    )
    risk.review_date = scoring.next_review_date(matrix, likelihood * impact, history[-1][0])
    return risk, history


def _reviews(risk: Risk, history, matrix) -> list[RiskReview]:
    return [
        RiskReview(risk=risk, reviewed_on=day, reviewed_by_id=risk.officer_owner_id,
                   inherent_likelihood=risk.inherent_likelihood, inherent_impact=risk.inherent_impact,
                   current_likelihood=likelihood, current_impact=impact,
                   target_likelihood=risk.target_likelihood, target_impact=risk.target_impact,
                   note="Reviewed at the register owner's meeting." if n else "First assessment.",
                   next_review_on=scoring.next_review_date(matrix, likelihood * impact, day))
        for n, (day, likelihood, impact) in enumerate(history)
    ]


def _escalations(rng, risks: list[Risk], info: dict[int, RegisterInfo], now) -> list[Escalation]:
    """Escalations consistent with thresholds: accepted, proposed, rejected at the score, or none yet."""
    made = []

    def escalation(risk, source: RegisterInfo, status: str, *, kind=Escalation.Kind.AUTOMATIC, days: int):
        decided = status != Escalation.Status.PROPOSED
        target = info[source.parent_id]
        made.append(Escalation(
            risk=risk, from_register_id=source.pk, to_register_id=target.pk, status=status, kind=kind,
            score=risk.current_score, proposed_at=now - timedelta(days=days),
            proposed_by_id=risk.officer_owner_id if kind == Escalation.Kind.MANUAL else None,
            reason=f"Current score {risk.current_score} reached the threshold of {source.threshold}."
            if kind == Escalation.Kind.AUTOMATIC else "Raised by the risk owner for the parent's attention.",
            decided_by_id=target.owner_id if decided else None,
            decided_at=now - timedelta(days=days - 3) if decided else None,
            decision_reason={Escalation.Status.ACCEPTED: "Accepted for monitoring at this level.",
                             Escalation.Status.REJECTED: "Managed adequately on the register below."}.get(status, ""),
        ))
        return target

    for risk in risks:
        source = info[risk.register_id]
        if risk.status != Risk.Status.OPEN or source.parent_id is None:
            continue
        score = risk.current_score
        if not source.threshold or score < source.threshold:
            if rng.random() < 0.01:  # a manual escalation below the threshold, accepted
                escalation(risk, source, Escalation.Status.ACCEPTED, kind=Escalation.Kind.MANUAL,
                           days=rng.randint(5, 300))
            continue
        roll = rng.random()
        if roll < 0.40:
            parent = escalation(risk, source, Escalation.Status.ACCEPTED, days=rng.randint(10, 400))
            if parent.parent_id and parent.threshold and score >= parent.threshold and rng.random() < 0.5:
                escalation(risk, parent, Escalation.Status.PROPOSED, days=rng.randint(1, 9))
        elif roll < 0.65:
            escalation(risk, source, Escalation.Status.PROPOSED, days=rng.randint(1, 60))
        elif roll < 0.75:
            escalation(risk, source, Escalation.Status.REJECTED, days=rng.randint(5, 200))
        # The rest are left for the daily escalation check to propose.
    return made


def _actions(rng, run: Run, risks: list[Risk], owners: list[int], n: int) -> list[RiskAction]:
    open_risks = [r for r in risks if r.status == Risk.Status.OPEN] or risks
    actions = []
    for _ in range(n):
        status = rng.choices(list(RiskAction.Status.values), weights=[35, 35, 25, 5])[0]
        actions.append(RiskAction(
            risk=rng.choice(open_risks), description=rng.choice(ACTIONS), owner_id=rng.choice(owners),
            due_on=run.today + timedelta(days=rng.randint(-120, 240)), status=status,
        ))
    return actions


def _organisation(run: Run, generated: GeneratedOrganisation) -> None:
    rng = run.random(f"registers.{generated.index}")
    organisation = generated.organisation
    matrix = RiskMatrix.for_organisation(organisation)
    categories = insert(RiskCategory, [RiskCategory(matrix=matrix, name=name, appetite=appetite)
                                       for name, appetite in CATEGORIES])
    registers = _registers(run, generated, rng)
    info = {r.pk: RegisterInfo(r.pk, r.level, r.parent_id, r.escalation_threshold, r.owner_id) for r in registers}
    owners = generated.members(Membership.Role.OFFICER, Membership.Role.MANAGER)
    risks, histories = [], []
    total = run.scale.split(run.scale.risks)[generated.index]
    for position, (register, n) in enumerate(zip(registers, _allocation(registers, total), strict=True)):
        code = {"corporate": "CR", "directorate": "D", "project": "P"}[register.level]
        for number in range(n):
            reference = f"{code}{position:03d}-{number + 1:04d}" if position else f"CR-{number + 1:04d}"
            risk, history = _risk(rng, run, generated, register, reference, matrix, categories, owners)
            risks.append(risk)
            histories.append(history)
    risks = insert(Risk, risks)
    reviews = [review for risk, history in zip(risks, histories, strict=True)
               for review in _reviews(risk, history, matrix)]
    insert(RiskReview, reviews)
    systems = [pk for pk, _criticality, lifecycle in generated.extra.get("systems", []) if lifecycle != "retired"]
    links = [Risk.systems.through(risk_id=r.pk, system_id=rng.choice(systems))
             for r in risks if systems and rng.random() < 0.15]
    insert(Risk.systems.through, links)
    actions = insert(RiskAction, _actions(rng, run, risks, owners, run.scale.split(run.scale.actions)[generated.index]))
    escalations = insert(Escalation, _escalations(rng, risks, info, timezone.now()))
    generated.extra["registers"] = [r.pk for r in registers]
    generated.extra["risks"] = [r.pk for r in risks if r.status == Risk.Status.OPEN]
    run.count("registers", len(registers))
    run.count("risks", len(risks))
    run.count("reviews", len(reviews))
    run.count("risk-system links", len(links))
    run.count("actions", len(actions))
    run.count("escalations", len(escalations))


def generate(run: Run) -> None:
    with run.step("risk registers"):
        for generated in run.organisations:
            _organisation(run, generated)
