"""Single sign-on against a real OpenID Connect provider running on 127.0.0.1.

The provider is django-oauth-toolkit's (tests/oidc_provider), in its own process with an RSA
key made for this run. Each test drives the whole authorization-code flow: govtrack sends the
person to the provider, they sign in and consent there, the provider sends them back, and
govtrack exchanges the code, checks the ID token and matches the person by verified email.
"""

import html
import json
import os
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from govtrack import oidc, services, signin
from govtrack.models import Membership

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "govtrack-tests", "a-client-secret-for-the-tests-only"
PASSWORD = "provider-password"
PEOPLE = [
    {"username": "nia", "email": "OFFICER-A@example.gov.uk", "verified": True},  # officer_a, by email
    {"username": "admin", "email": "admin-a@example.gov.uk", "verified": True},
    {"username": "newcomer", "email": "new.person@example.gov.uk", "verified": True, "first_name": "Nia"},
    {"username": "stranger", "email": "stranger@example.gov.uk", "verified": True},
    {"username": "unverified", "email": "officer-a@example.gov.uk", "verified": False},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The identity provider's base URL, while its process runs."""
    folder = tmp_path_factory.mktemp("provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        PROVIDER_DB=str(folder / "provider.sqlite3"),
        PROVIDER_RSA_KEY=pem.decode(),
        PROVIDER_PEOPLE=json.dumps([{**p, "password": PASSWORD} for p in PEOPLE]),
        PROVIDER_CLIENT_ID=CLIENT_ID,
        PROVIDER_CLIENT_SECRET=CLIENT_SECRET,
        PROVIDER_REDIRECT_URI="http://testserver/oidc/callback/",
    )
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The test identity provider did not start:\n" + (folder / "provider.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_DISCOVERY_URL = f"{provider}/o/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()
    yield provider
    cache.clear()


class _Form(HTMLParser):
    """The fields of the first form on a page, as a browser would submit them."""

    def __init__(self, html: str):
        super().__init__()
        self.fields, self._in_form, self._done = {}, False, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._done:
            self._in_form = True
        elif tag == "input" and self._in_form and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def sign_in_with_sso(client, provider: str, username: str):
    """Go through the whole flow as a person in a browser; returns govtrack's answer to the callback."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start.url.startswith(provider)
    browser = requests.Session()
    login_page = browser.get(start.url, timeout=10)  # the provider asks who they are
    assert urlsplit(login_page.url).path == "/login/"
    fields = {**_Form(login_page.text).fields, "username": username, "password": PASSWORD}
    signed_in = browser.post(login_page.url, data=fields, allow_redirects=False, timeout=10)
    assert signed_in.status_code == 302, signed_in.text
    consent = browser.get(urljoin(provider, signed_in.headers["Location"]), allow_redirects=False, timeout=10)
    assert consent.status_code == 200 and "authorizationForm" in consent.text
    answer = browser.post(
        consent.url, data={**_Form(consent.text).fields, "allow": "Authorize"}, allow_redirects=False, timeout=10
    )
    callback = urlsplit(answer.headers["Location"])
    assert callback.netloc == "testserver" and callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}")




@pytest.mark.slow
def test_a_person_matched_by_verified_email_is_signed_in(client, sso, officer_a):
    response = sign_in_with_sso(client, sso, "nia")
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == officer_a.pk
    assert client.session[signin.METHOD] == signin.SSO
    assert client.get("/").status_code == 200


@pytest.mark.slow
def test_an_admin_signing_in_with_sso_is_not_asked_for_a_govtrack_code(client, sso, admin_a):
    sign_in_with_sso(client, sso, "admin")
    assert int(client.session["_auth_user_id"]) == admin_a.pk
    assert client.get("/").status_code == 200
    assert client.get(reverse("people", args=["org-a"])).status_code == 200


@pytest.mark.slow
def test_an_invited_person_becomes_active_on_first_sign_in(client, sso, org_a, admin_a):
    membership = services.invite_person(organisation=org_a, email="new.person@example.gov.uk", role="viewer",
                                        invited_by=admin_a)
    assert membership.status == Membership.Status.INVITED
    sign_in_with_sso(client, sso, "newcomer")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE and membership.role == "viewer"
    assert membership.user.first_name == "Nia"  # the name the invitation left blank, from the provider


@pytest.mark.slow
def test_someone_with_no_govtrack_account_is_refused_and_nobody_is_created(client, sso, officer_a):
    people = get_user_model().objects.count()
    response = sign_in_with_sso(client, sso, "stranger")
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "ask your organisation's administrator for an invitation" in page.lower()
    assert get_user_model().objects.count() == people
    assert "_auth_user_id" not in client.session


@pytest.mark.slow
def test_an_email_the_provider_has_not_verified_is_refused(client, sso, officer_a):
    response = sign_in_with_sso(client, sso, "unverified")
    assert response.status_code == 403
    assert "did not confirm that the email address" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.slow
def test_a_suspended_person_is_refused(client, sso, officer_a):
    Membership.objects.filter(user=officer_a).update(status=Membership.Status.SUSPENDED)
    assert sign_in_with_sso(client, sso, "nia").status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.slow
def test_refusals_do_not_lock_out_the_address(client, sso, officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        assert sign_in_with_sso(client, sso, "stranger").status_code == 403
    assert sign_in_with_sso(client, sso, "nia").status_code == 302


# --- without a provider -------------------------------------------------------------------------


def test_with_single_sign_on_off_the_sign_in_page_has_no_button_and_its_urls_are_404(client, db, settings):
    settings.OIDC_ENABLED = False
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_single_sign_on_on_the_sign_in_page_offers_the_providers_button(client, db, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Microsoft"
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Microsoft" in page and reverse("oidc_authentication_init") in page
    assert 'name="password"' in page  # local accounts keep their passwords


def test_an_unreachable_provider_gets_a_plain_page_not_a_500(client, db, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{_free_port()}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    cache.clear()
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 503
    assert "Single sign-on is not working right now" in response.content.decode()


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"xms_edov": True}, True),  # Entra ID's optional claim
        ({"email_verified": False}, False),
        ({}, False),
    ],
)
def test_which_claims_count_as_a_verified_email(claims, verified):
    assert oidc.email_is_verified({"email": "a@example.gov.uk", **claims}) is verified
