"""Error reports (Sentry-compatible): off without SENTRY_DSN, and no student or reporter data
in what is sent (issue 13, "Operable")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sentry_sdk

from safeops.core.errors import FILTERED, scrub_event, sentry_init

ROOT = Path(__file__).resolve().parents[3]
PEER = "203.0.113.77"
TOKEN = "Zq9ProviderLinkSecretToken"
NARRATIVE = "Kyle said he will bring a rifle to the pep rally"


def _event() -> dict[str, Any]:
    """What sentry-sdk's Django integration builds for a failing provider-link POST."""
    return {
        "level": "error",
        "request": {
            "url": f"https://safeops.example.org/referrals/provider/{TOKEN}/",
            "method": "POST",
            "query_string": f"next=/referrals/provider/{TOKEN}/&student=123456",
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "headers": {
                "Authorization": "Bearer api-token-value",
                "Cookie": "sessionid=abc",
                "X-Forwarded-For": PEER,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Request-ID": "req-1234",
                "User-Agent": "DistinctiveBrowser/42",
            },
            "data": {"what": NARRATIVE, "phrase": "blue river stone"},
            "env": {"REMOTE_ADDR": PEER, "SERVER_NAME": "app1"},
        },
        "user": {"id": 12, "ip_address": PEER, "username": "demo-sa", "email": "sa@example.org"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"bad status from {PEER} on /referrals/provider/{TOKEN}/",
                    "stacktrace": {
                        "frames": [
                            {"function": "provider_view", "vars": {"token": TOKEN, "note": "x"}}
                        ]
                    },
                }
            ]
        },
        "extra": {
            "student_initials": "JD",
            "handoff_note": "Family needs emergency housing",
            "what_sealed": "gAAAA...",
            "retries": 3,
        },
        "contexts": {"referral": {"student_number": "123456", "grade": "7"}},
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": "SELECT 1", "data": {"params": [NARRATIVE]}},
                {"category": "log", "message": f"tip from {PEER}"},
            ]
        },
    }


def test_before_send_removes_student_and_reporter_data() -> None:
    event = scrub_event(_event())
    sent = json.dumps(event)
    for secret in (PEER, TOKEN, NARRATIVE, "blue river stone", "api-token-value", "123456"):
        assert secret not in sent, secret
    assert "sessionid" not in sent and "DistinctiveBrowser" not in sent
    assert "Family needs" not in sent and "JD" not in sent and "demo-sa" not in sent
    request = event["request"]
    assert request["url"] == "https://safeops.example.org/referrals/provider/[secret]/"
    assert request["headers"] == {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Request-ID": "req-1234",
    }
    assert set(request) == {"method", "url", "headers"}
    assert event["user"] == {"id": 12}
    assert event["extra"]["student_initials"] == FILTERED and event["extra"]["retries"] == 3
    assert "vars" not in event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert event["exception"]["values"][0]["type"] == "ValueError"


def test_no_sdk_starts_without_a_dsn() -> None:
    assert not sentry_sdk.get_client().is_active()  # the test settings have no SENTRY_DSN
    assert sentry_init(dsn="", environment="test", traces_sample_rate=0.0) is False
    assert not sentry_sdk.get_client().is_active()


# A fresh process with SENTRY_DSN set; the transport keeps the envelopes instead of sending.
PROBE = (
    """
import json
import sentry_sdk.transport
sent = []
sentry_sdk.transport.HttpTransport.capture_envelope = lambda self, envelope: sent.append(
    envelope.serialize().decode()
)
import django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
assert sentry_sdk.get_client().is_active()
with override_settings(ROOT_URLCONF="tests.safeops.core.failing_urls"):
    client = Client(raise_request_exception=False, REMOTE_ADDR="PEER")
    response = client.post(
        "/referrals/provider/TOKEN/?student=123456",
        {"what": "NARRATIVE"},
        HTTP_X_FORWARDED_FOR="PEER",
        HTTP_AUTHORIZATION="Bearer api-token-value",
    )
sentry_sdk.flush()
print(json.dumps({"status": response.status_code, "sent": sent}))
""".replace("PEER", PEER)
    .replace("TOKEN", TOKEN)
    .replace("NARRATIVE", NARRATIVE)
)


def test_a_real_error_report_holds_no_address_link_or_body() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update(
        {
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "safeops.settings.test",
            "SENTRY_DSN": "https://publickey@errors.example.invalid/1",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == 500
    sent = "".join(report["sent"])
    assert "an unexpected failure" in sent  # the exception was reported
    for secret in (PEER, TOKEN, NARRATIVE, "api-token-value", "123456"):
        assert secret not in sent, secret
