"""Bench pages of audit proposals: the tracker and one proposal's page, each with its SQL floor.

Scoped as the persona's session is: proposals of sources of the persona's organisation, or shared
with a partnership it belongs to today. The tracker's status, RAG, progress, days overdue and latest
update are SQL expressions of the proposal's actions (``with_tracker``); the floor selects them
with the rows, as the page does, since no smaller query gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from boards.models import Decision
from govtrack.models import PartnershipMembership
from proposals import services
from proposals.models import Action, Proposal, Source
from proposals.views import DECISIONS_SHOWN, TRACKER_PER_PAGE
from registers.models import Risk
from reporting.bench.core import Page, Subjects, Unavailable, url
from slas.models import Agreement
from systems_catalogue.models import System

PROPOSAL_COLUMNS = ("id", "code", "title", "text", "priority", "theme", "response", "source_id", "source__title",
                    "source__kind", "source__issued_on", "owner__first_name", "owner__last_name")
TRACKER_COLUMNS = ("status_db", "rag_rank_db", "progress_db", "action_count_db", "earliest_overdue_db",
                   "latest_update_at", "latest_update_note", "latest_update_forecast")


def partnership_ids(subjects: Subjects) -> list[int]:
    """The partnerships the organisation belongs to today: their members read what is shared with them."""
    return subjects.get("partnership_ids", lambda: list(
        PartnershipMembership.objects.current().filter(organisation=subjects.organisation)
        .values_list("partnership_id", flat=True)))


def readable(subjects: Subjects, prefix: str = "source__") -> Q:
    """What the persona may read: its organisation's records, and those shared with its partnerships today."""
    return (Q(**{f"{prefix}organisation_id": subjects.organisation.pk})
            | Q(**{f"{prefix}partnership_id__in": partnership_ids(subjects)}))


def sample_proposal(subjects: Subjects) -> Proposal:
    """A proposal with actions that a board decided about, so its page shows every section."""
    def find() -> Proposal:
        proposals = Proposal.objects.filter(source__organisation=subjects.organisation, archived_at__isnull=True,
                                            decision="").order_by("pk")
        found = (proposals.filter(board_decisions__isnull=False, actions__isnull=False).first()
                 or proposals.first())
        if found is None:
            raise Unavailable("the organisation has no proposals (generate the data again)")
        return found
    return subjects.get("proposal", find)


def tracker_floor(subjects: Subjects, response) -> Callable[[], Any]:
    scope, sources = readable(subjects), readable(subjects, prefix="")

    def floor() -> None:
        visible = Proposal.objects.filter(scope, archived_at__isnull=True)
        visible.count()
        list(visible.with_tracker(timezone.localdate())
             .order_by("-source__issued_on", "source_id", "position", "code", "pk")
             .values_list(*PROPOSAL_COLUMNS, *TRACKER_COLUMNS)[:TRACKER_PER_PAGE])
        services.proposals_by_status(visible)
        list(Source.objects.filter(sources, archived_at__isnull=True).order_by("-issued_on")
             .values_list("id", "title")[:200])
    return floor


def proposal_floor(subjects: Subjects, response) -> Callable[[], Any]:
    proposal, scope = sample_proposal(subjects), readable(subjects)
    decisions = readable(subjects, prefix="meeting__board__")
    pk, org = proposal.pk, subjects.organisation.pk
    history = Proposal.history.model

    def floor() -> None:
        today = timezone.localdate()
        list(Proposal.objects.filter(pk=pk).with_status().values_list(
            *PROPOSAL_COLUMNS, "response_text", "decision", "decided_on", "decision_note", "status_db"))
        list(Action.objects.filter(proposal_id=pk, archived_at__isnull=True).with_rag(today).order_by("due_on", "pk")
             .values_list("id", "description", "due_on", "original_due_on", "progress", "status", "forecast",
                          "rag_rank", "owner__first_name", "owner__last_name", "signed_off_by__first_name",
                          "signed_off_by__last_name"))
        visible = Proposal.objects.filter(scope)
        list(visible.filter(followed_up_by=pk).values_list("id", "code", "title", "source__title"))
        list(visible.filter(follows_up=pk).values_list("id", "code", "title", "source__title"))
        list(Risk.objects.filter(proposals=pk, organisation_id=org).values_list("id", "reference", "title",
                                                                                 "register__name"))
        list(System.objects.filter(proposals=pk, organisation_id=org).values_list("id", "name"))
        list(Agreement.objects.filter(Q(client_id=org) | Q(provider_id=org), proposals=pk)
             .values_list("id", "title", "revision"))
        list(Decision.objects.filter(decisions, proposals=pk, archived_at__isnull=True)
             .order_by("-meeting__held_on", "-pk")
             .values_list("id", "reference", "title", "status", "meeting__held_on", "meeting__board__name")
             [:DECISIONS_SHOWN + 1])
        list(history.objects.filter(id=pk).order_by("-history_date", "-history_id")[:101].values_list(
            "history_id", "history_date", "history_type", "history_change_reason", "history_user__first_name",
            "history_user__last_name", "code", "title", "response", "owner_id"))
    return floor


PAGES = [
    Page("Proposal tracker", "officer", kind="list", floor=tracker_floor, url=lambda s: url(["proposals:tracker"])),
    Page("Proposal page", "officer", kind="detail", floor=proposal_floor,
         url=lambda s: url(["proposals:proposal_detail"], pk=sample_proposal(s).pk)),
]
