"""python manage.py import_moderngov [BOARD_ID ...] [--all] [--from YYYY-MM-DD] [--to YYYY-MM-DD]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from boards import moderngov
from boards.models import Board


def _day(value: str | None, name: str):
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise CommandError(f"--{name} must be a date as YYYY-MM-DD, not {value!r}.")
    return day


class Command(BaseCommand):
    help = ("Import boards' meetings and agenda items from their council's modern.gov web service; running it "
            "again updates them, never duplicates; a board whose answer cannot be read is left unchanged.")

    def add_arguments(self, parser):
        parser.add_argument("boards", nargs="*", type=int, help="ids of the boards to import")
        parser.add_argument("--all", action="store_true", help="every board linked to a modern.gov committee")
        parser.add_argument("--from", dest="start", help="first meeting date (default: a year ago)")
        parser.add_argument("--to", dest="end", help="last meeting date (default: a year ahead)")

    def handle(self, *args, boards, all, start, end, **options):
        start, end = _day(start, "from"), _day(end, "to")
        if not boards and not all:
            raise CommandError("Name the boards by id, or give --all.")
        chosen = Board.objects.active().order_by("pk")
        chosen = chosen.exclude(moderngov_site="").filter(moderngov_committee_id__isnull=False) if all else \
            chosen.filter(pk__in=boards)
        missing = sorted(set(boards) - set(chosen.values_list("pk", flat=True)))
        if missing:
            raise CommandError(f"No board with id {', '.join(map(str, missing))}.")
        failed = 0
        for board in chosen:
            try:
                result = moderngov.import_meetings(board=board, start=start, end=end)
            except moderngov.ModernGovError as problem:
                failed += 1
                self.stderr.write(f"{board} ({board.pk}): nothing imported: {problem}")
            else:
                self.stdout.write(f"{board} ({board.pk}): {result.summary()}")
        if failed:
            raise CommandError(f"{failed} board(s) could not be imported.")
