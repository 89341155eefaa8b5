"""A pack per board: built from the board's page for its next meeting with changes since its last one,
its members told and ``board_pack.issued`` announced when it is issued, and a board member's start page
showing their boards' next meetings and packs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.models import BoardMember, Meeting
from govtrack import events
from govtrack.models import Membership, Notification
from reporting import packs
from reporting.models import BoardPack
from tests.boards.factories import BoardFactory, MeetingFactory
from tests.factories import member

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _no_pdf(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(packs, "render_pdf", lambda html: (b"%PDF-1.7 test", 1))


@pytest.fixture
def board(org_a, officer_a):
    board = BoardFactory(organisation=org_a, name="Digital Board", slug="digital-board", secretary=officer_a)
    MeetingFactory(board=board, held_on=TODAY - timedelta(days=60), status=Meeting.Status.HELD)
    MeetingFactory(board=board, held_on=TODAY - timedelta(days=20), status=Meeting.Status.HELD)
    MeetingFactory(board=board, held_on=TODAY + timedelta(days=10), status=Meeting.Status.CANCELLED)
    MeetingFactory(board=board, held_on=TODAY + timedelta(days=14))
    return board


@pytest.fixture
def board_member(org_a, board):
    person = member(org_a, Membership.Role.VIEWER, "councillor-jones")
    BoardMember.objects.create(board=board, person=person, role=BoardMember.Role.COUNCILLOR)
    return person


def _date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_a_pack_for_a_board_starts_from_its_next_meeting_and_changes_since_its_last(
        org_a, manager_a, board, login, django_capture_on_commit_callbacks):
    client = login(manager_a)
    page = client.get(board.get_absolute_url()).content.decode()
    build = reverse("reporting:pack_list", args=[org_a.slug]) + f"?board={board.pk}"
    assert build.replace("&", "&amp;") in page.replace("#build", "")
    form = client.get(build).context["form"]
    assert form.initial["board"] == board
    assert form.initial["meeting_date"] == TODAY + timedelta(days=14)  # the cancelled meeting is skipped
    assert form.initial["since"] == TODAY - timedelta(days=20)
    assert "Digital Board" in form.initial["title"]
    data = {"board": board.pk, "title": "", "language": "en",
            **_date_fields("meeting_date", TODAY + timedelta(days=14))}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build, data)
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and pack.board == board and pack.status == BoardPack.Status.READY
    assert pack.since == TODAY - timedelta(days=20)  # left empty: since the board's last meeting
    assert pack.title == "" and pack.get_absolute_url() in client.get(board.get_absolute_url()).content.decode()


def test_another_organisations_board_cannot_be_named_for_a_pack(org_a, org_b, manager_a, login):
    theirs = BoardFactory(organisation=org_b, name="Newport Digital Board")
    client = login(manager_a)
    url = reverse("reporting:pack_list", args=[org_a.slug])
    assert "Newport Digital Board" not in client.get(f"{url}?board={theirs.pk}").content.decode()
    response = client.post(url, {"board": theirs.pk, "language": "en", **_date_fields("meeting_date", TODAY)})
    assert response.status_code == 200 and "board" in response.context["form"].errors
    assert not BoardPack.objects.exists()


def test_issuing_a_boards_pack_tells_its_members_and_announces_it_once_committed(
        org_a, manager_a, board, board_member, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, event, **kwargs):
        heard.append(event)

    events.event_emitted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            pack = packs.request_pack(organisation=org_a, by=manager_a, meeting_date=TODAY + timedelta(days=14),
                                      board=board)
        pack.refresh_from_db()
        assert not heard
        with django_capture_on_commit_callbacks(execute=True):
            packs.issue_pack(pack=pack, by=manager_a)
    finally:
        events.event_emitted.disconnect(listener)
    assert [e.name for e in heard] == [events.BOARD_PACK_ISSUED]
    assert heard[0].data["board"] == board.pk and heard[0].data["checksum"] == pack.checksum
    notices = Notification.objects.filter(recipient=board_member, kind="board")
    assert [n.url for n in notices] == [pack.get_absolute_url()]
    # The secretary is no member here, and the issuer is not told about their own act.
    assert not Notification.objects.filter(recipient=manager_a, key__startswith="reporting:pack-issued").exists()


def test_a_board_members_start_page_shows_their_boards_next_meeting_and_latest_pack(
        org_a, manager_a, board, board_member, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = packs.request_pack(organisation=org_a, by=manager_a, meeting_date=TODAY, board=board)
    pack.refresh_from_db()
    packs.issue_pack(pack=pack, by=manager_a)
    client = login(board_member)
    page = client.get(reverse("dashboard")).content.decode()
    next_meeting = board.meetings.get(held_on=TODAY + timedelta(days=14))
    assert "Your boards" in page and next_meeting.get_absolute_url() in page and pack.get_absolute_url() in page
    client.get(reverse("dashboard"))
    before = _count(client)
    for n in range(4):  # four more boards, each with a meeting, cost no more queries
        other = BoardFactory(organisation=org_a, name=f"Board {n}")
        BoardMember.objects.create(board=other, person=board_member)
        MeetingFactory(board=other, held_on=TODAY + timedelta(days=n + 1))
    assert _count(client) == before


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(captured.captured_queries)


def test_build_board_pack_for_a_board_takes_its_next_meeting_and_refuses_anothers(org_a, org_b, board):
    from django.core.management import CommandError, call_command

    call_command("build_board_pack", "--organisation", org_a.slug, "--board", board.slug, stdout=open("/dev/null", "w"))
    pack = BoardPack.objects.get()
    assert pack.board == board and pack.meeting_date == TODAY + timedelta(days=14)
    assert pack.since == TODAY - timedelta(days=20) and pack.status == BoardPack.Status.READY
    BoardFactory(organisation=org_b, slug="newport-board")
    with pytest.raises(CommandError, match="No board"):
        call_command("build_board_pack", "--organisation", org_a.slug, "--board", "newport-board")


def test_only_a_manager_issues_a_pack_even_the_officer_who_built_it_does_not(
        org_a, officer_a, manager_a, board, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = packs.request_pack(organisation=org_a, by=officer_a, meeting_date=TODAY, board=board)
    url = reverse("reporting:pack_action", args=[pack.pk, "issue"])
    client = login(officer_a)
    assert "Issue to the board" not in client.get(pack.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 403
    pack.refresh_from_db()
    assert not pack.is_issued
    client = login(manager_a)
    assert "Issue to the board" in client.get(pack.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    pack.refresh_from_db()
    assert pack.is_issued and pack.issued_by == manager_a
