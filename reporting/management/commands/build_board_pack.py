"""Build a board pack now, in this process: ``build_board_pack --organisation SLUG [--date] [--language cy]``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from govtrack.models import Organisation
from reporting import packs
from reporting.models import BoardPack


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: give it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Build a board pack (PDF) for an organisation's board and store it; optionally write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--board", help="the board's slug (without one, the organisation's pack)")
        parser.add_argument("--date", type=_date, help="the meeting date, YYYY-MM-DD (default: today)")
        parser.add_argument("--since", type=_date, help="show changes since this date (default: 90 days before)")
        parser.add_argument("--language", choices=BoardPack.Language.values, default=BoardPack.Language.ENGLISH)
        parser.add_argument("--output", help="also write the PDF to this file")

    def handle(self, *args, organisation, board, date, since, language, output, **options):
        org = Organisation.objects.active().filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation {organisation!r}.")
        meeting = date or timezone.localdate()
        try:
            with transaction.atomic():
                # Built here and now: the request's queued build is not wanted, so none is sent.
                pack = BoardPack(organisation=org, meeting_date=meeting, language=language,
                                 since=since or packs.dashboard.default_since(meeting))
                pack.full_clean()
                pack.save()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        pack = packs.build_pack(pack=pack)
        if pack.status != BoardPack.Status.READY:
            raise CommandError(f"The pack could not be built: {pack.error}")
        if output:
            with pack.file.open("rb") as source, open(output, "wb") as target:
                target.write(source.read())
        self.stdout.write(f"Board pack {pack.pk}: {pack.pages} pages, {pack.size} bytes, sha256 {pack.checksum}"
                          + (f", written to {output}" if output else ""))
