"""Where govtrack may send a webhook: HTTPS to a public address, never into its own network.

Checked when an endpoint is saved and again before every delivery, since a name can be
pointed somewhere else after it was registered. ``WEBHOOK_ALLOW_PRIVATE_URLS`` (on with
``DEBUG``, and in the tests that deliver to a receiver on 127.0.0.1) lifts both rules.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def private_urls_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_URLS", False))


def _addresses(host: str, port: int) -> list[ipaddress._BaseAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(_("%(host)s cannot be found: check the address.") % {"host": host}) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str, *, resolve: bool = True) -> None:
    """Raise ValidationError unless ``url`` is an HTTPS address that resolves only to public addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a whole address, such as https://hooks.example.org/govtrack.")) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(_("Enter a whole address, such as https://hooks.example.org/govtrack."))
    if parts.username or parts.password:
        raise ValidationError(_("Leave the user name and password out of the address: deliveries are signed."))
    if private_urls_allowed():
        return
    if parts.scheme != "https":
        raise ValidationError(_("The address must start with https://: deliveries are sent only over HTTPS."))
    if not resolve:
        return
    for address in _addresses(parts.hostname, port or 443):
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                _("%(host)s points into a private network (%(address)s): govtrack sends webhooks only to public "
                  "addresses.") % {"host": parts.hostname, "address": address})
