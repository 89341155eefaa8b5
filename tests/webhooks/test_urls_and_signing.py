"""Where a webhook may point, and the signature a receiver checks."""

import pytest
from django.core.exceptions import ValidationError

from webhooks import signing, urlsafety


@pytest.fixture
def production(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False


@pytest.mark.parametrize(("url", "message"), [
    ("http://hooks.example.org/govtrack", "https://"),
    ("https://127.0.0.1/hook", "private network"),
    ("https://localhost:8443/hook", "private network"),
    ("https://10.1.2.3/hook", "private network"),
    ("https://192.168.0.10/hook", "private network"),
    ("https://169.254.169.254/latest/meta-data", "private network"),
    ("https://[::1]/hook", "private network"),
    ("https://[fd00::1]/hook", "private network"),
    ("https://user:pass@hooks.example.org/", "password"),
    ("ftp://hooks.example.org/", "whole address"),
    ("https:///nohost", "whole address"),
    ("https://hooks.example.org:99999/", "whole address"),
    ("https://no-such-host.invalid/hook", "cannot be found"),
])
def test_in_production_only_public_https_addresses_are_accepted(production, url, message):
    with pytest.raises(ValidationError, match=message):
        urlsafety.check_url(url)


def test_a_public_https_address_is_accepted(production):
    urlsafety.check_url("https://93.184.215.14/govtrack")  # an address literal: no name to look up


def test_on_a_developers_machine_a_local_receiver_is_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    urlsafety.check_url("http://127.0.0.1:8001/hook")
    with pytest.raises(ValidationError):
        urlsafety.check_url("https://user:pw@127.0.0.1/")


def test_a_signature_checks_only_the_body_it_was_made_for_and_only_recently():
    body = b'{"event":"breach.recorded"}'
    header = signing.header("whsec_s3cret", body, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert signing.verify("whsec_s3cret", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_s3cret", header, body, now=1_700_000_000 + 301)  # replayed later
    assert not signing.verify("whsec_s3cret", header, body.replace(b"breach", b"ping"), now=1_700_000_000)
    assert not signing.verify("whsec_other", header, body, now=1_700_000_000)
    assert not signing.verify("whsec_s3cret", "v1=abc", body)
    assert not signing.verify("whsec_s3cret", "t=soon,v1=abc", body)


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    """The recipe the API guide gives receivers in other languages."""
    import hashlib
    import hmac

    body = b"{}"
    expected = hmac.new(b"whsec_k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signing.header("whsec_k", body, timestamp=1_700_000_000) == f"t=1700000000,v1={expected}"
