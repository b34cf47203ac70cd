"""Web Push with VAPID (RFC 8030/8291/8292) through pywebpush, and the VAPID key pair.

`push_send` is the network part alone (no database), so the steps job can run many at once on
its send pool; `push_record` writes what they found out. The VAPID token (a signed JWT) is
made once per push-service origin and reused for VAPID_TOKEN_REUSE (it is valid for 12 hours):
one signature an hour per origin instead of one per message.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02  # type: ignore[import-untyped]
from pywebpush import WebPusher, WebPushException  # type: ignore[import-untyped]

from safeops.core.notify.models import PushSubscription

TIMEOUT_SECONDS = 10
SEEN_EVERY = dt.timedelta(hours=1)
GONE = frozenset({404, 410})  # the browser dropped the subscription
VAPID_TOKEN_LIFE = 12 * 3600
VAPID_TOKEN_REUSE = 3600


@dataclass(frozen=True)
class PushOutcome:
    sent: int
    failed: list[str]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_keys_generate() -> tuple[str, str]:
    """A new VAPID pair: (private key, raw 32 bytes; public key, the uncompressed point),
    both base64url, as VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY take them."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(private), b64url(public)


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid02:
    return Vapid02.from_string(private_key)


_local = threading.local()
_tokens: dict[tuple[str, str, str], tuple[float, dict[str, str]]] = {}
_tokens_lock = threading.Lock()


def _session() -> requests.Session:
    """One HTTP session per thread: connections to a push service are kept alive."""
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def vapid_headers(endpoint: str, private_key: str) -> dict[str, str]:
    """The Authorization header for the endpoint's origin, signed at most once an hour."""
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    key = (origin, private_key, settings.VAPID_SUBJECT)
    now = time.time()
    with _tokens_lock:
        made = _tokens.get(key)
        if made is None or now - made[0] > VAPID_TOKEN_REUSE:
            claims = {"aud": origin, "exp": int(now) + VAPID_TOKEN_LIFE, "sub": key[2]}
            made = _tokens[key] = (now, dict(_vapid(private_key).sign(claims)))
    return dict(made[1])


def _post(info: dict[str, Any], data: str, private_key: str, *, ttl: int, urgent: bool) -> None:
    headers = vapid_headers(info["endpoint"], private_key)
    headers["Urgency"] = "high" if urgent else "normal"
    response = WebPusher(info, requests_session=_session()).send(
        data, headers, ttl=ttl, timeout=TIMEOUT_SECONDS
    )
    if response.status_code > 202:
        raise WebPushException(
            f"Push failed: {response.status_code} {response.reason}", response=response
        )


@dataclass
class PushAttempt:
    """One message to one browser: an error text when it failed, `gone` when the browser
    dropped the subscription."""

    subscription: PushSubscription
    error: str = ""
    gone: bool = False


def push_send(subscription: PushSubscription, data: str, *, ttl: int, urgent: bool) -> PushAttempt:
    """Send one message to one browser (network only: safe on any thread)."""
    private_key = settings.VAPID_PRIVATE_KEY
    if not private_key:
        return PushAttempt(subscription, error="VAPID_PRIVATE_KEY is not set")
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        try:
            _post(info, data, private_key, ttl=ttl, urgent=urgent)
        except requests.ConnectionError:
            # A kept-alive connection the push service had closed: once more, afresh.
            _local.session = None
            _post(info, data, private_key, ttl=ttl, urgent=urgent)
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        text = f"HTTP {status}" if status else str(error)[:100]
        return PushAttempt(subscription, error=text, gone=status in GONE)
    except requests.RequestException as error:
        return PushAttempt(subscription, error=str(error)[:100])
    return PushAttempt(subscription)


def push_record(attempts: list[PushAttempt]) -> None:
    """Forget the gone subscriptions; note a success (at most one write an hour each)."""
    gone = [a.subscription.pk for a in attempts if a.gone]
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    now = timezone.now()
    seen = [
        a.subscription.pk
        for a in attempts
        if not a.error
        and (
            a.subscription.last_success_at is None
            or now - a.subscription.last_success_at > SEEN_EVERY
        )
    ]
    if seen:
        PushSubscription.objects.filter(pk__in=seen).update(last_success_at=now)


def push_outcome(attempts: list[PushAttempt]) -> PushOutcome:
    failed = [a.error for a in attempts if a.error]
    return PushOutcome(sent=len(attempts) - len(failed), failed=failed)


def push_to_user(*, user_id: int, payload: dict[str, Any], ttl: int, urgent: bool) -> PushOutcome:
    """Send the payload to every browser the user subscribed, one after the other; forget
    the gone ones."""
    if not settings.VAPID_PRIVATE_KEY:
        return PushOutcome(sent=0, failed=["VAPID_PRIVATE_KEY is not set"])
    data = json.dumps(payload)
    attempts = [
        push_send(subscription, data, ttl=ttl, urgent=urgent)
        for subscription in PushSubscription.objects.filter(user_id=user_id)
    ]
    push_record(attempts)
    return push_outcome(attempts)
