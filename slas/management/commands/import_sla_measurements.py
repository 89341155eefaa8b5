"""python manage.py import_sla_measurements FILE --agreement ID --user USERNAME [--dry-run] [--keep-zero]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from slas.imports import import_measurements
from slas.models import Agreement


class Command(BaseCommand):
    help = "Import an agreement's measurements from a KPI spreadsheet (one row per KPI and period); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agreement", type=int, required=True, help="The agreement's id.")
        parser.add_argument("--user", required=True, help="Who submits the figures (their username).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be imported; write nothing.")
        parser.add_argument("--keep-zero", action="store_true",
                            help="Import a 0 as a figure (by default a 0 is taken as a gap in the data).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        agreement = Agreement.objects.visible_to(user).filter(pk=options["agreement"]).first()
        if agreement is None:
            raise CommandError(f"{user} can see no agreement {options['agreement']}.")
        result = import_measurements(agreement=agreement, content=path.read_bytes(), filename=path.name, by=user,
                                     dry_run=options["dry_run"], zero_is_gap=not options["keep_zero"])
        for line in result.skipped:
            self.stdout.write(f"skipped {line}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s): nothing was imported.")
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb} {result.created} new and {result.updated} updated measurements; "
                          f"{len(result.lines_created)} new service lines.")
