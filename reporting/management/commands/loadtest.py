import shlex
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.bench import load


class Command(BaseCommand):
    help = (
        "Many people at once for a bounded time against a running server: dashboard, lists, edits and API "
        "submissions; prints requests, throughput, p50, p95 and errors as bench/README.md's table. Not for CI."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Virtual users at once (default 50).")
        parser.add_argument("--seconds", type=float, default=120, help="How long (default 120).")
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="The server (default http://127.0.0.1:8000); ignored with --gunicorn.")
        parser.add_argument("--gunicorn", metavar="ARGS",
                            help='Start gunicorn on a free loopback port with these arguments for the run, e.g. '
                                 '"--worker-class gthread --workers 3 --threads 8".')
        parser.add_argument("--think", type=float, default=0,
                            help="Seconds each user reads a page before the next click, on average (default 0: "
                                 "every user asks again at once, the worst case).")
        parser.add_argument("--title", default="", help="A heading for the table (the conditions of the run).")

    def handle(self, *args, **options):
        if options["users"] < 1 or options["seconds"] <= 0 or options["think"] < 0:
            raise CommandError("--users and --seconds must be positive, and --think not negative.")
        server = None
        base = options["url"].rstrip("/")
        try:
            personas = load.prepare(users=options["users"])
        except load.LoadError as exc:
            raise CommandError(str(exc)) from None
        try:
            if options["gunicorn"] is not None:
                bind = f"127.0.0.1:{load.free_port()}"
                base = f"http://{bind}"
                server = load.start_gunicorn(bind=bind, arguments=shlex.split(options["gunicorn"]),
                                             root=Path(settings.BASE_DIR))
            self.stderr.write(f"{len(personas)} users for {options['seconds']:.0f} s against {base} ...")
            tally, elapsed = load.run(base=base, personas=personas, seconds=options["seconds"],
                                     think=options["think"])
        except load.LoadError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            load.clean_up(personas)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        served = options["gunicorn"] or "(started separately)"
        title = options["title"] or (
            f"{len(personas)} users, {elapsed:.0f} s, {engine}, gunicorn {served}, {time.strftime('%Y-%m-%d %H:%M')}")
        self.stdout.write(load.table(tally, elapsed, title=title))
