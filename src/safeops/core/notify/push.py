"""Web Push with VAPID (RFC 8030/8291/8292) through pywebpush, and the VAPID key pair."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from safeops.core.notify.models import PushSubscription

TIMEOUT_SECONDS = 10
SEEN_EVERY = dt.timedelta(hours=1)
GONE = frozenset({404, 410})  # the browser dropped the subscription


@dataclass(frozen=True)
class PushOutcome:
    sent: int
    failed: list[str]
    removed: int


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


def _session() -> requests.Session:
    """One HTTP session per thread: connections to a push service are kept alive."""
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def _send(info: dict[str, Any], data: str, private_key: str, *, ttl: int, urgent: bool) -> None:
    webpush(
        subscription_info=info,
        data=data,
        vapid_private_key=_vapid(private_key),
        vapid_claims={"sub": settings.VAPID_SUBJECT},
        ttl=ttl,
        timeout=TIMEOUT_SECONDS,
        requests_session=_session(),
        headers={"Urgency": "high" if urgent else "normal"},
    )


def push_to_user(*, user_id: int, payload: dict[str, Any], ttl: int, urgent: bool) -> PushOutcome:
    """Send the payload to every browser the user subscribed; forget the gone ones."""
    private_key = settings.VAPID_PRIVATE_KEY
    if not private_key:
        return PushOutcome(sent=0, failed=["VAPID_PRIVATE_KEY is not set"], removed=0)
    sent, failed, removed = 0, [], 0
    data = json.dumps(payload)
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            try:
                _send(info, data, private_key, ttl=ttl, urgent=urgent)
            except requests.ConnectionError:
                # A kept-alive connection the push service had closed: once more, afresh.
                _local.session = None
                _send(info, data, private_key, ttl=ttl, urgent=urgent)
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in GONE:
                subscription.delete()
                removed += 1
            failed.append(f"HTTP {status}" if status else str(error)[:100])
        except requests.RequestException as error:
            failed.append(str(error)[:100])
        else:
            sent += 1
            seen = subscription.last_success_at
            if seen is None or timezone.now() - seen > SEEN_EVERY:  # one write an hour at most
                PushSubscription.objects.filter(pk=subscription.pk).update(
                    last_success_at=timezone.now()
                )
    return PushOutcome(sent=sent, failed=failed, removed=removed)
