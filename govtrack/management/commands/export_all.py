from django.core.management.base import BaseCommand, CommandError

from govtrack.backup import BackupError, export_all
from govtrack.models import Organisation


class Command(BaseCommand):
    help = ("Write every record (with its history and uploaded files), or one organisation's, as JSON and files "
            "into a new folder that import_all restores.")

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="DIR", help="A new (or empty) folder to write.")
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation's records.")

    def handle(self, *args, **options):
        organisation = None
        if options.get("organisation"):
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                slugs = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"No organisation {options['organisation']!r}. Known: {slugs or 'none'}.")
        try:
            summary = export_all(output=options["output"], organisation=organisation)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        records = sum(summary.counts.values())
        kinds = len(summary.counts)
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {records:,} records of {kinds} kinds and {summary.files} files to {options['output']}."))
