"""Issue 13, finding 4: token-authenticated API calls are throttled per user (429)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from safeops.accounts.tokens import token_create
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict


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
