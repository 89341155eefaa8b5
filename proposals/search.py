"""What the audit proposals offer to search: proposals and their actions."""

from django.utils.translation import gettext_lazy as _

from govtrack.search import SearchKind, register_search
from proposals.models import Action, Proposal

register_search(SearchKind(
    name="proposals", label=_("Audit proposals"),
    queryset=lambda: Proposal.objects.active().select_related("source"),
    fields=("code", "title", "text"),
    title=lambda proposal: f"{proposal.code} {proposal.title or proposal.text[:120]}",
    detail=lambda proposal: str(proposal.source),
))
register_search(SearchKind(
    name="actions", label=_("Actions on proposals"),
    queryset=lambda: Action.objects.active().select_related("proposal"),
    fields=("description",),
    title=lambda action: action.description[:160],
    detail=lambda action: f"{action.proposal.code} {action.proposal.title}",
))
