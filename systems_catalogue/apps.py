from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsCatalogueConfig(AppConfig):
    name = "systems_catalogue"
    verbose_name = _("Systems catalogue")
