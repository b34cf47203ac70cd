"""The dispatch API: create, get, assign (409), transitions (idempotent, 409 with allowed),
position, duty, officers; every error is JSON naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeops.accounts.tokens import token_create
from safeops.core.discipline import DISCIPLINE_REFUSED, discipline_guard_counts
from safeops.core.models import AuditEntry, DisciplineOverride, DisciplineRefusalRecord
from safeops.dispatch.exceptions import POSITION_OFF_DUTY
from safeops.dispatch.models import OfficerStatus, StatusEvent, SupportRequest
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=body, content_type="application/json")


def test_create_returns_the_request_with_recommended_officers(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.sa),
        "/api/requests",
        {"school_id": dispatch.s.school_a.pk, "category": "weapon", "summary": "Knife seen"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new"
    assert body["priority"] == "p1" and body["call_911_first"] is True
    assert body["recommended"][0]["officer_id"] == dispatch.officer_a.pk
    assert body["recommended"][0]["zone_name"] == "Zone A"
    assert body["recommended"][0]["eta_minutes"] > 0


def test_a_retried_create_with_the_same_client_key_is_one_request(
    dispatch: DispatchScenario,
) -> None:
    client = _client(dispatch.sa)
    body = {
        "school_id": dispatch.s.school_a.pk,
        "category": "intruder_trespass",
        "summary": "Adult climbing the fence",
        "client_key": "phone-abc",
    }
    first, second = _post(client, "/api/requests", body), _post(client, "/api/requests", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["replayed"] is True
    assert SupportRequest.objects.count() == 1


def test_a_discipline_request_is_refused_pointing_to_administration_and_counted(
    dispatch: DispatchScenario,
) -> None:
    response = _post(
        _client(dispatch.sa),
        "/api/requests",
        {
            "school_id": dispatch.s.school_a.pk,
            "category": "crime_report",
            "summary": "Student refuses to follow dress code",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == DISCIPLINE_REFUSED
    assert response.json()["errors"][0]["field"] == "category"
    assert SupportRequest.objects.count() == 0
    refusal = DisciplineRefusalRecord.objects.get()
    assert (refusal.school_id, refusal.source) == (dispatch.s.school_a.pk, "dispatch")


def test_the_issue_examples_are_refused(dispatch: DispatchScenario) -> None:
    client = _client(dispatch.sa)
    for summary in ("Student skipped 3rd period, please find him", "kid vaping in bathroom"):
        body = {"school_id": dispatch.s.school_a.pk, "category": "crime_report", "summary": summary}
        response = _post(client, "/api/requests", body)
        assert response.status_code == 422, summary
        assert "school's administration" in response.json()["detail"]
    assert not SupportRequest.objects.exists()
    assert DisciplineRefusalRecord.objects.count() == 2


def test_a_refused_text_is_filed_as_safety_with_a_reason_audited_and_counted(
    dispatch: DispatchScenario,
) -> None:
    client = _client(dispatch.sa)
    body = {
        "school_id": dispatch.s.school_a.pk,
        "category": "medical_assist",
        "summary": "kid vaping in bathroom",
    }
    refused = _post(client, "/api/requests", body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["category", "safety_reason"]
    short = _post(client, "/api/requests", {**body, "safety_reason": "sick"})
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "safety_reason"
    reason = "He is grey and will not wake up"
    filed = _post(client, "/api/requests", {**body, "safety_reason": reason})
    assert filed.status_code == 201
    request = SupportRequest.objects.get()
    override = DisciplineOverride.objects.get()
    assert (override.source, override.reason, override.topic) == ("dispatch", reason, "substances")
    assert (override.target_model, override.target_id) == (
        "dispatch.supportrequest",
        str(request.pk),
    )
    assert (override.actor_id, override.school_id) == (dispatch.sa.pk, dispatch.s.school_a.pk)
    audit = AuditEntry.objects.get(model="core.disciplineoverride")
    assert audit.actor_id == dispatch.sa.pk and str(request.pk) in audit.note
    today = timezone.localdate()
    counts = discipline_guard_counts(district_id=request.district_id, start=today, end=today)
    assert counts == {"dispatch": {"refused": 1, "overridden": 1}}


def test_a_discipline_category_cannot_be_overridden(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.sa),
        "/api/requests",
        {
            "school_id": dispatch.s.school_a.pk,
            "category": "discipline",
            "summary": "Help",
            "safety_reason": "It really is about safety",
        },
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["category"]
    assert not DisciplineOverride.objects.exists()


def test_a_discipline_category_is_refused(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.sa),
        "/api/requests",
        {"school_id": dispatch.s.school_a.pk, "category": "discipline", "summary": "Help"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == DISCIPLINE_REFUSED


def test_an_unknown_category_error_names_the_field(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.sa),
        "/api/requests",
        {"school_id": dispatch.s.school_a.pk, "category": "aliens", "summary": "Lights"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"


def test_assigning_an_unavailable_officer_is_a_409_naming_officer_id(
    dispatch: DispatchScenario,
) -> None:
    client = _client(dispatch.dispatcher)
    first, second = dispatch.file(), dispatch.file(summary="Second fight")
    ok = _post(client, f"/api/requests/{first.pk}/assign", {"officer_id": dispatch.officer_a.pk})
    assert ok.status_code == 200
    assert ok.json()["request"]["status"] == "assigned"
    conflict = _post(
        client, f"/api/requests/{second.pk}/assign", {"officer_id": dispatch.officer_a.pk}
    )
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["field"] == "officer_id"


def test_a_retried_transition_is_applied_once_over_the_api(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    _post(
        _client(dispatch.dispatcher),
        f"/api/requests/{request.pk}/assign",
        {"officer_id": dispatch.officer_a.pk},
    )
    officer = _client(dispatch.officer_a.user)
    url = f"/api/requests/{request.pk}/transitions"
    body = {"to_status": "acknowledged", "idempotency_key": "3f1c-retry"}
    responses = [_post(officer, url, body) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["replayed"] for r in responses] == [False, True, True]
    assert StatusEvent.objects.filter(request=request, to_status="acknowledged").count() == 1


def test_an_illegal_transition_is_a_409_naming_the_allowed_next_states(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    response = _post(
        _client(dispatch.dispatcher),
        f"/api/requests/{request.pk}/transitions",
        {"to_status": "cleared", "idempotency_key": "k", "disposition": "unfounded"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["allowed"] == ["assigned", "cancelled"]
    assert "assigned, cancelled" in body["detail"]
    assert body["errors"][0]["field"] == "to_status"


def test_a_missing_idempotency_key_is_an_error_naming_the_field(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    response = _post(
        _client(dispatch.dispatcher),
        f"/api/requests/{request.pk}/transitions",
        {"to_status": "cancelled"},
    )
    assert response.status_code == 422
    assert "idempotency_key" in str(response.json())


def test_get_shows_the_timeline(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    body = _client(dispatch.sa).get(f"/api/requests/{request.pk}").json()
    assert [e["to_status"] for e in body["timeline"]] == ["new"]
    assert body["recommended"] == []  # only dispatchers see the recommendation on GET


def test_officers_available_lists_only_free_on_duty_officers(dispatch: DispatchScenario) -> None:
    client = _client(dispatch.dispatcher)
    request = dispatch.file()
    _post(client, f"/api/requests/{request.pk}/assign", {"officer_id": dispatch.officer_a.pk})
    ids = [o["id"] for o in client.get("/api/officers?available=true").json()]
    assert ids == [dispatch.officer_b.pk]


def test_an_officer_goes_off_duty_and_then_their_position_is_not_recorded(
    dispatch: DispatchScenario,
) -> None:
    officer = _client(dispatch.officer_b.user)
    pk = dispatch.officer_b.pk
    off = _post(officer, f"/api/officers/{pk}/duty", {"on_duty": False})
    assert off.status_code == 200 and off.json()["on_duty"] is False
    ping = _post(officer, f"/api/officers/{pk}/position", {"latitude": 38.2, "longitude": -85.7})
    assert ping.status_code == 409
    assert ping.json()["detail"] == POSITION_OFF_DUTY
    assert OfficerStatus.objects.get(person_id=pk).latitude is None


def test_an_officer_may_not_post_another_officers_position(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.officer_b.user),
        f"/api/officers/{dispatch.officer_a.pk}/position",
        {"latitude": 38.2, "longitude": -85.7},
    )
    assert response.status_code == 403


def test_an_out_of_range_latitude_names_the_field(dispatch: DispatchScenario) -> None:
    response = _post(
        _client(dispatch.officer_a.user),
        f"/api/officers/{dispatch.officer_a.pk}/position",
        {"latitude": 123, "longitude": -85.7},
    )
    assert response.status_code == 422
    assert "latitude" in str(response.json())


def test_a_bearer_token_authenticates(dispatch: DispatchScenario) -> None:
    _token, raw = token_create(user=dispatch.dispatcher, name="t", actor="system:test")
    response = Client().get("/api/officers", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert len(response.json()) == 2
