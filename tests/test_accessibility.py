"""WCAG 2.2 AA: axe-core finds no violation on the main pages, with the demo data loaded."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.govtrack.test_browser import set_up_two_factor

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = [
    "/",
    "/systems/",
    "/systems/monmouthshire/completeness/",
    "/systems/monmouthshire/missing/",
    "/systems/monmouthshire/rationalisation/",
    "/systems/monmouthshire/renewals/",
    "/systems/monmouthshire/new/",
    "/registers/monmouthshire/matrix/edit/",
    "/registers/",
    "/registers/monmouthshire/corporate/",
    "/registers/escalations/",
    "/reporting/monmouthshire/governance-gaps/",
    "/reporting/monmouthshire/dashboard/",
    "/reporting/monmouthshire/risks/",
    "/reporting/monmouthshire/records/overdue_reviews/",
    "/reporting/partnerships/srs/dashboard/",
    "/reporting/monmouthshire/packs/",
    "/registers/monmouthshire/matrix/",
    "/boards/",
    "/boards/decisions/",
    "/organisations/monmouthshire/",
    "/organisations/monmouthshire/people/",
    "/organisations/monmouthshire/people/invite/",
    "/organisations/monmouthshire/service-accounts/",
    "/webhooks/monmouthshire/",
    "/organisations/monmouthshire/checks/",
    "/imports/monmouthshire/systems/",
    "/accounts/security/",
    "/notifications/",
    "/accessibility/",
    "/privacy/",
    "/help/",
    "/accounts/settings/",
    "/slas/",
    "/slas/monmouthshire/",
    "/slas/monmouthshire/breaches/",
    "/slas/partnerships/srs/",
    "/proposals/",
    "/proposals/sources/",
    "/proposals/business-cases/",
    "/proposals/monmouthshire/sources/new/",
    "/search/?q=flo",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _sla_pages() -> list[str]:
    from slas.models import Agreement

    draft = Agreement.objects.get(client__slug="monmouthshire")
    return [draft.get_absolute_url(), f"/slas/agreements/{draft.pk}/measurements/",
            f"/slas/agreements/{draft.pk}/edit/", f"/slas/agreements/{draft.pk}/lines/new/"]


def test_main_pages_have_no_accessibility_violations(live_server, transactional_db, monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    axe_package = pytest.importorskip("axe_playwright_python")
    axe_source = (Path(axe_package.__file__).parent / "axe.min.js").read_text()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("load_demo")
    from proposals.models import Action
    from registers.models import Risk
    from systems_catalogue.models import Supplier, System

    flo = System.objects.get(organisation__slug="monmouthshire", name="Flo")
    pages = PAGES + [
        flo.get_absolute_url(),
        f"/systems/{flo.pk}/history/",
        f"/systems/suppliers/{Supplier.objects.filter(organisation__slug='monmouthshire').order_by('pk')[0].pk}/merge/",
        Risk.objects.filter(organisation__slug="monmouthshire").order_by("pk").first().get_absolute_url(),
        *_sla_pages(),
    ]
    action = Action.objects.filter(proposal__source__organisation__slug="monmouthshire", revisions__isnull=False,
                                   updates__isnull=False).order_by("pk").first()
    pages += [action.get_absolute_url(), action.proposal.get_absolute_url(), action.proposal.source.get_absolute_url(),
              f"/proposals/actions/{action.pk}/update/", f"/proposals/actions/{action.pk}/revise/"]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("Chromium is needed for browser tests: apt-get install chromium (bin/test does).")
    problems = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        # axe is injected by the test, so this context alone may run it despite the CSP.
        page = browser.new_context(bypass_csp=True).new_page()

        def check(path):
            page.evaluate(axe_source)
            result = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
            )
            assert result["passes"], path
            for violation in result["violations"]:
                node = violation["nodes"][0]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) at {node['target']}")

        # The sign-in page, and (for an administrator) the two-factor setup page it leads to.
        page.goto(f"{live_server.url}/accounts/login/")
        check("/accounts/login/")
        page.fill("#id_username", "org.admin")
        page.fill("#id_password", "govtrack-demo")
        page.click("main button[type=submit]")
        page.wait_for_selector("#gt-totp-secret")
        check("/accounts/two-factor/setup/")
        set_up_two_factor(page)
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            check(path)
        browser.close()
    assert not problems, "\n".join(problems)
