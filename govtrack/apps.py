from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovtrackConfig(AppConfig):
    name = "govtrack"
    verbose_name = _("govtrack")

    def ready(self) -> None:
        from govtrack import language  # noqa: F401  (connects the sign-in signal that restores a person's language)
