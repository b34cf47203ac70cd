"""Issue 13, findings 2 to 4 on the tip line: the rate limit keys on our proxy's hop (rotating
X-Forwarded-For does not escape it)."""

from __future__ import annotations

import json

from django.test import Client, override_settings

from tests.safeops.factories import ScenarioDistrict

PROXY = "10.0.0.5"
SITE = "http://testserver"


def _api_tip(client: Client, xff: str) -> int:
    response = client.post(
        "/api/tips/public",
        json.dumps({"what": "a threat on the bus", "urgency": "soon", "place": "Bus 12"}),
        content_type="application/json",
        HTTP_ORIGIN=SITE,
        HTTP_X_FORWARDED_FOR=xff,
    )
    return response.status_code


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1, TIP_RATE_LIMIT_PER_HOUR=5)
def test_rotating_x_forwarded_for_does_not_escape_the_tip_rate_limit(
    scenario: ScenarioDistrict,
) -> None:
    client = Client(REMOTE_ADDR=PROXY)
    sent = [_api_tip(client, f"203.0.113.{n}, 198.51.100.66") for n in range(6)]
    assert sent == [201] * 5 + [429]
    # Another reporter behind the same proxy has their own allowance.
    assert _api_tip(client, "198.51.100.67") == 201
