"""Officers this server process is assigning, or has just offered first for a new call.

Recommendations (`recommend.rank_officers`) read both, so that under a surge two calls are
not offered the same officer and all but one of the assignments refused: an officer being
assigned counts as one more open request until the assignment commits (which patches the
snapshot), and an officer offered first for a new call is held for it `OFFER_SECONDS`: other
calls rank them after every officer not held (still offered, last, when nobody else is free).
Per process: a hold claimed through Redis, and offers published to the other processes, were
measured and dropped (docs/dispatch.md): each cost more CPU than its fewer refusals saved.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

OFFER_SECONDS = 5.0

_lock = threading.Lock()
_in_flight: Counter[int] = Counter()  # person id -> assignments being made
_offered: dict[int, tuple[int, float]] = {}  # person id -> (request id, held until)


@contextmanager
def assignment_in_flight(person_id: int) -> Iterator[None]:
    with _lock:
        _in_flight[person_id] += 1
    try:
        yield
    finally:
        with _lock:
            _in_flight[person_id] -= 1
            if _in_flight[person_id] <= 0:
                del _in_flight[person_id]


def assignments_in_flight() -> dict[int, int]:
    with _lock:
        return dict(_in_flight)


def offer_first(person_id: int, request_id: int) -> None:
    """Hold the officer offered first for a new request (`OFFER_SECONDS`)."""
    now = time.monotonic()
    with _lock:
        for held, (_request, until) in list(_offered.items()):
            if until <= now:
                del _offered[held]
        _offered[person_id] = (request_id, now + OFFER_SECONDS)


def offered_elsewhere(request_id: int) -> frozenset[int]:
    """Officers held for another request (`offer_first`)."""
    now = time.monotonic()
    with _lock:
        return frozenset(
            person
            for person, (request, until) in _offered.items()
            if request != request_id and until > now
        )


def forget_offers() -> None:
    with _lock:
        _offered.clear()
