"""Reads for live SSO response, always narrowed by safeops.access (and audited where sensitive)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from safeops.access import (
    Action,
    AnyUser,
    Resource,
    Viewer,
    can_any,
    restrict,
    viewer_for,
)
from safeops.core.audit import audit_read
from safeops.dispatch.choices import OPEN, Disposition, Priority
from safeops.dispatch.models import (
    Alert,
    ClearingDemographics,
    DispatchEvent,
    DispatchSettings,
    OfficerStatus,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import Candidate
from safeops.dispatch.serialize import officer_payload, request_payload
from safeops.dispatch.services import (
    REQUESTER_ROLES,
    SUPERVISOR_ROLES,
    dispatch_settings_get,
    may_file_for,
    officer_zone_names,
    request_candidates,
    school_place,
)
from safeops.dispatch.services.alerts import alert_payload
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person

NO_REQUEST_ACCESS = gettext_lazy("Your role does not take part in SSO dispatch.")
NO_BOARD_ACCESS = gettext_lazy(
    "The live board is for dispatchers, supervisors and the security chief."
)
NO_OFFICER_VIEW = gettext_lazy("The officer view is for School Safety Officers.")
DEMOGRAPHICS_NOT_GRANTED = "Your role is not granted the demographic fields of clearings."
# Resume window: events committed out of id order (concurrent transactions) within this
# time before the client's last seen event are sent again; the client skips seen ids.
RESUME_LOOKBACK = dt.timedelta(seconds=5)
RESUME_LIMIT = 500
# Open supervisor alerts a freshly opened board shows (the newest, of the last 12 hours).
ALERTS_SHOWN = 20
ALERTS_SHOWN_FOR = dt.timedelta(hours=12)


def is_supervisor(user: AnyUser) -> bool:
    viewer = viewer_for(user)
    return viewer.is_superuser or viewer.role in SUPERVISOR_ROLES


def require_request_access(user: AnyUser) -> None:
    if not can_any(user, Action.VIEW, Resource.REQUEST):
        raise PermissionDenied(NO_REQUEST_ACCESS)


def require_board_access(user: AnyUser) -> Viewer:
    viewer = viewer_for(user)
    if not (viewer.is_superuser or viewer.role in SUPERVISOR_ROLES):
        raise PermissionDenied(NO_BOARD_ACCESS)
    return viewer


def request_list_for_user(*, user: AnyUser) -> QuerySet[SupportRequest]:
    return restrict(SupportRequest.objects.all(), user).select_related("school", "zone", "officer")


def request_get_for_user(*, user: AnyUser, request_id: int) -> SupportRequest:
    """The request, or Http404 when it does not exist or is outside the user's scope."""
    request = request_list_for_user(user=user).filter(pk=request_id).first()
    if request is None:
        raise Http404(gettext("No such support request in your scope."))
    return request


@dataclass(frozen=True)
class VisibleRequest:
    id: int
    officer_id: int | None  # holding it when read: a hint for the service, which re-reads


def request_check_visible(*, user: AnyUser, request_id: int) -> VisibleRequest:
    """The request's id and current officer, or Http404 when it does not exist or is outside
    the user's scope.

    For an API that changes the request through a service (which reads the row itself): one
    narrow query instead of loading the request with its school, zone and officer.
    """
    found = restrict(SupportRequest.objects.all(), user).filter(pk=request_id)
    row = found.values_list("pk", "officer_id").first()
    if row is None:
        raise Http404(gettext("No such support request in your scope."))
    return VisibleRequest(id=int(row[0]), officer_id=row[1])


@dataclass(frozen=True)
class TimelineRow:
    event: StatusEvent
    has_demographics: bool


@dataclass(frozen=True)
class RequestDetail:
    request: SupportRequest
    timeline: list[TimelineRow]
    candidates: list[Candidate]
    can_assign: bool
    can_cancel: bool
    is_officer: bool
    target_minutes: int
    last_seq: int


def request_detail_for_user(*, user: AnyUser, request_id: int) -> RequestDetail:
    request = request_get_for_user(user=user, request_id=request_id)
    viewer = viewer_for(user)
    supervisor = viewer.is_superuser or viewer.role in SUPERVISOR_ROLES
    events = list(request.events.select_related("officer", "actor__person").order_by("at", "id"))
    with_demographics = set(
        ClearingDemographics.objects.filter(event__in=events).values_list("event_id", flat=True)
    )
    open_ = request.status in OPEN
    settings = dispatch_settings_get(district_id=request.district_id)
    last = (
        DispatchEvent.objects.filter(request=request).order_by("-id").values_list("id", flat=True)
    )
    return RequestDetail(
        request=request,
        timeline=[TimelineRow(e, e.pk in with_demographics) for e in events],
        candidates=request_candidates(request=request) if supervisor and open_ else [],
        can_assign=supervisor and open_,
        can_cancel=open_ and (supervisor or viewer.role in REQUESTER_ROLES),
        is_officer=viewer.person_id is not None and viewer.person_id == request.officer_id,
        target_minutes=settings.target_minutes(request.priority),
        last_seq=last.first() or 0,
    )


# --- Officers ----------------------------------------------------------------------------------


def officer_list_for_user(*, user: AnyUser, available: bool | None = None) -> list[dict[str, Any]]:
    """Officers with a duty record the user may see; `available`: on duty with no request."""
    statuses = restrict(OfficerStatus.objects.all(), user).select_related("person")
    if available is not None:
        free = Q(on_duty=True, open_request_count=0)
        statuses = statuses.filter(free) if available else statuses.exclude(free)
    rows = list(statuses.order_by("person__full_name"))
    zones = officer_zone_names([s.person_id for s in rows])
    return [officer_payload(s, zone_name=zones.get(s.person_id, "")) for s in rows]


def officer_get_for_user(*, user: AnyUser, officer_id: int, action: Action) -> Person:
    """The SSO, when the user may `action` their duty and position; else 404/403."""
    viewer = viewer_for(user)
    person = Person.objects.filter(pk=officer_id, role=Role.SSO).first()
    if person is None or (
        not viewer.is_superuser and viewer.district_id not in (None, person.district_id)
    ):
        raise Http404(gettext("No such School Safety Officer."))
    supervisor = viewer.is_superuser or viewer.role in SUPERVISOR_ROLES
    if not supervisor and viewer.person_id != person.pk:
        if can_any(user, action, Resource.OFFICER):
            raise PermissionDenied(gettext("You may change only your own duty and position."))
        raise Http404(gettext("No such School Safety Officer."))
    return person


@dataclass(frozen=True)
class OfficerHome:
    person: Person
    status: OfficerStatus | None
    requests: list[SupportRequest]
    zone_open: list[SupportRequest]
    last_seq: int
    schools: list[tuple[int, str, float, float]]  # the district's, for an on-view call's place


def officer_home_for_user(*, user: AnyUser) -> OfficerHome:
    viewer = viewer_for(user)
    if viewer.role != Role.SSO or viewer.person_id is None:
        raise PermissionDenied(NO_OFFICER_VIEW)
    person = Person.objects.get(pk=viewer.person_id)
    status = OfficerStatus.objects.filter(person=person).first()
    visible = request_list_for_user(user=user).filter(status__in=[s.value for s in OPEN])
    mine = list(visible.filter(officer=person).order_by("created_at"))
    zone_open = list(
        visible.exclude(officer=person).filter(zone_id__in=viewer.zone_ids).order_by("created_at")
    )
    last = DispatchEvent.objects.filter(officer=person).order_by("-id").values_list("id", flat=True)
    schools = School.objects.filter(
        district_id=person.district_id, latitude__isnull=False, longitude__isnull=False
    ).values_list("pk", "name", "latitude", "longitude")
    return OfficerHome(person, status, mine, zone_open, last.first() or 0, list(schools))


def officer_requests_for_user(*, user: AnyUser) -> list[dict[str, Any]]:
    """The officer's open requests as JSON (the phone view)."""
    home = officer_home_for_user(user=user)
    return [request_payload(r) for r in home.requests]


# --- The live board ----------------------------------------------------------------------------


def board_district_id(viewer: Viewer) -> int:
    """The viewer's district (a superuser without one: the first district; 0 if none)."""
    if viewer.district_id is not None:
        return viewer.district_id
    return District.objects.order_by("pk").values_list("pk", flat=True).first() or 0


def board_state_for_user(*, user: AnyUser) -> dict[str, Any]:
    """Everything the board draws: officers, open requests and the last sequence number."""
    viewer = require_board_access(user)
    district_id = board_district_id(viewer)
    last_seq = (
        DispatchEvent.objects.filter(district_id=district_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
    requests = request_list_for_user(user=user).filter(
        district_id=district_id, status__in=[s.value for s in OPEN]
    )
    statuses = list(
        OfficerStatus.objects.filter(district_id=district_id)
        .select_related("person")
        .order_by("person__full_name")
    )
    zones = officer_zone_names([s.person_id for s in statuses])
    settings = dispatch_settings_get(district_id=district_id) if district_id else None
    return {
        "district_id": district_id,
        "last_seq": last_seq,
        "stale_seconds": settings.stale_position_seconds if settings else 120,
        "requests": [request_payload(r) for r in requests.order_by("created_at")],
        "officers": [officer_payload(s, zone_name=zones.get(s.person_id, "")) for s in statuses],
        "alerts": [alert_payload(a) for a in _board_alerts(district_id)],
    }


def _board_alerts(district_id: int) -> list[Alert]:
    alerts = Alert.objects.filter(
        district_id=district_id,
        resolved_at__isnull=True,
        raised_at__gte=timezone.now() - ALERTS_SHOWN_FOR,
    ).order_by("-id")[:ALERTS_SHOWN]
    return list(reversed(alerts))


def board_alerts_for_user(*, user: AnyUser) -> list[Alert]:
    """The open alerts the viewer's board shows, oldest first (supervisors only)."""
    return _board_alerts(board_district_id(require_board_access(user)))


def events_since(*, queryset: QuerySet[DispatchEvent], last_seq: int) -> list[dict[str, Any]]:
    """Events after `last_seq`, plus those of the lookback window (see RESUME_LOOKBACK)."""
    anchor = queryset.filter(id__lte=last_seq).order_by("-id").values_list("at", flat=True).first()
    window = Q(id__gt=last_seq)
    if anchor is not None:
        window |= Q(at__gte=anchor - RESUME_LOOKBACK)
    rows = queryset.filter(window).order_by("id")[:RESUME_LIMIT]
    return [
        {"seq": row.pk, "kind": row.kind, "at": row.at.isoformat(), **row.payload} for row in rows
    ]


def board_events_for_user(*, user: AnyUser, last_seq: int) -> list[dict[str, Any]]:
    viewer = require_board_access(user)
    district_id = board_district_id(viewer)
    return events_since(
        queryset=DispatchEvent.objects.filter(district_id=district_id), last_seq=last_seq
    )


def request_events_for_user(
    *, user: AnyUser, request_id: int, last_seq: int
) -> list[dict[str, Any]]:
    request = request_get_for_user(user=user, request_id=request_id)
    return events_since(queryset=DispatchEvent.objects.filter(request=request), last_seq=last_seq)


def officer_events_for_user(*, user: AnyUser, last_seq: int) -> list[dict[str, Any]]:
    home = officer_home_for_user(user=user)
    return events_since(
        queryset=DispatchEvent.objects.filter(officer=home.person), last_seq=last_seq
    )


# --- Demographics (restricted) -----------------------------------------------------------------


def demographics_visible(*, user: AnyUser, district_id: int) -> bool:
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return True
    if viewer.role is None or viewer.district_id != district_id:
        return False
    granted = (
        DispatchSettings.objects.filter(district_id=district_id)
        .values_list("demographics_roles", flat=True)
        .first()
    )
    roles = granted if granted is not None else [Role.SECURITY_CHIEF.value]
    return viewer.role.value in roles


def demographics_get_for_user(*, user: AnyUser, event_id: int) -> ClearingDemographics:
    """The demographic fields of one clearing, for granted roles only; the read is audited."""
    event = StatusEvent.objects.select_related("request").filter(pk=event_id).first()
    if event is None or not request_list_for_user(user=user).filter(pk=event.request_id).exists():
        raise Http404(gettext("No such clearing in your scope."))
    if not demographics_visible(user=user, district_id=event.request.district_id):
        raise PermissionDenied(DEMOGRAPHICS_NOT_GRANTED)
    record = ClearingDemographics.objects.filter(event=event).first()
    if record is None:
        raise Http404(gettext("This clearing has no demographic fields."))
    audit_read(actor=user, instance=record, note=f"request {event.request_id}")
    return record


def requester_schools_for_user(*, user: AnyUser) -> list[School]:
    """The schools the user may file requests for (an SA's or principal's own; all for
    supervisors)."""
    viewer = viewer_for(user)
    schools = School.objects.filter(active=True).order_by("name")
    if viewer.is_superuser:
        return list(schools)
    if viewer.district_id is None:
        return []
    schools = schools.filter(district_id=viewer.district_id)
    if viewer.role in SUPERVISOR_ROLES:
        return list(schools)
    if viewer.role in REQUESTER_ROLES:
        return list(schools.filter(pk__in=viewer.school_ids))
    return []


@dataclass(frozen=True)
class BoardRow:
    request: SupportRequest
    candidates: list[Candidate]
    target_minutes: int


def board_requests_for_user(*, user: AnyUser) -> list[BoardRow]:
    """Open requests, newest emergencies first, with their recommended officers."""
    viewer = require_board_access(user)
    district_id = board_district_id(viewer)
    settings = dispatch_settings_get(district_id=district_id)
    requests = request_list_for_user(user=user).filter(
        district_id=district_id, status__in=[s.value for s in OPEN]
    )
    rows = []
    for request in requests.order_by("priority", "created_at")[:100]:
        candidates = (
            request_candidates(request=request, limit=3) if request.officer_id is None else []
        )
        rows.append(BoardRow(request, candidates, settings.target_minutes(request.priority)))
    return rows


def requester_school_get(*, user: AnyUser, school_id: int) -> School:
    """The school a request is filed for: a supervisor's district's, a requester's own (404
    otherwise, as for any school out of scope). Read from the dispatch place cache."""
    viewer = viewer_for(user)
    place = school_place(school_id=school_id)
    if place is None:
        raise Http404(gettext("No such school in your scope."))
    if not may_file_for(viewer, place[0]):
        raise Http404(gettext("No such school in your scope."))
    return place[0]


def district_school_get(*, user: AnyUser, school_id: int) -> School:
    """A school of the user's district (an officer's on-view call names any of them)."""
    viewer = viewer_for(user)
    place = school_place(school_id=school_id)
    if place is None or not (viewer.is_superuser or place[0].district_id == viewer.district_id):
        raise Http404(gettext("No such school in your district."))
    return place[0]


def request_facts_for_reports(
    *, district_id: int, start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    """The district's support requests created in [start, end) as report facts only (zone,
    school, category, priority, created, seconds to on scene): no person, no free text. For
    safeops.reports, which publishes them through disclosure control."""
    rows = SupportRequest.objects.filter(
        district_id=district_id, created_at__gte=start, created_at__lt=end
    ).values("zone_id", "school_id", "category", "priority", "created_at", "response_seconds")
    return [dict(row) for row in rows]


def response_targets_for_reports(*, district_id: int) -> dict[str, int]:
    """Each priority's response target in minutes (the defaults when nothing is configured)."""
    configured = DispatchSettings.objects.filter(district_id=district_id).first()
    config = configured or DispatchSettings(district_id=district_id)
    return {priority.value: config.target_minutes(priority) for priority in Priority}


def discipline_returns_for_reports(
    *, district_id: int, start: dt.datetime, end: dt.datetime
) -> list[tuple[int | None, dt.datetime]]:
    """(school id, cleared at) of the district's requests cleared in [start, end) as a
    discipline matter returned to school administration. No text. For safeops.reports."""
    rows = SupportRequest.objects.filter(
        district_id=district_id,
        disposition=Disposition.DISCIPLINE,
        closed_at__gte=start,
        closed_at__lt=end,
    ).values_list("school_id", "closed_at")
    return [(school_id, closed_at) for school_id, closed_at in rows if closed_at is not None]


def enforcement_facts_for_reports(
    *, district_id: int, start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    """The district's citations, arrests and uses of force cleared in [start, end) as report
    facts: the request's zone and school, the clearing time, the disposition and the student's
    four demographic fields. No reason, no person, no free text. For safeops.reports, which
    publishes them only as counts through disclosure control."""
    rows = ClearingDemographics.objects.filter(
        event__request__district_id=district_id, event__at__gte=start, event__at__lt=end
    ).values(
        "race_ethnicity",
        "sex",
        "disability_status",
        "english_learner",
        disposition=F("event__disposition"),
        at=F("event__at"),
        zone_id=F("event__request__zone_id"),
        school_id=F("event__request__school_id"),
    )
    return [dict(row) for row in rows]
