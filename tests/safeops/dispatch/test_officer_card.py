"""The officer's assignment card, as the server renders it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.dispatch.services import request_assign
from tests.safeops.dispatch.card_setup import ADDRESS, PRINCIPAL_PHONE, SA_PHONE, furnish
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_the_card_has_what_the_drive_needs(dispatch: DispatchScenario) -> None:
    plan, floor = furnish(dispatch)
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    client = Client()
    client.force_login(dispatch.officer_a.user)  # type: ignore[arg-type]
    body = client.get("/dispatch/officer/cards/").content.decode()
    lat, lon = f"{request.latitude:f}", f"{request.longitude:f}"
    assert f'data-request-id="{request.pk}"' in body
    assert ADDRESS in body
    assert f"destination={request.latitude},{request.longitude}" in body
    assert f'href="geo:{request.latitude},{request.longitude}?q=' in body
    assert f'data-lat="{lat}"' in body and f'data-lon="{lon}"' in body
    assert 'data-officer-lat="' in body  # the officer's position, for the map
    assert f'href="tel:{SA_PHONE.replace("-", "")}"' in body  # the requester is the SA
    assert f"/plans/files/{floor.pk}/" in body and "First floor" in body
    assert PRINCIPAL_PHONE in body and "Metro Police, Fire, EMS" in body
    stamp = re.search(r'<time class="since" role="timer" datetime="([^"]+)"', body)
    assert stamp is not None
    called = dt.datetime.fromisoformat(stamp.group(1))
    assert abs((called - request.created_at).total_seconds()) < 1
    assert AuditEntry.objects.filter(
        model="safetyplans.safetyplan", object_id=str(plan.pk), note="officer assignment card"
    ).exists()


def test_no_card_without_a_held_request(dispatch: DispatchScenario) -> None:
    furnish(dispatch)
    dispatch.file()  # open in zone A, not assigned
    client = Client()
    client.force_login(dispatch.officer_a.user)  # type: ignore[arg-type]
    response = client.get("/dispatch/officer/cards/")
    assert response.status_code == 200 and b"assignment-card" not in response.content


def test_only_officers_have_cards(dispatch: DispatchScenario) -> None:
    client = Client()
    client.force_login(dispatch.sa)
    assert client.get("/dispatch/officer/cards/").status_code == 403


def test_the_service_worker_keeps_the_card_script(dispatch: DispatchScenario) -> None:
    client = Client()
    body = client.get("/dispatch/officer/sw.js").content.decode()
    assert "dispatch/officer_card" in body and "leaflet/leaflet" in body
    assert "safeops-car-keep" in body
