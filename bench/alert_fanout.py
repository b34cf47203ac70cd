"""Alert fan-out: 1,000 P1 alerts raised at once reach 1,000 browsers through Web Push.

Runs in one process against PostgreSQL (`--db`, created if missing and migrated): makes
`--alerts` users, each with a push subscription at a local push service (the tests' receiver,
in a process of its own: it checks the VAPID header and decrypts every message, answering
after `--push-latency-ms`, a push service's round trip), raises every alert in one
transaction (`notify_send`, as a dispatcher's surge would), and runs `--workers` job workers
(`core.jobs.Worker` threads) until every alert's push step has a receipt.

Prints the p50/p99/max time from the alerts' commit to each one's first delivery attempt (the
push service receiving it), the lost count (alerts the push service never received or whose
receipt is not `sent`; must be 0), the duplicates, and the load-independent cost: processor
milliseconds (this process, all threads) and database queries (the workers') per alert. Then,
in the same run, the same for the workers taking one alert per claim (NOTIFY_STEPS_BATCH=1, as
before batching) and for a naive sender (one loop sending the alerts one at a time), and the
ratios. The machine may be shared: the ratios and the per-alert costs are what compare.

    uv run python bench/alert_fanout.py [--alerts 1000] [--workers 8] [--push-latency-ms 50]
        [--batch 100] [--send-threads 32] [--db safeops_notify]
"""

# Django is set up for the bench's own database before its modules are imported.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def _database(name: str) -> str:
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


class _Cost:
    """Processor time of this process and the workers' database queries over a phase."""

    queries = 0
    _lock = threading.Lock()
    watching = threading.local()  # the bench's own polling is not counted

    @classmethod
    def count(cls, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not getattr(cls.watching, "on", False):
            with cls._lock:
                cls.queries += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> _Cost:
        self.cpu, self.start = time.process_time(), _Cost.queries
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self.cpu
        self.used = _Cost.queries - self.start


def _figures(
    label: str, seconds: list[float], lost: int, duplicated: int, cost: _Cost, alerts: int
) -> dict[str, float]:
    values = np.array(seconds) if seconds else np.array([float("nan")])
    result = {
        "p50": float(np.percentile(values, 50)),
        "p99": float(np.percentile(values, 99)),
        "max": float(values.max()),
        "cpu": cost.cpu * 1000 / alerts,
        "queries": cost.used / alerts,
    }
    print(
        f"{label:<30} p50 {result['p50']:7.3f} s  p99 {result['p99']:7.3f} s  "
        f"max {result['max']:7.3f} s  lost {lost}  duplicated {duplicated}  "
        f"CPU {result['cpu']:5.1f} ms/alert  queries {result['queries']:5.2f}/alert"
    )
    return result


def _ratios(label: str, base: dict[str, float], ours: dict[str, float]) -> None:
    print(
        f"ratio {label}: p50 {base['p50'] / ours['p50']:.1f}x  p99 {base['p99'] / ours['p99']:.1f}x"
        f"  max {base['max'] / ours['max']:.1f}x  CPU/alert {base['cpu'] / ours['cpu']:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--push-latency-ms", type=float, default=50.0)
    parser.add_argument("--batch", type=int, default=100, help="NOTIFY_STEPS_BATCH")
    parser.add_argument("--send-threads", type=int, default=32, help="NOTIFY_SEND_THREADS")
    parser.add_argument("--db", default="safeops_notify")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.backends.signals import connection_created
    from tests.safeops.core.notify.fakes import receiver_process

    from safeops.accounts.models import User
    from safeops.core.jobs import Worker
    from safeops.core.models import Job
    from safeops.core.notify.models import Notification, PushSubscription, Receipt
    from safeops.core.notify.push import push_to_user, vapid_keys_generate
    from safeops.core.notify.services import notify_send

    call_command("migrate", verbosity=0)
    from django.urls import reverse

    reverse("notify-channels")  # a running worker has its URL patterns loaded already
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = vapid_keys_generate()
    settings.NOTIFY_STEPS_P1 = "push:0,sms:600"  # the first attempt is the push
    settings.NOTIFY_SEND_THREADS = args.send_threads

    def counted(sender: object, connection: object, **kwargs: object) -> None:
        connection.execute_wrappers.append(_Cost.count)  # type: ignore[attr-defined]

    connection_created.connect(counted)
    connection.ensure_connection()
    connection.execute_wrappers.append(_Cost.count)  # this thread's, opened before (naive loop)
    # The push service runs in a process of its own, as a real one is on another machine.
    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    names = [f"u{i}" for i in range(args.alerts)]
    receiver = spawn.Process(
        target=receiver_process, args=(child, names, args.push_latency_ms / 1000), daemon=True
    )
    receiver.start()
    endpoints = parent.recv()

    def results() -> tuple[list[tuple[str, float]], list[str]]:
        parent.send("results")
        answer: tuple[list[tuple[str, float]], list[str]] = parent.recv()
        return answer

    PushSubscription.objects.all().delete()
    User.objects.filter(username__startswith="bench-alert-").delete()
    users = User.objects.bulk_create(
        [
            User(username=f"bench-alert-{i}", password=make_password(None))
            for i in range(args.alerts)
        ]
    )
    subscriptions = []
    for user, info in zip(users, endpoints, strict=True):
        subscriptions.append(
            PushSubscription(
                user=user,
                endpoint=info["endpoint"],
                p256dh=info["keys"]["p256dh"],
                auth=info["keys"]["auth"],
            )
        )
    PushSubscription.objects.bulk_create(subscriptions)
    print(
        f"# alert fan-out: {args.alerts} P1 alerts, {args.workers} job workers, "
        f"push service round trip {args.push_latency_ms:.0f} ms, batch {args.batch}, "
        f"{args.send_threads} send threads, {os.cpu_count()} cores, PostgreSQL {connection.vendor}"
    )

    def workers_run(label: str, batch: int) -> dict[str, float]:
        """Raise every alert in one transaction; the job workers send them."""
        Receipt.objects.all().delete()
        Notification.objects.all().delete()
        Job.objects.all().delete()
        settings.NOTIFY_STEPS_BATCH = batch
        with transaction.atomic():
            for user in users:
                notify_send(
                    user_id=user.pk, priority="p1", title="P1 bench", ref=f"bench:{user.pk}"
                )
        committed = time.monotonic()
        with _Cost() as cost:
            workers = [Worker(poll_seconds=0.05) for _ in range(args.workers)]
            threads = [worker.start_thread() for worker in workers]
            deadline = committed + 600
            _Cost.watching.on = True
            while (
                Receipt.objects.filter(channel="push").exclude(status="queued").count()
                < args.alerts
            ):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            _Cost.watching.on = False
            for worker in workers:
                worker.stop()
            for thread in threads:
                thread.join()
        messages, errors = results()
        first: dict[str, float] = {}
        counts = Counter(tag for tag, _ in messages)
        for tag, received_at in messages:
            first.setdefault(tag, received_at - committed)
        sent = Receipt.objects.filter(channel="push", status="sent").count()
        refs = {f"bench:{user.pk}" for user in users}
        lost = len(refs - set(first)) + (args.alerts - sent)
        figures = _figures(
            label,
            list(first.values()),
            lost,
            sum(n - 1 for n in counts.values()),
            cost,
            args.alerts,
        )
        if errors:
            print(f"push service errors: {errors[:3]}")
        return figures

    ours = workers_run(f"safeops (batch {args.batch})", args.batch)
    one = workers_run("safeops (one alert per claim)", 1)

    # --- baseline: one loop, one alert after the other --------------------------------------
    start = time.monotonic()
    with _Cost() as cost:
        for user in users:
            push_to_user(
                user_id=user.pk,
                payload={"title": "P1 bench", "tag": f"naive:{user.pk}", "priority": "p1"},
                ttl=600,
                urgent=True,
            )
    messages, _errors = results()
    naive_first = {tag: received_at - start for tag, received_at in messages}
    naive = _figures(
        "naive one-at-a-time sender",
        list(naive_first.values()),
        args.alerts - len(naive_first),
        len(messages) - len(naive_first),
        cost,
        args.alerts,
    )
    _ratios("one alert per claim / batch", one, ours)
    _ratios("naive / batch", naive, ours)
    parent.send("stop")
    receiver.join(timeout=10)


if __name__ == "__main__":
    main()
