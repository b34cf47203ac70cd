"""Writes for live SSO response: requests, assignment, the status lifecycle, duty, position.

Every change runs in one transaction that also writes the timeline row (`StatusEvent`), the
board event (`DispatchEvent`, whose id is the live sequence number), the audit entry and the
escalation timer (a `core.Job`, so it survives a restart). Live updates go out after commit.

Locks: a change that touches officers locks their `OfficerStatus` rows first (in person id
order), then the request row. On PostgreSQL these are row locks; SQLite runs IMMEDIATE
transactions (settings), so writers serialise and the same checks hold.
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeops.access import Viewer, current_filter, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.caches import TimedCache
from safeops.core.discipline import (
    DisciplineRefusal,
    discipline_check,
    discipline_refusal_record,
)
from safeops.core.jobs import job_cancel, job_enqueue
from safeops.core.metrics import observe_assignment
from safeops.core.models import AuditAction
from safeops.dispatch import live
from safeops.dispatch.choices import (
    AWAITING_ACK,
    CLOSED,
    DEFAULT_PRIORITY,
    ENFORCEMENT_DISPOSITIONS,
    HELD,
    OFFICER_STATUSES,
    TO_OFFICER,
    TRANSITIONS,
    Category,
    Disposition,
    EventKind,
    Priority,
    Status,
    allowed_next,
)
from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.exceptions import (
    GO_OFF_DUTY_WITH_REQUESTS,
    ILLEGAL_TRANSITION,
    KEY_REUSED,
    NOT_AN_OFFICER,
    OFFICER_NOT_AVAILABLE,
    POSITION_OFF_DUTY,
    REASON_BUSY,
    REASON_OFF_DUTY,
    REASON_STACK_FULL,
    REQUEST_CHANGED,
    DispatchConflict,
)
from safeops.dispatch.models import (
    ClearingDemographics,
    DispatchEvent,
    DispatchSettings,
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    Candidate,
    assignment_in_flight,
    assignments_in_flight,
    eta_minutes,
    forget_officers,
    note_loads,
    note_position,
    officer_snapshot,
    rank_officers,
)
from safeops.dispatch.serialize import officer_payload, request_payload
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.zones.models import Zone, ZoneMembership

ESCALATE_JOB = "dispatch.escalate"
ESCALATION_ACTOR = "system:escalation"
SUPERVISOR_ROLES = frozenset({Role.SECURITY_CHIEF, Role.DISPATCHER})
REQUESTER_ROLES = frozenset({Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL})

MAY_NOT_REQUEST = (
    "Only Safety Administrators, principals, dispatchers and the security chief file support "
    "requests."
)
SCHOOL_NOT_YOURS = "You may file support requests only for your own schools."
NEED_A_PLACE = "Pick a school, or give the point (latitude and longitude) and describe it."
POINT_NEEDS_BOTH = "Give both latitude and longitude."
UNKNOWN_CATEGORY = "Choose one of the categories: {choices}."
UNKNOWN_PRIORITY = "Choose P1, P2 or P3."
MAY_NOT_ASSIGN = "Only dispatchers and the security chief assign officers."
MAY_NOT_REPORT = "Only the assigned officer or a dispatcher reports this status."
MAY_NOT_CANCEL = "Only the requesting school or a dispatcher may cancel a request."
MAY_NOT_CHANGE_OFFICER = "You may change only your own duty and position."
OFFICER_REQUIRED = "Choose the officer."
UNKNOWN_OFFICER = "No such School Safety Officer in this district."
DISPOSITION_REQUIRED = "Choose a disposition to clear the request."
DISPOSITION_ONLY_WHEN_CLEARING = "A disposition is given only when clearing."
DEMOGRAPHICS_REQUIRED = (
    "A {disposition} needs a reason and the student's race/ethnicity, sex, disability status "
    "and English-learner status."
)
DEMOGRAPHICS_NOT_ALLOWED = (
    "Demographic fields are recorded only for citation, arrest or use of force."
)
ESCALATION_ALERT = (
    "{priority} #{request} at {place} was not acknowledged by {officer} within {seconds} s; "
    "offered to {next_officer}."
)
NO_OFFICER_ALERT = (
    "{priority} #{request} at {place} was not acknowledged by {officer} within {seconds} s and "
    "no other officer is available."
)


@dataclass(frozen=True)
class DemographicsInput:
    reason: str
    race_ethnicity: str
    sex: str
    disability_status: str
    english_learner: str


@dataclass(frozen=True)
class RequestCreated:
    request: SupportRequest
    candidates: list[Candidate]
    replayed: bool
    recommend_seconds: float = 0.0  # time spent ranking officers (Server-Timing)


@dataclass(frozen=True)
class TransitionResult:
    request: SupportRequest
    event: StatusEvent
    replayed: bool


_settings_cache: TimedCache[int, DispatchSettings] = TimedCache(
    seconds=lambda: float(django_settings.PROCESS_CACHE_SECONDS)
)


def dispatch_settings_get(*, district_id: int) -> DispatchSettings:
    """The district's settings row, or an unsaved row with the defaults. Read on every request,
    so cached briefly (core.caches); saving or deleting the row drops it. Treat it as read-only."""

    def load() -> DispatchSettings:
        found = DispatchSettings.objects.filter(district_id=district_id).first()
        return found if found is not None else DispatchSettings(district_id=district_id)

    return _settings_cache.get(district_id, load)


def dispatch_settings_forget(*, district_id: int) -> None:
    _settings_cache.forget(district_id)


def _actor_label(actor: Actor) -> tuple[User | None, str]:
    if isinstance(actor, str):
        return None, actor
    if not isinstance(actor, User) or not actor.is_authenticated:
        return None, "anonymous"
    return actor, actor.get_username()


def _viewer(actor: Actor) -> Viewer | None:
    return None if isinstance(actor, str) else viewer_for(actor)


def _is_supervisor(viewer: Viewer) -> bool:
    return viewer.is_superuser or viewer.role in SUPERVISOR_ROLES


# --- Live events -------------------------------------------------------------------------------


def officer_zone_names(person_ids: list[int]) -> dict[int, str]:
    rows = Assignment.objects.filter(
        current_filter(timezone.localdate()), person_id__in=person_ids, zone__isnull=False
    ).values_list("person_id", "zone__name")
    return dict(rows)


def _officer_payloads(statuses: list[OfficerStatus]) -> list[dict[str, Any]]:
    """Live-event payloads of officers on duty in one district (zone names from the snapshot;
    an officer not in it, e.g. going off duty, by query)."""
    if not statuses:
        return []
    snapshot = officer_snapshot(statuses[0].district_id)
    zones = dict(zip(snapshot.person_ids.tolist(), snapshot.zone_names, strict=True))
    missing = [s.person_id for s in statuses if s.person_id not in zones]
    if missing:
        zones.update(officer_zone_names(missing))
    return [officer_payload(s, zone_name=zones.get(s.person_id, "")) for s in statuses]


def _record_event(
    *,
    district_id: int,
    kind: EventKind,
    request: SupportRequest | None,
    officer_id: int | None,
    payload: dict[str, Any],
    groups: list[str],
    now: dt.datetime,
) -> DispatchEvent:
    """Store the board event and publish it after commit (with its sequence number)."""
    event = DispatchEvent.objects.create(
        district_id=district_id,
        kind=kind,
        request=request,
        officer_id=officer_id,
        at=now,
        payload=payload,
    )
    message = {"seq": event.pk, "kind": kind.value, "at": now.isoformat(), **payload}
    transaction.on_commit(lambda: live.publish(groups=groups, event=message))
    return event


def _request_groups(request: SupportRequest, *officer_ids: int | None) -> list[str]:
    groups = [live.board_group(request.district_id), live.request_group(request.pk)]
    groups += [live.officer_group(pid) for pid in sorted({o for o in officer_ids if o})]
    return groups


# --- Requests ----------------------------------------------------------------------------------


# Every school's place and zone, read by every request filed and every change to one. Loaded
# for all schools at once (a surge of first calls from a thousand schools costs one load, not a
# thousand), kept for PROCESS_CACHE_SECONDS (then reloaded behind the callers, who keep the
# previous one meanwhile), dropped in this process when a school, a zone or a zone membership is
# saved or deleted. The instances are shared: treat them as read-only.
_school_places: TimedCache[dt.date, dict[int, tuple[School, Zone | None]]] = TimedCache(
    seconds=lambda: float(django_settings.PROCESS_CACHE_SECONDS),
    refresh_in_background=lambda: bool(django_settings.BACKGROUND_REFRESH),
)


def _load_school_places(
    on: dt.date, *, school_ids: list[int] | None = None
) -> dict[int, tuple[School, Zone | None]]:
    """Every school (or those of `school_ids`) with the zone of its latest current membership."""
    schools = (
        School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
    )
    places: dict[int, tuple[School, Zone | None]] = {s.pk: (s, None) for s in schools}
    memberships = ZoneMembership.objects.filter(current_filter(on)).order_by("-starts_on")
    if school_ids is not None:
        memberships = memberships.filter(school_id__in=school_ids)
    latest: dict[int, int] = {}
    for school_id, zone_id in memberships.values_list("school_id", "zone_id"):
        latest.setdefault(school_id, zone_id)
    zones = Zone.objects.in_bulk(set(latest.values()))
    for school_id, zone_id in latest.items():
        if school_id in places:
            places[school_id] = (places[school_id][0], zones.get(zone_id))
    return places


def school_place(*, school_id: int) -> tuple[School, Zone | None] | None:
    """The school and the zone serving it today (None: no such school)."""
    today = timezone.localdate()
    place = _school_places.get(today, lambda: _load_school_places(today)).get(school_id)
    if place is None:  # added since the load (by another process), or no such school
        place = _load_school_places(today, school_ids=[school_id]).get(school_id)
    return place


def forget_school_places(**_kwargs: Any) -> None:
    """Signal receiver: a school, a zone or a zone membership changed."""
    _school_places.clear()


def _zone_of_school(school: School) -> Zone | None:
    place = school_place(school_id=school.pk)
    return place[1] if place is not None else None


def _nearest_school(*, district_id: int, latitude: float, longitude: float) -> School | None:
    import numpy as np

    from planning.travel import great_circle_km

    schools = list(School.objects.filter(district_id=district_id, active=True))
    if not schools:
        return None
    km = great_circle_km(
        np.array([latitude]),
        np.array([longitude]),
        np.array([s.latitude for s in schools]),
        np.array([s.longitude for s in schools]),
    )
    return schools[int(np.argmin(km))]


def may_file_for(viewer: Viewer, school: School) -> bool:
    """A supervisor files for any school of their district; an SA or a principal for theirs."""
    if _is_supervisor(viewer):
        return viewer.is_superuser or school.district_id == viewer.district_id
    return viewer.role in REQUESTER_ROLES and school.pk in viewer.school_ids


def _check_requester(viewer: Viewer, school: School | None) -> int:
    """The district the request belongs to; PermissionDenied if the user may not file it."""
    if not (_is_supervisor(viewer) or viewer.role in REQUESTER_ROLES):
        raise PermissionDenied(MAY_NOT_REQUEST)
    if school is not None and not may_file_for(viewer, school):
        raise PermissionDenied(SCHOOL_NOT_YOURS)
    if _is_supervisor(viewer):
        district_id = school.district_id if school is not None else viewer.district_id
    elif viewer.role in REQUESTER_ROLES:
        district_id = viewer.district_id
    else:
        raise PermissionDenied(MAY_NOT_REQUEST)
    if district_id is None:
        raise PermissionDenied(MAY_NOT_REQUEST)
    return district_id


def request_create(
    *,
    actor: User,
    category: str,
    summary: str,
    priority: str = "",
    school: School | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    location_description: str = "",
    client_key: str = "",
) -> RequestCreated:
    """File a support request and rank the officers for it.

    A discipline matter is refused (DisciplineRefusal) and counted. A retried create with the
    same `client_key` returns the first request (`replayed`).
    """
    viewer = viewer_for(actor)
    district_id = _check_requester(viewer, school)
    try:
        discipline_check(category=category, text=f"{summary} {location_description}")
    except DisciplineRefusal:
        discipline_refusal_record(source="dispatch", school=school, district_id=district_id)
        raise
    if category not in Category.values:
        raise ValidationError(
            {"category": UNKNOWN_CATEGORY.format(choices=", ".join(Category.values))}
        )
    if not priority:
        priority = DEFAULT_PRIORITY[Category(category)].value
    if priority not in Priority.values:
        raise ValidationError({"priority": UNKNOWN_PRIORITY})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": POINT_NEEDS_BOTH})
    if school is None and (latitude is None or not location_description.strip()):
        raise ValidationError({"school_id": NEED_A_PLACE})
    zone_school = school
    if zone_school is None and latitude is not None and longitude is not None:
        zone_school = _nearest_school(
            district_id=district_id, latitude=latitude, longitude=longitude
        )
    request = SupportRequest(
        district_id=district_id,
        school=school,
        zone=_zone_of_school(zone_school) if zone_school is not None else None,
        latitude=latitude if latitude is not None else school.latitude,  # type: ignore[union-attr]
        longitude=longitude if longitude is not None else school.longitude,  # type: ignore[union-attr]
        location_description=location_description.strip(),
        requester=actor,
        requester_label=actor.get_username(),
        category=category,
        priority=priority,
        summary=summary.strip(),
        client_key=client_key,
    )
    # The related rows come from this service (no existence queries). A retried create (same
    # client key) is found by the database's unique constraint: the IntegrityError below.
    request.full_clean(
        exclude=["district", "school", "zone", "requester", "officer"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            _create_locked(request, actor)
    except IntegrityError:
        existing = SupportRequest.objects.filter(requester=actor, client_key=client_key).first()
        if not client_key or existing is None:
            raise
        return RequestCreated(existing, request_candidates(request=existing), replayed=True)
    started = time.perf_counter()
    candidates = request_candidates(request=request)
    return RequestCreated(
        request, candidates, replayed=False, recommend_seconds=time.perf_counter() - started
    )


def _create_locked(request: SupportRequest, actor: User) -> None:
    now = timezone.now()
    request.save()
    StatusEvent.objects.create(
        request=request,
        from_status="",
        to_status=Status.NEW,
        actor=actor,
        actor_label=actor.get_username(),
        at=now,
    )
    audit_write(actor=actor, action=AuditAction.CREATE, instance=request, before=None)
    _record_event(
        district_id=request.district_id,
        kind=EventKind.REQUEST,
        request=request,
        officer_id=None,
        payload={"request": request_payload(request), "officers": []},
        groups=_request_groups(request),
        now=now,
    )


def request_candidates(
    *, request: SupportRequest, exclude: frozenset[int] = frozenset(), limit: int | None = 10
) -> list[Candidate]:
    """On-duty, available officers ranked by ETA to the request (own zone preferred)."""
    settings = dispatch_settings_get(district_id=request.district_id)
    return rank_officers(
        officer_snapshot(request.district_id),
        latitude=request.latitude,
        longitude=request.longitude,
        zone_id=request.zone_id,
        settings=settings,
        exclude=exclude,
        limit=limit,
        lapsed=lapsed_reasons(district_id=request.district_id),
        in_flight=assignments_in_flight(),
    )


# --- Lifecycle ---------------------------------------------------------------------------------


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


class _OfficerMoved(Exception):
    """The request's officer changed between the peek and the lock: retry."""


class Unknown(enum.Enum):
    """No hint: the service reads the request's current officer itself."""

    HOLDER = "unknown"


def request_assign(
    *,
    request_id: int,
    officer_id: int,
    actor: Actor,
    idempotency_key: str = "",
    holder_hint: int | Unknown | None = Unknown.HOLDER,
) -> TransitionResult:
    """Give the request to an officer (assigned, or reassigned if it had one). Atomic: of two
    dispatchers assigning one officer at once, one succeeds and the other gets a conflict.

    `holder_hint`: the officer the caller just read as holding the request (saves a query; a
    stale hint costs a retry, never a wrong result: the request row is re-read under lock)."""
    with assignment_in_flight(officer_id):  # recommendations meanwhile pass over the officer
        return _transition(
            request_id=request_id,
            to_status=None,
            officer_id=officer_id,
            actor=actor,
            key=idempotency_key,
            holder_hint=holder_hint,
        )


def request_transition(
    *,
    request_id: int,
    to_status: str,
    actor: Actor,
    idempotency_key: str = "",
    officer_id: int | None = None,
    disposition: str = "",
    note: str = "",
    demographics: DemographicsInput | None = None,
    holder_hint: int | Unknown | None = Unknown.HOLDER,
) -> TransitionResult:
    """Move the request along the lifecycle (`choices.TRANSITIONS`). A retry with the same
    idempotency key returns the first result; an illegal change is a DispatchConflict naming
    the allowed next statuses. `holder_hint` as for request_assign."""
    if to_status not in Status.values:
        raise ValidationError(
            {"to_status": f"Unknown status; use one of {', '.join(Status.values)}."}
        )
    return _transition(
        request_id=request_id,
        to_status=Status(to_status),
        officer_id=officer_id,
        actor=actor,
        key=idempotency_key,
        disposition=disposition,
        note=note,
        demographics=demographics,
        holder_hint=holder_hint,
    )


def _transition(
    *,
    request_id: int,
    to_status: Status | None,
    officer_id: int | None,
    actor: Actor,
    key: str,
    disposition: str = "",
    note: str = "",
    demographics: DemographicsInput | None = None,
    holder_hint: int | Unknown | None = Unknown.HOLDER,
) -> TransitionResult:
    for attempt in range(3):
        if attempt == 0 and not isinstance(holder_hint, Unknown):
            held_by = holder_hint
        else:
            peek = SupportRequest.objects.filter(pk=request_id).values_list("officer_id").first()
            if peek is None:
                raise SupportRequest.DoesNotExist(f"No support request {request_id}.")
            held_by = peek[0]
        try:
            with transaction.atomic():
                return _transition_locked(
                    request_id=request_id,
                    held_by=held_by,
                    to_status=to_status,
                    officer_id=officer_id,
                    actor=actor,
                    key=key,
                    disposition=disposition,
                    note=note,
                    demographics=demographics,
                )
        except _OfficerMoved:
            continue
        except IntegrityError:
            # A retry with a key the database already holds (a concurrent retry, or one the
            # lifecycle would still allow): answer with the first result.
            replay = _replayed(
                SupportRequest.objects.get(pk=request_id), key, to_status, officer_id
            )
            if replay is None:
                raise
            return replay
    raise DispatchConflict(REQUEST_CHANGED, field="request")


def _replayed(
    request: SupportRequest, key: str, to_status: Status | None, officer_id: int | None
) -> TransitionResult | None:
    """The first result of a retried change (same idempotency key), or None if the key is new.

    A key already used for a different change is a conflict.
    """
    if not key:
        return None
    previous = StatusEvent.objects.filter(request=request, idempotency_key=key).first()
    if previous is None:
        return None
    if not _same_change(previous, to_status, officer_id):
        raise DispatchConflict(
            KEY_REUSED.format(target=previous.to_status), field="idempotency_key"
        )
    return TransitionResult(request, previous, replayed=True)


def _authorize(actor: Actor, request: SupportRequest, target: Status) -> None:
    viewer = _viewer(actor)
    if viewer is None:  # a system actor: the escalation timer, a command
        return
    if _is_supervisor(viewer):
        if viewer.is_superuser or viewer.district_id == request.district_id:
            return
        raise PermissionDenied(MAY_NOT_ASSIGN)
    if target in TO_OFFICER:
        raise PermissionDenied(MAY_NOT_ASSIGN)
    if target in OFFICER_STATUSES:
        if viewer.person_id is not None and viewer.person_id == request.officer_id:
            return
        raise PermissionDenied(MAY_NOT_REPORT)
    if target == Status.CANCELLED and viewer.role in REQUESTER_ROLES:
        own_school = request.school_id is not None and request.school_id in viewer.school_ids
        if own_school or request.requester_id == getattr(actor, "pk", None):
            return
    raise PermissionDenied(MAY_NOT_CANCEL)


def _same_change(event: StatusEvent, to_status: Status | None, officer_id: int | None) -> bool:
    if to_status is None:
        return event.to_status in TO_OFFICER and event.officer_id == officer_id
    return event.to_status == to_status


def _check_available(
    status: OfficerStatus | None, settings: DispatchSettings, officer_name: str
) -> OfficerStatus:
    if status is None or not status.on_duty:
        raise DispatchConflict(
            OFFICER_NOT_AVAILABLE.format(officer=officer_name, reason=REASON_OFF_DUTY),
            field="officer_id",
        )
    limit = settings.max_stacked if settings.allow_stacking else 1
    if status.open_request_count >= limit:
        # The row was read under its lock, so its load is committed: recommendations in this
        # process stop offering the officer now (another process's assignment showed only at
        # the next snapshot reload).
        note_loads(
            district_id=status.district_id, loads={status.person_id: status.open_request_count}
        )
        reason = (
            REASON_STACK_FULL.format(count=status.open_request_count, limit=limit)
            if settings.allow_stacking
            else REASON_BUSY
        )
        raise DispatchConflict(
            OFFICER_NOT_AVAILABLE.format(officer=officer_name, reason=reason), field="officer_id"
        )
    return status


def _hold(status: OfficerStatus, request: SupportRequest) -> None:
    status.open_request_count += 1
    status.current_request = request
    status.save(update_fields=["open_request_count", "current_request", "updated_at"])


def _release(status: OfficerStatus, request: SupportRequest) -> None:
    status.open_request_count = max(0, status.open_request_count - 1)
    if status.current_request_id == request.pk:
        status.current_request = (
            SupportRequest.objects.filter(officer_id=status.person_id, status__in=HELD)
            .exclude(pk=request.pk)
            .order_by("created_at")
            .first()
        )
    status.save(update_fields=["open_request_count", "current_request", "updated_at"])


def _validate_clearing(
    target: Status, disposition: str, demographics: DemographicsInput | None
) -> str:
    if target != Status.CLEARED:
        if disposition and target != Status.CANCELLED:
            raise ValidationError({"disposition": DISPOSITION_ONLY_WHEN_CLEARING})
        if demographics is not None:
            raise ValidationError({"demographics": DEMOGRAPHICS_NOT_ALLOWED})
        return Disposition.CANCELLED.value if target == Status.CANCELLED else ""
    if not disposition:
        raise ValidationError({"disposition": DISPOSITION_REQUIRED})
    if disposition not in Disposition.values:
        raise ValidationError(
            {"disposition": f"Unknown disposition; use one of {', '.join(Disposition.values)}."}
        )
    enforcement = disposition in ENFORCEMENT_DISPOSITIONS
    if enforcement and (demographics is None or not demographics.reason.strip()):
        label = Disposition(disposition).label.lower()
        raise ValidationError({"demographics": DEMOGRAPHICS_REQUIRED.format(disposition=label)})
    if not enforcement and demographics is not None:
        raise ValidationError({"demographics": DEMOGRAPHICS_NOT_ALLOWED})
    return disposition


def _transition_locked(
    *,
    request_id: int,
    held_by: int | None,
    to_status: Status | None,
    officer_id: int | None,
    actor: Actor,
    key: str,
    disposition: str,
    note: str,
    demographics: DemographicsInput | None,
) -> TransitionResult:
    ids = sorted({i for i in (held_by, officer_id) if i is not None})
    locked = {
        s.person_id: s
        for s in OfficerStatus.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(person_id__in=ids)
        .order_by("person_id")
    }
    request = SupportRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
    if request.officer_id != held_by:
        raise _OfficerMoved
    _attach_related(request, locked)
    try:
        return _apply_transition(
            request=request,
            locked=locked,
            to_status=to_status,
            officer_id=officer_id,
            actor=actor,
            key=key,
            disposition=disposition,
            note=note,
            demographics=demographics,
        )
    except (DispatchConflict, PermissionDenied, ValidationError):
        # A retried change is looked up only when it would fail now (or, in _transition, when
        # its key is already stored): the first attempt's result, not today's refusal.
        replay = _replayed(request, key, to_status, officer_id)
        if replay is None:
            raise
        return replay


def _attach_related(request: SupportRequest, locked: dict[int, OfficerStatus]) -> None:
    """Give the request its school, zone and officer from what the transition already holds
    (the school-place cache, the locked officer rows) rather than joining them under the lock."""
    place = school_place(school_id=request.school_id) if request.school_id is not None else None
    if place is not None:
        request.school = place[0]
        if place[1] is not None and place[1].pk == request.zone_id:
            request.zone = place[1]
    if request.officer_id is not None and request.officer_id in locked:
        request.officer = locked[request.officer_id].person


def _apply_transition(
    *,
    request: SupportRequest,
    locked: dict[int, OfficerStatus],
    to_status: Status | None,
    officer_id: int | None,
    actor: Actor,
    key: str,
    disposition: str,
    note: str,
    demographics: DemographicsInput | None,
) -> TransitionResult:
    current = Status(request.status)
    target = to_status or (Status.ASSIGNED if current == Status.NEW else Status.REASSIGNED)
    if target not in TRANSITIONS[current]:
        allowed = allowed_next(current)
        raise DispatchConflict(
            ILLEGAL_TRANSITION.format(
                current=current.value,
                target=target.value,
                allowed=", ".join(allowed) or "none (the request is closed)",
            ),
            field="to_status",
            allowed=allowed,
        )
    _authorize(actor, request, target)
    settings = dispatch_settings_get(district_id=request.district_id)
    disposition = _validate_clearing(target, disposition, demographics)
    now = timezone.now()
    before = snapshot(request)
    changed: list[OfficerStatus] = []
    previous_officer = request.officer_id
    if target in TO_OFFICER:
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
            status = _check_available(locked.get(officer_id), settings, person.full_name)
            if request.officer_id is not None and request.officer_id in locked:
                _release(locked[request.officer_id], request)
                changed.append(locked[request.officer_id])
            _hold(status, request)
            changed.append(status)
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
    elif target in CLOSED:
        if request.officer_id is not None and request.officer_id in locked:
            _release(locked[request.officer_id], request)
            changed.append(locked[request.officer_id])
        request.closed_at = now
        request.disposition = disposition
        request.eta_minutes = None
    elif target == Status.ACKNOWLEDGED:
        request.acknowledged_at = now
    elif target == Status.EN_ROUTE:
        request.acknowledged_at = request.acknowledged_at or now
    elif target == Status.ON_SCENE:
        request.acknowledged_at = request.acknowledged_at or now
        request.on_scene_at = now
        request.response_seconds = (now - request.created_at).total_seconds()
        request.eta_minutes = 0.0
    request.status = target
    # The place and the requester did not change and the officer was checked above: skip the
    # existence and constraint queries.
    request.full_clean(
        exclude=["district", "school", "zone", "requester", "officer"], validate_constraints=False
    )
    request.save(update_fields=TRANSITION_FIELDS)
    actor_user, actor_label = _actor_label(actor)
    event = StatusEvent.objects.create(
        request=request,
        from_status=current,
        to_status=target,
        officer_id=request.officer_id,
        actor=actor_user,
        actor_label=actor_label[:150],
        at=now,
        idempotency_key=key,
        disposition=disposition if target == Status.CLEARED else "",
        note=note[:300],
    )
    if demographics is not None:
        record = ClearingDemographics(
            event=event,
            reason=demographics.reason.strip(),
            race_ethnicity=demographics.race_ethnicity,
            sex=demographics.sex,
            disability_status=demographics.disability_status,
            english_learner=demographics.english_learner,
        )
        record.full_clean()
        record.save()
    audit_write(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=request,
        before=before,
        note=f"status {current.value} → {target.value}",
    )
    _schedule_escalation(request, event, settings, now, was_awaiting=current in AWAITING_ACK)
    _record_event(
        district_id=request.district_id,
        kind=EventKind.REQUEST,
        request=request,
        officer_id=request.officer_id,
        payload={"request": request_payload(request), "officers": _officer_payloads(changed)},
        groups=_request_groups(request, request.officer_id, previous_officer),
        now=now,
    )
    if changed:
        district_id = request.district_id
        loads = {status.person_id: status.open_request_count for status in changed}
        transaction.on_commit(lambda: note_loads(district_id=district_id, loads=loads))
    return TransitionResult(request, event, replayed=False)


def _timer_key(request_id: int) -> str:
    return f"escalate:{request_id}"


def _schedule_escalation(
    request: SupportRequest,
    event: StatusEvent,
    settings: DispatchSettings,
    now: dt.datetime,
    *,
    was_awaiting: bool,
) -> None:
    """Arm the acknowledgement timer on entering an awaiting state; disarm it on leaving.

    A timer is queued only while the request awaits acknowledgement, so a request that was not
    awaiting holds none: arming needs no cancel first, and other changes touch no timer."""
    seconds = settings.ack_seconds(request.priority)
    if request.status in AWAITING_ACK and seconds is not None:
        job_enqueue(
            kind=ESCALATE_JOB,
            payload={"request_id": request.pk, "event_id": event.pk},
            run_after=now + dt.timedelta(seconds=seconds),
            dedupe_key=_timer_key(request.pk),
            replace=was_awaiting,
        )
    elif was_awaiting:
        job_cancel(dedupe_key=_timer_key(request.pk))


def request_escalate(*, request_id: int, timer_event_id: int) -> TransitionResult | None:
    """The acknowledgement timer fired: offer the request to the next-best officer and alert
    the supervisors (the live board). Does nothing if the request moved on meanwhile."""
    request = (
        SupportRequest.objects.select_related("officer", "school").filter(pk=request_id).first()
    )
    if request is None or request.status not in AWAITING_ACK:
        return None
    last = request.events.order_by("-id").first()
    if last is None or last.pk != timer_event_id:
        return None
    settings = dispatch_settings_get(district_id=request.district_id)
    seconds = settings.ack_seconds(request.priority) or 0
    tried = frozenset(
        pid
        for pid in request.events.filter(to_status__in=list(TO_OFFICER)).values_list(
            "officer_id", flat=True
        )
        if pid is not None
    )
    forget_officers(request.district_id)
    slow_officer = request.officer.full_name if request.officer else "anyone"
    for candidate in request_candidates(request=request, exclude=tried, limit=5):
        try:
            result = _transition(
                request_id=request.pk,
                to_status=Status.ESCALATED,
                officer_id=candidate.officer_id,
                actor=ESCALATION_ACTOR,
                key=f"escalate:{timer_event_id}",
            )
        except DispatchConflict:
            continue
        if not result.replayed:
            _alert(
                result.request,
                ESCALATION_ALERT.format(
                    priority=Priority(request.priority).name,
                    request=request.pk,
                    place=request.place,
                    officer=slow_officer,
                    seconds=seconds,
                    next_officer=candidate.name,
                ),
            )
        return result
    with transaction.atomic():
        _alert(
            request,
            NO_OFFICER_ALERT.format(
                priority=Priority(request.priority).name,
                request=request.pk,
                place=request.place,
                officer=slow_officer,
                seconds=seconds,
            ),
        )
        job_enqueue(  # try again after another period
            kind=ESCALATE_JOB,
            payload={"request_id": request.pk, "event_id": timer_event_id},
            run_after=timezone.now() + dt.timedelta(seconds=max(seconds, 10)),
            dedupe_key=_timer_key(request.pk),
        )
    return None


def _alert(request: SupportRequest, message: str) -> DispatchEvent:
    with transaction.atomic():
        return _record_event(
            district_id=request.district_id,
            kind=EventKind.ALERT,
            request=request,
            officer_id=request.officer_id,
            payload={"message": message, "request": request_payload(request)},
            groups=[live.board_group(request.district_id), live.request_group(request.pk)],
            now=timezone.now(),
        )


def district_alert(*, district_id: int, message: str, link: str = "") -> DispatchEvent:
    """A supervisor alert on the live board that concerns no request yet (e.g. a tip of
    imminent harm). `message` must carry no confidential narrative; `link` is a same-site path."""
    if not message.strip():
        raise ValidationError({"message": "An alert needs a message."})
    if link and not link.startswith("/"):
        raise ValidationError({"link": "An alert links to a page of this site (a path)."})
    with transaction.atomic():
        return _record_event(
            district_id=district_id,
            kind=EventKind.ALERT,
            request=None,
            officer_id=None,
            payload={"message": message.strip(), "link": link},
            groups=[live.board_group(district_id)],
            now=timezone.now(),
        )


# --- Officers ----------------------------------------------------------------------------------


def _authorize_officer_change(actor: Actor, person: Person) -> None:
    viewer = _viewer(actor)
    if viewer is None:
        return
    if _is_supervisor(viewer) and (viewer.is_superuser or viewer.district_id == person.district_id):
        return
    if viewer.person_id == person.pk:
        return
    raise PermissionDenied(MAY_NOT_CHANGE_OFFICER)


def officer_duty_set(*, officer: Person, on_duty: bool, actor: Actor) -> OfficerStatus:
    """Put an SSO on or off duty. Off duty receives nothing; it needs no open requests."""
    if officer.role != Role.SSO:
        raise ValidationError({"officer_id": NOT_AN_OFFICER})
    _authorize_officer_change(actor, officer)
    now = timezone.now()
    with transaction.atomic():
        OfficerStatus.objects.get_or_create(
            person=officer, defaults={"district_id": officer.district_id}
        )
        status = (
            OfficerStatus.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(person=officer)
        )
        if status.on_duty == on_duty:
            return status
        if not on_duty and status.open_request_count > 0:
            raise DispatchConflict(
                GO_OFF_DUTY_WITH_REQUESTS.format(
                    officer=officer.full_name, count=status.open_request_count
                ),
                field="on_duty",
            )
        before = snapshot(status)
        status.on_duty = on_duty
        status.duty_changed_at = now
        if not on_duty:  # an off-duty officer is not tracked
            status.latitude = status.longitude = status.accuracy_m = status.position_at = None
        status.save()
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=status,
            before=before,
            note="on duty" if on_duty else "off duty",
        )
        _record_event(
            district_id=status.district_id,
            kind=EventKind.OFFICER,
            request=None,
            officer_id=officer.pk,
            payload={"officers": _officer_payloads([status])},
            groups=[live.board_group(status.district_id), live.officer_group(officer.pk)],
            now=now,
        )
        district_id = status.district_id
        transaction.on_commit(lambda: forget_officers(district_id))
    return status


def officer_position_update(
    *,
    officer: Person,
    latitude: float,
    longitude: float,
    actor: Actor,
    accuracy_m: float | None = None,
    recorded_at: dt.datetime | None = None,
) -> OfficerStatus:
    """Record an on-duty officer's position ping and refresh the ETAs of their requests.

    Pings are telemetry: the latest one is kept (no history, no audit entry) and the board gets
    it live without a sequence number; a resuming board re-reads every officer's position.
    """
    if not (-90 <= latitude <= 90):
        raise ValidationError({"latitude": "Latitude must be between -90 and 90."})
    if not (-180 <= longitude <= 180):
        raise ValidationError({"longitude": "Longitude must be between -180 and 180."})
    _authorize_officer_change(actor, officer)
    now = timezone.now()
    at = min(recorded_at, now) if recorded_at is not None else now
    updated = OfficerStatus.objects.filter(person=officer, on_duty=True).update(
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        position_at=at,
        updated_at=now,
    )
    if not updated:
        raise DispatchConflict(POSITION_OFF_DUTY, field="on_duty")
    status = OfficerStatus.objects.get(person=officer)
    status.person = officer
    transaction.on_commit(
        lambda: note_position(
            district_id=status.district_id,
            person_id=officer.pk,
            latitude=latitude,
            longitude=longitude,
            epoch=at.timestamp(),
        )
    )
    # Only an officer holding requests has ETAs to refresh (the row just read says).
    moving = list(
        SupportRequest.objects.filter(
            officer=officer,
            status__in=[
                Status.ASSIGNED,
                Status.REASSIGNED,
                Status.ESCALATED,
                Status.ACKNOWLEDGED,
                Status.EN_ROUTE,
            ],
        ).only("id", "latitude", "longitude", "district_id")
        if status.open_request_count
        else []
    )
    etas: dict[int, float] = {}
    for request in moving:
        etas[request.pk] = eta_minutes(
            from_lat=latitude, from_lon=longitude, to_lat=request.latitude, to_lon=request.longitude
        )
        SupportRequest.objects.filter(pk=request.pk).update(
            eta_minutes=etas[request.pk], eta_updated_at=now
        )
    officer_data = officer_payload(status)
    groups = [live.board_group(status.district_id), live.officer_group(officer.pk)]
    live.publish(
        groups=groups,
        event={"seq": None, "kind": "position", "at": now.isoformat(), "officers": [officer_data]},
    )
    for request_id, eta in etas.items():
        live.publish(
            groups=[live.request_group(request_id)],
            event={
                "seq": None,
                "kind": "eta",
                "at": now.isoformat(),
                "request_id": request_id,
                "eta_minutes": eta,
            },
        )
    return status
