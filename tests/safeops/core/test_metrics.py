"""Prometheus metrics: requests by route and status, job lag and dispatch timers read at
scrape time, and an endpoint that is not public (issue 13, "Operable")."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from prometheus_client import REGISTRY

from safeops.core.models import Job, JobStatus
from safeops.dispatch.services import ESCALATE_JOB

OUTSIDE = "198.51.100.40"
TOKEN = "metrics-test-token-7f3c"
SRC = Path(__file__).resolve().parents[3] / "src"


def _value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not in the exposition:\n{text}")


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOW_LOOPBACK=True)
def test_the_endpoint_refuses_without_the_token() -> None:
    outside = Client(REMOTE_ADDR=OUTSIDE)
    assert outside.get("/metrics").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    # Through a proxy on the same host the peer is loopback: the forwarded header refuses it.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert proxied.get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    with override_settings(METRICS_ALLOW_LOOPBACK=False, METRICS_TOKEN=""):
        assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403
        assert (
            outside.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
        )  # no token configured: nothing matches


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_requests_are_counted_by_route_name_and_status() -> None:
    series = 'safeops_http_requests_total{method="GET",route="health",status="200"}'
    labels = {"method": "GET", "route": "health", "status": "200"}
    before = REGISTRY.get_sample_value("safeops_http_requests_total", labels) or 0.0
    client = Client(REMOTE_ADDR=OUTSIDE)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/referrals/provider/SecretTokenValue123/")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert _value(text, series) == before + 2
    assert (
        'safeops_http_request_duration_seconds_bucket{le="0.5",method="GET",route="health"}' in text
    )
    assert 'route="referral-provider",status="404"' in text
    assert "SecretTokenValue123" not in text


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_job_lag_and_escalation_timers_are_read_at_scrape_time() -> None:
    now = timezone.now()
    Job.objects.create(kind="drills.reminders", run_after=now - dt.timedelta(seconds=300))
    Job.objects.create(kind=ESCALATE_JOB, run_after=now - dt.timedelta(seconds=40))
    Job.objects.create(kind=ESCALATE_JOB, run_after=now + dt.timedelta(seconds=90))
    Job.objects.create(
        kind="drills.reminders", run_after=now - dt.timedelta(days=3), status=JobStatus.DONE
    )
    client = Client(REMOTE_ADDR=OUTSIDE)
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    lag = _value(text, "safeops_jobs_oldest_due_age_seconds")
    assert 300 <= lag < 360  # the done job is not lag
    assert _value(text, 'safeops_jobs_queued{kind="dispatch.escalate"}') == 2
    assert _value(text, 'safeops_jobs_due{kind="dispatch.escalate"}') == 1
    assert _value(text, 'safeops_jobs_queued{kind="drills.reminders"}') == 1
    assert _value(text, "safeops_dispatch_escalation_timers_pending") == 2
    assert _value(text, "safeops_dispatch_escalation_timers_overdue") == 1
    assert _value(text, "safeops_metrics_database_up") == 1
    Job.objects.filter(status=JobStatus.QUEUED).update(status=JobStatus.DONE)
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert _value(text, "safeops_jobs_oldest_due_age_seconds") == 0


MULTIPROCESS_PROBE = """
import django
django.setup()
from safeops.core import metrics
metrics.observe_request(route="health", method="GET", status=200, seconds=0.01)
"""


def test_processes_share_their_counters_in_multiprocess_mode(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "safeops.settings.test",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        }
    )
    for _ in range(2):  # two server processes, one request each
        subprocess.run([sys.executable, "-c", MULTIPROCESS_PROBE], env=env, check=True)
    reader = (
        "import django; django.setup()\n"
        "from safeops.core.metrics import exposition\n"
        "print(exposition().decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", reader], env=env, check=True, capture_output=True, text=True
    ).stdout
    series = 'safeops_http_requests_total{method="GET",route="health",status="200"}'
    assert _value(out, series) == 2
    assert (
        _value(out, "safeops_metrics_database_up") == 0
    )  # no tables here: the scrape still answers
