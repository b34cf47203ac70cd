"""Panic/badge intake: a signed alarm becomes exactly one P1 at the device's school and room.

Signed as a sender would (the documented recipe: HMAC-SHA256 over "<timestamp>." + body); the
expected signature in the recipe test is computed here by hand with hashlib, not by our code.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.core.notify.models import Notification
from safeops.dispatch.choices import Category, Priority, Source, Status
from safeops.dispatch.intake import sign
from safeops.dispatch.models import Alert, IntakeEvent, Integration, SupportRequest
from safeops.dispatch.services import request_transition
from safeops.dispatch.services.intake import intake_device_register, integration_register
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

URL = "/api/intake/alerts"


@pytest.fixture
def wired(dispatch: DispatchScenario) -> tuple[Integration, str]:
    integration, secret = integration_register(
        actor="system:test", district=dispatch.s.district, key="acme-badges", name="Acme badges"
    )
    intake_device_register(
        actor="system:test",
        integration=integration,
        device_id="badge-17",
        school=dispatch.s.school_a,
        room="Room 114",
    )
    return integration, secret


def post(
    client: Client,
    body: dict[str, Any] | bytes,
    *,
    secret: str,
    key: str = "acme-badges",
    timestamp: int | None = None,
    signature: str | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "HTTP_X_SAFEOPS_INTEGRATION": key,
        "HTTP_X_SAFEOPS_TIMESTAMP": str(ts),
        "HTTP_X_SAFEOPS_SIGNATURE": signature or sign(secret=secret, timestamp=ts, body=raw),
    }
    return client.post(URL, raw, content_type="application/json", **headers)


ALARM = {"event_id": "evt-1", "device_id": "badge-17", "kind": "badge"}


def test_the_signing_recipe_matches_a_hand_computed_hmac() -> None:
    body = b'{"event_id":"e","device_id":"d"}'
    by_hand = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign(secret="s3cret", timestamp=1700000000, body=body) == f"sha256={by_hand}"


def test_a_signed_badge_alarm_files_one_p1_and_alerts_the_board(
    dispatch: DispatchScenario, wired: tuple[Integration, str]
) -> None:
    _, secret = wired
    client = Client()
    first = post(client, ALARM, secret=secret)
    assert first.status_code == 201, first.content
    body = first.json()
    request = SupportRequest.objects.get()
    assert body["request_id"] == request.pk and body["replayed"] is False
    assert (request.priority, request.category, request.source) == (
        Priority.P1,
        Category.PANIC_ALARM,
        Source.INTAKE,
    )
    assert request.school == dispatch.s.school_a
    assert request.location_description == "Room 114"
    assert request.zone == dispatch.s.zone_a
    assert request.requester is None and request.requester_label == "integration:acme-badges"
    alert = Alert.objects.get()
    assert alert.request == request and alert.is_open
    assert "A Middle — Room 114" in alert.message and "badge-17" in alert.message
    # The replay (same event id) is the same request: exactly one P1, one alert.
    again = post(client, ALARM, secret=secret)
    assert again.status_code == 200
    assert again.json()["request_id"] == request.pk and again.json()["replayed"] is True
    assert SupportRequest.objects.count() == 1
    assert Alert.objects.count() == 1
    assert IntakeEvent.objects.get().request == request
    # The board shows it, to the dispatcher.
    board = Client()
    board.force_login(dispatch.dispatcher)
    state = board.get("/dispatch/board/state.json").json()
    assert [a["request_id"] for a in state["alerts"]] == [request.pk]


def test_a_bad_signature_or_unknown_integration_gets_401_and_files_nothing(
    wired: tuple[Integration, str],
) -> None:
    _, secret = wired
    client = Client()
    wrong = post(client, ALARM, secret="not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json()["detail"].startswith("The signature does not match")
    assert post(client, ALARM, secret=secret, key="nobody").status_code == 401
    unsigned = client.post(URL, ALARM, content_type="application/json")
    assert unsigned.status_code == 401
    assert "X-Safeops-Signature" in unsigned.json()["detail"]
    # A body changed after signing.
    ts = int(time.time())
    signed = sign(secret=secret, timestamp=ts, body=json.dumps(ALARM).encode())
    other = json.dumps({**ALARM, "device_id": "badge-99"}).encode()
    assert post(client, other, secret=secret, timestamp=ts, signature=signed).status_code == 401
    assert SupportRequest.objects.count() == 0


def test_a_stale_or_future_timestamp_is_refused_even_when_signed(
    wired: tuple[Integration, str],
) -> None:
    _, secret = wired
    client = Client()
    old = int(time.time()) - 300 - 60
    refused = post(client, ALARM, secret=secret, timestamp=old)
    assert refused.status_code == 401
    assert "away from the server's clock" in refused.json()["detail"]
    future = int(time.time()) + 300 + 60
    assert post(client, ALARM, secret=secret, timestamp=future).status_code == 401
    assert SupportRequest.objects.count() == 0


def test_the_signature_window_is_the_districts_setting(
    wired: tuple[Integration, str], settings: Any
) -> None:
    _, secret = wired
    client = Client()
    settings.INTAKE_SIGNATURE_WINDOW_SECONDS = 60
    two_minutes_ago = int(time.time()) - 120
    refused = post(client, ALARM, secret=secret, timestamp=two_minutes_ago)
    assert refused.status_code == 401
    assert "at most 60 s" in refused.json()["detail"]
    settings.INTAKE_SIGNATURE_WINDOW_SECONDS = 600
    assert post(client, ALARM, secret=secret, timestamp=two_minutes_ago).status_code == 201


@pytest.mark.parametrize("value", ["10", "86400"])
def test_a_signature_window_out_of_range_stops_the_start_up(value: str) -> None:
    environment = {**os.environ, "INTAKE_SIGNATURE_WINDOW_SECONDS": value}
    started = subprocess.run(
        [sys.executable, "-c", "import safeops.settings.test"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "INTAKE_SIGNATURE_WINDOW_SECONDS must be between 30 and 3600" in started.stderr


def test_an_unknown_device_gets_a_precise_error(wired: tuple[Integration, str]) -> None:
    _, secret = wired
    response = post(Client(), {**ALARM, "device_id": "badge-404"}, secret=secret)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [
        {
            "field": "device_id",
            "message": (
                "Device 'badge-404' is not registered (or not active) for integration "
                "'acme-badges'; register it with `safeops intake_device`."
            ),
        }
    ]
    assert SupportRequest.objects.count() == 0


def test_an_event_id_reused_for_another_device_is_refused(
    dispatch: DispatchScenario, wired: tuple[Integration, str]
) -> None:
    integration, secret = wired
    intake_device_register(
        actor="system:test", integration=integration, device_id="badge-18", school=dispatch.s.high_b
    )
    client = Client()
    assert post(client, ALARM, secret=secret).status_code == 201
    reused = post(client, {**ALARM, "device_id": "badge-18"}, secret=secret)
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["field"] == "event_id"
    assert SupportRequest.objects.count() == 1


def test_the_alarm_request_closes_like_any_other_and_its_alert_resolves(
    dispatch: DispatchScenario, wired: tuple[Integration, str]
) -> None:
    _, secret = wired
    assert post(Client(), ALARM, secret=secret).status_code == 201
    request = SupportRequest.objects.get()
    request_transition(request_id=request.pk, to_status=Status.CANCELLED, actor=dispatch.dispatcher)
    alert = Alert.objects.get()
    assert alert.resolved_at is not None and alert.resolution == "request_closed"


def test_commands_register_an_integration_and_its_devices(dispatch: DispatchScenario) -> None:
    out = io.StringIO()
    call_command(
        "intake_integration",
        "add",
        "door-panic",
        "--district",
        str(dispatch.s.district.pk),
        stdout=out,
    )
    secret = out.getvalue().split("secret ")[1].split()[0]
    integration = Integration.objects.get(key="door-panic")
    assert integration.secret == secret
    assert secret not in integration.secret_sealed  # sealed at rest
    call_command(
        "intake_device",
        "door-panic",
        "btn-1",
        "--school",
        str(dispatch.s.high_a.pk),
        "--room",
        "Front office",
        stdout=io.StringIO(),
    )
    device = integration.devices.get()
    assert (device.school, device.room) == (dispatch.s.high_a, "Front office")
    assert AuditEntry.objects.filter(note="", action="create").exists()
    with pytest.raises(CommandError, match="no school with id"):
        call_command("intake_device", "door-panic", "btn-2", "--school", "999999")
    with pytest.raises(CommandError, match="No integration with key 'nope'"):
        call_command("intake_device", "nope", "btn-2", "--school", str(dispatch.s.high_a.pk))
    rotated = io.StringIO()
    call_command("intake_integration", "rotate", "door-panic", stdout=rotated)
    new_secret = rotated.getvalue().split("secret ")[1].split()[0]
    assert new_secret != secret
    integration.refresh_from_db()
    assert integration.secret == new_secret


def test_only_the_security_chief_registers_integrations(dispatch: DispatchScenario) -> None:
    with pytest.raises(Exception, match="Only the security chief"):
        integration_register(
            actor=dispatch.s.users[Role.DISPATCHER],
            district=dispatch.s.district,
            key="x",
            name="x",
        )
    integration, _ = integration_register(
        actor=dispatch.chief, district=dispatch.s.district, key="chief-made", name="Chief"
    )
    assert integration.pk is not None


def test_the_admin_lists_integrations_and_devices_read_only_without_the_secret(
    dispatch: DispatchScenario, wired: tuple[Integration, str]
) -> None:
    integration, secret = wired
    admin = Client()
    admin.force_login(dispatch.chief)
    page = admin.get(f"/admin/dispatch/integration/{integration.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "badge-17" in html and "Room 114" in html
    assert secret not in html and integration.secret_sealed not in html
    assert admin.get("/admin/dispatch/integration/add/").status_code == 403


def test_an_alarm_notifies_the_schools_sa_and_the_zone_officer(
    dispatch: DispatchScenario,
    wired: tuple[Integration, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Beyond the board: each recipient gets a P1 notification (push, then SMS and voice)."""
    _, secret = wired
    with django_capture_on_commit_callbacks(execute=True):
        assert post(Client(), ALARM, secret=secret).status_code == 201
    alert = Alert.objects.get()
    sent = Notification.objects.filter(ref=f"alert:{alert.pk}")
    assert set(sent.values_list("user_id", flat=True)) == {
        dispatch.sa.pk,
        dispatch.officer_a.user_id,
    }
    assert set(sent.values_list("priority", flat=True)) == {"p1"}
