"""A sender that resends one alarm at once (8 copies, same event id) gets one P1: every call
answers with the same request, one `replayed: false`, the rest `replayed: true`. Runs on
PostgreSQL (the unique index waits for the first commit) and on SQLite (IMMEDIATE transactions;
a file test database)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from safeops.dispatch.models import Alert, IntakeEvent, SupportRequest
from safeops.dispatch.services.intake import (
    intake_alarm,
    intake_device_register,
    integration_register,
)
from tests.safeops.dispatch.conftest import DispatchScenario

COPIES = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_of_one_alarm_file_one_p1(dispatch: DispatchScenario) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file test database (SAFEOPS_SQLITE_TEST_FILE is 'memory')")
    integration, _ = integration_register(
        actor="system:test", district=dispatch.s.district, key="acme", name="Acme"
    )
    intake_device_register(
        actor="system:test", integration=integration, device_id="b-1", school=dispatch.s.school_a
    )
    barrier = threading.Barrier(COPIES)
    outcomes: list[tuple[int, bool] | str] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            received = intake_alarm(integration=integration, event_id="evt-1", device_id="b-1")
            result: tuple[int, bool] | str = (received.request.pk, received.replayed)
        except Exception as error:
            result = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    request = SupportRequest.objects.get()
    assert sorted(outcomes, key=str) == sorted(
        [(request.pk, False)] + [(request.pk, True)] * (COPIES - 1), key=str
    ), outcomes
    assert IntakeEvent.objects.count() == 1
    assert Alert.objects.count() == 1
