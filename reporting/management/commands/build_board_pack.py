"""Build a board pack now, in this process: ``build_board_pack --organisation SLUG [--date] [--language cy]``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
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
        parser.add_argument("--board", help="the board's slug: its next meeting's date and changes since its last "
                                            "meeting are the defaults (without one, the organisation's pack)")
        parser.add_argument("--date", type=_date, help="the meeting date, YYYY-MM-DD (default: today)")
        parser.add_argument("--since", type=_date, help="show changes since this date (default: 90 days before)")
        parser.add_argument("--language", choices=BoardPack.Language.values, default=BoardPack.Language.ENGLISH)
        parser.add_argument("--output", help="also write the PDF to this file")

    def handle(self, *args, organisation, board, date, since, language, output, **options):
        org = Organisation.objects.active().filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation {organisation!r}.")
        found = None
        if board:
            from boards.models import Board

            joint = Q(partnership__memberships__organisation=org) | Q(partnership__provider=org)
            found = (Board.objects.active().filter(slug=board)
                     .filter(Q(organisation=org) | (Q(organisation__isnull=True) & joint)).distinct().first())
            if found is None:
                raise CommandError(f"No board {board!r} of {org.slug} or of its partnerships.")
        defaults = packs.board_defaults(found, today=date or timezone.localdate()) if found else {}
        meeting = date or defaults.get("meeting_date") or timezone.localdate()
        if since is None:
            since = (packs.board_defaults(found, today=meeting)["since"] if found
                     else packs.dashboard.default_since(meeting))
        try:
            with transaction.atomic():
                # Built here and now: the request's queued build is not wanted, so none is sent.
                pack = BoardPack(organisation=org, meeting_date=meeting, language=language, since=since, board=found,
                                 partnership=found.partnership if found and found.partnership_id else None)
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
