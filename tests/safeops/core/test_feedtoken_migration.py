"""Calendar feed tokens moved from drills to core (core 0005, drills 0002): the rows stay, and a
feed URL handed out before the move still opens the feed after it."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from safeops.core.models import CalendarFeedToken
from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0004_job_retry_schedule_heartbeat"), ("drills", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_latest() -> None:
    """Forward to every app's latest migration: going back to BEFORE also unapplied the later
    core migrations (notifications, overrides), which other tests' tables need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_feed_url_from_before_the_move_still_opens_the_feed(scenario: ScenarioDistrict) -> None:
    kentucky_year(scenario.district, start_year=timezone.localdate().year - 1)
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    raw = "a-secret-handed-out-before-the-move"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO drills_calendarfeedtoken (user_id, digest, created_at) "
                "VALUES (%s, %s, %s)",
                [sa.pk, digest, timezone.now()],
            )
    finally:
        _migrate_to_latest()
    token = CalendarFeedToken.objects.get()
    assert (token.user_id, token.digest) == (sa.pk, digest)
    feed = Client().get(f"/drills/feed/{raw}/{scenario.school_a.pk}.ics")
    assert feed.status_code == 200
    assert "BEGIN:VEVENT" in feed.content.decode()


def test_moving_back_keeps_the_rows_too(scenario: ScenarioDistrict) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    CalendarFeedToken.objects.create(user=sa, digest="d" * 64)
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT user_id, digest FROM drills_calendarfeedtoken")
            assert cursor.fetchall() == [(sa.pk, "d" * 64)]
    finally:
        _migrate_to_latest()
    assert CalendarFeedToken.objects.get().digest == "d" * 64
