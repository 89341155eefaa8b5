"""What the SLAs offer to search: agreements."""

from django.utils.translation import gettext_lazy as _

from govtrack.search import SearchKind, register_search
from slas.models import Agreement

register_search(SearchKind(
    name="agreements", label=_("Agreements (SLAs)"),
    queryset=lambda: Agreement.objects.active().select_related("provider", "client"),
    fields=("title", "reference", "summary", "summary_cy"),
    title=lambda agreement: agreement.title,
    detail=lambda agreement: f"{agreement.provider} · {agreement.client} · {agreement.get_status_display()}",
))
