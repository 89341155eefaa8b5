from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from govtrack import events
        from webhooks import services

        events.event_emitted.connect(services.queue_deliveries, dispatch_uid="webhooks.queue_deliveries")
