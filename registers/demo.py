"""Demo risk registers: Monmouthshire's corporate, Social Care and Health and Flo project registers.

The risks are those the Wales Audit Office named in its 2016 follow-up review (P5): the
confidentiality of information in the new social care system, a developer (CMC2) with no
track record, CMC2 ceasing to trade, ongoing support for Flo, Health practitioners creating
duplicate records, and report formats. Scores, reviews and escalations are plausible, with
some reviews overdue and some risks ready to escalate. Idempotent: reviews and escalations
are only added to a risk that has none.

The trail keeps the story's dates: the registers were set up after the 2016 review (P5), each risk
is recorded on the day of its first assessment and each review on its day, by the risk's owner.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from govtrack.demo import ensure, happened, link, moment
from govtrack.models import Directorate, Organisation
from registers import scoring
from registers.models import Escalation, Register, Risk, RiskAction, RiskCategory, RiskMatrix

CATEGORIES = [
    ("Technology", 12), ("Information governance", 8), ("Financial", 12), ("Service delivery", 10),
    ("Reputational", 10), ("Legal and regulatory", 8), ("People", 12),
]

# Welsh names, as the council publishes them in both languages.
CATEGORY_NAMES_CY = {
    "Technology": "Technoleg", "Information governance": "Llywodraethu gwybodaeth", "Financial": "Ariannol",
    "Service delivery": "Darparu gwasanaethau", "Reputational": "Enw da",
    "Legal and regulatory": "Cyfreithiol a rheoleiddiol",
    "People": "Pobl",
}
REGISTER_NAMES_CY = {
    "corporate": "Cofrestr risg gorfforaethol",
    "social-care-and-health": "Cofrestr cyfarwyddiaeth Gofal Cymdeithasol ac Iechyd",
    "resources": "Cofrestr cyfarwyddiaeth Adnoddau",
    "enterprise": "Cofrestr cyfarwyddiaeth Menter",
    "flo": "Cofrestr prosiect system gofal cymdeithasol Flo",
    "digital-programme": "Cofrestr prosiect y rhaglen ddigidol",
}

# slug, name, level, directorate slug, parent slug, owner, threshold, status, description
REGISTERS = [
    ("corporate", "Corporate risk register", Register.Level.CORPORATE, "", "", "digital.manager", None,
     Register.Status.ACTIVE, "The council's strategic risks, reported to Cabinet and the Audit Committee."),
    ("social-care-and-health", "Social Care and Health directorate register", Register.Level.DIRECTORATE,
     "social-care-and-health", "corporate", "risk.officer", 15, Register.Status.ACTIVE,
     "Set up after the Wales Audit Office found the directorate had no register (P5)."),
    ("resources", "Resources directorate register", Register.Level.DIRECTORATE, "resources", "corporate",
     "digital.manager", 15, Register.Status.ACTIVE, "Includes Digital and Technology and the SRS relationship."),
    ("enterprise", "Enterprise directorate register", Register.Level.DIRECTORATE, "enterprise", "corporate",
     "digital.manager", 16, Register.Status.DRAFT, "Being developed."),
    ("flo", "Flo social care system project register", Register.Level.PROJECT, "social-care-and-health",
     "social-care-and-health", "risk.officer", 12, Register.Status.ACTIVE,
     "Replacement of the social services case management system with Flo, developed by CMC2."),
    ("digital-programme", "Digital programme project register", Register.Level.PROJECT, "resources", "resources",
     "digital.manager", 12, Register.Status.ACTIVE, "The iCounty digital business plan and its projects."),
]

# register, reference, title, cause, event, effect, category, owner, member owner,
# inherent (L, I), current (L, I), target (L, I), history of current (L, I) oldest first, review offset days,
# controls, actions [(description, days due from today, status)]
RISKS = [
    ("flo", "FLO-01", "Confidentiality of information held in Flo",
     "Sensitive social care and health records move to a new system shared with Health practitioners.",
     "Personal information is disclosed to people who should not see it.",
     "Harm to service users, ICO enforcement and loss of trust.",
     "Information governance", "risk.officer", "Cabinet Member for Social Care, Safeguarding and Health",
     (4, 5), (3, 5), (2, 4), [(4, 5), (3, 5)], 20,
     "Role-based access designed with the Information Governance team; privacy impact assessment; SRS penetration "
     "test before go-live.", [("Complete the privacy impact assessment sign-off with Health", 30, "in_progress")]),
    ("flo", "FLO-02", "Developer with no track record of complex case management systems",
     "Flo is developed by CMC2, a small company that has not built a system of this complexity before.",
     "The system does not meet requirements or is delivered late.",
     "Social workers keep using workarounds; the project overruns.",
     "Technology", "risk.officer", "", (4, 4), (3, 4), (2, 3), [(4, 4), (3, 4)], 45,
     "Fortnightly project board; staged acceptance testing; user group of practitioners.", []),
    ("flo", "FLO-03", "CMC2 ceasing to trade",
     "CMC2's future as a software developer is uncertain.",
     "CMC2 withdraws from the market and can no longer develop or support Flo.",
     "A complex and critical system with no supplier; no fixes or changes.",
     "Service delivery", "risk.officer", "Cabinet Member for Social Care, Safeguarding and Health",
     (4, 5), (4, 5), (2, 4), [(3, 4), (4, 4), (4, 5)], -20,
     "Source code held by the council; escrow agreement.",
     [("Agree transfer of Flo development and support from CMC2 to SRS", 60, "in_progress")]),
    ("flo", "FLO-04", "Ongoing support for Flo",
     "Support has to move from CMC2 to SRS, which has to recruit a software post.",
     "SRS cannot support Flo adequately.", "System faults are not fixed; care records unavailable.",
     "Service delivery", "risk.officer", "", (4, 4), (4, 4), (2, 3), [(4, 3), (4, 4)], 10,
     "SRS advertising for an additional software post; knowledge transfer sessions with CMC2.",
     [("Recruit the SRS software developer post", -14, "open")]),
    ("flo", "FLO-05", "Health practitioners creating duplicate records",
     "Health colleagues record in their own systems and in Flo; Flo does not fully meet their needs.",
     "Duplicate or conflicting records of the same person.",
     "Unsafe decisions; lost staff commitment to Flo.",
     "Service delivery", "risk.officer", "", (4, 4), (4, 3), (2, 2), [(3, 3), (4, 3)], -35,
     "Data quality reports each week.", []),
    ("flo", "FLO-06", "Report formats do not meet managers' and regulators' needs",
     "Flo's standard reports were designed for another council's processes.",
     "Managers cannot get the performance reports they need.", "Statutory returns late or wrong.",
     "Legal and regulatory", "risk.officer", "", (3, 3), (3, 2), (2, 2), [(3, 3), (3, 2)], 90,
     "Report specifications agreed with the performance team.",
     [("Specify the statutory return reports with CMC2/SRS", 45, "open")]),
    ("flo", "FLO-07", "Significant changes to working practices",
     "Flo changes how social workers record and share information.",
     "Staff do not adopt the new ways of working.", "Benefits are not realised.",
     "People", "risk.officer", "", (4, 3), (3, 3), (2, 2), [(3, 3)], 60,
     "Digital champions in each team; training plan.", [("Deliver training to all social care teams", 20, "done")]),
    ("social-care-and-health", "SCH-01", "Workforce capacity in adult social care",
     "Difficulty recruiting and keeping social workers and care staff.",
     "Not enough staff to meet assessed needs.", "Delayed assessments and care packages.",
     "People", "risk.officer", "Cabinet Member for Social Care, Safeguarding and Health",
     (4, 4), (4, 3), (3, 3), [(4, 4), (4, 3)], 30,
     "Recruitment campaign; market supplement for hard-to-fill posts.",
     [("Launch the grow-your-own social worker scheme", 90, "in_progress")]),
    ("social-care-and-health", "SCH-02", "Information sharing with the Health Board",
     "Different systems and agreements for sharing records between council and Health staff.",
     "Information is not shared when it should be.", "Unsafe or duplicated care.",
     "Information governance", "risk.officer", "", (4, 4), (3, 4), (2, 3), [(3, 4)], -60,
     "Wales Accord on the Sharing of Personal Information (WASPI) agreements.", []),
    ("corporate", "CR-01", "Schools do not have the IT infrastructure they need",
     "Ageing equipment and networks in schools.", "Schools cannot use digital learning.",
     "Pupils' attainment and the council's reputation suffer.",
     "Service delivery", "digital.manager", "Cabinet Member for Children and Young People",
     (4, 4), (3, 4), (2, 3), [(4, 4), (3, 4)], 40,
     "Schools ICT refresh programme; SRS education service.",
     [("Complete the schools network refresh", 120, "in_progress")]),
    ("corporate", "CR-02", "Insufficient ICT infrastructure and skills in the county",
     "Poor broadband coverage in rural areas and low digital skills.",
     "Residents and businesses cannot take part in a digital economy.",
     "Social and economic disadvantage.",
     "Reputational", "digital.manager", "Cabinet Member for Enterprise", (4, 4), (4, 3), (3, 3),
     [(4, 4), (4, 3)], 15, "Superfast Cymru roll-out; digital inclusion programme in libraries.",
     [("Publish the digital inclusion plan", 30, "open")]),
    ("corporate", "CR-03", "IT services from SRS without agreed service levels",
     "Commercial-grade SLAs with SRS exist only in draft (P3).",
     "The council cannot hold SRS to account for the service it receives.",
     "Poor service is not challenged; value for money cannot be shown.",
     "Financial", "digital.manager", "Cabinet Member for Resources", (4, 3), (4, 3), (2, 3),
     [(4, 3)], -10, "Fortnightly client-side meetings with SRS.", []),
    ("corporate", "CR-04", "Cyber attack disrupts council services",
     "Increasing ransomware and phishing attacks on public bodies.",
     "A successful attack encrypts or steals council data.", "Services stop; data is lost or published.",
     "Technology", "digital.manager", "Cabinet Member for Resources", (4, 5), (3, 5), (2, 5),
     [(3, 5)], 25, "PSN compliance; SRS security operations; staff awareness training.",
     [("Run a cyber incident exercise with SRS", 50, "open")]),
    ("resources", "RES-01", "No complete record of the council's systems",
     "Information about the ~80 systems is spread across many places (P4).",
     "Decisions on systems are taken without contract, cost or owner information.",
     "Duplicated spend and missed contract notice dates.",
     "Financial", "digital.manager", "", (4, 3), (3, 3), (1, 3), [(4, 3), (3, 3)], 70,
     "Systems catalogue being built in govtrack.", [("Complete the systems catalogue", 60, "in_progress")]),
    ("digital-programme", "DP-01", "Business plan actions not measurable",
     "The digital business plan lacks measurable actions and timescales (P1).",
     "Progress cannot be shown to members.", "Select committee cannot scrutinise delivery.",
     "Reputational", "digital.manager", "", (3, 3), (3, 3), (2, 2), [(3, 3)], 35,
     "Actions being rewritten with targets.", []),
]

#: The registers were set up after the Wales Audit Office's 2016 follow-up review (P5).
REGISTERS_SET_UP = date(2016, 10, 3)

NEWPORT_RISKS = [
    ("NCC-01", "Legacy revenues and benefits system out of support", "Technology", (4, 4), (3, 4)),
    ("NCC-02", "Loss of key ICT client-side staff", "People", (3, 3), (3, 3)),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _matrix(org: Organisation, by) -> RiskMatrix:
    with happened(REGISTERS_SET_UP, by=by):
        return RiskMatrix.for_organisation(org)


def _categories(matrix: RiskMatrix, by) -> dict[str, RiskCategory]:
    return {name: ensure(RiskCategory, matrix=matrix, name=name,
                         defaults={"appetite": appetite, "name_cy": CATEGORY_NAMES_CY.get(name, "")},
                         on=REGISTERS_SET_UP, by=by)
            for name, appetite in CATEGORIES}


def _registers(org: Organisation) -> dict[str, Register]:
    registers: dict[str, Register] = {}
    for slug, name, level, directorate, parent, owner, threshold, status, description in REGISTERS:
        registers[slug] = ensure(Register, organisation=org, slug=slug, defaults={
            "name": name, "name_cy": REGISTER_NAMES_CY.get(slug, ""), "level": level, "owner": _user(owner),
            "escalation_threshold": threshold,
            "status": status, "description": description, "parent": registers.get(parent),
            "directorate": Directorate.objects.filter(organisation=org, slug=directorate).first(),
        }, on=REGISTERS_SET_UP, by=_user(owner))
    return registers


def _risk(org, register, categories, row, today) -> tuple[Risk, bool]:
    (_reg, ref, title, cause, event, effect, category, owner, member, inherent, current, target, history,
     review_offset, controls, actions) = row
    reviewer = _user(owner)
    matrix = RiskMatrix.for_organisation(org)
    # The last review sets the next review date (as every review does), so it is dated for the next one
    # to fall on the demo's date: an overdue risk was reviewed a band's interval before its missed date.
    band = matrix.band_for(scoring.score(*history[-1]))
    interval = band.review_days if band else 365
    last = min(today + timedelta(days=review_offset - interval), today - timedelta(days=1))
    reviewed = [last - timedelta(days=90 * (len(history) - 1 - index)) for index in range(len(history))]
    with happened(reviewed[0], by=reviewer):  # recorded at its first assessment
        risk, created = Risk.objects.get_or_create(register=register, reference=ref, defaults={
            "organisation": org, "title": title, "cause": cause, "event": event, "effect": effect,
            "category": categories[category], "officer_owner": reviewer, "member_owner": member,
            "inherent_likelihood": inherent[0], "inherent_impact": inherent[1],
            "current_likelihood": history[0][0], "current_impact": history[0][1],
            "target_likelihood": target[0], "target_impact": target[1], "existing_controls": controls,
        })
    if created:
        for index, ((likelihood, impact), day) in enumerate(zip(history, reviewed, strict=True)):
            with happened(day, by=reviewer):
                risk.record_review(by=reviewer, reviewed_on=day, current_likelihood=likelihood,
                                   current_impact=impact, target_likelihood=target[0], target_impact=target[1],
                                   matrix=matrix,
                                   note="Reviewed at the project board." if index else "First assessment.")
        with happened(last, by=reviewer):  # agreed at the last review
            for description, due, status in actions:
                RiskAction.objects.create(risk=risk, description=description, owner=reviewer,
                                          due_on=today + timedelta(days=due), status=status)
    return risk, created


def _escalations(risks: dict[str, Risk], registers: dict[str, Register]) -> None:
    officer, manager = _user("risk.officer"), _user("digital.manager")
    flo, sch, corporate = registers["flo"], registers["social-care-and-health"], registers["corporate"]
    plan = [
        # risk, from, to, status, reason, decision reason
        ("FLO-03", flo, sch, Escalation.Status.ACCEPTED, "Score 20 reached the Flo threshold of 12.",
         "Accepted: the directorate must track the supplier's position."),
        ("FLO-03", sch, corporate, Escalation.Status.PROPOSED,
         "Score 20 reached the directorate threshold of 15: a critical system may lose its supplier.", ""),
        ("FLO-04", flo, sch, Escalation.Status.ACCEPTED, "Score 16 reached the Flo threshold of 12.",
         "Accepted with FLO-03."),
        ("FLO-01", flo, sch, Escalation.Status.PROPOSED, "Score 15 reached the Flo threshold of 12.", ""),
        ("FLO-02", flo, sch, Escalation.Status.REJECTED, "Score 12 reached the Flo threshold of 12.",
         "Managed within the project: the supplier risk is covered by FLO-03 on this register."),
    ]
    for ref, from_register, to_register, status, reason, decision in plan:
        risk = risks[ref]
        if Escalation.objects.filter(risk=risk, to_register=to_register).exists():
            continue
        decided = status != Escalation.Status.PROPOSED
        # Proposed at the review whose score reached the threshold; decided a week later.
        proposed_on = risk.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
        proposed_at = moment(proposed_on) if proposed_on else timezone.now()
        decided_at = min(proposed_at + timedelta(days=7), timezone.now()) if decided else None
        decider = (officer if to_register == sch else manager) if decided else None
        with happened(decided_at or proposed_at, by=decider):
            Escalation.objects.create(
                risk=risk, from_register=from_register, to_register=to_register, status=status,
                kind=Escalation.Kind.AUTOMATIC, score=risk.current_score, reason=reason, proposed_at=proposed_at,
                decided_by=decider, decided_at=decided_at, decision_reason=decision,
            )


def _link_systems(risks: dict[str, Risk], org: Organisation) -> None:
    try:
        from systems_catalogue.models import System
    except ImportError:  # pragma: no cover - the catalogue is always installed with registers
        return
    flo = System.objects.filter(organisation=org, name__istartswith="Flo").first()
    if flo is not None:
        for ref in ("FLO-01", "FLO-03", "FLO-04", "FLO-05"):
            link(risks[ref], "systems", [*risks[ref].systems.all(), flo], by=risks[ref].officer_owner)


def _newport(today) -> int:
    org = Organisation.objects.filter(slug="newport").first()
    if org is None:
        return 0
    officer = _user("newport.officer")
    matrix = _matrix(org, officer)
    categories = _categories(matrix, officer)
    register = ensure(Register, organisation=org, slug="corporate", defaults={
        "name": "Corporate risk register", "level": Register.Level.CORPORATE, "owner": officer,
        "status": Register.Status.ACTIVE}, on=REGISTERS_SET_UP, by=officer)
    for ref, title, category, inherent, current in NEWPORT_RISKS:
        with happened(REGISTERS_SET_UP, by=officer):
            Risk.objects.get_or_create(register=register, reference=ref, defaults={
                "organisation": org, "title": title, "category": categories[category],
                "officer_owner": officer, "inherent_likelihood": inherent[0],
                "inherent_impact": inherent[1], "current_likelihood": current[0], "current_impact": current[1],
                "review_date": today + timedelta(days=40)})
    return len(NEWPORT_RISKS)


def load() -> list[str]:
    org = Organisation.objects.filter(slug="monmouthshire").first()
    if org is None:
        return []
    today = timezone.localdate()
    matrix = _matrix(org, _user("digital.manager"))
    categories = _categories(matrix, _user("digital.manager"))
    registers = _registers(org)
    risks = {row[1]: _risk(org, registers[row[0]], categories, row, today)[0] for row in RISKS}
    _escalations(risks, registers)
    _link_systems(risks, org)
    newport = _newport(today)
    return [f"{len(registers) + 1} risk registers with {len(risks) + newport} risks "
            f"(Monmouthshire corporate, Social Care and Health, Flo project; Newport corporate)."]
