from django.core.management.base import BaseCommand, CommandError

from reporting.scale import SCALES, AlreadyGenerated, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with deterministic synthetic data for benchmarks: a council, a large shared "
        "service or a national deployment. Refuses when generated data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="council")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (default 1).")

    def handle(self, *args, scale: str, seed: int, **options):
        try:
            generate(scale=SCALES[scale], seed=seed, log=self.stdout.write)
        except AlreadyGenerated as exc:
            raise CommandError(str(exc)) from None
