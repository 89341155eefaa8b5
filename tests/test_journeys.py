"""Journeys: what officers and board members do, in a real browser, as the named person.

Each journey drives headless Chromium through govtrack served on 127.0.0.1 with the demo data,
saves a screenshot of every step under ``test-output/journeys/<journey>/`` (not committed), and
runs axe-core on every page it visits: a serious or critical violation fails the journey. The
keyboard journeys use the keyboard alone (Tab to a control, type, Enter or Space), at 390 px.
Journeys for the SLA, proposal and board pages join as those pages arrive.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # without Playwright the browser tests are skipped
    PlaywrightError = Exception
from django.core.management import call_command

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(settings.BASE_DIR) / "test-output" / "journeys"
PASSWORD = "govtrack-demo"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Journey:
    """One person's way through govtrack: screenshots and axe at every step; by mouse or by keyboard."""

    def __init__(self, browser, base_url: str, name: str, *, width: int = 1280, keyboard: bool = False):
        self.base_url, self.name, self.keyboard, self.width = base_url, name, keyboard, width
        self.context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        self.page = self.context.new_page()
        self.steps = 0
        self.problems: list[str] = []
        self.folder = OUTPUT / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    # -- what every step does ------------------------------------------------------------------
    def step(self, label: str) -> None:
        """Record the page as the person sees it, and check it with axe."""
        self._settle()
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.steps:02d}-{slug}.png"), full_page=True)
        assert self.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
            f"{self.name}, {label}: the page scrolls sideways")
        self.page.evaluate(_axe_source())
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                self.problems.append(f"{self.name}, {label} ({self.page.url}): {violation['id']} "
                                     f"at {violation['nodes'][0]['target']}")

    def _settle(self) -> None:
        """Wait until the page a key press or a click led to has loaded: a press of Enter starts its
        navigation a moment later, so the page that was there may still answer "loaded"."""
        for _ in range(20):
            self.page.wait_for_load_state("load")
            try:
                self.page.evaluate("document.readyState")
            except PlaywrightError:  # the page was replaced while we asked: ask the new one
                continue
            self.page.wait_for_timeout(100)
            try:
                if self.page.evaluate("document.readyState") == "complete":
                    return
            except PlaywrightError:
                continue

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.base_url + path)
        self.step(label)

    # -- acting, by mouse or by keyboard alone -------------------------------------------------
    def focus(self, locator) -> None:
        """Reach the control with the Tab key (in keyboard journeys), failing if Tab never gets there."""
        locator.wait_for()
        for _ in range(400):
            if locator.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{self.name}: Tab never reaches {locator}")

    def click(self, locator) -> None:
        if self.keyboard:
            self.focus(locator)
            self.page.keyboard.press("Enter")
        else:
            locator.click()
        self.page.wait_for_load_state("load")

    def fill(self, locator, text: str) -> None:
        if self.keyboard:
            self.focus(locator)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            locator.fill(text)

    def choose(self, locator, value: str) -> None:
        """Pick an option of a select: with the arrow keys in keyboard journeys."""
        if not self.keyboard:
            locator.select_option(value)
            return
        self.focus(locator)
        target = locator.evaluate("(s, v) => [...s.options].findIndex(o => o.value === v)", value)
        assert target >= 0, f"no option {value!r} in {locator}"
        for _ in range(50):
            current = locator.evaluate("s => s.selectedIndex")
            if current == target:
                return
            self.page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        raise AssertionError(f"could not choose {value!r} by keyboard")

    def submit(self) -> None:
        """Press the form's main button (the last submit button of the page's main form)."""
        self.click(self.page.locator("main form[method=post] button[type=submit]").last)

    def sign_in(self, username: str) -> None:
        self.go("/accounts/login/", f"sign in as {username}")
        self.fill(self.page.locator("#id_username"), username)
        self.fill(self.page.locator("#id_password"), PASSWORD)
        self.click(self.page.locator("main button[type=submit]"))
        self.step("signed in")

    def finish(self) -> list[str]:
        self.context.close()
        return self.problems


_AXE = []


def _axe_source() -> str:
    if not _AXE:
        import axe_playwright_python

        _AXE.append((Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text())
    return _AXE[0]


@pytest.fixture
def browser(live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is needed for browser tests: apt-get install chromium (bin/test does).")
    call_command("load_demo")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield browser
        browser.close()


# -- journey 1: an officer completes a system's record ---------------------------------------------

def _incomplete_system():
    from systems_catalogue.models import System

    system = System.objects.get(organisation__slug="monmouthshire", name="Telecare monitoring")
    System.objects.filter(pk=system.pk).update(purpose="")
    return system


def officer_completes_a_system(journey: Journey) -> None:
    from systems_catalogue.models import System

    system = _incomplete_system()
    journey.sign_in("risk.officer")
    journey.go("/systems/monmouthshire/missing/?field=purpose", "what is missing: purpose")
    journey.click(journey.page.get_by_role("link", name=system.name, exact=True))
    journey.step("the incomplete system")
    journey.click(journey.page.get_by_role("link", name="Edit system"))
    journey.step("edit the system")
    journey.fill(journey.page.locator("#id_purpose"), "Alarms and sensors that let people live safely at home.")
    journey.submit()
    journey.step("saved")
    assert "purpose" not in System.objects.get(pk=system.pk).completeness.missing
    journey.click(journey.page.get_by_role("link", name="Add an owner's comment"))
    journey.step("add a comment")
    journey.fill(journey.page.locator("#id_text"), "Reviewed with the telecare team; contract renewal due next year.")
    journey.submit()
    journey.step("comment added")
    assert "Reviewed with the telecare team" in journey.page.content()


# -- journey 2: a risk above the threshold is escalated and accepted -------------------------------

def officer_escalates_a_risk_and_the_manager_accepts(journey: Journey, browser, base_url: str) -> Journey:
    from registers.models import Escalation, Risk

    title = "Flo data migration leaves case histories incomplete"
    journey.sign_in("risk.officer")
    journey.go("/registers/monmouthshire/flo/", "the Flo project register")
    journey.click(journey.page.get_by_role("link", name="Add a risk"))
    journey.step("add a risk")
    page = journey.page
    journey.fill(page.locator("#id_reference"), "FLO-90")
    journey.fill(page.locator("#id_title"), title)
    for field, value in (("inherent_likelihood", "5"), ("inherent_impact", "4"),
                         ("current_likelihood", "4"), ("current_impact", "4")):
        journey.choose(page.locator(f"#id_{field}"), value)
    journey.submit()
    journey.step("the new risk")
    risk = Risk.objects.get(title=title)
    assert "this risk should be escalated" in page.content()
    journey.click(page.get_by_role("link", name="Escalate", exact=True))
    journey.step("escalate")
    journey.fill(page.locator("#id_reason"), "Score 16 is above the Flo threshold of 12.")
    journey.submit()
    journey.step("escalation proposed")
    escalation = Escalation.objects.get(risk=risk)
    assert escalation.status == Escalation.Status.PROPOSED

    manager = Journey(browser, base_url, journey.name + "-manager", width=journey.width, keyboard=journey.keyboard)
    manager.sign_in("digital.manager")
    manager.go("/registers/escalations/", "escalations waiting")
    row = manager.page.locator("tr", has_text=title)
    manager.click(row.get_by_role("link", name="Accept"))
    manager.step("accept the escalation")
    manager.submit()
    manager.step("accepted")
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACCEPTED
    for slug in ("flo", escalation.to_register.slug):
        manager.go(f"/registers/monmouthshire/{slug}/", f"the {slug} register")
        assert title in manager.page.content(), f"the risk is not on the {slug} register"
    return manager


def test_journey_1_an_officer_completes_a_system_and_comments(browser, live_server):
    journey = Journey(browser, live_server.url, "1-officer-completes-a-system")
    officer_completes_a_system(journey)
    assert not journey.finish()


def test_journey_2_a_risk_is_escalated_and_accepted_onto_the_directorate_register(browser, live_server):
    journey = Journey(browser, live_server.url, "2-risk-escalated")
    manager = officer_escalates_a_risk_and_the_manager_accepts(journey, browser, live_server.url)
    manager.page.screenshot(path=str(OUTPUT / "readme-register.png"))
    assert not journey.finish() + manager.finish()


def test_journey_7_journeys_1_and_2_by_keyboard_alone_on_a_phone(browser, live_server):
    first = Journey(browser, live_server.url, "7a-keyboard-completes-a-system", width=390, keyboard=True)
    officer_completes_a_system(first)
    second = Journey(browser, live_server.url, "7b-keyboard-risk-escalated", width=390, keyboard=True)
    manager = officer_escalates_a_risk_and_the_manager_accepts(second, browser, live_server.url)
    assert not first.finish() + second.finish() + manager.finish()


# -- journey 4: a partner's tool submits a month of SLA figures; the breach shows ------------------

def test_journey_4_a_service_account_submits_a_month_and_the_breach_shows_on_the_partnership_page(
        browser, live_server):
    from django.contrib.auth import get_user_model

    from govtrack import services
    from govtrack.models import Membership, Organisation
    from slas import periods
    from slas.models import Agreement, Breach

    srs = Organisation.objects.get(slug="srs")
    agreement = (Agreement.objects.filter(provider=srs, status=Agreement.Status.AGREED, lines__isnull=False)
                 .distinct().order_by("pk").first())
    assert agreement is not None, "the demo has an agreed SLA with service lines"
    lines = list(agreement.lines.order_by("pk"))
    _account, key = services.create_service_account(
        organisation=srs, name="SRS service desk", role=Membership.Role.OFFICER,
        by=get_user_model().objects.get(username="srs.manager"))
    from django.utils import timezone

    period = periods.add_months(periods.month_start(timezone.localdate()), -1)
    missed = lines[0]
    rows = [{"service_line": line.pk,
             "actual": str(_missing(line) if line == missed else line.target)} for line in lines]

    journey = Journey(browser, live_server.url, "4-partner-submits-a-month")
    response = journey.context.request.post(
        f"{live_server.url}/api/v1/measurements/bulk/",
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
        data={"agreement": agreement.pk, "period": period.isoformat(), "measurements": rows})
    assert response.status in (200, 201), response.text()
    assert Breach.objects.filter(service_line=missed, period=period).exists()

    journey.sign_in("srs.manager")
    journey.go("/slas/partnerships/srs/", "the partnership's SLA page")
    recent = journey.page.locator("h2", has_text="Recent breaches").locator("xpath=following-sibling::*[1]")
    assert missed.metric in recent.inner_text()
    assert not journey.finish()


def _missing(line):
    """A figure that misses the line's target."""
    from decimal import Decimal

    return line.target - Decimal("1") if line.direction == line.Direction.HIGHER else line.target + Decimal("1")


# -- journey 3: an officer records an action's progress, with evidence and a revised due date ------

def test_journey_3_an_officer_records_progress_with_evidence_and_a_revised_due_date(browser, live_server, tmp_path):
    from django.contrib.auth import get_user_model

    from govtrack import access
    from proposals.models import Action

    people = {u.username: u for u in get_user_model().objects.filter(username__in=["risk.officer", "digital.manager"])}
    candidates = Action.objects.filter(owner__username__in=people).order_by("-owner__username", "pk")
    action, person = next((a, a.owner) for a in candidates if a.is_open and access.can_change(a.owner, a))
    original_due = action.due_on
    evidence = tmp_path / "board-minutes.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    journey = Journey(browser, live_server.url, "3-officer-records-progress")
    journey.sign_in(person.username)
    journey.go(action.get_absolute_url(), "the action")
    page = journey.page
    journey.click(page.get_by_role("link", name="Give an update"))
    journey.step("give an update")
    journey.fill(page.locator("#id_progress"), "60")
    page.get_by_label("At risk").check()
    journey.fill(page.locator("#id_note"), "Draft plan agreed with the Digital Board; targets set for each objective.")
    journey.submit()
    journey.step("update saved")
    journey.click(page.get_by_role("link", name="Revise the due date"))
    journey.step("revise the due date")
    new_due = original_due.replace(year=original_due.year + 1) if original_due else None
    journey.fill(page.locator("#id_new_due_on_day"), str(new_due.day))
    journey.fill(page.locator("#id_new_due_on_month"), str(new_due.month))
    journey.fill(page.locator("#id_new_due_on_year"), str(new_due.year))
    journey.fill(page.locator("#id_reason"), "The committee moved its review to next year.")
    journey.submit()
    journey.step("due date revised")
    journey.click(page.get_by_role("link", name="Add evidence"))
    journey.step("add evidence")
    journey.fill(page.locator("#id_title"), "Digital Board minutes")
    page.locator("#id_file").set_input_files(str(evidence))
    journey.submit()
    journey.step("evidence added")

    action.refresh_from_db()
    assert action.progress == 60 and action.due_on == new_due
    assert "Digital Board minutes" in page.content()
    assert original_due.strftime("%Y") in page.content()  # the original date stays visible
    assert action.evidence.filter(title="Digital Board minutes").exists()
    assert not journey.finish()


# -- journeys 5 and 6: a board member's dashboard and board pack, in English and in Welsh ---------

def board_member_reads_the_dashboard_and_gets_a_pack(journey: Journey, *, welsh: bool) -> bytes:
    from django.utils import timezone

    page = journey.page
    journey.sign_in("board.member")
    if welsh:
        journey.click(page.locator("button[name=language][value=cy]"))
        journey.step("Cymraeg")
        assert page.locator("html").get_attribute("lang") == "cy"
    journey.go("/reporting/monmouthshire/dashboard/", "the dashboard")
    # Every number links to the records behind it: follow the first.
    number = page.locator("main a[href*='/reporting/monmouthshire/records/'], "
                          "main a[href*='/reporting/monmouthshire/risks/']").first
    href = number.get_attribute("href")
    journey.click(number)
    journey.step("the records behind a number")
    assert href.split("?")[0] in page.url
    journey.go("/reporting/monmouthshire/packs/", "board packs")
    today = timezone.localdate()
    journey.fill(page.locator("#id_meeting_date_day"), str(today.day))
    journey.fill(page.locator("#id_meeting_date_month"), str(today.month))
    journey.fill(page.locator("#id_meeting_date_year"), str(today.year))
    page.locator("#id_language").select_option("cy" if welsh else "en")
    journey.click(page.locator("main form[method=post] button").last)
    journey.step("pack requested")
    download = page.locator("a[href$='/download/']").first
    for _ in range(30):  # the build runs as a task; the page says when it is ready
        if download.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    journey.step("pack ready")
    with page.expect_download() as info:
        download.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    return pdf


def _pack_text(pdf: bytes) -> str:
    """The PDF's text, read back with poppler's pdftotext (bin/setup installs it)."""
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _as_board_member_who_may_build():
    """The demo's board member sits on the Digital Board; packs are built by the board's officers, so
    in these journeys the board member is also given the officer role that building needs."""
    from govtrack.models import Membership

    Membership.objects.filter(user__username="board.member", organisation__slug="monmouthshire").update(
        role=Membership.Role.OFFICER)


def test_journey_5_a_board_member_follows_a_number_and_downloads_a_board_pack(browser, live_server):
    _as_board_member_who_may_build()
    journey = Journey(browser, live_server.url, "5-board-member-pack")
    pdf = board_member_reads_the_dashboard_and_gets_a_pack(journey, welsh=False)
    journey.page.goto(live_server.url + "/reporting/monmouthshire/dashboard/")
    journey.page.screenshot(path=str(OUTPUT / "readme-dashboard.png"))
    assert "Risk heat map" in _pack_text(pdf) or "heat map" in _pack_text(pdf).lower()
    assert not journey.finish()


def test_journey_6_the_same_in_welsh(browser, live_server):
    _as_board_member_who_may_build()
    journey = Journey(browser, live_server.url, "6-board-member-pack-cymraeg")
    pdf = board_member_reads_the_dashboard_and_gets_a_pack(journey, welsh=True)
    assert "Dangosfwrdd" in journey.page.content() or "dangosfwrdd" in journey.page.content()
    assert "map gwres" in _pack_text(pdf).lower()
    assert not journey.finish()
