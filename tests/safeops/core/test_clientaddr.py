"""Issue 13, finding 4: the client address comes only from our proxy's hop, never from what the
client wrote into X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from safeops.core.clientaddr import client_address

PROXY = "10.0.0.5"


def _request(xff: str | None, remote: str = PROXY) -> object:
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@override_settings(BEHIND_PROXY=False, TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored() -> None:
    assert client_address(_request("1.2.3.4", remote="198.51.100.9")) == "198.51.100.9"  # type: ignore[arg-type]


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("xff", "expected"),
    [
        ("198.51.100.9", "198.51.100.9"),
        ("1.2.3.4, 198.51.100.9", "198.51.100.9"),  # the client's own claim is on the left
        ("1.2.3.4,5.6.7.8,  198.51.100.9", "198.51.100.9"),
        ("", PROXY),  # a direct connection (health check)
        (None, PROXY),
        ("1.2.3.4, not-an-address", PROXY),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_one_proxy_the_last_entry_is_the_client(xff: str | None, expected: str) -> None:
    assert client_address(_request(xff)) == expected  # type: ignore[arg-type]


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client() -> None:
    assert client_address(_request("1.2.3.4, 198.51.100.9, 10.0.0.1")) == "198.51.100.9"  # type: ignore[arg-type]
    assert client_address(_request("198.51.100.9")) == "198.51.100.9"  # type: ignore[arg-type]
