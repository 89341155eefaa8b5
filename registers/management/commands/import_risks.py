from django.core.management.base import CommandError

from govtrack.imports import ImportCommand
from registers.imports import RiskResource
from registers.models import Register


class Command(ImportCommand):
    help = "Import risks from a CSV or XLSX register into one of an organisation's registers."
    resource_class = RiskResource

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--register", metavar="SLUG",
                            help="The register rows without a register column go to (default: the corporate one).")

    def handle(self, *args, **options):
        # Which register the rows go to is said before any row is read: a wrong slug is one error, not one per row.
        organisation = self._organisation(options.get("organisation"))
        registers = Register.objects.active().for_organisation(organisation).order_by("level", "slug")
        slug = options.get("register")
        chosen = (registers.filter(slug=slug).first() if slug
                  else registers.filter(level=Register.Level.CORPORATE).order_by("pk").first())
        if chosen is None:
            names = ", ".join(registers.values_list("slug", flat=True)[:50]) or "none yet"
            if slug:
                raise CommandError(f"{organisation} has no register {slug!r}. Its registers: {names}.")
            raise CommandError(f"{organisation} has no corporate register: say which with --register SLUG. "
                               f"Its registers: {names}.")
        self.stdout.write(f"Rows without a register column go to {chosen.label} ({chosen.slug}).")
        options["organisation"] = organisation.slug
        return super().handle(*args, **options)

    def resource_options(self, options: dict) -> dict:
        return {"register": options.get("register")} if options.get("register") else {}
