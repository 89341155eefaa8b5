"""The modern.gov import, from recorded answers: what is imported, re-runs that update, answers that are refused."""

from datetime import date
from pathlib import Path
from urllib.error import HTTPError

import pytest
from django.core.management import CommandError, call_command

from boards import moderngov
from boards.models import AgendaItem, Meeting
from tests.boards.factories import BoardFactory

RECORDED = Path(__file__).parent / "moderngov"
TODAY = date(2026, 6, 15)
SITE = "https://democracy.example.gov.uk"


def recorded(meetings="GetMeetings.xml", **replace):
    """A fetch that answers from the recorded files; ``replace`` edits an answer's text (old → new)."""
    asked = []

    def fetch(site, call, params):
        asked.append((site, call, params))
        name = meetings if call == "GetMeetings" else f"{call}-{params['lMeetingId']}.xml"
        body = (RECORDED / name).read_text()
        for old, new in replace.items():
            body = body.replace(old.replace("_", " "), new)
        return body.encode()

    fetch.asked = asked
    return fetch


@pytest.fixture
def board(org_a, officer_a):
    return BoardFactory(organisation=org_a, name="Digital Board", secretary=officer_a, moderngov_site=SITE,
                        moderngov_committee_id=140)


def _run(board, fetch):
    return moderngov.import_meetings(board=board, fetch=fetch, today=TODAY)


def test_meetings_and_agenda_items_are_imported(board):
    fetch = recorded()
    result = _run(board, fetch)
    assert (result.created, result.items_created) == (2, 6)
    held, cancelled = board.meetings.order_by("held_on")
    assert held.held_on == date(2026, 1, 14) and held.starts_at.hour == 10
    assert held.status == Meeting.Status.HELD and held.location == "Council Chamber, County Hall, Usk"
    assert held.papers_url == f"{SITE}/ieListDocuments.aspx?CId=140&MId=5001"
    assert cancelled.status == Meeting.Status.CANCELLED and cancelled.starts_at.hour == 14
    assert fetch.asked[0][1:] == ("GetMeetings", {"lCommitteeId": 140, "sFromDate": "15/06/2025",
                                                   "sToDate": "15/06/2027"})


def test_text_escaped_twice_is_read_once_as_written(board):
    _run(board, recorded())
    item = AgendaItem.objects.get(moderngov_id=70004)
    assert item.title == "The council's digital roadmap 2026-2028"
    assert item.text == "To agree the rolling roadmap & its measures."
    assert item.number == "3."


def test_an_exempt_item_keeps_a_placeholder_title_and_never_its_text(board):
    _run(board, recorded())
    item = AgendaItem.objects.get(moderngov_id=70005)
    assert item.is_restricted and item.title == "Exempt item" and item.text == ""
    assert not AgendaItem.objects.filter(text__icontains="sensitive").exists()
    assert not AgendaItem.objects.filter(title__icontains="negotiations").exists()


def test_procedural_items_are_kept_and_marked(board):
    _run(board, recorded())
    procedural = set(AgendaItem.objects.filter(is_procedural=True).values_list("moderngov_id", flat=True))
    assert procedural == {70001, 70002, 70006}
    assert AgendaItem.objects.get(moderngov_id=70003).number == ""  # a heading: "0" is no number


def test_running_it_again_updates_and_never_duplicates(board):
    _run(board, recorded())
    again = _run(board, recorded())
    assert (again.created, again.updated, again.unchanged, again.items_created) == (0, 0, 2, 0)
    assert board.meetings.count() == 2 and AgendaItem.objects.count() == 6
    moved = _run(board, recorded(Council_Chamber="Room 2", Declarations_of_interest="Declarations of interests"))
    assert (moved.created, moved.updated, moved.items_updated) == (0, 1, 1)
    assert board.meetings.get(moderngov_id=5001).location == "Room 2, County Hall, Usk"
    assert board.meetings.count() == 2 and AgendaItem.objects.count() == 6


@pytest.mark.parametrize("answer, says", [
    ("GetMeetings-broken.xml", "not well-formed XML"),
    ("GetMeetings-bad-date.xml", "not dd/mm/yyyy"),
    ("GetMeetings-entity.xml", "document type"),
])
def test_a_malformed_answer_gives_a_clear_error_and_changes_nothing(board, answer, says):
    _run(board, recorded())
    before = list(Meeting.objects.values_list("pk", "version", "location"))
    with pytest.raises(moderngov.ModernGovError, match=says):
        _run(board, recorded(meetings=answer, Council_Chamber="Room 2"))
    assert list(Meeting.objects.values_list("pk", "version", "location")) == before
    assert AgendaItem.objects.count() == 6


def test_an_answer_about_another_meeting_is_refused(board):
    def fetch(site, call, params):
        name = "GetMeetings.xml" if call == "GetMeetings" else "GetMeeting-5001.xml"
        return (RECORDED / name).read_bytes()

    with pytest.raises(moderngov.ModernGovError, match="answered with meeting 5001"):
        _run(board, fetch)
    assert not Meeting.objects.exists()


def test_a_site_that_switched_its_service_off_is_named(board, monkeypatch):
    def refuse(request, timeout):
        raise HTTPError(request.full_url, 403, "Forbidden", {}, None)

    monkeypatch.setattr(moderngov, "urlopen", refuse)
    monkeypatch.setattr(moderngov, "_refuse_private", lambda host: None)
    with pytest.raises(moderngov.ModernGovError, match="answered 403 to GetMeetings"):
        moderngov.import_meetings(board=board, today=TODAY)


def test_a_site_in_the_servers_own_network_is_refused(board):
    board.moderngov_site = "http://127.0.0.1:8000"
    with pytest.raises(moderngov.ModernGovError, match="not a public address"):
        moderngov.import_meetings(board=board, today=TODAY)


def test_a_board_not_linked_to_a_committee_says_so(org_a):
    with pytest.raises(moderngov.ModernGovError, match="Link the board"):
        moderngov.import_meetings(board=BoardFactory(organisation=org_a), fetch=recorded())


def test_committees_mark_expired_ones_and_leave_out_deleted_ones():
    committees = moderngov.parse_committees((RECORDED / "GetCommittees.xml").read_bytes())
    assert [(c.moderngov_id, c.expired) for c in committees] == [(140, False), (141, False), (90, True)]


def test_the_command_imports_twice_without_duplicates_and_fails_clearly(board, monkeypatch, capsys):
    monkeypatch.setattr(moderngov, "fetch_answer", recorded())
    call_command("import_moderngov", str(board.pk))
    call_command("import_moderngov", "--all")
    assert board.meetings.count() == 2 and AgendaItem.objects.count() == 6
    assert "0 meetings added" in capsys.readouterr().out
    monkeypatch.setattr(moderngov, "fetch_answer", recorded(meetings="GetMeetings-broken.xml"))
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_moderngov", str(board.pk))
    assert "not well-formed XML" in capsys.readouterr().err
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_moderngov", str(board.pk), "--from", "14/01/2026")


def test_the_board_pages_button_imports_for_its_secretary_only(board, login, officer_a, viewer_a, monkeypatch):
    monkeypatch.setattr(moderngov, "fetch_answer", recorded())
    url = f"/boards/{board.pk}/import/"
    assert login(viewer_a).post(url).status_code == 403
    assert not Meeting.objects.exists()
    response = login(officer_a).post(url, follow=True)
    assert "2 meetings added" in response.content.decode()
    monkeypatch.setattr(moderngov, "fetch_answer", recorded(meetings="GetMeetings-broken.xml"))
    response = login(officer_a).post(url, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert board.meetings.count() == 2
