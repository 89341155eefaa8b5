"""Reflow (WCAG 1.4.10): every page of the site is usable at 320 and 390 CSS px without scrolling sideways.

The pages are found as the isolation crawler finds them: every URL pattern, filled with one demo
record of each kind, that answers an HTML page to Monmouthshire's administrator. A new page joins
the test by existing. Wide tables may scroll inside their own region; the page itself may not.
"""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from govtrack.models import Organisation
from tests.conftest import sign_in
from tests.test_isolation import _fill, _patterns, _private_records

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (320, 390)
SKIP = ("admin/", "api/", "accounts/logout", "i18n/", "oidc/", "calendar/")

WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = element.parentElement, clipped = false;
    while (parent) {
      if (getComputedStyle(parent).overflowX !== 'visible') { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (!clipped) found.push(`${element.tagName.toLowerCase()}.${element.className} (${Math.round(box.right)} px)`);
  }
  return found.slice(-3);
}"""


def _pages(client, organisation) -> list[str]:
    """Every page of the site that answers HTML to the signed-in person, with demo records in its URL."""
    routes = [route for route, _params in _patterns() if not route.startswith(SKIP)]
    records = list(_private_records(organisation))
    candidates = set()
    for route in routes:
        if "<" not in route and "(" not in route:
            candidates.add("/" + route)
            continue
        for record in records:
            url = _fill(route, record)
            if url:
                candidates.add(url)
    pages = []
    for url in sorted(candidates):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def test_every_page_fits_a_phone_without_scrolling_sideways(live_server, transactional_db, monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("load_demo")
    admin = get_user_model().objects.get(username="org.admin")
    client = sign_in(Client(), admin)
    pages = _pages(client, Organisation.objects.get(slug="monmouthshire"))
    assert len(pages) > 25, pages
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("Chromium is needed for browser tests: apt-get install chromium (bin/test does).")
    problems = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 844}, locale="en-GB")
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                  "url": live_server.url}])
            page = context.new_page()
            for path in pages:
                page.goto(live_server.url + path)
                scroll, visible = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                if scroll > visible:
                    problems.append(f"{width}px {path}: {scroll - visible} px too wide; {page.evaluate(WIDEST)}")
            context.close()
        browser.close()
    print(f"{len(pages)} pages at {WIDTHS}")
    assert not problems, "\n".join(problems)
