"""The JSON API: token and session authentication, OpenAPI, errors that name the field."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from safeops.accounts import tokens
from safeops.accounts.models import ApiToken
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict


def _token_for(username: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_bearer_token_authenticates_and_scopes_like_the_session(scenario: ScenarioDistrict) -> None:
    token = _token_for("safety_administrator-a")
    response = Client().get("/api/schools", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert {row["name"] for row in response.json()} == {"A Middle"}
    stored = ApiToken.objects.get()
    assert token not in (stored.digest, stored.prefix)
    assert stored.last_used_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_server_process_writes_last_uses_together_off_the_request(
    scenario: ScenarioDistrict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With background work on (servers), the request never writes the token's last use; the
    process writes the gathered uses together (every couple of seconds, and on exit)."""
    monkeypatch.setattr(tokens, "TOUCH_FLUSH_SECONDS", 3600.0)
    token = _token_for("safety_administrator-a")
    with override_settings(BACKGROUND_REFRESH=True):
        response = Client().get("/api/schools", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is None
    tokens._touches.flush()
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_a_wrong_or_revoked_token_is_refused(scenario: ScenarioDistrict) -> None:
    token = _token_for("security_chief-a")
    assert Client().get("/api/schools", headers={"Authorization": "Bearer nope"}).status_code == 401
    ApiToken.objects.update(revoked=True)
    assert (
        Client().get("/api/schools", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


@pytest.mark.django_db
def test_invalid_input_gets_an_error_naming_the_field(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    response = client.patch(
        f"/api/schools/{scenario.school_a.pk}",
        data={"latitude": 95},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert [error["field"] for error in body["errors"]] == ["latitude"]


@pytest.mark.django_db
def test_assignment_rules_come_back_as_json_errors(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    response = client.post(
        "/api/assignments",
        data={
            "person_id": scenario.people[Role.SSO].pk,
            "school_id": scenario.school_b.pk,
            "starts_on": "2026-09-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"] == "A School Safety Officer is assigned to a zone."
    )


@pytest.mark.django_db
def test_openapi_documents_the_endpoints() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert {"/api/schools", "/api/zones", "/api/assignments"} <= set(schema["paths"])
    assert Client().get("/api/docs").status_code == 200
