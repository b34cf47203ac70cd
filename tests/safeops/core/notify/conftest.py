"""Fixtures: the local push service and the Twilio-compatible provider, with the settings
that point the notification service at them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from safeops.core.notify import push
from safeops.core.notify.models import PushSubscription
from safeops.core.notify.push import vapid_keys_generate
from tests.safeops.core.notify.fakes import FakeTwilio, PushReceiver

ACCOUNT, TOKEN = "AC0123456789abcdef0123456789abcdef", "test-auth-token"


@pytest.fixture
def push_receiver(settings: Any) -> Iterator[PushReceiver]:
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = vapid_keys_generate()
    settings.VAPID_SUBJECT = "mailto:chief@example.org"
    push._local.session = None  # no kept-alive connection to an earlier test's receiver
    receiver = PushReceiver()
    yield receiver
    receiver.close()
    push._local.session = None


@pytest.fixture
def twilio(settings: Any) -> Iterator[FakeTwilio]:
    provider = FakeTwilio(account_sid=ACCOUNT, auth_token=TOKEN)
    settings.NOTIFY_SMS_BACKEND = "twilio"
    settings.TWILIO_BASE_URL = provider.base
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM = "+15025550100"
    settings.NOTIFY_PUBLIC_URL = "https://safeops.example.org"
    yield provider
    provider.close()


def subscribe_browser(receiver: PushReceiver, user: Any, name: str) -> PushSubscription:
    """The user's browser subscribed at the local push service (as PushManager would)."""
    info = receiver.subscribe(name)
    return PushSubscription.objects.create(
        user=user,
        endpoint=info["endpoint"],
        p256dh=info["keys"]["p256dh"],
        auth=info["keys"]["auth"],
    )
