"""Issue 13, finding 4: the login lockout takes the address from our proxy's hop (rotating
X-Forwarded-For does not escape it) and limits one address across usernames (spraying)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.safeops.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"
ATTACKER = "198.51.100.66"


def _post(client: Client, username: str, password: str, spoof: str) -> int:
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"{spoof}, {ATTACKER}",
    )
    return response.status_code


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=5)
def test_rotating_x_forwarded_for_does_not_escape_the_lockout() -> None:
    UserFactory(username="target")
    client = Client(REMOTE_ADDR=PROXY)
    for n in range(5):
        _post(client, "target", "wrong", spoof=f"203.0.113.{n}")
    assert _post(client, "target", PASSWORD, spoof="203.0.113.200") == 429
    # Another client behind the same proxy is not locked out.
    other = Client(REMOTE_ADDR=PROXY)
    response = other.post(
        "/accounts/login/",
        {"username": "target", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert response.status_code == 302


@override_settings(
    BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=5, LOGIN_ADDRESS_FAILURE_LIMIT=8
)
def test_spraying_many_usernames_from_one_address_gets_locked() -> None:
    users = [UserFactory(username=f"staff{n}") for n in range(10)]
    own = UserFactory(username="attacker-own")
    client = Client(REMOTE_ADDR=PROXY)
    for user in users[:7]:  # one try each: far below the per-username limit
        assert _post(client, user.username, "Spring2026!", spoof="1.1.1.1") == 200
    assert _post(client, users[7].username, "Spring2026!", spoof="1.1.1.1") == 429  # the 8th
    # Logging in to one's own account does not clear the address's failures.
    assert _post(client, own.username, PASSWORD, spoof="1.1.1.1") == 429
    # The address is locked for every username, even with the right password.
    assert _post(client, users[9].username, PASSWORD, spoof="1.1.1.2") == 429
    # Another address is not.
    other = Client(REMOTE_ADDR=PROXY)
    response = other.post(
        "/accounts/login/",
        {"username": users[9].username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert response.status_code == 302
