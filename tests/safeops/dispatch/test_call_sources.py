"""Every way a call comes in besides the SA's form: a security monitor files for their school,
and an officer opens an on-view call where they stand (bus stop, patrol find)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from safeops.core.discipline import DisciplineRefusal
from safeops.core.models import AuditEntry, DisciplineOverride
from safeops.dispatch.choices import Source, Status
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.models import OfficerStatus, StatusEvent, SupportRequest
from safeops.dispatch.services import (
    request_assign,
    request_create,
    request_on_view,
    request_transition,
)
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

BUS_STOP = {"latitude": 38.205, "longitude": -85.695}


# --- Security monitors -------------------------------------------------------------------------


def test_a_security_monitor_files_for_their_school_on_the_page(dispatch: DispatchScenario) -> None:
    monitor = dispatch.s.users[Role.SECURITY_MONITOR]
    client = Client()
    client.force_login(monitor)
    assert client.get("/dispatch/").url == "/dispatch/requests/new/"
    form = client.get("/dispatch/requests/new/")
    assert form.status_code == 200
    created = client.post(
        "/dispatch/requests/new/",
        {
            "place": str(dispatch.s.school_a.pk),
            "category": "intruder_trespass",
            "summary": "Adult without a badge in the east hall",
            "client_key": "m-1",
        },
    )
    request = SupportRequest.objects.get()
    assert created.status_code == 302 and created.url == f"/dispatch/requests/{request.pk}/"
    assert (request.school, request.requester, request.priority) == (
        dispatch.s.school_a,
        monitor,
        "p1",
    )
    assert client.get(f"/dispatch/requests/{request.pk}/").status_code == 200


def test_a_security_monitor_may_not_file_for_another_school(dispatch: DispatchScenario) -> None:
    monitor = dispatch.s.users[Role.SECURITY_MONITOR]
    with pytest.raises(PermissionDenied, match="only for your own schools"):
        request_create(
            actor=monitor,  # type: ignore[arg-type]
            school=dispatch.s.school_b,
            category="fight_assault",
            summary="Fight",
        )
    api = Client()
    api.force_login(monitor)
    response = api.post(
        "/api/requests",
        {"school_id": dispatch.s.school_b.pk, "category": "weapon", "summary": "Knife"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert SupportRequest.objects.count() == 0


def test_a_counselor_still_may_not_file(dispatch: DispatchScenario) -> None:
    with pytest.raises(PermissionDenied, match="security monitors"):
        request_create(
            actor=dispatch.s.users[Role.COUNSELOR],  # type: ignore[arg-type]
            school=dispatch.s.school_a,
            category="fight_assault",
            summary="Fight",
        )


# --- On-view calls -----------------------------------------------------------------------------


def test_an_officer_opens_an_on_view_call_at_a_bus_stop_and_clears_it(
    dispatch: DispatchScenario,
) -> None:
    officer = dispatch.officer_a
    client = Client()
    client.force_login(officer.user)
    response = client.post(
        "/api/requests/on-view",
        {
            **BUS_STOP,
            "location_description": "Bus stop, 5th and Oak",
            "category": "bus_stop_incident",
            "summary": "Students pushing near the curb",
            "client_key": "ov-1",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    request = SupportRequest.objects.get()
    assert (request.source, request.status, request.officer_id) == (
        Source.ON_VIEW,
        Status.ON_SCENE,
        officer.pk,
    )
    assert request.school is None
    assert (request.latitude, request.longitude) == (38.205, -85.695)
    assert request.zone == dispatch.s.zone_a  # the nearest school's zone
    assert request.response_seconds == 0.0
    assert OfficerStatus.objects.get(person=officer).open_request_count == 1
    assert list(request.events.values_list("from_status", "to_status")) == [
        ("", "new"),
        ("new", "on_scene"),
    ]
    assert AuditEntry.objects.filter(note="on-view", object_id=str(request.pk)).exists()
    # A retry with the same key is the same call.
    again = client.post(
        "/api/requests/on-view",
        {
            **BUS_STOP,
            "location_description": "Bus stop",
            "category": "traffic",
            "summary": "x",
            "client_key": "ov-1",
        },
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == request.pk
    # The ordinary lifecycle: cleared with a disposition, the officer freed.
    request_transition(
        request_id=request.pk,
        to_status="cleared",
        actor=officer.user,  # type: ignore[arg-type]
        disposition="resolved_on_scene",
    )
    request.refresh_from_db()
    assert request.status == Status.CLEARED
    assert OfficerStatus.objects.get(person=officer).open_request_count == 0
    assert StatusEvent.objects.filter(request=request).count() == 3


def test_an_on_view_call_may_name_a_school_and_needs_a_place_otherwise(
    dispatch: DispatchScenario,
) -> None:
    officer_user = dispatch.officer_b.user
    created = request_on_view(
        actor=officer_user,  # type: ignore[arg-type]
        school=dispatch.s.high_b,
        category="patrol_check",
        summary="Door propped open",
        **BUS_STOP,
    )
    assert created.request.school == dispatch.s.high_b
    assert created.request.zone == dispatch.s.zone_b
    request_transition(
        request_id=created.request.pk,
        to_status="cleared",
        actor=officer_user,  # type: ignore[arg-type]
        disposition="resolved_on_scene",
    )
    with pytest.raises(Exception, match="Describe the place"):
        request_on_view(
            actor=officer_user,  # type: ignore[arg-type]
            category="patrol_check",
            summary="Something",
            **BUS_STOP,
        )


def test_only_an_available_officer_opens_an_on_view_call(dispatch: DispatchScenario) -> None:
    with pytest.raises(PermissionDenied):
        request_on_view(
            actor=dispatch.sa,
            category="traffic",
            summary="Cars",
            location_description="Gate",
            **BUS_STOP,
        )
    first = dispatch.file(priority="p2")
    request_assign(request_id=first.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher)
    with pytest.raises(DispatchConflict, match="already on another request"):
        request_on_view(
            actor=dispatch.officer_a.user,  # type: ignore[arg-type]
            category="traffic",
            summary="Cars",
            location_description="Gate",
            **BUS_STOP,
        )
    assert SupportRequest.objects.filter(source=Source.ON_VIEW).count() == 0


def test_a_refused_on_view_text_is_filed_as_safety_with_a_reason(
    dispatch: DispatchScenario,
) -> None:
    """The on-view call goes through the same guard as every filing: refused, then filed with
    the officer's reason and the override recorded."""
    officer_user = dispatch.officer_b.user
    text = "Student skipped 3rd period and is sitting at the bus stop on his phone"
    with pytest.raises(DisciplineRefusal):
        request_on_view(
            actor=officer_user,  # type: ignore[arg-type]
            category="patrol_check",
            summary=text,
            location_description="Bus stop 14",
            **BUS_STOP,
        )
    assert not SupportRequest.objects.exists()
    created = request_on_view(
        actor=officer_user,  # type: ignore[arg-type]
        category="patrol_check",
        summary=text,
        location_description="Bus stop 14",
        safety_reason="He said he has a gun in his backpack",
        **BUS_STOP,
    )
    override = DisciplineOverride.objects.get()
    assert (override.target_model, str(override.target_id)) == (
        "dispatch.supportrequest",
        str(created.request.pk),
    )
