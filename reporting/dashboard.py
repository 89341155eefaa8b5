"""A board's dashboard of one organisation, and the partnership's: what is red, what moved, who owns it.

Built from the domain apps' own queries in a fixed number of queries, whatever the data's size.
The same ``Dashboard`` fills the page and the board pack, so the two never disagree. Every list
holds its first rows (``SAMPLE``) and its total, and the page links each total to its records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from boards.models import Board
from boards.services import Conflict
from boards.services import conflicts as board_conflicts
from govtrack import charts, deadlines, pages
from govtrack.models import Organisation, Partnership
from proposals import rag as proposal_rag
from proposals.models import Proposal
from registers import services as registers
from registers.models import Escalation, Risk, RiskAction, RiskMatrix, RiskQuerySet
from reporting import services as gaps_service
from slas.models import Agreement, Breach
from slas.services import performance_by_partner_month
from systems_catalogue import completeness
from systems_catalogue.models import Contract, ContractQuerySet, System
from systems_catalogue.services import months_ahead

#: Rows shown of each list on a dashboard; its total is always counted.
SAMPLE = 10
#: "Contracts ending within 12 months" (DESIGN.md): the horizon, in months.
CONTRACT_MONTHS = 12
#: When no board meeting says otherwise, movement is shown since this many days ago.
DEFAULT_SINCE_DAYS = 90
#: SLA performance is shown for this many months, the latest last.
SLA_MONTHS = 6

OPEN_ACTION = [RiskAction.Status.OPEN, RiskAction.Status.IN_PROGRESS]


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_SINCE_DAYS)


def _seen(queryset: QuerySet, user) -> QuerySet:
    """What the person may see of it; a pack (no person) shows the organisation's records to its board."""
    return queryset if user is None else queryset.visible_to(user)


@dataclass
class Dashboard:
    """Every section of an organisation's dashboard, computed once for the page and the pack."""

    organisation: Organisation
    today: date
    since: date
    matrix: RiskMatrix
    heat_counts: Counter = field(default_factory=Counter)
    top_risks: list[Risk] = field(default_factory=list)
    escalations_waiting: list[Escalation] = field(default_factory=list)
    movement: registers.Movement | None = None
    overdue_reviews: list[Risk] = field(default_factory=list)
    overdue_actions: list[RiskAction] = field(default_factory=list)
    contracts_ending: list[Contract] = field(default_factory=list)
    notice_passed: list[Contract] = field(default_factory=list)
    completeness_rows: list[dict] = field(default_factory=list)
    completeness_total: dict = field(default_factory=dict)
    gaps: gaps_service.GovernanceGaps | None = None
    sla_months: list[dict] = field(default_factory=list)
    open_breaches: list[Breach] = field(default_factory=list)
    proposal_rag: list[tuple[str, str, int]] = field(default_factory=list)
    red_proposals: list[Proposal] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def open_risks(self) -> int:
        return sum(self.heat_counts.values())

    @property
    def heat_table(self) -> list[dict]:
        return registers.heat_table(matrix=self.matrix, counts=self.heat_counts)

    def heat_map(self, *, link: str = "#heat-table") -> str:
        return registers.heat_map(
            matrix=self.matrix, counts=self.heat_counts, link=link,
            title=_("Heat map of the open risks of %(organisation)s") % {"organisation": self.organisation})

    def band_counts(self) -> list[tuple[object, int]]:
        """(band, open risks in it), highest band first: the summary a board reads first."""
        counts: Counter = Counter()
        for (likelihood, impact), n in self.heat_counts.items():
            band = self.matrix.band_for(likelihood * impact)
            counts[band.pk if band else None] += n
        return [(band, counts.get(band.pk, 0)) for band in reversed(self.matrix.band_list)]

    def completeness_chart(self) -> str:
        bars = [charts.Bar(label=row["directorate__name"] or _("No directorate"), value=row["fields_percent"],
                           text=f'{row["fields_percent"]}%',
                           fill="#00703c" if row["fields_percent"] == 100 else "#1d70b8")
                for row in self.completeness_rows]
        return charts.bar_chart(
            title=_("Catalogue completeness by directorate"), bars=bars, maximum=100,
            description=_("The share of the required fields filled in for each directorate's systems; "
                          "the table that follows gives the figures."))


#: Each list behind a dashboard figure: its heading and the kind of row it holds (for the records page).
SECTIONS = {
    "escalations_waiting": ("escalation", _lazy("Escalations waiting for a decision")),
    "overdue_reviews": ("risk", _lazy("Risks past their review date")),
    "overdue_actions": ("action", _lazy("Actions past their due date")),
    "contracts_ending": ("contract", _lazy("Contracts ending, or needing notice, within 12 months")),
    "notice_passed": ("contract", _lazy("Contracts whose notice date has passed")),
    "new": ("risk", _lazy("New risks")),
    "closed": ("risk", _lazy("Closed risks")),
    "up": ("risk", _lazy("Risks re-scored up")),
    "down": ("risk", _lazy("Risks re-scored down")),
    "decisions": ("escalation", _lazy("Escalation decisions")),
}


def _risks(organisation: Organisation, user) -> QuerySet:
    """The organisation's open risks as the person may see them, with what their rows show."""
    return (_seen(Risk.objects.open(), user).for_organisation(organisation).with_scores()
            .select_related("register", "register__organisation", "officer_owner", "category"))


def _overdue_reviews(organisation: Organisation, today: date, user) -> QuerySet:
    return _risks(organisation, user).review_overdue(today).order_by("review_date", "pk")


def _heat_counts(risks: QuerySet) -> tuple[Counter, int]:
    """The heat map's counts (likelihood, impact) → open risks, and how many of those risks are above their
    category's appetite with no open action (a governance gap), in one grouped query."""
    cells = (risks.with_scores().order_by().values("current_likelihood", "current_impact")
             .annotate(n=Count("pk"), above=Count("pk", filter=RiskQuerySet.above_appetite_without_action_q())))
    counts, above = Counter(), 0
    for cell in cells:
        counts[(cell["current_likelihood"], cell["current_impact"])] = cell["n"]
        above += cell["above"]
    return counts, above


def _contracts(organisation: Organisation, user) -> QuerySet:
    return (_seen(Contract.objects.active(), user).for_organisation(organisation).with_notice_on()
            .filter(system__archived_at__isnull=True).select_related("system", "system__owner", "supplier"))


def _contract_lists(today: date) -> dict[str, tuple[Q, tuple[str, ...]]]:
    """The lists of contracts on a dashboard: each one's condition and order."""
    ending = ContractQuerySet.ending_within_q(days=(months_ahead(today, CONTRACT_MONTHS) - today).days, today=today)
    return {
        "contracts_ending": (ending, ("notice_on", "end_on", "pk")),
        "notice_passed": (Q(notice_on__lt=today, end_on__gte=today), ("end_on", "pk")),
    }


def section_querysets(*, organisation: Organisation, today: date, since: date, user=None) -> dict[str, QuerySet]:
    """Every list behind a dashboard figure, as a query: the page shows the first rows, the records page all."""
    contracts = _contracts(organisation, user)
    escalations = _seen(Escalation.objects, user).filter(risk__organisation=organisation)
    moved = registers.movement_querysets(_seen(Risk.objects.active(), user).for_organisation(organisation),
                                         since=since)
    return {
        "escalations_waiting": _escalations_waiting(organisation, user),
        "overdue_reviews": _overdue_reviews(organisation, today, user),
        "overdue_actions": _overdue_actions(organisation, today, user),
        **{name: contracts.filter(condition).order_by(*order)
           for name, (condition, order) in _contract_lists(today).items()},
        **moved,
        "decisions": registers.escalation_decisions(escalations, since=since),
    }


def _escalations_waiting(organisation: Organisation, user) -> QuerySet:
    return (_seen(Escalation.objects, user).filter(risk__organisation=organisation).active().pending()
            .select_related("risk", "from_register", "to_register", "to_register__owner").order_by("proposed_at", "pk"))


def _overdue_actions(organisation: Organisation, today: date, user) -> QuerySet:
    return (_seen(RiskAction.objects, user)
            .filter(risk__organisation=organisation, risk__archived_at__isnull=True, status__in=OPEN_ACTION)
            .filter(deadlines.overdue("due_on", today)).select_related("risk", "owner").order_by("due_on", "pk"))


def organisation_dashboard(*, organisation: Organisation, today: date, since: date | None = None,
                           user=None, sample: int = SAMPLE) -> Dashboard:
    """The dashboard of one organisation as ``user`` may see it (all of it, for a board pack)."""
    since = since or default_since(today)
    matrix = RiskMatrix.for_organisation(organisation)
    board = Dashboard(organisation=organisation, today=today, since=since, matrix=matrix)
    # Every figure of the same records is asked together: the heat map's counts with the risks above
    # appetite without action (a gap shown as a number), the lists of contracts in one query, the risks past
    # review once for the board's list and the gap. A person who may see the organisation sees all its
    # risks, so the gaps drawn from them are the organisation's gaps.
    board.heat_counts, above_appetite = _heat_counts(_seen(Risk.objects.open(), user).for_organisation(organisation))
    board.top_risks = list(_risks(organisation, user).order_by("-current_score_db", "review_date", "reference")
                           [:sample])
    for risk in board.top_risks:
        risk.band = matrix.band_for(risk.current_score)
    board.overdue_reviews, board.totals["overdue_reviews"] = pages.first_and_total(
        _overdue_reviews(organisation, today, user), sample)
    for name, (rows, total) in pages.first_and_totals(_contracts(organisation, user), _contract_lists(today),
                                                      sample).items():
        setattr(board, name, rows)
        board.totals[name] = total
    board.escalations_waiting, board.totals["escalations_waiting"] = pages.first_and_total(
        _escalations_waiting(organisation, user), sample)
    board.overdue_actions, board.totals["overdue_actions"] = pages.first_and_total(
        _overdue_actions(organisation, today, user), sample)
    board.movement = registers.movement(
        _seen(Risk.objects.active(), user).for_organisation(organisation), since=since, limit=sample,
        escalations=_seen(Escalation.objects, user).filter(risk__organisation=organisation))
    systems = _seen(System.objects.active(), user).for_organisation(organisation)
    board.completeness_rows = completeness.estate_by_directorate(systems)
    board.completeness_total = completeness.estate_total(board.completeness_rows)
    board.gaps = gaps_service.governance_gaps(
        organisation=organisation, today=today, limit=sample,
        known={"overdue_reviews": (board.overdue_reviews, board.totals["overdue_reviews"]),
               "above_appetite_without_action": ([], above_appetite)})
    _sla_performance(board, user=user, sample=sample)
    _proposals_by_rag(board, user=user, sample=sample)
    boards = _seen(Board.objects.active(), user).filter(organisation=organisation)
    board.conflicts = board_conflicts(boards=boards, today=today)
    return board


def _sla_performance(board: Dashboard, *, user, sample: int) -> None:
    """Targets met per month over the agreed SLAs the organisation is a party to, and the open breaches."""
    current = _seen(Agreement.objects.current(), user).for_organisation(board.organisation)
    agreements = current.agreed()
    board.totals["unagreed_slas"] = current.exclude(status=Agreement.Status.AGREED).count()
    start = months_ahead(board.today.replace(day=1), -(SLA_MONTHS - 1))
    by_month: dict[date, list[int]] = {}
    for figure in performance_by_partner_month(agreements=agreements, start=start, end=board.today):
        measured_met = by_month.setdefault(figure.period, [0, 0])
        measured_met[0] += figure.measured
        measured_met[1] += figure.met
    board.sla_months = [{"period": period, "measured": measured, "met": met,
                         "percent": round(100 * met / measured) if measured else None}
                        for period, (measured, met) in sorted(by_month.items())]
    breaches = (Breach.objects.open().filter(service_line__agreement__in=agreements).for_pages()
                .order_by("-period", "pk"))
    board.open_breaches, board.totals["open_breaches"] = pages.first_and_total(breaches, sample)


def _proposals_by_rag(board: Dashboard, *, user, sample: int) -> None:
    """Open audit proposals of the organisation by the RAG of their worst open action, and the red ones."""
    proposals = (_seen(Proposal.objects.active(), user).for_organisation(board.organisation)
                 .exclude(decision__in=[Proposal.Decision.CLOSED, Proposal.Decision.SUPERSEDED])
                 .with_tracker(board.today))
    ranks = {name: proposal_rag.RANK[name] for name in (proposal_rag.RED, proposal_rag.AMBER, proposal_rag.GREEN)}
    # One query: the red ones first (the rows shown), with each RAG's count over them all (window counts).
    rows = list(
        proposals.select_related("source", "owner")
        .annotate(**{f"gt_{name}": Window(Count("pk", filter=Q(rag_rank_db=rank))) for name, rank in ranks.items()})
        .order_by(F("rag_rank_db").desc(nulls_last=True), "earliest_overdue_db", "code", "pk")[:sample])
    counts = {name: getattr(rows[0], f"gt_{name}") if rows else 0 for name in ranks}
    board.proposal_rag = [(name, proposal_rag.LABELS[name], counts[name]) for name in ranks]
    board.totals["red_proposals"] = counts[proposal_rag.RED]
    board.red_proposals = [row for row in rows if row.rag_rank_db == ranks[proposal_rag.RED]]


def section_context(board: Dashboard, *, base: str = "") -> dict:
    """What the section templates need, on the page and in the pack (``base``: the site's address, for a PDF)."""
    slug = board.organisation.slug
    risks_url = reverse("reporting:risk_list", args=[slug])
    return {
        "board": board, "base": base, "risks_url": risks_url, "cell_url": f"{base}{risks_url}?",
        "records_url": base + reverse("reporting:records", args=[slug, "new"]).removesuffix("new/"),
        "heat_map": board.heat_map(), "completeness_chart": board.completeness_chart(),
    }


@dataclass
class PartnerRow:
    """One partner's figures on the partnership's dashboard."""

    organisation: Organisation
    open_risks: int = 0
    above_threshold: int = 0
    overdue_reviews: int = 0
    escalations_waiting: int = 0
    contracts_ending: int = 0
    systems: int = 0
    completeness: int | None = None


@dataclass
class PartnershipDashboard:
    partnership: Partnership
    today: date
    rows: list[PartnerRow] = field(default_factory=list)
    hidden: int = 0


def _by_organisation(queryset: QuerySet, path: str, **counts) -> dict[int, dict]:
    rows = queryset.order_by().values(path).annotate(**counts)
    return {row[path]: row for row in rows}


def partnership_dashboard(*, partnership: Partnership, today: date, user) -> PartnershipDashboard:
    """Each partner's figures that this person may see, side by side: grouped queries, not one per partner."""
    members = list(partnership.members_on(today).order_by("name"))
    if partnership.provider_id and partnership.provider not in members:
        members.append(partnership.provider)
    ids = [m.pk for m in members]
    risks = _seen(Risk.objects.open(), user).filter(organisation__in=ids)
    risk_rows = _by_organisation(
        risks.with_scores(), "organisation",
        open_risks=Count("pk"),
        above=Count("pk", filter=Q(current_score_db__gte=F("register__escalation_threshold"))),
        overdue=Count("pk", filter=deadlines.overdue("review_date", today)),
    )
    waiting = _by_organisation(_seen(Escalation.objects.active().pending(), user).filter(risk__organisation__in=ids),
                               "risk__organisation", n=Count("pk"))
    horizon = (months_ahead(today, CONTRACT_MONTHS) - today).days
    ending = _by_organisation(
        _seen(Contract.objects.active(), user).filter(system__organisation__in=ids, system__archived_at__isnull=True)
        .ending_within(days=horizon, today=today), "system__organisation", n=Count("pk"))
    estate = completeness.estate_by_directorate(_seen(System.objects.active(), user).filter(organisation__in=ids))
    by_name: dict[str, list[dict]] = {}
    for row in estate:
        by_name.setdefault(row["organisation__name"], []).append(row)
    visible = set(ids) if user is None or user.is_superuser else set(
        Organisation.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    board = PartnershipDashboard(partnership=partnership, today=today)
    for member in members:
        if member.pk not in visible:
            board.hidden += 1
            continue
        r = risk_rows.get(member.pk, {})
        total = completeness.estate_total(by_name.get(member.name, [])) if member.name in by_name else None
        board.rows.append(PartnerRow(
            organisation=member, open_risks=r.get("open_risks", 0), above_threshold=r.get("above", 0),
            overdue_reviews=r.get("overdue", 0), escalations_waiting=waiting.get(member.pk, {}).get("n", 0),
            contracts_ending=ending.get(member.pk, {}).get("n", 0),
            systems=total["systems"] if total else 0, completeness=total["fields_percent"] if total else None,
        ))
    return board
