"""Bench pages of the SLAs: one agreement's page and the partnership's page, each with its SQL floor.

The floors fetch the rows and columns each page shows with ``values_list``, scoped to the
agreement's two parties or the partnership's current members. The partnership page's figures
(performance by partner and month, value for money, charge by service) are each one grouped query
in ``slas.services``; the floor asks those queries themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from govtrack.models import Partnership, PartnershipMembership
from registers.models import Risk
from reporting.bench.core import Page, Subjects, Unavailable, url
from slas import periods, services
from slas.models import Agreement, Breach, Measurement, ServiceLine
from slas.views import PERIODS_SHOWN

LINE_COLUMNS = ("id", "service", "service_cy", "metric", "metric_cy", "reference", "unit", "target", "direction",
                "period", "charge", "position")
BREACH_COLUMNS = ("id", "service_line_id", "period", "actual", "target", "consecutive", "escalated_at",
                  "cleared_at", "service_line__service", "service_line__metric", "service_line__unit",
                  "risk__reference", "risk__title")


def sample_agreement(subjects: Subjects) -> Agreement:
    """The organisation's current agreement as a client (with its lines, figures and breaches)."""
    def find() -> Agreement:
        found = (Agreement.objects.filter(client=subjects.organisation, archived_at__isnull=True)
                 .order_by("-revision", "pk").first())
        if found is None:
            raise Unavailable("the organisation has no SLA (generate the data again)")
        return found
    return subjects.get("agreement", find)


def sample_partnership(subjects: Subjects) -> Partnership:
    """The partnership the organisation belongs to today (its SLAs are with the partnership's provider)."""
    def find() -> Partnership:
        current = PartnershipMembership.objects.current().filter(organisation=subjects.organisation)
        found = (Partnership.objects.filter(pk__in=current.values("partnership_id"), archived_at__isnull=True,
                                            provider__isnull=False).order_by("pk").first())
        if found is None:
            raise Unavailable("the organisation belongs to no partnership with a provider")
        return found
    return subjects.get("partnership", find)


def _window(agreement: Agreement, today: date) -> tuple[date, date] | None:
    """The months the agreement's page shows: the last twelve up to today (or its end), within its dates."""
    last = periods.month_start(min(today, agreement.effective_to) if agreement.effective_to else today)
    first = periods.add_months(last, -(PERIODS_SHOWN - 1))
    if agreement.effective_from and first < periods.month_start(agreement.effective_from):
        first = periods.month_start(agreement.effective_from)
    return (first, last) if first <= last else None


def agreement_floor(subjects: Subjects, response) -> Callable[[], Any]:
    agreement = sample_agreement(subjects)
    pk = agreement.pk
    history = Agreement.history.model

    def floor() -> None:
        list(Agreement.objects.filter(pk=pk).values_list(
            "title", "reference", "revision", "status", "effective_from", "effective_to", "review_on",
            "annual_charge", "users", "devices", "escalate_after", "memorandum", "summary", "summary_cy",
            "approved_at", "published_at", "client__name", "provider__name", "owner__first_name", "owner__last_name",
            "created_by__first_name", "created_by__last_name", "approved_by__first_name", "approved_by__last_name",
            "supersedes__title", "risk_register__name", "shared_with__name"))
        list(ServiceLine.objects.filter(agreement_id=pk).order_by("position", "pk").values_list(*LINE_COLUMNS))
        window = _window(agreement, timezone.localdate())
        if window:
            list(Measurement.objects.filter(service_line__agreement_id=pk, period__gte=window[0],
                                            period__lte=window[1]).values_list("service_line_id", "period", "actual"))
        list(Breach.objects.filter(service_line__agreement_id=pk).order_by("-period", "service_line_id")
             .values_list(*BREACH_COLUMNS)[:20])
        list(Risk.objects.filter(agreements=pk, archived_at__isnull=True).values_list(
            "id", "reference", "title", "current_likelihood", "current_impact", "register__name",
            "organisation__name"))
        list(Agreement.objects.filter(provider_id=agreement.provider_id, client_id=agreement.client_id,
                                      reference=agreement.reference).exclude(pk=pk).order_by("-revision")
             .values_list("pk", "title", "revision", "status"))
        list(history.objects.filter(id=pk).order_by("-history_date", "-history_id")[:31].values_list(
            "history_id", "history_date", "history_type", "history_change_reason", "history_user__first_name",
            "history_user__last_name", "title", "status", "review_on", "owner_id"))
    return floor


def partnership_floor(subjects: Subjects, response) -> Callable[[], Any]:
    partnership = sample_partnership(subjects)
    pk = partnership.pk

    def floor() -> None:
        today = timezone.localdate()
        list(Partnership.objects.filter(pk=pk).values_list("name", "slug", "description", "provider__name"))
        agreements = services.partnership_agreements(partnership)
        list(agreements.order_by("client__name", "-revision").values_list(
            "id", "title", "reference", "revision", "status", "effective_from", "effective_to", "review_on",
            "annual_charge", "client_id", "client__name"))
        last = periods.add_months(periods.month_start(today), -1)
        first = periods.add_months(last, -(PERIODS_SHOWN - 1))
        services.performance_by_partner_month(agreements=agreements, start=first, end=last)
        year_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        services.value_for_money(agreements=agreements, year_start=year_start)
        services.charge_by_service(agreements=agreements)
        list(Breach.objects.filter(cleared_at__isnull=True, service_line__agreement__in=agreements,
                                   period__gte=first, period__lte=last).order_by("-period", "service_line_id")
             .values_list(*BREACH_COLUMNS, "service_line__agreement__client__name")[:20])
        list(PartnershipMembership.objects.current(today).filter(partnership_id=pk)
             .values_list("organisation__name", "organisation__slug", "joined_on"))
    return floor


PAGES = [
    Page("SLA agreement page", "officer", kind="detail", floor=agreement_floor,
         url=lambda s: url(["slas:agreement_detail"], pk=sample_agreement(s).pk)),
    Page("SLA partnership page", "manager", kind="dashboard", floor=partnership_floor,
         url=lambda s: url(["slas:partnership"], slug=sample_partnership(s).slug)),
]
