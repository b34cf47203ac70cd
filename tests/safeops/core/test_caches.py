"""Per-process caches: expiry, a forget that races a load, and the writes that must empty them."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from safeops.access import schools_visible_to
from safeops.accounts.models import User
from safeops.accounts.tokens import token_authenticate, token_create
from safeops.core.caches import TimedCache
from safeops.core.services import model_update
from safeops.staff.choices import Role
from safeops.staff.services import assignment_end
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


def test_a_value_is_kept_for_its_seconds_then_loaded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr("safeops.core.caches.time.monotonic", lambda: clock[0])
    cache: TimedCache[str, int] = TimedCache(seconds=lambda: 5)
    loads = iter(range(1, 10))
    assert cache.get("k", lambda: next(loads)) == 1
    clock[0] += 4.9
    assert cache.get("k", lambda: next(loads)) == 1
    clock[0] += 0.2
    assert cache.get("k", lambda: next(loads)) == 2


def test_a_load_that_raced_a_forget_is_not_kept() -> None:
    cache: TimedCache[str, str] = TimedCache(seconds=lambda: 60)

    def stale_load() -> str:
        cache.forget("k")  # a write committed while the load was reading
        return "stale"

    assert cache.get("k", stale_load) == "stale"
    assert cache.get("k", lambda: "fresh") == "fresh"
    assert cache.get("k", lambda: "newer") == "fresh"


def test_a_full_cache_starts_over_and_misses_can_be_left_out() -> None:
    cache: TimedCache[int, int | None] = TimedCache(seconds=lambda: 60, max_entries=3)
    for key in range(3):
        cache.get(key, lambda key=key: key)  # type: ignore[misc]
    cache.get(3, lambda: 3)  # full: starts over with key 3 only
    assert cache.get(0, lambda: 100) == 100
    assert cache.get(3, lambda: 300) == 3
    misses: TimedCache[str, int | None] = TimedCache(seconds=lambda: 60, keep_none=False)
    assert misses.get("guess", lambda: None) is None
    assert misses.get("guess", lambda: 7) == 7


def test_zero_seconds_caches_nothing() -> None:
    cache: TimedCache[str, int] = TimedCache(seconds=lambda: 0)
    values = iter([1, 2])
    assert cache.get("k", lambda: next(values)) == 1
    assert cache.get("k", lambda: next(values)) == 2


@pytest.mark.django_db
@override_settings(PROCESS_CACHE_SECONDS=3600)
def test_an_ended_assignment_takes_effect_at_once_in_this_process(
    scenario: ScenarioDistrict,
) -> None:
    sa_id = scenario.users[Role.SAFETY_ADMINISTRATOR].pk  # type: ignore[attr-defined]
    assert scenario.school_a in schools_visible_to(User.objects.get(pk=sa_id))
    assignment = scenario.people[Role.SAFETY_ADMINISTRATOR].assignments.get()
    assignment_end(assignment=assignment, ends_on=timezone.localdate(), actor="system:test")
    assert not schools_visible_to(User.objects.get(pk=sa_id)).exists()


@pytest.mark.django_db
@override_settings(PROCESS_CACHE_SECONDS=3600)
def test_a_revoked_token_or_deactivated_user_is_refused_at_once(
    scenario: ScenarioDistrict,
) -> None:
    user = scenario.users[Role.DISPATCHER]
    token, raw = token_create(user=user, name="t", actor="system:test")  # type: ignore[arg-type]
    assert token_authenticate(raw) == user
    model_update(instance=token, actor="system:test", data={"revoked": True})
    assert token_authenticate(raw) is None

    _other, raw2 = token_create(user=user, name="t2", actor="system:test")  # type: ignore[arg-type]
    assert token_authenticate(raw2) == user
    fresh = User.objects.get(pk=user.pk)
    fresh.is_active = False
    fresh.save()
    assert token_authenticate(raw2) is None


@pytest.mark.django_db
@override_settings(PROCESS_CACHE_SECONDS=3600)
def test_an_expired_token_is_refused_even_when_cached(scenario: ScenarioDistrict) -> None:
    user = scenario.users[Role.DISPATCHER]
    token, raw = token_create(user=user, name="t", actor="system:test", valid_days=1)  # type: ignore[arg-type]
    assert token_authenticate(raw) == user
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("safeops.accounts.tokens.timezone.now", lambda: later)
        assert token_authenticate(raw) is None
    response = Client().get("/api/schools", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert token.pk


def _miss_together(cache: TimedCache[str, str], load: Any, threads: int = 6) -> list[str]:
    barrier = threading.Barrier(threads)

    def call() -> str:
        barrier.wait()
        return cache.get("k", load)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda _i: call(), range(threads)))


def test_threads_missing_one_key_together_share_one_load() -> None:
    cache: TimedCache[str, str] = TimedCache(seconds=lambda: 60)
    calls: list[int] = []

    def slow_load() -> str:
        calls.append(threading.get_ident())
        time.sleep(0.2)
        return "snapshot"

    assert _miss_together(cache, slow_load) == ["snapshot"] * 6
    assert len(calls) == 1


def test_waiters_load_for_themselves_when_the_shared_load_fails_or_goes_stale() -> None:
    cache: TimedCache[str, str] = TimedCache(seconds=lambda: 60)
    calls: list[int] = []
    lock = threading.Lock()

    def first_fails() -> str:
        with lock:
            calls.append(1)
            leader = len(calls) == 1
        if leader:
            time.sleep(0.2)
            raise RuntimeError("database went away")
        return "fresh"

    results: list[str | Exception] = []
    barrier = threading.Barrier(3)

    def call() -> None:
        barrier.wait()
        try:
            results.append(cache.get("k", first_fails))
        except RuntimeError as error:
            results.append(error)

    workers = [threading.Thread(target=call) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    assert sorted(map(str, results)) == ["database went away", "fresh", "fresh"]

    stale: TimedCache[str, str] = TimedCache(seconds=lambda: 60)
    loads = iter(["stale", "fresh", "fresh", "fresh", "fresh", "fresh"])

    def raced_load() -> str:
        value = next(loads)
        if value == "stale":
            time.sleep(0.2)
            stale.forget("k")  # a write committed while the leader was reading
        return value

    assert sorted(_miss_together(stale, raced_load)) == ["fresh"] * 5 + ["stale"]


def test_a_load_that_reads_its_own_key_does_not_wait_for_itself() -> None:
    cache: TimedCache[str, str] = TimedCache(seconds=lambda: 60)
    assert cache.get("k", lambda: "outer " + cache.get("k", lambda: "inner")) == "outer inner"


def test_an_expired_value_is_served_while_a_thread_loads_its_successor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr("safeops.core.caches.time.monotonic", lambda: clock[0])
    cache: TimedCache[str, str] = TimedCache(seconds=lambda: 5, refresh_in_background=lambda: True)
    assert cache.get("k", lambda: "first") == "first"  # nothing to serve yet: loaded inline
    clock[0] += 6
    started, release = threading.Event(), threading.Event()

    def slow_load() -> str:
        started.set()
        release.wait(10)
        return "second"

    assert cache.get("k", slow_load) == "first"  # expired: served at once, reload behind
    assert started.wait(10)
    assert cache.get("k", lambda: "never") == "first"  # one reload at a time
    release.set()
    deadline = time.monotonic() + 10
    while cache.get("k", lambda: "never") != "second":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    cache.forget("k")  # a write in this process: never served stale
    assert cache.get("k", lambda: "third") == "third"
