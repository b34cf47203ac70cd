"""Requests: creation, recommendation, assignment, the lifecycle, idempotency, clearing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.dispatch.choices import TRANSITIONS, Status
from safeops.dispatch.exceptions import (
    ILLEGAL_TRANSITION,
    OFFICER_NOT_AVAILABLE,
    REASON_BUSY,
    DispatchConflict,
)
from safeops.dispatch.models import (
    DispatchEvent,
    DispatchSettings,
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import forget_officers
from safeops.dispatch.selectors import discipline_returns_for_reports
from safeops.dispatch.services import (
    DEMOGRAPHICS_REQUIRED,
    DISPOSITION_REQUIRED,
    MAY_NOT_ASSIGN,
    MAY_NOT_REPORT,
    DemographicsInput,
    officer_position_update,
    request_assign,
    request_create,
    request_transition,
)
from safeops.dispatch.services.common import DEMOGRAPHICS_NOT_ALLOWED
from safeops.reports.selectors import RETURNED_BY_OFFICER, Places, refusal_facts
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

DEMOGRAPHICS = DemographicsInput(
    reason="Assault on staff; victim asked for charges",
    race_ethnicity="white",
    sex="male",
    disability_status="none",
    english_learner="no",
)


def _walk(d: DispatchScenario, request_id: int, *statuses: str) -> None:
    for n, status in enumerate(statuses):
        request_transition(
            request_id=request_id,
            to_status=status,
            actor=d.officer_a.user,  # type: ignore[arg-type]
            idempotency_key=f"walk-{request_id}-{n}",
            disposition="resolved_on_scene" if status == "cleared" else "",
        )


def test_a_new_request_is_recorded_with_its_timeline_and_board_event(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    assert request.status == Status.NEW
    assert request.zone_id == dispatch.s.zone_a.pk
    assert (request.latitude, request.longitude) == (
        dispatch.s.school_a.latitude,
        dispatch.s.school_a.longitude,
    )
    assert list(request.events.values_list("to_status", flat=True)) == ["new"]
    assert DispatchEvent.objects.filter(request=request).count() == 1
    assert AuditEntry.objects.filter(model="dispatch.supportrequest", action="create").exists()


def test_the_zone_officer_is_recommended_within_the_margin(dispatch: DispatchScenario) -> None:
    created = request_create(
        actor=dispatch.sa,
        school=dispatch.s.school_a,
        category="weapon",
        summary="Student reports a gun in a backpack",
    )
    ranked = [c.officer_id for c in created.candidates]
    assert ranked[0] == dispatch.officer_a.pk
    assert created.candidates[0].own_zone
    assert created.request.priority == "p1"  # the category's default


def test_a_much_nearer_officer_beats_the_zone_officer(dispatch: DispatchScenario) -> None:
    officer_position_update(
        officer=dispatch.officer_b,
        latitude=dispatch.s.school_a.latitude,
        longitude=dispatch.s.school_a.longitude,
        actor="system:test",
    )
    officer_position_update(
        officer=dispatch.officer_a,
        latitude=dispatch.s.school_a.latitude + 0.3,  # ~33 km away
        longitude=dispatch.s.school_a.longitude,
        actor="system:test",
    )
    forget_officers()
    created = request_create(
        actor=dispatch.sa, school=dispatch.s.school_a, category="weapon", summary="Gun seen"
    )
    assert [c.officer_id for c in created.candidates] == [
        dispatch.officer_b.pk,
        dispatch.officer_a.pk,
    ]


def test_the_full_lifecycle_records_each_step_and_frees_the_officer(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    _walk(dispatch, request.pk, "acknowledged", "en_route", "on_scene", "cleared")
    request.refresh_from_db()
    assert request.status == Status.CLEARED
    assert request.disposition == "resolved_on_scene"
    assert request.response_seconds is not None and request.response_seconds >= 0
    assert list(request.events.values_list("to_status", flat=True)) == [
        "new",
        "assigned",
        "acknowledged",
        "en_route",
        "on_scene",
        "cleared",
    ]
    status = OfficerStatus.objects.get(person=dispatch.officer_a)
    assert status.open_request_count == 0
    assert status.current_request_id is None


def test_a_busy_officer_cannot_be_assigned_a_second_request(dispatch: DispatchScenario) -> None:
    first, second = dispatch.file(), dispatch.file(summary="Another fight")
    request_assign(request_id=first.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher)
    with pytest.raises(DispatchConflict) as error:
        request_assign(
            request_id=second.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    assert error.value.field == "officer_id"
    assert error.value.message == OFFICER_NOT_AVAILABLE.format(
        officer=dispatch.officer_a.full_name, reason=REASON_BUSY
    )


def test_stacking_allowed_by_the_district_lets_an_officer_hold_several(
    dispatch: DispatchScenario,
) -> None:
    DispatchSettings.objects.create(
        district=dispatch.s.district, allow_stacking=True, max_stacked=2
    )
    requests = [dispatch.file(summary=f"Fight {i}") for i in range(3)]
    for request in requests[:2]:
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    with pytest.raises(DispatchConflict):
        request_assign(
            request_id=requests[2].pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
    assert OfficerStatus.objects.get(person=dispatch.officer_a).open_request_count == 2


def test_a_retried_transition_with_the_same_key_is_applied_once(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    results = [
        request_transition(
            request_id=request.pk,
            to_status="acknowledged",
            actor=dispatch.officer_a.user,  # type: ignore[arg-type]
            idempotency_key="phone-key-1",
        )
        for _ in range(3)
    ]
    assert [r.replayed for r in results] == [False, True, True]
    assert len({r.event.pk for r in results}) == 1
    assert StatusEvent.objects.filter(request=request, to_status="acknowledged").count() == 1


def test_a_retry_the_server_would_now_refuse_still_gets_its_first_result(
    dispatch: DispatchScenario,
) -> None:
    """The phone acknowledged offline; the dispatcher reassigned meanwhile; the retry arrives."""
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    first = request_transition(
        request_id=request.pk,
        to_status="acknowledged",
        actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        idempotency_key="phone-ack",
    )
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_b.pk, actor=dispatch.dispatcher
    )
    retry = request_transition(
        request_id=request.pk,
        to_status="acknowledged",
        actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        idempotency_key="phone-ack",
    )
    assert retry.replayed and retry.event.pk == first.event.pk
    with pytest.raises(PermissionDenied):  # without the key it is refused: no longer theirs
        request_transition(
            request_id=request.pk,
            to_status="en_route",
            actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        )


def test_a_retried_assignment_the_lifecycle_would_allow_again_is_applied_once(
    dispatch: DispatchScenario,
) -> None:
    """assigned → reassigned (same officer) is legal: the stored key stops the second write."""
    request = dispatch.file()
    results = [
        request_assign(
            request_id=request.pk,
            officer_id=dispatch.officer_a.pk,
            actor=dispatch.dispatcher,
            idempotency_key="assign-1",
        )
        for _ in range(2)
    ]
    assert [r.replayed for r in results] == [False, True]
    assert StatusEvent.objects.filter(request=request).exclude(to_status="new").count() == 1
    assert OfficerStatus.objects.get(person=dispatch.officer_a).open_request_count == 1


def test_a_key_reused_for_another_change_is_a_conflict(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk,
        officer_id=dispatch.officer_a.pk,
        actor=dispatch.dispatcher,
        idempotency_key="k",
    )
    with pytest.raises(DispatchConflict) as error:
        request_assign(  # legal (a reassignment), so only the database's key index catches it
            request_id=request.pk,
            officer_id=dispatch.officer_b.pk,
            actor=dispatch.dispatcher,
            idempotency_key="k",
        )
    assert error.value.field == "idempotency_key"
    assert OfficerStatus.objects.get(person=dispatch.officer_b).open_request_count == 0


def test_an_illegal_transition_names_the_allowed_next_states(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    with pytest.raises(DispatchConflict) as error:
        request_transition(
            request_id=request.pk,
            to_status="on_scene",
            actor=dispatch.dispatcher,
            idempotency_key="k1",
        )
    assert error.value.allowed == ["assigned", "cancelled"]
    assert error.value.message == ILLEGAL_TRANSITION.format(
        current="new", target="on_scene", allowed="assigned, cancelled"
    )


def test_clearing_needs_a_disposition(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    _walk(dispatch, request.pk, "on_scene")
    with pytest.raises(ValidationError) as error:
        request_transition(
            request_id=request.pk,
            to_status="cleared",
            actor=dispatch.dispatcher,
            idempotency_key="c",
        )
    assert error.value.message_dict == {"disposition": [DISPOSITION_REQUIRED]}


def test_a_call_found_to_be_discipline_is_cleared_back_to_administration(
    dispatch: DispatchScenario,
) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    _walk(dispatch, request.pk, "on_scene")
    with pytest.raises(ValidationError) as error:
        request_transition(
            request_id=request.pk,
            to_status="cleared",
            disposition="discipline",
            demographics=DEMOGRAPHICS,
            actor=dispatch.officer_a.user,  # type: ignore[arg-type]
            idempotency_key="d0",
        )
    assert error.value.message_dict == {"demographics": [DEMOGRAPHICS_NOT_ALLOWED]}
    result = request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition="discipline",
        actor=dispatch.officer_a.user,  # type: ignore[arg-type]
        idempotency_key="d1",
    )
    assert (result.request.status, result.request.disposition) == ("cleared", "discipline")
    closed_at = result.request.closed_at
    assert closed_at is not None
    returned = discipline_returns_for_reports(
        district_id=request.district_id,
        start=closed_at - dt.timedelta(minutes=1),
        end=closed_at + dt.timedelta(minutes=1),
    )
    assert returned == [(request.school_id, closed_at)]
    # Cleared another way, a call is not counted.
    other = dispatch.file()
    request_assign(request_id=other.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher)
    _walk(dispatch, other.pk, "on_scene", "cleared")
    later = discipline_returns_for_reports(
        district_id=request.district_id,
        start=closed_at - dt.timedelta(minutes=1),
        end=closed_at + dt.timedelta(hours=1),
    )
    assert later == returned
    # The board's "discipline matters sent back" measure counts it, by its own source.
    today = timezone.localdate()
    facts = refusal_facts(
        district_id=request.district_id,
        start=today,
        end=today + dt.timedelta(days=1),
        places=Places(district_id=request.district_id),
    )
    assert [(f.school, f.cells) for f in facts] == [
        (str(request.school_id), (("source", RETURNED_BY_OFFICER),))
    ]


def test_an_arrest_needs_a_reason_and_the_demographic_fields(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    _walk(dispatch, request.pk, "on_scene")
    with pytest.raises(ValidationError) as error:
        request_transition(
            request_id=request.pk,
            to_status="cleared",
            disposition="arrest",
            actor=dispatch.dispatcher,
            idempotency_key="c1",
        )
    assert error.value.message_dict == {
        "demographics": [DEMOGRAPHICS_REQUIRED.format(disposition="arrest")]
    }
    result = request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition="arrest",
        demographics=DEMOGRAPHICS,
        actor=dispatch.dispatcher,
        idempotency_key="c2",
    )
    assert result.event.demographics.race_ethnicity == "white"


def test_only_dispatchers_assign_and_only_the_officer_reports(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    with pytest.raises(PermissionDenied, match=str(MAY_NOT_ASSIGN)):
        request_assign(request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.sa)
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    with pytest.raises(PermissionDenied, match=str(MAY_NOT_REPORT)):
        request_transition(
            request_id=request.pk,
            to_status="acknowledged",
            actor=dispatch.officer_b.user,  # type: ignore[arg-type]
            idempotency_key="x",
        )


def test_every_status_has_a_row_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert TRANSITIONS[Status.CLEARED] == frozenset()
    assert TRANSITIONS[Status.CANCELLED] == frozenset()


def test_a_stale_holder_hint_costs_a_retry_not_a_wrong_result(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    a, b = dispatch.officer_a.pk, dispatch.officer_b.pk
    request_assign(request_id=request.pk, officer_id=a, actor=dispatch.dispatcher)
    # The caller read the request before A was assigned: its hint says nobody holds it.
    result = request_assign(
        request_id=request.pk, officer_id=b, actor=dispatch.dispatcher, holder_hint=None
    )
    assert (result.request.status, result.request.officer_id) == (Status.REASSIGNED, b)
    loads = dict(OfficerStatus.objects.values_list("person_id", "open_request_count"))
    assert (loads[a], loads[b]) == (0, 1)


def test_a_correct_holder_hint_saves_the_peek(dispatch: DispatchScenario) -> None:
    first, second = dispatch.file(), dispatch.file(summary="Another fight by the gym")
    table = SupportRequest._meta.db_table

    def request_reads(request_id: int, officer_id: int, **hint: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            request_assign(
                request_id=request_id, officer_id=officer_id, actor=dispatch.dispatcher, **hint
            )
        return sum(1 for q in queries if q["sql"].startswith("SELECT") and table in q["sql"])

    without = request_reads(first.pk, dispatch.officer_a.pk)
    with_hint = request_reads(second.pk, dispatch.officer_b.pk, holder_hint=None)
    assert with_hint == without - 1
