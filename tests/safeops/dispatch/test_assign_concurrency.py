"""Atomic assignment: 20 dispatchers assign one officer to 20 requests at the same moment.

Exactly one succeeds, the others get the "no longer available" conflict, and the database
stays consistent (one held request, the officer's load is 1, one `assigned` event). Runs on
PostgreSQL (row locks) and on SQLite (IMMEDIATE transactions serialise the writers; the test
database is a file, see settings/test.py).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from safeops.dispatch.choices import Status
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.models import OfficerStatus, StatusEvent, SupportRequest
from safeops.dispatch.services import actions as dispatch_services
from safeops.dispatch.services import request_assign
from tests.safeops.dispatch.conftest import DispatchScenario

WORKERS = 20


def _race(d: DispatchScenario, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    requests = [d.file(summary=f"Fight {i}") for i in range(WORKERS)]
    real_check = dispatch_services.check_available

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        result = real_check(*args, **kwargs)
        time.sleep(0.02)  # widen the window between the check and the write
        return result

    monkeypatch.setattr(dispatch_services, "check_available", slow_check)
    barrier = threading.Barrier(WORKERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def assign(request_id: int) -> None:
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            request_assign(request_id=request_id, officer_id=d.officer_a.pk, actor=d.dispatcher)
            result = "ok"
        except DispatchConflict as error:
            result = "conflict" if error.field == "officer_id" else f"other:{error.message}"
        except Exception as error:
            result = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=assign, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _assert_consistent(d: DispatchScenario, outcomes: list[str]) -> None:
    assert sorted(outcomes) == ["conflict"] * (WORKERS - 1) + ["ok"], outcomes
    held = SupportRequest.objects.filter(officer=d.officer_a)
    assert held.count() == 1
    assert held.get().status == Status.ASSIGNED
    assert SupportRequest.objects.filter(status=Status.NEW).count() == WORKERS - 1
    status = OfficerStatus.objects.get(person=d.officer_a)
    assert status.open_request_count == 1
    assert status.current_request_id == held.get().pk
    assert StatusEvent.objects.filter(to_status=Status.ASSIGNED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_assignments_of_one_officer_on_postgresql(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")
    _assert_consistent(dispatch, _race(dispatch, monkeypatch))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_assignments_of_one_officer_on_sqlite(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant")
    if connection.is_in_memory_db():
        pytest.skip("needs a file test database (SAFEOPS_SQLITE_TEST_FILE is 'memory')")
    _assert_consistent(dispatch, _race(dispatch, monkeypatch))
