from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.bench import BenchError, run_bench
from reporting.bench.report import table, write_json
from reporting.scale import SCALES


class Command(BaseCommand):
    help = (
        "Time every page, endpoint and job (median, p95, queries, size, SQL floor) on the configured database, "
        "filled beforehand by generate_scale. Leaves the database as it found it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=[*sorted(SCALES), "custom"],
                            help="The scale the database holds (found from its organisations when left out).")
        parser.add_argument("--runs", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first (default 3).")
        parser.add_argument("--json", type=Path, metavar="FILE", help="Also write the figures as JSON.")
        parser.add_argument("--only", action="append", metavar="WORD",
                            help="Only the pages and jobs whose name contains WORD; repeat for several.")
        parser.add_argument("--no-jobs", action="store_true", help="Pages only: skip the checks and the import.")
        parser.add_argument("--import-rows", type=int, default=5000, help="Rows in the systems import (5000).")
        parser.add_argument("--profile", action="append", metavar="WORD",
                            help="cProfile the pages whose name contains WORD and print where the time goes.")

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        try:
            report = run_bench(
                scale=options["scale"], runs=options["runs"], warmup=options["warmup"], only=options["only"],
                with_jobs=not options["no_jobs"], options={"import_rows": options["import_rows"]},
                profile=options["profile"], log=lambda line: self.stderr.write(line),
            )
        except BenchError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(table(report))
        if options["json"]:
            write_json(report, options["json"])
            self.stdout.write(f"\nFigures written to {options['json']}.")
