from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """What spans the domain apps: governance gaps, dashboards, board packs, search, cross-app checks.

    It imports the domain apps; none of them imports it (an import-linter contract keeps it so).
    """

    name = "reporting"
    label = "reporting"
    verbose_name = _("Reporting")
