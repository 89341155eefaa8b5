"""What the systems catalogue offers to search: systems."""

from django.utils.translation import gettext_lazy as _

from govtrack.search import SearchKind, register_search
from systems_catalogue.models import System

register_search(SearchKind(
    name="systems", label=_("Systems"),
    queryset=lambda: System.objects.active().select_related("organisation", "supplier"),
    fields=("name", "product", "purpose", "service_area"),
    title=lambda system: system.name,
    detail=lambda system: " · ".join(str(x) for x in (system.supplier, system.organisation) if x),
))
