"""govtrack in a real browser (headless Chromium): the layout loads, scripts run under the CSP."""

import os
import shutil

import pytest

from govtrack.models import Membership
from tests.factories import member

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own database calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is needed for browser tests: apt-get install chromium (bin/test does).")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        yield page
        browser.close()


def sign_in(page, live_server, username: str, password: str = "correct-horse-battery"):
    """Sign in as a person would; an administrator is walked through setting up two-factor authentication."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")
    if "/accounts/two-factor/setup/" in page.url:
        set_up_two_factor(page)


def set_up_two_factor(page):
    """Read the key off the setup page, make the app's code from it, and finish the setup."""
    from base64 import b32decode

    from django_otp.oath import totp

    assert page.is_visible("svg.gt-qr")
    secret = page.inner_text("#gt-totp-secret").replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("text=Turn on two-factor authentication")
    page.wait_for_selector("#gt-recovery-codes")
    page.click("text=I have saved my codes")
    page.wait_for_selector("h1")


def test_sign_in_and_switch_organisation_in_a_browser(page, live_server, org_a, org_b):
    user = member(org_a, Membership.Role.ADMIN, "browser-admin")
    Membership.objects.create(user=user, organisation=org_b, role=Membership.Role.VIEWER)
    sign_in(page, live_server, "browser-admin")  # an admin: sets up two-factor authentication first
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Monmouthshire County Council"

    # GOV.UK Frontend's scripts ran (they need the module script, allowed by the CSP).
    assert "govuk-frontend-supported" in page.get_attribute("body", "class")
    # Arial, never the GDS Transport font.
    assert "arial" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").lower()

    page.select_option("#gt-organisation", "org-b")
    page.click("text=Switch")
    page.wait_for_selector("h1:has-text('Newport City Council')")
    violations = [m for m in page.console_messages if "Content Security Policy" in m or "Refused" in m]
    assert not violations


def test_admin_invites_someone_through_the_form(page, live_server, org_a):
    member(org_a, Membership.Role.ADMIN, "browser-admin")
    sign_in(page, live_server, "browser-admin")
    page.goto(f"{live_server.url}/organisations/{org_a.slug}/people/invite/")
    page.fill("#id_email", "not an email")
    page.click("text=Send invitation")
    assert page.is_visible(".govuk-error-summary")
    page.fill("#id_email", "nia.evans@example.gov.uk")
    page.select_option("#id_role", "officer")
    page.click("text=Send invitation")
    page.wait_for_selector("text=nia.evans@example.gov.uk has been invited")
    assert Membership.objects.filter(user__email="nia.evans@example.gov.uk", role="officer").exists()
