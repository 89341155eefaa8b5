from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = _("Risk registers")

    def ready(self):
        from registers import signals  # noqa: F401 - connects the matrix cache invalidation
