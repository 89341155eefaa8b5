"""What the risk registers offer to search: risks and their actions."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govtrack.search import SearchKind, register_search
from registers.models import Risk, RiskAction

register_search(SearchKind(
    name="risks", label=_("Risks"),
    queryset=lambda: Risk.objects.active().select_related("register", "organisation"),
    fields=("reference", "title", "cause", "event", "effect", "existing_controls"),
    title=lambda risk: f"{risk.reference} {risk.title}",
    detail=lambda risk: f"{risk.register.name} · {risk.organisation}",
))
register_search(SearchKind(
    name="risk_actions", label=_("Risk actions"),
    queryset=lambda: RiskAction.objects.filter(risk__archived_at__isnull=True).select_related("risk"),
    fields=("description",),
    title=lambda action: str(action),
    detail=lambda action: f"{action.risk.reference} {action.risk.title}",
    url=lambda action: reverse("registers:risk_detail", kwargs={"pk": action.risk_id}) + "#actions",
))
