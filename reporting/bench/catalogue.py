"""Bench pages of the systems catalogue, each with the SQL floor for the data it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reporting.bench.core import Page, Subjects, url
from systems_catalogue.models import CatalogueSettings, Contract, System

SYSTEM_COLUMNS = (
    "id", "organisation__slug", "name", "purpose", "directorate_id", "service_area", "owner_id", "supplier_id",
    "product", "hosting", "lifecycle", "criticality", "personal_data", "url", "end_of_support_on",
    "last_reviewed_on", "archived_at",
)
CONTRACT_COLUMNS = (
    "id", "system_id", "reference", "title", "supplier_id", "awarded_on", "start_on", "end_on",
    "notice_period_days", "renewal_terms", "annual_licence_cost", "annual_support_cost", "annual_hosting_cost",
    "one_off_cost", "total_value", "procurement_route", "notice_url", "archived_at",
)


def api_systems_floor(subjects: Subjects, response) -> Callable[[], Any]:
    """The systems, their capabilities, partners and live contracts, and what the organisation requires.

    Completeness is worked out from these rows; the page computes it in SQL instead.
    """
    n, org_ids = len(response.json()["results"]), [subjects.organisation.pk]

    def floor() -> None:
        systems = System.objects.filter(organisation_id__in=org_ids, archived_at__isnull=True)
        systems.count()
        ids = [row[0] for row in systems.order_by("name").values_list(*SYSTEM_COLUMNS)[:n]]
        list(System.capabilities.through.objects.filter(system_id__in=ids).values_list("system_id", "capability__slug"))
        list(System.shared_with.through.objects.filter(system_id__in=ids)
             .values_list("system_id", "organisation__slug"))
        list(Contract.objects.filter(system_id__in=ids, archived_at__isnull=True).values_list(*CONTRACT_COLUMNS))
        list(CatalogueSettings.objects.filter(organisation_id__in=org_ids).values_list("organisation_id",
                                                                                       "required_fields"))
    return floor


PAGES = [
    Page("API systems list (100)", "officer", kind="api-list", floor=api_systems_floor,
         url=lambda s: url(["system-list"], query="page_size=100")),
]
