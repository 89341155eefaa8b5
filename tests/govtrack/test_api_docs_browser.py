"""/api/docs/ in a real browser: it renders the operations (under the CSP, without a CDN) inside govtrack's
page, in the page's language, with a link back, and axe finds nothing serious."""

from pathlib import Path

import pytest

from govtrack.models import Membership
from tests.factories import member
from tests.govtrack.test_browser import page, sign_in  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_the_api_docs_render_every_operation_inside_govtracks_page(page, live_server, org_a):  # noqa: F811
    member(org_a, Membership.Role.OFFICER, "docs-reader")
    sign_in(page, live_server, "docs-reader")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/docs/")
    # Loaded means the resources are listed, not just the spinner: wait for them. They start folded
    # (so Swagger UI draws every one, and a keyboard reaches each); a resource opens to its operations.
    page.wait_for_selector(".opblock-tag-section .opblock-tag", timeout=30_000)
    assert page.locator(".opblock-tag-section").count() > 15
    page.locator(".opblock-tag", has_text="risks").first.click()
    page.wait_for_selector(".opblock-tag-section .opblock")
    assert page.locator(".opblock").count() >= 5
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("a.gt-wordmark").count() == 1  # govtrack's own header
    assert page.locator("a", has_text="Back to govtrack").first.get_attribute("href") == "/"
    assert not blocked and not outside

    axe_package = pytest.importorskip("axe_playwright_python")
    axe_source = (Path(axe_package.__file__).parent / "axe.min.js").read_text()
    page.evaluate(axe_source)  # axe is injected by the test; the CSP still applies to govtrack's own scripts
    page.locator(".opblock-summary-control").first.click()  # one operation open, as a reader would
    page.wait_for_selector(".opblock-body")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    serious = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)
