"""Bench pages of the start page, search and the checks page, each with the SQL floor of what it shows.

The floors fetch the same rows with ``values_list``, scoped as the persona's session is. The start
page's dates come from the dates registry, whose sources are already one bounded query each, so
its floor asks the registry itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from govtrack import search as site_search
from govtrack.dates import dated
from govtrack.models import CheckRun
from registers.models import Escalation
from reporting import start
from reporting.bench.core import Page, Subjects, url
from slas.models import Agreement

SEARCH_TEXT = "system"


def _start_floor(persona: str) -> Callable[[Subjects, Any], Callable[[], Any]]:
    def prepare(subjects: Subjects, response) -> Callable[[], Any]:
        person, organisation = subjects.personas[persona], subjects.organisation

        def floor() -> None:
            escalations = Escalation.objects.filter(
                to_register__organisation=organisation, status=Escalation.Status.PROPOSED)
            list(escalations.order_by("proposed_at", "pk").values_list(
                "pk", "proposed_at", "risk__reference", "risk__title", "to_register__name")[:start.SHOWN])
            escalations.count()
            approvals = Agreement.objects.filter(client=organisation, status=Agreement.Status.NEGOTIATING)
            list(approvals.order_by("updated_at", "pk").values_list(
                "pk", "title", "updated_at", "provider__name", "client__name")[:start.SHOWN])
            approvals.count()
            dated(people=[person.pk], until=timezone.localdate() + timedelta(days=start.NOTICE_WITHIN_DAYS),
                  limit=start.SHOWN * 3)
        return floor
    return prepare


def search_floor(subjects: Subjects, response) -> Callable[[], Any]:
    person, terms = subjects.personas["officer"], site_search.words(SEARCH_TEXT)

    def floor() -> None:
        for kind in site_search.kinds().values():
            matches = site_search.matching(kind, person, terms)
            if list(matches.values_list("pk", *kind.fields)[:10]):
                matches.count()
    return floor


def checks_floor(subjects: Subjects, response) -> Callable[[], Any]:
    covering = Q(organisation=subjects.organisation) | Q(organisation__isnull=True)

    def floor() -> None:
        runs = CheckRun.objects.filter(covering)
        columns = ("pk", "name", "organisation__name", "started_at", "finished_at", "created", "error")
        list(runs.values_list(*columns)[:30])
        latest = runs.order_by().values("name").annotate(last=Max("pk")).values("last")
        list(CheckRun.objects.filter(pk__in=latest).values_list(*columns))
    return floor


PAGES = [
    Page("start page (officer)", "officer", floor=_start_floor("officer"), kind="dashboard",
         url=lambda s: url(["dashboard"])),
    Page("start page (manager)", "manager", floor=_start_floor("manager"), kind="dashboard",
         url=lambda s: url(["dashboard"])),
    Page("search", "officer", floor=search_floor, kind="list", url=lambda s: url(["search"], query=f"q={SEARCH_TEXT}")),
    Page("checks page", "manager", floor=checks_floor, kind="list",
         url=lambda s: url(["organisation_checks"], organisation=s.organisation.slug)),
]
