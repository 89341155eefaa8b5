"""Board packs: request one, build it (a Celery task calls ``build_pack``), retry a failed build.

The pack is HTML rendered from the dashboard's own sections and the registers' risks, turned
into a PDF by WeasyPrint, and stored through Django's storage API with its SHA-256 checksum, so
any web process or worker can serve it and a reader can check it is the one the board was given.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govtrack import events
from govtrack.models import Organisation, notify
from govtrack.notifications import Notice, notify_many
from registers.models import Register, Risk, RiskMatrix
from reporting import dashboard
from reporting.models import BoardPack

log = logging.getLogger(__name__)

#: Risks printed in one register's annex; a longer register says how many more there are online.
#: (WeasyPrint takes about 5 s per 1,000 table rows: the annexes stay proportionate.)
ANNEX_ROWS = 150
#: Rows of each dashboard list printed in the pack.
PACK_SAMPLE = 15


def board_defaults(board, *, today: date) -> dict:
    """What a pack for a board starts from: its next meeting's date, changes since its last meeting, its name."""
    from boards.models import Meeting

    meetings = Meeting.objects.active().filter(board=board).exclude(status=Meeting.Status.CANCELLED)
    upcoming = meetings.filter(held_on__gte=today).order_by("held_on", "pk").values_list("held_on", flat=True)
    meeting_date = upcoming.first() or today
    last = (meetings.filter(held_on__lt=meeting_date).order_by("-held_on", "-pk")
            .values_list("held_on", flat=True).first())
    return {"board": board, "meeting_date": meeting_date, "since": last or dashboard.default_since(meeting_date),
            "title": _("%(board)s, %(day)s") % {"board": board.name, "day": date_format(meeting_date)}}


def request_pack(*, organisation: Organisation, by, meeting_date: date, since: date | None = None,
                 language: str = BoardPack.Language.ENGLISH, title: str = "", board=None) -> BoardPack:
    """Record a pack to build and queue its build once the request is committed.

    A pack for a board shows changes since the board's last meeting unless told otherwise; a pack of a
    partnership's board is shared with the partnership, so every member organisation's people read it.
    """
    if since is None:
        since = (board_defaults(board, today=meeting_date)["since"] if board is not None
                 else dashboard.default_since(meeting_date))
    pack = BoardPack(organisation=organisation, requested_by=by, meeting_date=meeting_date, since=since,
                     language=language, title=title, board=board,
                     partnership=board.partnership if board is not None and board.partnership_id else None)
    pack.full_clean()
    pack._history_user = by
    pack.save()
    _queue(pack)
    return pack


def issue_pack(*, pack: BoardPack, by) -> BoardPack:
    """Issue a ready pack: it is frozen, the board's members with an account are told, and
    ``board_pack.issued`` is announced (webhooks) once the issue is committed."""
    from boards.models import BoardMember

    with transaction.atomic():
        pack.issue(by=by)
        if pack.board_id:
            members = (BoardMember.objects.current().filter(board_id=pack.board_id, person__isnull=False)
                       .exclude(person=by).values_list("person_id", flat=True))
            subject = _("The pack for %(board)s on %(day)s is issued") % {
                "board": pack.board.name, "day": date_format(pack.meeting_date)}
            notify_many(Notice(recipient_id=person_id, key=f"reporting:pack-issued:{pack.pk}", kind="board",
                               subject=subject, url=pack.get_absolute_url(), organisation_id=pack.organisation_id)
                        for person_id in members)
        events.emit(events.BOARD_PACK_ISSUED, pack, organisation=pack.organisation, data={
            "title": str(pack), "meeting_date": pack.meeting_date.isoformat(), "since": pack.since.isoformat(),
            "language": pack.language, "board": pack.board_id, "checksum": pack.checksum, "pages": pack.pages,
        })
    return pack


def retry_pack(*, pack: BoardPack, by) -> BoardPack:
    """Queue a failed build again."""
    if pack.status != BoardPack.Status.FAILED:
        raise ValidationError(_("Only a failed build can be retried."))
    pack.status, pack.error = BoardPack.Status.QUEUED, ""
    pack._history_user = by
    pack.save(update_fields=["status", "error", "updated_at"])
    _queue(pack)
    return pack


def _queue(pack: BoardPack) -> None:
    from reporting.tasks import build_board_pack_task

    transaction.on_commit(lambda: build_board_pack_task.delay(pack.pk))


@dataclass
class Annex:
    register: Register
    risks: list[Risk]
    total: int


def _annexes(organisation: Organisation, matrix: RiskMatrix) -> list[Annex]:
    """One annex per current register: its open risks, highest score first, in two queries however many."""
    registers = list(
        Register.objects.current().filter(organisation=organisation).select_related("owner", "parent")
        .annotate(open_risks=Count("risks", filter=Q(risks__status=Risk.Status.OPEN,
                                                     risks__archived_at__isnull=True)))
        .order_by("level", "name")
    )
    risks = (Risk.objects.open().filter(register__in=registers).with_scores()
             .select_related("officer_owner", "category").order_by("register_id", "-current_score_db", "reference"))
    by_register: dict[int, list[Risk]] = {}
    for risk in risks:
        rows = by_register.setdefault(risk.register_id, [])
        if len(rows) < ANNEX_ROWS:
            risk.band = matrix.band_for(risk.current_score)
            rows.append(risk)
    return [Annex(register=r, risks=by_register.get(r.pk, []), total=r.open_risks) for r in registers]


def pack_html(*, pack: BoardPack) -> str:
    """The pack as HTML, in its language: cover, contents, summary, sections, changes and annexes."""
    organisation = pack.organisation
    with translation.override(pack.language):
        board = dashboard.organisation_dashboard(organisation=organisation, today=pack.meeting_date,
                                                 since=pack.since, sample=PACK_SAMPLE)
        context = {
            **dashboard.section_context(board, base=settings.SITE_URL.rstrip("/")),
            "pack": pack, "organisation": organisation, "annexes": _annexes(organisation, board.matrix),
            "annex_rows": ANNEX_ROWS, "built_at": timezone.now(), "LANGUAGE_CODE": pack.language,
            "title": pack.title or _("Board pack: %(organisation)s") % {"organisation": organisation},
        }
        return render_to_string("reporting/pack/pack.html", context)


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of the pack's HTML and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=settings.SITE_URL).render()
    return document.write_pdf(), len(document.pages)


def build_pack(*, pack: BoardPack) -> BoardPack:
    """Build a queued pack: render it, store the PDF with its checksum, and mark it ready.

    A build that fails is recorded with the error and the requester is told; it can be retried.
    An issued pack is never rebuilt.
    """
    pack = BoardPack.objects.select_related("organisation", "requested_by").get(pk=pack.pk)
    if pack.is_issued or pack.status == BoardPack.Status.READY:
        return pack
    pack.status, pack.attempts = BoardPack.Status.BUILDING, pack.attempts + 1
    pack.save(update_fields=["status", "attempts", "updated_at"])
    try:
        pdf, pages = render_pdf(pack_html(pack=pack))
        checksum = hashlib.sha256(pdf).hexdigest()
        name = f"{pack.organisation.slug}-{pack.meeting_date:%Y-%m-%d}-{pack.language}-{checksum[:12]}.pdf"
        pack.file.save(name, ContentFile(pdf), save=False)
    except Exception as exc:  # any failure is recorded on the pack and shown to its requester
        log.exception("Board pack %s failed", pack.pk)
        pack.status, pack.error = BoardPack.Status.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        pack.save(update_fields=["status", "error", "updated_at"])
        _tell_requester(pack)
        return pack
    pack.checksum, pack.size, pack.pages = checksum, len(pdf), pages
    pack.status, pack.error, pack.built_at = BoardPack.Status.READY, "", timezone.now()
    pack.save()
    _tell_requester(pack)
    return pack


def _tell_requester(pack: BoardPack) -> None:
    if pack.requested_by_id is None:
        return
    if pack.status == BoardPack.Status.READY:
        subject = _("The board pack for %(day)s is ready") % {"day": pack.meeting_date}
    else:
        subject = _("The board pack for %(day)s could not be built") % {"day": pack.meeting_date}
    notify(recipient=pack.requested_by, key=f"reporting:pack:{pack.pk}:{pack.status}:{pack.attempts}",
           subject=subject, body=pack.error, url=pack.get_absolute_url(), organisation=pack.organisation)


def verify(pack: BoardPack) -> bool:
    """Whether the stored file is still the one built: its SHA-256 matches the recorded checksum."""
    with pack.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == pack.checksum
