from govtrack.imports import ImportCommand
from registers.imports import RiskResource


class Command(ImportCommand):
    help = "Import risks from a CSV or XLSX register into one of an organisation's registers."
    resource_class = RiskResource

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--register", metavar="SLUG",
                            help="The register rows without a register column go to (default: the corporate one).")

    def resource_options(self, options: dict) -> dict:
        return {"register": options.get("register")} if options.get("register") else {}
