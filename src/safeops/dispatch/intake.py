"""Signed alarms from panic-button and badge systems: the signature and the replay window.

A sender signs each POST with its integration's secret:

    X-Safeops-Integration: <integration key>
    X-Safeops-Timestamp: <Unix seconds>
    X-Safeops-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + raw body>

The timestamp is inside the signed bytes, so an old request cannot be replayed with a new
timestamp; one outside `INTAKE_SIGNATURE_WINDOW_SECONDS` (a setting, 300 s by default) of our
clock is refused. A replay inside the
window is harmless: the sender's event id makes it the same request (services/intake.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from django.conf import settings

from safeops.dispatch.models import Integration

INTEGRATION_HEADER = "X-Safeops-Integration"
TIMESTAMP_HEADER = "X-Safeops-Timestamp"
SIGNATURE_HEADER = "X-Safeops-Signature"
SCHEME = "sha256="
_KEY = re.compile(r"[-a-zA-Z0-9_]{1,50}")

MISSING_HEADERS = (
    "Signed alarms need the X-Safeops-Integration, X-Safeops-Timestamp and X-Safeops-Signature "
    "headers."
)
BAD_TIMESTAMP = "X-Safeops-Timestamp must be whole Unix seconds."
STALE_TIMESTAMP = (
    "X-Safeops-Timestamp is {skew} s away from the server's clock; at most {window} s is "
    "accepted (check the sender's clock)."
)
BAD_SIGNATURE = "The signature does not match (integration key, secret, timestamp or body)."


class IntakeUnauthorized(Exception):
    """The alarm is not from a known integration, or not signed right, or too old (401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sign(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Safeops-Signature value for `body` sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    *, key: str, timestamp: str, signature: str, body: bytes, now: float | None = None
) -> Integration:
    """The active integration that signed `body`; IntakeUnauthorized otherwise. An unknown key
    and a wrong signature get the same answer (no probing for keys)."""
    if not (key and timestamp and signature):
        raise IntakeUnauthorized(MISSING_HEADERS)
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise IntakeUnauthorized(BAD_TIMESTAMP)
    skew = abs((time.time() if now is None else now) - int(timestamp))
    window = int(settings.INTAKE_SIGNATURE_WINDOW_SECONDS)
    if skew > window:
        raise IntakeUnauthorized(STALE_TIMESTAMP.format(skew=int(skew), window=window))
    integration = (
        Integration.objects.filter(key=key, active=True).first() if _KEY.fullmatch(key) else None
    )
    expected = sign(
        secret=integration.secret if integration is not None else "",
        timestamp=timestamp,
        body=body,
    )
    given = signature.strip().encode("utf-8", "replace")
    if integration is None or not hmac.compare_digest(expected.encode(), given):
        raise IntakeUnauthorized(BAD_SIGNATURE)
    return integration
