"""How a delivery is signed, and how a receiver checks it (the same code the API guide shows).

``Govtrack-Signature: t=<unix time>,v1=<hex>`` where the hex is HMAC-SHA256, keyed with the
endpoint's secret, over ``<unix time>.<body>``. A receiver recomputes it over the raw body and
refuses a timestamp older than a few minutes, so a captured delivery cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Govtrack-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The value of the signature header for ``body`` now (or at ``timestamp``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, value: str, body: bytes, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether ``value`` (the header a receiver got) signs ``body`` with ``secret``, recently enough."""
    fields = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(fields.get("v1", ""), signature(secret, timestamp, body))
