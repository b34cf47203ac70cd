"""The person's alerts page: channels, quiet hours, the browser's push subscription, opening
and acknowledging an alert; the service worker's receipt."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from safeops.core.jobs import run_due_jobs
from safeops.core.models import AuditEntry
from safeops.core.notify.models import (
    ChannelPreference,
    CloseReason,
    Notification,
    PushSubscription,
    ReceiptStatus,
)
from safeops.core.notify.services import notify_send
from tests.safeops.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_page_saves_channels_and_refuses_a_bad_phone_number() -> None:
    user = UserFactory()
    client = _client(user)
    assert client.get(reverse("notify-channels")).status_code == 200
    form = {"phone": "502-555-0100", "push": "on", "sms": "on"}
    response = client.post(reverse("notify-channels"), form)
    assert response.status_code == 200
    assert "international form" in response.content.decode()
    assert not ChannelPreference.objects.exists()
    form.update(phone="+15025550100", quiet_from="22:00")
    response = client.post(reverse("notify-channels"), form)
    assert "both ends of the quiet hours" in response.content.decode()
    form.update(quiet_until="06:00")
    assert client.post(reverse("notify-channels"), form).status_code == 302
    preference = ChannelPreference.objects.get(user=user)
    assert (preference.phone, preference.sms, preference.voice) == ("+15025550100", True, False)
    assert str(preference.quiet_from) == "22:00:00"
    entry = AuditEntry.objects.get(model="core.channelpreference")
    assert entry.actor == user and entry.action == "create"


def test_a_browser_subscribes_and_unsubscribes() -> None:
    user = UserFactory()
    client = _client(user)
    url = reverse("notify-push")
    subscription = {
        "endpoint": "https://push.example.net/send/abc",
        "keys": {"p256dh": "BOr-key", "auth": "secret16"},
    }
    response = client.post(url, json.dumps(subscription), content_type="application/json")
    assert response.status_code == 201
    assert PushSubscription.objects.get(user=user).auth == "secret16"
    bad = client.post(
        url, json.dumps({"endpoint": "https://push.example.net/x"}), content_type="application/json"
    )
    assert bad.status_code == 400 and b"lacks its keys" in bad.content
    plain = client.post(
        url, json.dumps({**subscription, "endpoint": "http://evil.example/x"}), "application/json"
    )
    assert plain.status_code == 400
    gone = {"endpoint": subscription["endpoint"], "unsubscribe": True}
    assert client.post(url, json.dumps(gone), content_type="application/json").status_code == 200
    assert not PushSubscription.objects.exists()


def test_opening_records_it_and_only_the_recipient_may_acknowledge() -> None:
    user, other = UserFactory(), UserFactory()
    alert = notify_send(
        user_id=user.pk,
        priority="p1",
        title="Imminent-harm tip",
        ref="t:page",
        link="/dispatch/",
        steps=[("in_app", 0)],
    )
    run_due_jobs()
    page = _client(user).get(reverse("notify-channels")).content.decode()
    assert "Imminent-harm tip" in page
    assert _client(other).get(reverse("notify-open", args=[alert.pk])).status_code == 404
    response = _client(user).get(reverse("notify-open", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"] == "/dispatch/"
    alert.refresh_from_db()
    assert alert.opened_at is not None and alert.is_open
    assert _client(other).post(reverse("notify-ack", args=[alert.pk])).status_code == 404
    assert _client(user).post(reverse("notify-ack", args=[alert.pk])).status_code == 302
    alert.refresh_from_db()
    assert alert.close_reason == CloseReason.ACKNOWLEDGED
    assert alert.receipts.get().status == ReceiptStatus.ACKNOWLEDGED


def test_the_service_worker_is_served_from_the_alerts_scope() -> None:
    response = Client().get(reverse("notify-sw"))
    body = response.content.decode()
    assert response["Content-Type"] == "application/javascript"
    assert 'addEventListener("push"' in body and 'addEventListener("notificationclick"' in body


def test_an_unknown_receipt_token_changes_nothing() -> None:
    assert Client().post(reverse("notify-receipt-shown", args=["nope"])).status_code == 204
    assert not Notification.objects.exists()
