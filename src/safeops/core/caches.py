"""Short-lived, per-process caches for values read on every request, and one switch to empty them.

A value is kept for `seconds` at most. A write in this process drops the entry at once (the
owner connects the model's save/delete signals, or calls `forget`); a write in another
process shows when the entry expires. Use it only where a few seconds of staleness across
processes is harmless: never for anything that grants access (a user's scope, a token's holder:
read on every request, so a revocation holds in every process at once) nor for anything a lock
must decide.

Loads are single-flight: threads that miss a key while another thread loads it wait for that
load instead of running it again (an expired snapshot under a surge is loaded once, not once
per request thread).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db import connection

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

logger = logging.getLogger(__name__)
_registry: list[Callable[[], None]] = []

# A waiter gives up on a slow load after this long and loads for itself.
FLIGHT_WAIT_SECONDS = 10.0


class _Flight:
    """One load in progress: its waiters take its value if it was kept."""

    __slots__ = ("done", "kept", "thread", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.kept = False
        self.thread = threading.get_ident()
        self.value: object = None


class TimedCache(Generic[K, V]):
    def __init__(
        self,
        *,
        seconds: Callable[[], float],
        max_entries: int = 10_000,
        keep_none: bool = True,
        refresh_in_background: Callable[[], bool] | None = None,
    ) -> None:
        """`max_entries` bounds memory (a full cache starts over); `keep_none=False` does not
        keep a miss, so keys from outside (e.g. guessed tokens) cannot fill the cache. With
        `refresh_in_background` returning True, an expired value is still served while a
        thread loads its successor: only for values where a few more seconds of staleness is
        harmless (never for anything that grants access)."""
        self._refresh_in_background = refresh_in_background
        self._seconds = seconds
        self._max_entries = max_entries
        self._keep_none = keep_none
        self._lock = threading.Lock()
        self._entries: dict[K, tuple[float, V]] = {}
        self._flights: dict[K, _Flight] = {}
        self._generation = 0  # bumped by every forget/clear: a load that raced one is not kept
        _registry.append(self.clear)

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The cached value of `key`, or `load()` (kept unless a forget raced the load)."""
        ttl = self._seconds()
        if ttl <= 0:
            return load()
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
            generation = self._generation
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if hit is not None and self._refresh_in_background and self._refresh_in_background():
            if leading:
                threading.Thread(
                    target=self._load_in_background,
                    args=(key, load, flight, generation, now),
                    name="cache-refresh",
                    daemon=True,
                ).start()
            return hit[1]  # the expired value, while its successor loads
        if not leading:
            mine = flight.thread == threading.get_ident()  # a load that reads its own key
            if not mine and flight.done.wait(FLIGHT_WAIT_SECONDS) and flight.kept:
                return flight.value  # type: ignore[return-value]
            # The load failed, was not kept (a forget raced it) or is slow: load for ourselves.
            return load()
        return self._lead(key, load, flight, generation, now)

    def _lead(
        self, key: K, load: Callable[[], V], flight: _Flight, generation: int, now: float
    ) -> V:
        try:
            value = load()
            with self._lock:
                if self._generation == generation and (value is not None or self._keep_none):
                    if len(self._entries) >= self._max_entries:
                        self._entries.clear()
                    self._entries[key] = (now, value)
                    flight.value, flight.kept = value, True
            return value
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()

    def _load_in_background(
        self, key: K, load: Callable[[], V], flight: _Flight, generation: int, now: float
    ) -> None:
        flight.thread = threading.get_ident()
        try:
            self._lead(key, load, flight, generation, now)
        except Exception:  # the expired value stays; the next call tries again
            logger.exception("Refreshing a cached value in the background failed")
        finally:
            connection.close()  # this thread's database connection (with a pool: handed back)

    def forget(self, key: K) -> None:
        with self._lock:
            self._generation += 1
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()


def register_process_cache(clear: Callable[[], None]) -> None:
    """Have `clear_process_caches` empty another kind of cache too (core.accessgen's)."""
    _registry.append(clear)


def clear_process_caches() -> None:
    """Empty every TimedCache of this process (tests; commands that rewrite data in bulk)."""
    for clear in _registry:
        clear()
