"""Prometheus metrics (prometheus-client) and the `/metrics` endpoint.

Counted in each server process: requests by route name (never the raw path, which may hold a
secret link) and status, their latency, and the time from a support request's creation to its
first assignment. Read from the database at each scrape: job lag (the oldest due job's age,
queued, due and running jobs by kind), pending and overdue escalation timers, and unassigned
support requests.

Several server processes (gunicorn workers) share their counters through prometheus-client's
multiprocess mode: set PROMETHEUS_MULTIPROC_DIR to an empty directory before the processes
start. `/metrics` answers a bearer METRICS_TOKEN, or a loopback caller when the server is not
behind a proxy. See docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging
import os
from collections.abc import Callable, Iterator, Mapping

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from safeops.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

REFUSED = "Metrics need the METRICS_TOKEN bearer token (see docs/operations.md)."
UNMATCHED_ROUTE = "unmatched"

REQUESTS = Counter(
    "safeops_http_requests",
    "HTTP requests answered, by route name, method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "safeops_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response is ready), by route name and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ASSIGNMENT_SECONDS = Histogram(
    "safeops_dispatch_assignment_seconds",
    "Time from a support request's creation to its first assignment to an officer.",
    buckets=(5, 15, 30, 60, 120, 300, 600, 1800, 3600),
)

GUARD_READINGS = Counter(
    "safeops_discipline_guard_readings",
    "Texts the discipline guard read, by reader: the encoder, or the rules and linear models "
    "when a surge used up the encoder's budget (DISCIPLINE_ENCODER_PER_SECOND).",
    ["reader"],
)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    REQUEST_SECONDS.labels(route, method).observe(seconds)


def observe_assignment(*, seconds: float) -> None:
    ASSIGNMENT_SECONDS.observe(max(seconds, 0.0))


# Gauges an app reads at each scrape: (now, queued jobs by kind, due jobs by kind) -> metrics.
# Apps register theirs in AppConfig.ready() (core never imports a feature app).
ScrapeExtra = Callable[[dt.datetime, Mapping[str, int], Mapping[str, int]], Iterator[Metric]]
_SCRAPE_EXTRAS: list[ScrapeExtra] = []


def register_scrape(extra: ScrapeExtra) -> None:
    if extra not in _SCRAPE_EXTRAS:
        _SCRAPE_EXTRAS.append(extra)


def gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


def _gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


class DatabaseCollector(Collector):
    """Job lag and dispatch timers, read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        up = _gauge("safeops_metrics_database_up", "1 when the scrape could read the database.")
        now = dt.datetime.now(tz=dt.UTC)
        try:
            queued = dict(
                Job.objects.filter(status=JobStatus.QUEUED)
                .values_list("kind")
                .annotate(n=Count("id"))
                .order_by()
            )
            due_rows = list(
                Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=now)
                .values_list("kind")
                .annotate(n=Count("id"), oldest=Min("run_after"))
                .order_by()
            )
            running = dict(
                Job.objects.filter(status=JobStatus.RUNNING)
                .values_list("kind")
                .annotate(n=Count("id"))
                .order_by()
            )
        except DatabaseError:
            logger.warning("Metrics: the database could not be read")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up

        oldest = min((row[2] for row in due_rows), default=None)
        lag = _gauge(
            "safeops_jobs_oldest_due_age_seconds",
            "Age of the oldest queued job whose time has come (0 when none is due).",
        )
        lag.add_metric([], (now - oldest).total_seconds() if oldest else 0.0)
        yield lag
        for name, documentation, counts in (
            ("safeops_jobs_queued", "Queued jobs by kind (timers included).", queued),
            ("safeops_jobs_due", "Queued jobs whose time has come, by kind.", _due(due_rows)),
            ("safeops_jobs_running", "Jobs a worker holds, by kind.", running),
        ):
            family = _gauge(name, documentation, ["kind"])
            for kind, count in sorted(counts.items()):
                family.add_metric([kind], count)
            yield family

        for extra in _SCRAPE_EXTRAS:  # each app's own gauges (e.g. dispatch timers)
            try:
                yield from extra(now, queued, _due(due_rows))
            except DatabaseError:
                logger.warning("Metrics: %s could not read the database", extra.__module__)


def _due(rows: list[tuple[str, int, dt.datetime]]) -> dict[str, int]:
    return {kind: count for kind, count, _ in rows}


_DATABASE_REGISTRY = CollectorRegistry(auto_describe=False)
_DATABASE_REGISTRY.register(DatabaseCollector())


def exposition() -> bytes:
    """The text exposition: every process's counters (multiprocess mode) or this process's,
    then the database gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    return counted + generate_latest(_DATABASE_REGISTRY)


def _loopback(request: HttpRequest) -> bool:
    if not settings.METRICS_ALLOW_LOOPBACK or "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    if token and scheme.lower() == "bearer" and given:
        return hmac.compare_digest(given.strip().encode(), token.encode())
    return _loopback(request)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus scrape endpoint (no session, no login: a token or loopback)."""
    if not metrics_allowed(request):
        response = HttpResponse(REFUSED, status=403, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
