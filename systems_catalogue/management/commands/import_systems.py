"""python manage.py import_systems FILE [--organisation SLUG] [--dry-run] [--mapping NAME]"""

from govtrack.imports import ImportCommand
from systems_catalogue.imports import SystemResource


class Command(ImportCommand):
    help = "Import systems and their contracts from a CSV or XLSX catalogue; nothing is written if a row fails."
    resource_class = SystemResource
