"""Issue 13, finding 4: token-authenticated API calls are throttled per user (429)."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from safeops.accounts.tokens import token_create
from safeops.core.rediscache import SharedRedisCache
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@override_settings(API_TOKEN_RATE="3/min")
def test_a_token_client_over_the_rate_gets_429(scenario: ScenarioDistrict) -> None:
    user = scenario.users[Role.SECURITY_CHIEF]
    _token, raw = token_create(user=user, name="t", actor="system:test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [client.get("/api/schools").status_code for _ in range(3)] == [200, 200, 200]
    over = client.get("/api/schools")
    assert over.status_code == 429
    assert int(over["Retry-After"]) >= 1
    # A second token of the same user shares the allowance.
    _token, second = token_create(user=user, name="t2", actor="system:test")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {second}").get("/api/schools").status_code == 429
    # Another user's token is counted on its own.
    other = scenario.users[Role.DISPATCHER]
    _token, raw_other = token_create(user=other, name="t", actor="system:test")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw_other}").get("/api/schools").status_code == 200


@override_settings(API_TOKEN_RATE="3/min")
def test_browser_session_calls_are_not_counted(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    assert {client.get("/api/schools").status_code for _ in range(5)} == {200}


def test_redis_counts_a_window_in_one_round_trip_and_never_extends_it() -> None:
    """The Redis backend's window count: each call adds one; the key expires after the window
    from its first call (later calls do not push the expiry back)."""
    url = "redis://127.0.0.1:6379/11"
    backend = SharedRedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        backend.get("probe")
    except Exception as error:  # any failure to reach Redis
        pytest.skip(f"Redis is not reachable at {url} ({error})")
    assert [backend.count_in_window("calls", 60) for _ in range(3)] == [1, 2, 3]
    client = backend._cache.get_client(write=True)
    name = backend.make_and_validate_key("calls")
    client.expire(name, 5)  # as if the window were nearly over
    assert backend.count_in_window("calls", 60) == 4
    assert 0 < client.ttl(name) <= 5
    backend.delete("calls")
