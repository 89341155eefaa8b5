"""A board's meetings and agenda items from the council's modern.gov web service.

Most Welsh and English councils publish committees, meetings and agendas with modern.gov, at
``<site>/mgWebService.asmx`` (plain GET, XML answers; see docs/boards.md). ``import_meetings`` reads
every answer before it writes anything, so a malformed answer or a site that refuses changes nothing;
meetings and items are matched on modern.gov's own numbers, so running it again updates and never
duplicates. Tests pass their own ``fetch`` reading recorded answers: nothing reaches the network.

Written here rather than taken from a library: no maintained Python client for modern.gov exists,
and the service is four GET calls.
"""

from __future__ import annotations

import html
import ipaddress
import re
import socket
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from boards.models import AgendaItem, Board, Meeting
from govtrack import deadlines

#: The largest answer read from a committee site, and how long to wait for it.
MAX_ANSWER_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 20
#: Meetings imported when no dates are given: a year back and a year ahead.
DEFAULT_WINDOW_DAYS = 365

PROCEDURAL = re.compile(
    r"apologies|declarations? of interest|minutes of the (previous|last)|previous minutes|"
    r"date of (the )?next meeting|urgent business|welcome and introductions|^minutes$",
    re.I,
)

Fetch = Callable[[str, str, dict], bytes]


class ModernGovError(Exception):
    """The committee system could not be read; the message says why, for the person who asked."""


@dataclass
class Item:
    moderngov_id: int
    position: int
    number: str
    title: str
    text: str
    restricted: bool
    procedural: bool


@dataclass
class MeetingEntry:
    moderngov_id: int
    held_on: date
    starts_at: time | None
    status: str
    location: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Committee:
    moderngov_id: int
    title: str
    category: str
    expired: bool


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items_created: int = 0
    items_updated: int = 0

    def summary(self) -> str:
        return _("From modern.gov: %(created)s meetings added, %(updated)s updated, %(unchanged)s unchanged; "
                 "%(items)s agenda items added, %(items_updated)s updated.") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "items": self.items_created, "items_updated": self.items_updated}


# -- reading the service -------------------------------------------------------------------------------------


def _refuse_private(host: str) -> None:
    """The service is public: refuse names that lead into the server's own network."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise ModernGovError(_("The committee site %(host)s could not be found.") % {"host": host}) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise ModernGovError(_("The committee site %(host)s is not a public address.") % {"host": host})


def fetch_answer(site: str, call: str, params: dict) -> bytes:
    """One GET of the web service; every failure is a ModernGovError saying what happened."""
    parts = urlsplit(site)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModernGovError(_("Give the committee site as a web address, e.g. https://democracy.example.gov.uk."))
    _refuse_private(parts.hostname)
    url = f"{site.rstrip('/')}/mgWebService.asmx/{call}?{urlencode(params)}"
    request = Request(url, headers={"Accept": "application/xml, text/xml", "User-Agent": "govtrack"})
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - scheme checked above
            body = answer.read(MAX_ANSWER_BYTES + 1)
    except HTTPError as error:
        raise ModernGovError(_("The committee site answered %(status)s to %(call)s: its web service may be "
                               "switched off.") % {"status": error.code, "call": call}) from None
    except (URLError, OSError) as error:
        raise ModernGovError(_("The committee site could not be reached (%(reason)s).") % {
            "reason": getattr(error, "reason", error)}) from None
    if len(body) > MAX_ANSWER_BYTES:
        raise ModernGovError(_("The committee site's answer to %(call)s is too large to read.") % {"call": call})
    return body


def _tree(body: bytes, call: str) -> ElementTree.Element:
    head = body[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise ModernGovError(_("The answer to %(call)s declares a document type, which govtrack does not read.")
                             % {"call": call})
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise ModernGovError(_("The answer to %(call)s is not well-formed XML (%(error)s).") % {
            "call": call, "error": error}) from None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1].lower()
    return root


def _text(element: ElementTree.Element, name: str) -> str:
    """An element's text, unescaped twice (sites often escape their text twice), '' when absent."""
    child = element.find(name)
    value = child.text if child is not None and child.text else ""
    return html.unescape(value).strip()


def _number(element: ElementTree.Element, name: str, call: str, *, required: bool = True) -> int | None:
    value = _text(element, name)
    if not value and not required:
        return None
    if not value.isdigit() or int(value) > 2**31 - 1:
        raise ModernGovError(_("The answer to %(call)s has a %(name)s that is not a number: %(value)r.") % {
            "call": call, "name": name, "value": value[:40]})
    return int(value)


def _truthy(element: ElementTree.Element, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _date(value: str, call: str) -> date:
    try:
        return datetime.strptime(value[:10], "%d/%m/%Y").date()
    except ValueError:
        raise ModernGovError(_("The answer to %(call)s has a meeting date that is not dd/mm/yyyy: %(value)r.") % {
            "call": call, "value": value[:40]}) from None


def _time(value: str) -> time | None:
    for pattern in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I.%M %p", "%I%p", "%I.%M%p", "%I:%M%p"):
        try:
            return datetime.strptime(value.strip().upper(), pattern).time()
        except ValueError:
            continue
    return None


def parse_committees(body: bytes) -> list[Committee]:
    """``GetCommittees``: every committee, expired and deleted ones marked (deleted ones left out)."""
    root = _tree(body, "GetCommittees")
    committees = []
    for element in root.iter("committee"):
        if _truthy(element, "committeedeleted"):
            continue
        committees.append(Committee(moderngov_id=_number(element, "committeeid", "GetCommittees"),
                                    title=_text(element, "committeetitle")[:200],
                                    category=_text(element, "committeecategory")[:200],
                                    expired=_truthy(element, "committeeexpired")))
    return committees


def _meeting(element: ElementTree.Element, call: str) -> MeetingEntry:
    status = _text(element, "meetingstatus").lower()
    return MeetingEntry(
        moderngov_id=_number(element, "meetingid", call),
        held_on=_date(_text(element, "meetingdate"), call),
        starts_at=_time(_text(element, "meetingtime")),
        status="cancelled" if "cancel" in status else status,
        location=_text(element, "meetinglocation")[:300],
        title=_text(element, "committeetitle")[:200],
    )


def parse_meetings(body: bytes, call: str = "GetMeetings") -> list[MeetingEntry]:
    """``GetMeetings`` or ``GetAllMeetingsByDate``: the meetings listed, without their agendas."""
    root = _tree(body, call)
    found = [root] if root.tag == "meeting" else list(root.iter("meeting"))
    return [_meeting(element, call) for element in found]


def parse_meeting(body: bytes) -> MeetingEntry:
    """``GetMeeting``: one meeting with its agenda items; an exempt item keeps a placeholder title only."""
    root = _tree(body, "GetMeeting")
    element = root if root.tag == "meeting" else root.find(".//meeting")
    if element is None:
        raise ModernGovError(_("The answer to GetMeeting has no meeting in it."))
    meeting = _meeting(element, "GetMeeting")
    for position, item in enumerate(element.iter("agendaitem"), start=1):
        restricted = _truthy(item, "isrestricted")
        title = strip_tags(_text(item, "agendaitemtitle"))[:500]
        number = (_text(item, "fulldisplaynumberformat") or _text(item, "agendaitemnumber")).strip()
        if number == "0":
            number = ""
        meeting.items.append(Item(
            moderngov_id=_number(item, "agendaitemid", "GetMeeting"),
            position=position,
            number=number[:20],
            title=_("Exempt item") if restricted else (title or _("(untitled item)")),
            text="" if restricted else strip_tags(_text(item, "agendatext")),
            restricted=restricted,
            procedural=bool(PROCEDURAL.search(title)),
        ))
    return meeting


# -- importing ------------------------------------------------------------------------------------------------


def _read(board: Board, fetch: Fetch, start: date, end: date) -> list[MeetingEntry]:
    """Every meeting of the committee in the window, with its agenda; nothing is written here."""
    listed = parse_meetings(fetch(board.moderngov_site, "GetMeetings", {
        "lCommitteeId": board.moderngov_committee_id, "sFromDate": f"{start:%d/%m/%Y}",
        "sToDate": f"{end:%d/%m/%Y}"}))
    meetings = []
    for entry in listed:
        detailed = parse_meeting(fetch(board.moderngov_site, "GetMeeting", {"lMeetingId": entry.moderngov_id}))
        if detailed.moderngov_id != entry.moderngov_id:
            raise ModernGovError(_("Asked for meeting %(asked)s, the committee site answered with meeting "
                                   "%(got)s.") % {"asked": entry.moderngov_id, "got": detailed.moderngov_id})
        meetings.append(detailed)
    return meetings


def _changed(record, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return bool(changed)


def import_meetings(*, board: Board, by=None, start: date | None = None, end: date | None = None,
                    fetch: Fetch | None = None, today: date | None = None) -> ImportResult:
    """Create or update the board's meetings and agenda items from modern.gov; all or nothing.

    ``fetch(site, call, params)`` returns an answer's bytes (``fetch_answer``, the network, by default).
    """
    if not board.is_linked_to_moderngov:
        raise ModernGovError(_("Link the board to its modern.gov site and committee first (edit the board)."))
    today = today or deadlines.today()
    start = start or today - timedelta(days=DEFAULT_WINDOW_DAYS)
    end = end or today + timedelta(days=DEFAULT_WINDOW_DAYS)
    if end < start:
        raise ModernGovError(_("The end of the period is before its start."))
    entries = _read(board, fetch or fetch_answer, start, end)
    result = ImportResult()
    with transaction.atomic():
        existing = {m.moderngov_id: m for m in board.meetings.filter(
            moderngov_id__in=[e.moderngov_id for e in entries])}
        for entry in entries:
            meeting = existing.get(entry.moderngov_id) or Meeting(board=board, moderngov_id=entry.moderngov_id)
            _save_meeting(meeting, entry, board, today, by, result)
    return result


def _status(entry: MeetingEntry, today: date) -> str:
    if entry.status == "cancelled":
        return Meeting.Status.CANCELLED
    return Meeting.Status.HELD if entry.held_on < today else Meeting.Status.SCHEDULED


def _save_meeting(meeting: Meeting, entry: MeetingEntry, board: Board, today: date, by, result: ImportResult):
    site = board.moderngov_site.rstrip("/")
    values = {"held_on": entry.held_on, "starts_at": entry.starts_at, "location": entry.location,
              "status": _status(entry, today), "title": entry.title or board.name,
              "papers_url": f"{site}/ieListDocuments.aspx?CId={board.moderngov_committee_id}&MId={entry.moderngov_id}"}
    creating = meeting.pk is None
    if _changed(meeting, values) or creating:
        meeting._history_user = by
        meeting.full_clean()
        meeting.save()
        if creating:
            result.created += 1
        else:
            result.updated += 1
    else:
        result.unchanged += 1
    items = {i.moderngov_id: i for i in meeting.agenda_items.filter(moderngov_id__isnull=False)}
    for entry_item in entry.items:
        item = items.get(entry_item.moderngov_id) or AgendaItem(meeting=meeting, moderngov_id=entry_item.moderngov_id)
        adding = item.pk is None
        if _changed(item, {"position": entry_item.position, "number": entry_item.number, "title": entry_item.title,
                           "text": entry_item.text, "is_restricted": entry_item.restricted,
                           "is_procedural": entry_item.procedural}) or adding:
            item._history_user = by
            item.save()
            if adding:
                result.items_created += 1
            else:
                result.items_updated += 1
