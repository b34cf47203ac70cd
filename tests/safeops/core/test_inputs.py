"""Bad input is a 4xx naming the field, never a 500: NUL characters (PostgreSQL rejects them in
text), ids beyond 64 bits (SQLite cannot hold them), bodies over the size limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from safeops.core.inputs import ID_MAX, NUL_IN_INPUT
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

TOO_BIG = 2**64
NUL = "\x00"


def _client(user: Any = None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _field_errors(response: Any) -> list[str | None]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return [error["field"] for error in response.json()["errors"]]


# --- NUL characters ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/tips/public", {"what": "a gun", "place": "gym", "when": f"now{NUL}"}, "when"),
        ("/api/tips/public", {"what": f"a{NUL}gun", "place": "gym"}, "what"),
        ("/api/tips/public/status", {"code": f"AB{NUL}CD", "phrase": "oak fern"}, "code"),
        ("/api/tips/public/status", {"code": "ABCD-EFGH", "phrase": f"oak{NUL}"}, "phrase"),
    ],
)
def test_nul_in_the_public_tip_api_is_a_422_naming_the_field(
    scenario: ScenarioDistrict, url: str, body: dict[str, Any], field: str
) -> None:
    response = _post_json(_client(), url, body)
    assert response.status_code == 422
    assert _field_errors(response) == [field]
    assert response.json()["errors"][0]["message"] == NUL_IN_INPUT


@pytest.mark.django_db
def test_nul_in_a_nested_json_field_names_its_path(scenario: ScenarioDistrict) -> None:
    client = _client(scenario.users[Role.SAFETY_ADMINISTRATOR])
    body = {
        "school_id": scenario.school_a.pk,
        "service_id": 1,
        "grade": "7",
        "consent": {"given_by": f"parent{NUL}", "given_on": "2026-09-01", "scope": "two_way"},
        "handoff_note": "Needs housing help",
    }
    response = _post_json(client, "/api/referrals", body)
    assert response.status_code == 422
    assert _field_errors(response) == ["consent.given_by"]


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(scenario: ScenarioDistrict) -> None:
    raw = '{"what": "see \\\\u0000 in the note", "place": "gym"}'
    assert NUL not in json.loads(raw)["what"]
    response = _client().post("/api/tips/public", raw, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_nul_in_an_api_query_is_a_422_naming_the_parameter(scenario: ScenarioDistrict) -> None:
    client = _client(scenario.users[Role.SECURITY_CHIEF])
    for url in ("/api/schools?q=a%00b", "/api/resources/search?q=%00"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert _field_errors(response) == ["q"]


@pytest.mark.django_db
def test_nul_in_a_page_query_or_form_is_a_400_page_naming_the_field(
    scenario: ScenarioDistrict,
) -> None:
    client = _client(scenario.users[Role.SECURITY_CHIEF])
    page = client.get("/schools/?q=%00")
    assert page.status_code == 400
    assert "<strong>q</strong>" in page.content.decode()
    tip = _client().post("/tips/", {"what": "a gun", "place": f"gym{NUL}", "urgency": "unsure"})
    assert tip.status_code == 400
    text = tip.content.decode()
    assert "<strong>place</strong>" in text
    assert "call 911" in text


# --- ids beyond 64 bits ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("get", f"/api/requests/{TOO_BIG}", None, "request_id"),
        ("get", f"/api/schools/{TOO_BIG}", None, "school_id"),
        ("get", f"/api/referrals?incident_id={TOO_BIG}", None, "incident_id"),
        ("get", f"/api/resources/search?school={TOO_BIG}", None, "school"),
        ("post", "/api/requests", {"school_id": TOO_BIG, "category": "x", "summary": "y"}, None),
        ("post", "/api/assignments", {"person_id": TOO_BIG, "starts_on": "2026-09-01"}, None),
        ("post", "/api/tips/public", {"what": "a gun", "school_id": TOO_BIG}, "school_id"),
    ],
)
def test_an_id_beyond_64_bits_is_a_422_naming_the_field(
    scenario: ScenarioDistrict, method: str, url: str, body: Any, field: str | None
) -> None:
    client = _client(scenario.users[Role.SECURITY_CHIEF])
    response = client.get(url) if body is None else _post_json(client, url, body)
    assert response.status_code == 422
    expected = field or next(iter(body))
    assert expected in _field_errors(response)


@pytest.mark.django_db
def test_the_largest_64_bit_id_is_simply_not_found(scenario: ScenarioDistrict) -> None:
    client = _client(scenario.users[Role.SECURITY_CHIEF])
    assert client.get(f"/api/requests/{ID_MAX}").status_code == 404


def _int_routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> list[tuple[str, list[str]]]:
    """Every page route with an <int:…> part, as a route string and its int names."""
    routes = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("api/", "admin/")):
                routes += _int_routes(pattern.url_patterns, route)
        elif "<int:" in route:
            routes.append((route, [c for c in pattern.pattern.converters]))
    return routes


@pytest.mark.django_db
def test_every_page_route_answers_a_huge_id_without_a_server_error(
    scenario: ScenarioDistrict,
) -> None:
    routes = _int_routes(get_resolver().url_patterns)
    assert len(routes) > 20
    client = _client(scenario.users[Role.SECURITY_CHIEF])
    failures = []
    for route, names in routes:
        url = "/" + route
        for name in names:
            url = url.replace(f"<int:{name}>", str(TOO_BIG))
        for method in (client.get, client.post):
            status = method(url).status_code
            if status >= 500:
                failures.append((method.__name__, url, status))
    assert failures == []


# --- bodies over the size limit ----------------------------------------------------------


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_limit_is_a_413_json_error(scenario: ScenarioDistrict) -> None:
    body = {"what": "x" * 2000, "place": "gym"}
    response = _post_json(_client(), "/api/tips/public", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than this server accepts."
    client = _client(scenario.users[Role.SAFETY_ADMINISTRATOR])
    response = _post_json(client, "/api/requests", {"summary": "x" * 2000, "category": "y"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_over_the_limit_is_a_413_page(scenario: ScenarioDistrict) -> None:
    response = _client().post("/tips/", {"what": "x" * 2000, "urgency": "unsure"})
    assert response.status_code == 413
    assert "call 911" in response.content.decode()
