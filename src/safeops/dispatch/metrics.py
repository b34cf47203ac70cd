"""Dispatch gauges read at each Prometheus scrape (registered with safeops.core.metrics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from django.db.models import Count, Min
from prometheus_client.core import Metric

from safeops.core.metrics import gauge
from safeops.dispatch.choices import Status
from safeops.dispatch.models import SupportRequest
from safeops.dispatch.services import ESCALATE_JOB


def dispatch_gauges(
    now: dt.datetime, queued: Mapping[str, int], due: Mapping[str, int]
) -> Iterator[Metric]:
    """Escalation timers pending and overdue, and requests still without an officer."""
    unassigned = SupportRequest.objects.filter(status=Status.NEW).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    pending = gauge(
        "safeops_dispatch_escalation_timers_pending",
        "Escalation timers waiting (requests offered to an officer, not yet acknowledged).",
    )
    pending.add_metric([], queued.get(ESCALATE_JOB, 0))
    yield pending
    overdue = gauge(
        "safeops_dispatch_escalation_timers_overdue",
        "Escalation timers whose time has come but that no worker has run.",
    )
    overdue.add_metric([], due.get(ESCALATE_JOB, 0))
    yield overdue
    waiting = gauge("safeops_dispatch_unassigned_requests", "Support requests with no officer yet.")
    waiting.add_metric([], unassigned["n"])
    yield waiting
    waiting_age = gauge(
        "safeops_dispatch_oldest_unassigned_age_seconds",
        "Age of the oldest support request with no officer (0 when none).",
    )
    first = unassigned["oldest"]
    waiting_age.add_metric([], (now - first).total_seconds() if first else 0.0)
    yield waiting_age
