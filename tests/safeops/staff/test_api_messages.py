"""The assignment API's refusals and errors reach a Spanish reader in Spanish (`Accept-Language:
es`, no cookie); English, the source language, is unchanged."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

SPANISH = {"Accept-Language": "es"}


def login(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def end(client: Client, assignment_id: int, ends_on: str) -> HttpResponse:
    """End an assignment through the API, asked in Spanish."""
    return client.post(
        f"/api/assignments/{assignment_id}/end",
        {"ends_on": ends_on},
        content_type="application/json",
        headers=SPANISH,
    )


def test_a_refusal_is_in_the_readers_language(scenario: ScenarioDistrict) -> None:
    sa = login(scenario, Role.SAFETY_ADMINISTRATOR)
    new = {
        "person_id": scenario.people[Role.SAFETY_ADMINISTRATOR].pk,
        "school_id": scenario.school_a.pk,
        "starts_on": timezone.localdate().isoformat(),
    }
    english = sa.post("/api/assignments", new, content_type="application/json")
    assert english.status_code == 403
    assert english.json() == {"detail": "You may not change assignments."}
    spanish = sa.post("/api/assignments", new, content_type="application/json", headers=SPANISH)
    assert spanish.status_code == 403
    assert spanish.json() == {"detail": "No puede cambiar asignaciones."}
    refused = end(sa, scenario.assignment_a.pk, timezone.localdate().isoformat())
    assert refused.status_code == 403
    assert refused.json() == {"detail": "No puede cambiar esta asignación."}


def test_a_field_error_and_a_missing_record_are_in_spanish(scenario: ScenarioDistrict) -> None:
    chief = login(scenario, Role.SECURITY_CHIEF)
    assignment = scenario.assignment_a
    early = end(chief, assignment.pk, assignment.starts_on.isoformat())
    assert early.status_code == 422
    assert early.json() == {
        "detail": "Datos no válidos.",
        "errors": [
            {
                "field": "ends_on",
                "message": "La fecha de fin debe ser posterior a la fecha de inicio.",
            }
        ],
    }
    missing = end(chief, scenario.assignment_b.pk + 1000, timezone.localdate().isoformat())
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Esa asignación no existe en su ámbito."}
