"""Demo webhook: Monmouthshire's service desk hears breaches and escalations (switched off: it goes nowhere)."""

from govtrack import events
from govtrack.models import Organisation
from webhooks.models import Endpoint


def load() -> list[str]:
    organisation = Organisation.objects.filter(slug="monmouthshire").first()
    if organisation is None:
        return []
    endpoint, created = Endpoint.objects.get_or_create(
        organisation=organisation, name="Service desk (demo)",
        defaults={"url": "https://servicedesk.monmouthshire.example/govtrack/webhook", "enabled": False,
                  "events": [events.BREACH_RECORDED, events.ESCALATION_PROPOSED, events.ESCALATION_DECIDED],
                  "disabled_reason": "A demo endpoint: enable it once it points at a real receiver."},
    )
    return ["1 demo webhook endpoint (disabled)"] if created else []
