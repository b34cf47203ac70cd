"""Writes for live SSO response: requests, assignment, the status lifecycle, duty, position.

Every change runs in one transaction that also writes the timeline row (`StatusEvent`), the
board event (`DispatchEvent`, whose id is the live sequence number), the audit entry and the
escalation timer (a `core.Job`, so it survives a restart). Live updates go out after commit.

Locks: a change that touches officers locks their `OfficerStatus` rows first (in person id
order), then the request row. On PostgreSQL these are row locks; SQLite runs IMMEDIATE
transactions (settings), so writers serialise and the same checks hold.

The modules: `common` (messages, results, settings), `events` (board events), `places` (school
places), `requests` (filing), `transitions` (idempotency, locks), `actions` (one class per
status change), `officer_load` (an officer's open requests), `onview` and `intake` (calls that
open on scene or from an alarm), `alerts` (board alerts), `timers` and `escalation` (the
acknowledgement timer), `officers` (duty, position). This package re-exports the names callers use.
"""

from safeops.dispatch.services.actions import TRANSITION_FIELDS, Unknown
from safeops.dispatch.services.alerts import (
    alert_acknowledge,
    alert_raise,
    alert_resolve,
    alerts_resolve_for_request,
)
from safeops.dispatch.services.common import (
    DEMOGRAPHICS_REQUIRED,
    DISPOSITION_REQUIRED,
    ESCALATE_JOB,
    ESCALATION_ACTOR,
    MAY_NOT_ASSIGN,
    MAY_NOT_REPORT,
    REQUESTER_ROLES,
    SUPERVISOR_ROLES,
    DemographicsInput,
    RequestCreated,
    TransitionResult,
    dispatch_settings_forget,
    dispatch_settings_get,
)
from safeops.dispatch.services.escalation import district_alert, request_escalate
from safeops.dispatch.services.events import officer_zone_names
from safeops.dispatch.services.officers import officer_duty_set, officer_position_update
from safeops.dispatch.services.onview import request_on_view
from safeops.dispatch.services.places import forget_school_places, school_place
from safeops.dispatch.services.requests import may_file_for, request_candidates, request_create
from safeops.dispatch.services.transitions import request_assign, request_transition

__all__ = [
    "DEMOGRAPHICS_REQUIRED",
    "DISPOSITION_REQUIRED",
    "ESCALATE_JOB",
    "ESCALATION_ACTOR",
    "MAY_NOT_ASSIGN",
    "MAY_NOT_REPORT",
    "REQUESTER_ROLES",
    "SUPERVISOR_ROLES",
    "TRANSITION_FIELDS",
    "DemographicsInput",
    "RequestCreated",
    "TransitionResult",
    "Unknown",
    "alert_acknowledge",
    "alert_raise",
    "alert_resolve",
    "alerts_resolve_for_request",
    "dispatch_settings_forget",
    "dispatch_settings_get",
    "district_alert",
    "forget_school_places",
    "may_file_for",
    "officer_duty_set",
    "officer_position_update",
    "officer_zone_names",
    "request_assign",
    "request_candidates",
    "request_create",
    "request_escalate",
    "request_on_view",
    "request_transition",
    "school_place",
]
