"""Bench pages of reporting's own pages: the organisation's dashboard and its board packs.

The dashboard's floor fetches each section's first rows (``SAMPLE``) with ``values_list`` and counts
its total, as the page does. Where a section is already one grouped query in its app (the heat
map's counts, the catalogue's completeness, SLA performance by month, risk movement, conflicts of
interest), the floor asks that query itself: there is nothing smaller that gives the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from boards.models import Board
from boards.services import conflicts
from govtrack import deadlines
from govtrack.models import PartnershipMembership
from proposals import rag
from proposals.models import Proposal
from registers import services as registers
from registers.models import Escalation, Risk, RiskAction
from reporting import dashboard
from reporting.bench.core import Page, Subjects, url
from reporting.models import BoardPack
from reporting.services import gap_querysets
from slas.models import Agreement, Breach
from slas.services import performance_by_partner_month
from systems_catalogue import completeness
from systems_catalogue.models import Contract, System
from systems_catalogue.services import months_ahead

SAMPLE = dashboard.SAMPLE
RISK_ROW = ("id", "reference", "title", "register__name", "register__slug", "officer_owner__first_name",
            "officer_owner__last_name", "category__name", "current_likelihood", "current_impact", "review_date")
CONTRACT_ROW = ("id", "reference", "title", "system__name", "system__owner__first_name", "system__owner__last_name",
                "supplier__name", "end_on", "notice_on")


def _rows_and_total(queryset, columns: tuple[str, ...]) -> None:
    list(queryset.values_list(*columns)[:SAMPLE])
    queryset.count()


def _risks(org: int, today: date, since: date) -> None:
    open_risks = Risk.objects.filter(organisation_id=org, archived_at__isnull=True, status=Risk.Status.OPEN)
    registers.heat_map_counts(open_risks)
    list(open_risks.annotate(score=F("current_likelihood") * F("current_impact"))
         .order_by("-score", "review_date", "reference").values_list(*RISK_ROW)[:SAMPLE])
    escalations = Escalation.objects.filter(risk__organisation_id=org, risk__archived_at__isnull=True)
    _rows_and_total(escalations.filter(status=Escalation.Status.PROPOSED).order_by("proposed_at", "pk"),
                    ("id", "risk__reference", "risk__title", "from_register__name", "to_register__name",
                     "to_register__owner__first_name", "to_register__owner__last_name", "proposed_at"))
    _rows_and_total(open_risks.filter(deadlines.overdue("review_date", today)).order_by("review_date", "pk"),
                    RISK_ROW)
    _rows_and_total(RiskAction.objects.filter(risk__organisation_id=org, risk__archived_at__isnull=True,
                                              status__in=dashboard.OPEN_ACTION)
                    .filter(deadlines.overdue("due_on", today)).order_by("due_on", "pk"),
                    ("id", "description", "due_on", "risk__reference", "risk__title", "owner__first_name",
                     "owner__last_name"))
    registers.movement(Risk.objects.filter(organisation_id=org, archived_at__isnull=True), since=since,
                       limit=SAMPLE, escalations=escalations)


def _catalogue(org: int, today: date) -> None:
    contracts = (Contract.objects.filter(system__organisation_id=org, archived_at__isnull=True,
                                         system__archived_at__isnull=True))
    horizon = (months_ahead(today, dashboard.CONTRACT_MONTHS) - today).days
    _rows_and_total(contracts.ending_within(days=horizon, today=today).order_by("notice_on", "end_on", "pk"),
                    CONTRACT_ROW)
    _rows_and_total(contracts.with_notice_on().filter(notice_on__lt=today, end_on__gte=today)
                    .order_by("end_on", "pk"), CONTRACT_ROW)
    completeness.estate_by_directorate(System.objects.filter(organisation_id=org, archived_at__isnull=True))


def _gaps(organisation, today: date) -> None:
    """The gaps as the dashboard shows them: directorates and critical systems by name with their numbers, the
    risks above appetite without action as a number (the risks past review are the dashboard's own list)."""
    queries = gap_querysets(organisation=organisation, today=today)
    _rows_and_total(queries["directorates_without_register"], ("name", "slug"))
    _rows_and_total(queries["critical_systems_without_risk"], ("pk", "name"))
    queries["above_appetite_without_action"].count()


def _slas_proposals_boards(organisation, today: date) -> None:
    org = organisation.pk
    current = (Agreement.objects.filter(Q(client_id=org) | Q(provider_id=org), archived_at__isnull=True)
               .exclude(status__in=[Agreement.Status.SUPERSEDED, Agreement.Status.EXPIRED]))
    current.exclude(status=Agreement.Status.AGREED).count()
    agreed = current.filter(status=Agreement.Status.AGREED)
    start = months_ahead(today.replace(day=1), -(dashboard.SLA_MONTHS - 1))
    performance_by_partner_month(agreements=agreed, start=start, end=today)
    _rows_and_total(Breach.objects.filter(cleared_at__isnull=True, service_line__agreement__in=agreed)
                    .order_by("-period", "pk"),
                    ("id", "period", "actual", "target", "consecutive", "service_line__service",
                     "service_line__metric", "service_line__unit", "service_line__agreement__title"))
    proposals = (Proposal.objects.filter(source__organisation_id=org, archived_at__isnull=True)
                 .exclude(decision__in=[Proposal.Decision.CLOSED, Proposal.Decision.SUPERSEDED])
                 .with_tracker(today))
    list(proposals.order_by().values_list("rag_rank_db").annotate(n=Count("pk")))
    list(proposals.filter(rag_rank_db=rag.RANK[rag.RED]).order_by("earliest_overdue_db", "code", "pk")
         .values_list("id", "code", "title", "source__title", "owner__first_name", "owner__last_name",
                      "earliest_overdue_db")[:SAMPLE])
    conflicts(boards=Board.objects.filter(organisation_id=org, archived_at__isnull=True), today=today)


def dashboard_floor(subjects: Subjects, response) -> Callable[[], Any]:
    organisation = subjects.organisation

    def floor() -> None:
        today = timezone.localdate()
        _risks(organisation.pk, today, dashboard.default_since(today))
        _catalogue(organisation.pk, today)
        _gaps(organisation, today)
        _slas_proposals_boards(organisation, today)
    return floor


def packs_floor(subjects: Subjects, response) -> Callable[[], Any]:
    """The organisation's packs (the page's first 25) with their count, and the boards the form offers."""
    org = subjects.organisation.pk

    def floor() -> None:
        packs = BoardPack.objects.filter(organisation_id=org)
        packs.count()
        list(packs.order_by("-meeting_date", "-created_at", "-pk").values_list(
            "id", "title", "meeting_date", "language", "status", "error", "issued_at", "built_at",
            "requested_by__first_name", "requested_by__last_name")[:25])
        partnerships = PartnershipMembership.objects.current().filter(organisation_id=org).values("partnership_id")
        list(Board.objects.filter(archived_at__isnull=True).filter(
            Q(organisation_id=org) | Q(organisation__isnull=True, partnership__in=partnerships)
            | Q(organisation__isnull=True, partnership__provider_id=org)).order_by("name", "pk")
            .values_list("id", "name"))
    return floor


def _org(subjects: Subjects) -> str:
    return subjects.organisation.slug


PAGES = [
    Page("Organisation dashboard", "manager", kind="dashboard", floor=dashboard_floor,
         url=lambda s: url(["reporting:dashboard"], org=_org(s))),
    Page("Board packs list", "manager", kind="list", floor=packs_floor,
         url=lambda s: url(["reporting:pack_list"], org=_org(s))),
]
