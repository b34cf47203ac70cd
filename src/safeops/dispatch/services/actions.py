"""One action class per status change (in the spirit of Wagtail's actions: check, execute, audit).

`Transition.execute` does what every change shares: the legality check against the action's
`from_states`, the authorisation, the request row update, the timeline row (`StatusEvent`),
the audit entry, the acknowledgement timer and the board event (`DispatchEvent`, published
after commit). A subclass states only its from-states, its checks and its effects. The caller
(`transitions._transition_locked`) holds the locks.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import Viewer
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.metrics import observe_assignment
from safeops.core.models import AuditAction
from safeops.dispatch.choices import (
    AWAITING_ACK,
    ENFORCEMENT_DISPOSITIONS,
    Disposition,
    EventKind,
    LapsedPolicy,
    Status,
    allowed_next,
)
from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.exceptions import (
    ILLEGAL_TRANSITION,
    LAPSED_EXCLUDED,
    LAPSED_NEEDS_REASON,
    DispatchConflict,
)
from safeops.dispatch.hooks import request_cleared
from safeops.dispatch.models import (
    ClearingDemographics,
    DispatchSettings,
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import eta_minutes, note_loads
from safeops.dispatch.serialize import request_payload
from safeops.dispatch.services.alerts import alerts_resolve_for_request
from safeops.dispatch.services.common import (
    DEMOGRAPHICS_NOT_ALLOWED,
    DEMOGRAPHICS_REQUIRED,
    DISPOSITION_ONLY_WHEN_CLEARING,
    DISPOSITION_REQUIRED,
    MAY_NOT_ASSIGN,
    MAY_NOT_CANCEL,
    MAY_NOT_REPORT,
    OFFICER_REQUIRED,
    REQUESTER_ROLES,
    UNKNOWN_OFFICER,
    Change,
    DemographicsInput,
    TransitionResult,
    actor_label,
    dispatch_settings_get,
    is_supervisor,
    viewer_of,
)
from safeops.dispatch.services.events import officer_payloads, record_event, request_groups
from safeops.dispatch.services.officer_load import check_available, hold, release
from safeops.dispatch.services.timers import schedule_escalation
from safeops.staff.choices import Role
from safeops.staff.models import Person

# What a transition may change on the request row (the UPDATE writes only these).
TRANSITION_FIELDS = (
    "status",
    "officer",
    "assigned_at",
    "acknowledged_at",
    "on_scene_at",
    "closed_at",
    "response_seconds",
    "eta_minutes",
    "eta_updated_at",
    "disposition",
    "updated_at",
)

_AWAITING = (Status.ASSIGNED, Status.REASSIGNED, Status.ESCALATED)


class Unknown(enum.Enum):
    """No hint: the service reads the request's current officer itself."""

    HOLDER = "unknown"


class Transition:
    """A change of a locked request to `target`; one instance per change."""

    target: ClassVar[Status]
    from_states: ClassVar[frozenset[Status]]

    def __init__(
        self,
        *,
        request: SupportRequest,
        locked: dict[int, OfficerStatus],
        change: Change,
    ) -> None:
        self.request = request
        self.locked = locked
        self.officer_id = change.officer_id
        self.actor: Actor = change.actor
        self.key = change.key
        self.disposition = change.disposition
        self.note = change.note
        self.demographics: DemographicsInput | None = change.demographics
        self.override_reason = change.override_reason.strip()
        self.overridden = ""  # the lapsed officer's flag, when one was sent with a reason
        self.changed: list[OfficerStatus] = []  # officer rows whose load changed

    # --- Checks ----------------------------------------------------------------------------

    def check_legal(self, current: Status) -> None:
        if current not in self.from_states:
            allowed = allowed_next(current)
            raise DispatchConflict(
                ILLEGAL_TRANSITION.format(
                    current=current.value,
                    target=self.target.value,
                    allowed=", ".join(allowed) or gettext("none (the request is closed)"),
                ),
                field="to_status",
                allowed=allowed,
            )

    def authorize(self) -> None:
        viewer = viewer_of(self.actor)
        if viewer is None:  # a system actor: the escalation timer, a command
            return
        if is_supervisor(viewer):
            if viewer.is_superuser or viewer.district_id == self.request.district_id:
                return
            raise PermissionDenied(MAY_NOT_ASSIGN)
        self.authorize_other(viewer)

    def authorize_other(self, viewer: Viewer) -> None:
        """A user who is not a supervisor of the request's district."""
        raise PermissionDenied(MAY_NOT_CANCEL)

    def clean_disposition(self) -> str:
        """The disposition stored on the request ("" unless clearing or cancelling)."""
        if self.disposition:
            raise ValidationError({"disposition": DISPOSITION_ONLY_WHEN_CLEARING})
        if self.demographics is not None:
            raise ValidationError({"demographics": DEMOGRAPHICS_NOT_ALLOWED})
        return ""

    # --- Effects ---------------------------------------------------------------------------

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        """Change the request (and the officer rows) for this status."""

    def after_save(self, now: dt.datetime) -> None:
        """Effects that need the saved request (its new status)."""

    def release_officer(self) -> None:
        request = self.request
        if request.officer_id is not None and request.officer_id in self.locked:
            release(self.locked[request.officer_id], request)
            self.changed.append(self.locked[request.officer_id])

    # --- The shared part -------------------------------------------------------------------

    def execute(self) -> TransitionResult:
        request = self.request
        current = Status(request.status)
        self.check_legal(current)
        self.authorize()
        settings = dispatch_settings_get(district_id=request.district_id)
        self.disposition = self.clean_disposition()
        now = timezone.now()
        before = snapshot(request)
        previous_officer = request.officer_id
        self.apply(settings, now)
        request.status = self.target
        # The place and the requester did not change and the officer was checked above: skip
        # the existence and constraint queries.
        request.full_clean(
            exclude=["district", "school", "zone", "requester", "officer"],
            validate_constraints=False,
        )
        request.save(update_fields=TRANSITION_FIELDS)
        event = self.record(current, now)
        self.after_save(now)
        note = f"status {current.value} → {self.target.value}"
        if self.overridden:
            note += f"; lapsed officer ({self.overridden}) sent: {self.override_reason}"
        audit_write(
            actor=self.actor,
            action=AuditAction.UPDATE,
            instance=request,
            before=before,
            note=note[:500],
        )
        schedule_escalation(request, event, settings, now, was_awaiting=current in AWAITING_ACK)
        record_event(
            district_id=request.district_id,
            kind=EventKind.REQUEST,
            request=request,
            officer_id=request.officer_id,
            payload={
                "request": request_payload(request),
                "officers": officer_payloads(self.changed),
            },
            groups=request_groups(request, request.officer_id, previous_officer),
            now=now,
        )
        if self.changed:
            district_id = request.district_id
            loads = {status.person_id: status.open_request_count for status in self.changed}
            transaction.on_commit(lambda: note_loads(district_id=district_id, loads=loads))
        return TransitionResult(request, event, replayed=False)

    def record(self, current: Status, now: dt.datetime) -> StatusEvent:
        """The timeline row (and the clearing demographics, if any)."""
        user, label = actor_label(self.actor)
        event = StatusEvent.objects.create(
            request=self.request,
            from_status=current,
            to_status=self.target,
            officer_id=self.request.officer_id,
            actor=user,
            actor_label=label[:150],
            at=now,
            idempotency_key=self.key,
            disposition=self.disposition if self.target == Status.CLEARED else "",
            note=self.note[:300],
            override_reason=self.override_reason[:300] if self.overridden else "",
        )
        if self.demographics is not None:
            record = ClearingDemographics(
                event=event,
                reason=self.demographics.reason.strip(),
                race_ethnicity=self.demographics.race_ethnicity,
                sex=self.demographics.sex,
                disability_status=self.demographics.disability_status,
                english_learner=self.demographics.english_learner,
            )
            record.full_clean()
            record.save()
        return event


class ToOfficer(Transition):
    """Give the request to an officer: checks duty and load under the officers' row locks."""

    def authorize_other(self, viewer: Viewer) -> None:
        raise PermissionDenied(MAY_NOT_ASSIGN)

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        request, locked, officer_id = self.request, self.locked, self.officer_id
        if officer_id is None:
            raise ValidationError({"officer_id": OFFICER_REQUIRED})
        person = (
            locked[officer_id].person
            if officer_id in locked
            else Person.objects.filter(pk=officer_id).first()
        )
        if person is None or person.role != Role.SSO or person.district_id != request.district_id:
            raise ValidationError({"officer_id": UNKNOWN_OFFICER})
        if officer_id != request.officer_id:
            self.check_standing(person, settings)
            status = check_available(locked.get(officer_id), settings, person.full_name)
            self.release_officer()
            hold(status, request)
            self.changed.append(status)
        officer_status = locked.get(officer_id)
        request.officer = person
        if request.assigned_at is None:  # the first assignment: creation → assignment time
            waited = (now - request.created_at).total_seconds()
            transaction.on_commit(lambda: observe_assignment(seconds=waited))
        request.assigned_at = now
        request.acknowledged_at = None
        if officer_status is not None and officer_status.latitude is not None:
            request.eta_minutes = eta_minutes(
                from_lat=officer_status.latitude,
                from_lon=officer_status.longitude,  # type: ignore[arg-type]
                to_lat=request.latitude,
                to_lon=request.longitude,
            )
        else:
            request.eta_minutes = None
        request.eta_updated_at = now

    def check_standing(self, person: Person, settings: DispatchSettings) -> None:
        """A lapsed officer: refused (exclude), or sent with a recorded reason (allow)."""
        lapsed = lapsed_reasons(district_id=self.request.district_id).get(person.pk, "")
        if not lapsed:
            return
        if settings.lapsed_policy != LapsedPolicy.ALLOW_WITH_REASON:
            raise DispatchConflict(
                LAPSED_EXCLUDED.format(officer=person.full_name, lapsed=lapsed),
                field="officer_id",
            )
        if not self.override_reason:
            raise ValidationError(
                {
                    "override_reason": LAPSED_NEEDS_REASON.format(
                        officer=person.full_name, lapsed=lapsed
                    )
                }
            )
        self.overridden = lapsed


class Assign(ToOfficer):
    target = Status.ASSIGNED
    from_states = frozenset({Status.NEW})


class Reassign(ToOfficer):
    target = Status.REASSIGNED
    from_states = frozenset({*_AWAITING, Status.ACKNOWLEDGED, Status.EN_ROUTE, Status.ON_SCENE})


class Escalate(ToOfficer):
    """Offered on by the acknowledgement timer (or a dispatcher)."""

    target = Status.ESCALATED
    from_states = frozenset(_AWAITING)


class OfficerReport(Transition):
    """A status the assigned officer (or a dispatcher on their behalf) reports."""

    def authorize_other(self, viewer: Viewer) -> None:
        if viewer.person_id is not None and viewer.person_id == self.request.officer_id:
            return
        raise PermissionDenied(MAY_NOT_REPORT)


class Acknowledge(OfficerReport):
    target = Status.ACKNOWLEDGED
    from_states = frozenset(_AWAITING)

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        self.request.acknowledged_at = now


class SetOff(OfficerReport):
    target = Status.EN_ROUTE
    from_states = frozenset({*_AWAITING, Status.ACKNOWLEDGED})

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        self.request.acknowledged_at = self.request.acknowledged_at or now


class Arrive(OfficerReport):
    target = Status.ON_SCENE
    from_states = frozenset({*_AWAITING, Status.ACKNOWLEDGED, Status.EN_ROUTE})

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        request = self.request
        request.acknowledged_at = request.acknowledged_at or now
        request.on_scene_at = now
        request.response_seconds = (now - request.created_at).total_seconds()
        request.eta_minutes = 0.0


class Closing(Transition):
    """Close the request and free its officer; its open board alerts resolve."""

    def apply(self, settings: DispatchSettings, now: dt.datetime) -> None:
        self.release_officer()
        self.request.closed_at = now
        self.request.disposition = self.disposition
        self.request.eta_minutes = None

    def after_save(self, now: dt.datetime) -> None:
        alerts_resolve_for_request(request=self.request, actor=self.actor, now=now)


class Clear(Closing, OfficerReport):
    """Needs a disposition; an enforcement one also the reason and the demographics."""

    target = Status.CLEARED
    from_states = frozenset({Status.ON_SCENE})

    def execute(self) -> TransitionResult:
        officer_id = self.request.officer_id
        result = super().execute()
        request_cleared.send(
            sender=type(self), request=self.request, officer_id=officer_id, at=timezone.now()
        )
        return result

    def clean_disposition(self) -> str:
        disposition, demographics = self.disposition, self.demographics
        if not disposition:
            raise ValidationError({"disposition": DISPOSITION_REQUIRED})
        if disposition not in Disposition.values:
            raise ValidationError(
                {
                    "disposition": gettext("Unknown disposition; use one of %(choices)s.")
                    % {"choices": ", ".join(Disposition.values)}
                }
            )
        enforcement = disposition in ENFORCEMENT_DISPOSITIONS
        if enforcement and (demographics is None or not demographics.reason.strip()):
            label = Disposition(disposition).label.lower()
            raise ValidationError({"demographics": DEMOGRAPHICS_REQUIRED.format(disposition=label)})
        if not enforcement and demographics is not None:
            raise ValidationError({"demographics": DEMOGRAPHICS_NOT_ALLOWED})
        return disposition


class Cancel(Closing):
    """The requesting school (or whoever filed it) or a dispatcher calls the request off."""

    target = Status.CANCELLED
    from_states = frozenset({Status.NEW, *_AWAITING, Status.ACKNOWLEDGED, Status.EN_ROUTE})

    def authorize_other(self, viewer: Viewer) -> None:
        request = self.request
        if viewer.role in REQUESTER_ROLES:
            own_school = request.school_id is not None and request.school_id in viewer.school_ids
            if own_school or request.requester_id == getattr(self.actor, "pk", None):
                return
        raise PermissionDenied(MAY_NOT_CANCEL)

    def clean_disposition(self) -> str:
        if self.demographics is not None:
            raise ValidationError({"demographics": DEMOGRAPHICS_NOT_ALLOWED})
        return Disposition.CANCELLED.value


ACTIONS: dict[Status, type[Transition]] = {
    action.target: action
    for action in (Assign, Reassign, Escalate, Acknowledge, SetOff, Arrive, Clear, Cancel)
}


def transition_table() -> dict[Status, frozenset[Status]]:
    """The lifecycle the action classes form: each status and the statuses it may move to."""
    return {
        status: frozenset(t for t, action in ACTIONS.items() if status in action.from_states)
        for status in Status
    }


def apply_transition(
    *,
    request: SupportRequest,
    locked: dict[int, OfficerStatus],
    change: Change,
) -> TransitionResult:
    """Run the action for `change.to_status` (None: assign, or reassign if the request had left
    new)."""
    current = Status(request.status)
    target = change.to_status or (Status.ASSIGNED if current == Status.NEW else Status.REASSIGNED)
    return ACTIONS[target](request=request, locked=locked, change=change).execute()
