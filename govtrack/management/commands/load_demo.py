from django.core.management.base import BaseCommand
from django.db import transaction

from govtrack.demo import load_all


class Command(BaseCommand):
    help = "Load the demo partnership, organisations, people and each app's demo records. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = load_all(stdout=self.stdout)
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
