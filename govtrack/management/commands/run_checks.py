from django.core.management.base import BaseCommand, CommandError

from govtrack.checks import registered_checks, run_checks
from govtrack.models import Organisation


class Command(BaseCommand):
    help = "Run govtrack's scheduled checks now (all of them, or those named), for one organisation or all."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="append",
            dest="checks",
            metavar="NAME",
            help="A check to run; repeat for several. Default: all.",
        )
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation's records.")
        parser.add_argument("--list", action="store_true", help="List the checks and stop.")

    def handle(self, *args, checks=None, organisation=None, list=False, **options):
        known = registered_checks()
        if list:
            for name, check in known.items():
                self.stdout.write(f"{name}: {check.description}")
            return
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with slug {organisation!r}.")
        try:
            runs = run_checks(names=checks, organisation=org)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        failed = False
        for run in runs:
            if run.error:
                failed = True
                self.stderr.write(f"{run.name}: failed: {run.error}")
            else:
                self.stdout.write(f"{run.name}: {run.created} new")
        if not runs:
            self.stdout.write("No checks are registered.")
        if failed:
            raise CommandError("Some checks failed; see above.")
