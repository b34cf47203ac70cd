"""Issue 13 on the tip line: forged cross-site tips are refused (finding 3), images lose their
EXIF/GPS and the text is capped (finding 2), and the rate limit keys on our proxy's hop, so
rotating X-Forwarded-For does not escape it (finding 4)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from safeops.core.crypto import decrypt_bytes
from safeops.dispatch.models import DispatchEvent
from safeops.threats.models import Tip, TipAttachment
from safeops.threats.tips import CROSS_SITE_REFUSED, JSON_REQUIRED
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import CAMERA, has_metadata, jpeg_with_gps

pytestmark = pytest.mark.shared_scenario

PROXY = "10.0.0.5"
SITE = "http://testserver"
EVIL = "https://evil.example"
IMMINENT = {"what": "He has a gun in his locker", "urgency": "imminent", "place": "Gym"}


def _browser(origin: str = SITE, site: str = "same-origin", **extra: str) -> Client:
    return Client(HTTP_ORIGIN=origin, HTTP_SEC_FETCH_SITE=site, **extra)


# --- Finding 3: forged tips ----------------------------------------------------------------------


def test_a_tip_form_posted_from_another_site_is_refused(scenario: ScenarioDistrict) -> None:
    forged = _browser(EVIL, "cross-site").post("/tips/", IMMINENT)
    assert forged.status_code == 403
    page = forged.content.decode()
    assert str(CROSS_SITE_REFUSED) in page
    assert "He has a gun" not in page  # the forged text is not put into the reporter's form
    assert not forged.cookies
    assert not Tip.objects.exists() and not DispatchEvent.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame on another site
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling subdomain is another site too
        {"HTTP_REFERER": "https://evil.example/page"},
        {},  # a form post with no origin information at all
    ],
)
def test_a_tip_form_without_proof_of_our_origin_is_refused(
    scenario: ScenarioDistrict, headers: dict[str, str]
) -> None:
    assert Client(**headers).post("/tips/", IMMINENT).status_code == 403
    assert not Tip.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": SITE},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": f"{SITE}/tips/"},
    ],
)
def test_a_tip_form_from_our_own_page_is_accepted(
    scenario: ScenarioDistrict, headers: dict[str, str]
) -> None:
    response = Client(**headers).post("/tips/", IMMINENT)
    assert response.status_code == 200 and "tip-code" in response.content.decode()
    assert not response.cookies
    assert Tip.objects.count() == 1


@override_settings(CSRF_TRUSTED_ORIGINS=["https://*.district.example"])
def test_a_trusted_origin_is_accepted(scenario: ScenarioDistrict) -> None:
    response = Client(HTTP_ORIGIN="https://tips.district.example").post("/tips/", IMMINENT)
    assert response.status_code == 200


def test_the_status_pages_refuse_cross_site_posts(scenario: ScenarioDistrict) -> None:
    forged = _browser(EVIL, "cross-site")
    for path in ("/tips/status/", "/tips/status/answer/"):
        data = {"code": "ABCD-EFGH", "phrase": "a b c d e", "answer": "x"}
        assert forged.post(path, data).status_code == 403, path


def test_the_api_refuses_a_cross_site_post(scenario: ScenarioDistrict) -> None:
    response = _browser(EVIL, "cross-site").post(
        "/api/tips/public", json.dumps(IMMINENT), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == str(CROSS_SITE_REFUSED)
    assert not Tip.objects.exists() and not DispatchEvent.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_the_api_refuses_a_body_that_is_not_json(
    scenario: ScenarioDistrict, content_type: str
) -> None:
    # A cross-site page can send these without a preflight; no Origin (an old browser).
    response = Client().post("/api/tips/public", json.dumps(IMMINENT), content_type=content_type)
    assert response.status_code == 415
    assert response.json()["errors"][0]["message"] == str(JSON_REQUIRED)
    status = Client().post("/api/tips/public/status", "{}", content_type="text/plain")
    assert status.status_code == 415
    assert not Tip.objects.exists()


@pytest.mark.parametrize("client", [_browser, Client])
def test_the_api_accepts_json_from_our_site_or_a_non_browser_client(
    scenario: ScenarioDistrict, client: type[Client]
) -> None:
    response = client().post(
        "/api/tips/public", json.dumps(IMMINENT), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert not response.cookies


# --- Finding 2: metadata and length --------------------------------------------------------------


def test_a_tip_photo_is_stored_without_exif_or_gps(scenario: ScenarioDistrict) -> None:
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = _browser().post("/tips/", {**IMMINENT, "attachments": [photo]})
    assert response.status_code == 200, response.content.decode()[:1000]
    attachment = TipAttachment.objects.get()
    with attachment.file.open("rb") as handle:
        raw = handle.read()
    assert CAMERA.encode() not in raw  # stored encrypted
    stored = decrypt_bytes(raw)
    assert stored.startswith(b"\xff\xd8\xff")
    assert not has_metadata(stored)
    assert attachment.size == len(stored)


def test_a_too_long_tip_is_refused_naming_the_field(scenario: ScenarioDistrict) -> None:
    long_text = {**IMMINENT, "what": "x" * 5001}
    page = _browser().post("/tips/", long_text)
    assert page.status_code == 422
    assert "Keep this under 5000 characters (it has 5001)." in page.content.decode()
    api = _browser().post(
        "/api/tips/public", json.dumps(long_text), content_type="application/json"
    )
    assert api.status_code == 422
    assert api.json()["errors"] == [
        {"field": "what", "message": "Keep this under 5000 characters (it has 5001)."}
    ]
    assert not Tip.objects.exists()
    with override_settings(TIP_TEXT_MAX_CHARS=10):
        short = _browser().post(
            "/api/tips/public",
            json.dumps({**IMMINENT, "what": "a" * 11}),
            content_type="application/json",
        )
    assert short.json()["errors"][0]["field"] == "what"


# --- Finding 4: the rate limit keys on our proxy's hop -------------------------------------------


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
