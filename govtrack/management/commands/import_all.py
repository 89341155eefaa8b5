from django.core.management.base import BaseCommand, CommandError

from govtrack.backup import BackupError, import_all


class Command(BaseCommand):
    help = "Restore a folder written by export_all into an empty, migrated database (run migrate first)."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="The folder export_all wrote.")

    def handle(self, *args, **options):
        try:
            summary = import_all(source=options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        records = sum(summary.counts.values())
        self.stdout.write(self.style.SUCCESS(f"Restored {records:,} records and {summary.files} files."))
