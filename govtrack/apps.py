from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovtrackConfig(AppConfig):
    name = "govtrack"
    verbose_name = _("govtrack")
