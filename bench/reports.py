"""Accountability dashboard: 1,000 schools and five school years of SSO runs (~500,000 requests).

Creates (or empties) a PostgreSQL database, builds a district of `--schools` schools in 20 zones
with enrollment, and `--requests` support requests spread over five school years (2021-22 to
2025-26) by COPY; runs the precompute (`reports.precompute.refresh`: every measure, month, term
and year, district, zone, level and school, through disclosure control) and times it; then times
the public dashboard's render (the whole page through Django's test client: the newest year for
the district with its 1,000 school rows, a zone, a month) against a baseline measured in the same
run: the same page's runs, response percentiles, school totals and monthly trend computed from
the raw requests (aggregate queries, no disclosure control) — the work a page without the
precomputed store would do on every view. Goal: the dashboard renders in under 1 s.

    uv run python bench/reports.py [--schools 1000] [--requests 500000] [--db safeops_rpub_bench]
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/ (its planning.py would hide the planning package)
GOAL_SECONDS = 1.0
FIRST_YEAR = 2021
YEARS = 5


def _database(name: str) -> str:
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _samples(function, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    """The wall times of `repeat` calls after one warm-up, sorted."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return sorted(times)


def _percentiles(function, repeat: int = 30) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """p50 and p99 (nearest rank) of `repeat` timed calls, after one warm-up."""
    times = _samples(function, repeat)
    return times[len(times) // 2], times[min(len(times) - 1, -(-99 * len(times) // 100) - 1)]


def _timed(function, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    """The median wall time of `repeat` calls (after one warm-up)."""
    return statistics.median(_samples(function, repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=500_000)
    parser.add_argument("--db", default="safeops_rpub_bench")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.test")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.test import Client

    from safeops.dispatch.choices import DEFAULT_PRIORITY, Category
    from safeops.dispatch.models import SupportRequest
    from safeops.reports.models import Enrollment, PublishedCell
    from safeops.reports.precompute import refresh
    from safeops.reports.statistics import percentile
    from safeops.schools.models import District, School
    from safeops.zones.models import Zone, ZoneMembership

    call_command("migrate", verbosity=0)
    random.seed(17)
    started = time.perf_counter()
    PublishedCell.objects.all().delete()
    get_user_model().objects.filter(username="bench-chief").delete()
    SupportRequest.objects.all().delete()
    Enrollment.objects.all().delete()
    ZoneMembership.objects.all().delete()
    School.objects.all().delete()
    Zone.objects.all().delete()
    District.objects.all().delete()
    district = District.objects.create(name="Bench district")
    zones = Zone.objects.bulk_create(
        Zone(district=district, name=f"Zone {i + 1:02d}") for i in range(20)
    )
    levels = ["elementary"] * 7 + ["middle"] * 2 + ["high"]
    schools = School.objects.bulk_create(
        School(
            district=district,
            name=f"School {i + 1:04d}",
            level=levels[i % len(levels)],
            latitude=38.0 + i / 10_000,
            longitude=-85.7,
            enrollment=500,
        )
        for i in range(args.schools)
    )
    zone_of = {s.pk: zones[i % len(zones)] for i, s in enumerate(schools)}
    ZoneMembership.objects.bulk_create(
        ZoneMembership(zone=zone_of[s.pk], school=s, starts_on=dt.date(2020, 1, 1)) for s in schools
    )
    Enrollment.objects.bulk_create(
        Enrollment(school=s, school_year=f"{y}-{(y + 1) % 100:02d}", kind=k, group=g, count=n)
        for s in schools
        for y in range(FIRST_YEAR, FIRST_YEAR + YEARS)
        for k, g, n in (
            ("all", "all", 500),
            ("race_ethnicity", "black_african_american", 200),
            ("race_ethnicity", "white", 250),
        )
    )
    fields = [f for f in SupportRequest._meta.local_concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    start = dt.datetime(FIRST_YEAR, 7, 1, tzinfo=dt.UTC).timestamp()
    span = dt.datetime(FIRST_YEAR + YEARS, 7, 1, tzinfo=dt.UTC).timestamp() - start
    categories = list(Category)
    buffer = io.StringIO()
    for _ in range(args.requests):
        school = schools[random.randrange(len(schools))]
        category = categories[random.randrange(len(categories))]
        created = dt.datetime.fromtimestamp(start + random.random() * span, tz=dt.UTC)
        values = {
            "district_id": district.pk,
            "school_id": school.pk,
            "zone_id": zone_of[school.pk].pk,
            "latitude": school.latitude,
            "longitude": school.longitude,
            "requester_label": "bench",
            "category": category.value,
            "priority": DEFAULT_PRIORITY[category].value,
            "summary": "bench",
            "status": "closed",
            "response_seconds": random.lognormvariate(6.2, 0.5) if random.random() < 0.8 else None,
            "created_at": created.isoformat(),
            "updated_at": created.isoformat(),
        }
        row = []
        for f in fields:
            value = values.get(f.column, values.get(f.name))
            if value is None and f.column not in values and f.name not in values:
                value = f.get_default()
            row.append("\\N" if value is None else str(value).replace("\t", " "))
        buffer.write("\t".join(row) + "\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY dispatch_supportrequest ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
    built = time.perf_counter() - started
    print(f"built {args.schools} schools, {args.requests:,} requests in {built:.1f} s")

    started = time.perf_counter()
    cells = refresh(district_id=district.pk, today=dt.date(2026, 6, 30), check_limit=0)

    print(f"precompute: {cells:,} published cells in {time.perf_counter() - started:.1f} s")

    client = Client()
    board = Client()
    chief = get_user_model().objects.create_superuser("bench-chief", "", "bench")
    board.force_login(chief)
    pages = {
        "district, year 2025-26": "/dashboard/?period=2025-26&scope=district",
        "zone, year 2025-26": f"/dashboard/?period=2025-26&scope=zone:{zones[0].pk}",
        "district, month 2026-03": "/dashboard/?period=2026-03&scope=district",
    }
    for label, url in pages.items():
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} did not render")
        p50, p99 = _percentiles(lambda url=url: client.get(url))
        print(f"dashboard render ({label}): p50 {p50:.3f} s, p99 {p99:.3f} s")
    csv_url = "/dashboard/download.csv?period=2025-26&scope=district"
    if client.get(csv_url).status_code != 200:
        raise SystemExit(f"{csv_url} did not download")
    p50, p99 = _percentiles(lambda: client.get(csv_url), repeat=20)
    print(f"CSV download (year 2025-26, district): p50 {p50:.3f} s, p99 {p99:.3f} s")
    board_pages = {
        "board report, 2026 spring term": "/accountability/board/?term=2026-spring",
        "monitors' view, 2026 spring term": "/accountability/monitoring/?term=2026-spring",
        "monitors' zone drill-down": (
            f"/accountability/monitoring/zones/{zones[0].pk}/?term=2026-spring"
        ),
    }
    for label, url in board_pages.items():
        if board.get(url).status_code != 200:
            raise SystemExit(f"{url} did not render")
        p50, p99 = _percentiles(lambda url=url: board.get(url), repeat=20)
        print(f"{label}: p50 {p50:.3f} s, p99 {p99:.3f} s")

    year_start = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    year_end = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)

    def baseline() -> None:
        rows = SupportRequest.objects.filter(
            district=district, created_at__gte=year_start, created_at__lt=year_end
        )
        list(rows.values("category").annotate(n=Count("id")))
        list(rows.values("priority").annotate(n=Count("id")))
        list(rows.values("school_id").annotate(n=Count("id")))
        list(rows.annotate(month=TruncMonth("created_at")).values("month").annotate(n=Count("id")))
        for priority in ("p1", "p2", "p3"):
            seconds = list(
                rows.filter(priority=priority, response_seconds__isnull=False).values_list(
                    "response_seconds", flat=True
                )
            )
            percentile(seconds, 50)
            percentile(seconds, 90)

    page = _timed(lambda: client.get(pages["district, year 2025-26"]))
    raw = _timed(baseline)
    print(f"baseline (the runs section from raw requests, no disclosure control): {raw:.3f} s")
    print(
        f"ratio baseline / dashboard: {raw / page:.1f}x; goal < {GOAL_SECONDS:.0f} s: "
        f"{'met' if page < GOAL_SECONDS else 'NOT met'} ({page:.3f} s)"
    )


if __name__ == "__main__":
    main()
