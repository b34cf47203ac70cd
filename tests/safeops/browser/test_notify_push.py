"""A P1 alert reaches the browser with no safeops page open: Chromium's service worker gets
the push (delivered through the DevTools protocol, standing in for the push service), shows
the notification and reports it shown; and the alerts page passes the phone and axe checks."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from safeops.core.jobs import run_due_jobs
from safeops.core.notify.models import Notification, ReceiptStatus
from safeops.core.notify.services import notify_send
from safeops.core.notify.steps import push_payload
from tests.safeops.browser.accessibility import (
    SIZES,
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)
from tests.safeops.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_alerts_page_passes_the_phone_and_axe_checks(
    browser: Any, live_server: Any, size: str
) -> None:
    user = UserFactory()
    notify_send(user_id=user.pk, priority="p1", title="P1 Weapon · A High", ref="t:1")
    run_due_jobs()
    context = logged_in_context(browser, live_server.url, user, viewport=SIZES[size])
    page = context.new_page()
    page.goto("/notify/")
    assert page.locator("h1").inner_text() == "My alerts"
    assert "P1 Weapon" in page.locator(".alerts").inner_text()
    assert_no_horizontal_scroll(page, label=f"alerts {size}")
    assert_accessible(page, label=f"alerts {size}")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_push_is_shown_by_the_service_worker_with_the_page_closed(
    browser: Any, live_server: Any
) -> None:
    user = UserFactory()
    context = logged_in_context(browser, live_server.url, user)
    context.grant_permissions(["notifications"], origin=live_server.url)
    alerts = context.new_page()
    alerts.goto("/notify/")
    scope = alerts.evaluate(
        "() => navigator.serviceWorker.register('/notify/sw.js', {scope: '/notify/'})"
        ".then(() => navigator.serviceWorker.ready).then((r) => r.scope)"
    )
    assert scope == f"{live_server.url}/notify/"
    other = context.new_page()  # a page outside the alerts' scope; the alerts page closes
    other.goto("/healthz")
    alerts.close()
    cdp = context.new_cdp_session(other)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == scope for r in registrations):
        assert time.monotonic() < deadline, "the service worker registration never showed"
        other.wait_for_timeout(100)
    registration_id = next(r["registrationId"] for r in registrations if r["scopeURL"] == scope)

    alert = notify_send(
        user_id=user.pk, priority="p1", title="P1 Weapon · A High", ref="t:2", steps=[]
    )
    receipt = alert.receipts.create(
        step=0, channel="push", status="sent", token="tok" * 7, queued_at=alert.created_at
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id,
            "data": json.dumps(push_payload(alert, receipt)),
        },
    )
    deadline = time.monotonic() + 10
    while True:
        receipt.refresh_from_db()
        if receipt.status == ReceiptStatus.DELIVERED:
            break
        assert time.monotonic() < deadline, "the service worker never reported the push shown"
        other.wait_for_timeout(100)
    shown = other.evaluate(
        "() => navigator.serviceWorker.getRegistration('/notify/')"
        ".then((r) => r.getNotifications()).then((ns) => ns.map((n) => [n.title, n.tag,"
        " n.requireInteraction, n.data.url]))"
    )
    assert shown == [["P1 Weapon · A High", "t:2", True, f"/notify/{alert.pk}/open/"]]
    assert Notification.objects.get(pk=alert.pk).is_open
    context.close()
