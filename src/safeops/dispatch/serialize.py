"""The JSON shapes of live events and board state (plain dicts, no ORM objects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation

from safeops.dispatch.choices import OPEN, Category, Priority, Status, allowed_next, label_of
from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.models import OfficerStatus, SupportRequest


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def request_payload(request: SupportRequest) -> dict[str, Any]:
    """What the board, the requester's page and the officer's phone show of a request.

    Its labels are in the site's language (English): the payload is stored with the live
    event and sent to everyone watching, whatever language the person who acted reads."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = {
            "status_label": label_of(Status, request.status),
            "priority_label": label_of(Priority, request.priority),
            "category_label": label_of(Category, request.category),
        }
    return {
        "id": request.pk,
        "status": request.status,
        "status_label": labels["status_label"],
        "open": request.status in OPEN,
        "allowed_next": allowed_next(request.status),
        "priority": request.priority,
        "priority_label": labels["priority_label"],
        "category": request.category,
        "category_label": labels["category_label"],
        "summary": request.summary,
        "place": request.place,
        "school_id": request.school_id,
        "zone_id": request.zone_id,
        "zone": request.zone.name if request.zone_id is not None and request.zone else "",
        "latitude": request.latitude,
        "longitude": request.longitude,
        "officer_id": request.officer_id,
        "officer": request.officer.full_name if request.officer_id and request.officer else "",
        "eta_minutes": request.eta_minutes,
        "created_at": _iso(request.created_at),
        "assigned_at": _iso(request.assigned_at),
        "on_scene_at": _iso(request.on_scene_at),
        "closed_at": _iso(request.closed_at),
        "disposition": request.disposition,
        "call_911_first": request.priority == Priority.P1,
    }


def officer_payload(status: OfficerStatus, *, zone_name: str = "") -> dict[str, Any]:
    """An officer on the board: duty, position, load, current request, and the lapsed-SRO flag
    (the reason, or "", in the site's language like `request_payload`'s labels)."""
    with translation.override(settings.LANGUAGE_CODE):
        lapsed = lapsed_reasons(district_id=status.district_id).get(status.person_id, "")
    return {
        "id": status.person_id,
        "name": status.person.full_name,
        "zone": zone_name,
        "on_duty": status.on_duty,
        "latitude": status.latitude,
        "longitude": status.longitude,
        "position_at": _iso(status.position_at),
        "open_requests": status.open_request_count,
        "current_request_id": status.current_request_id,
        "available": status.on_duty and status.open_request_count == 0,
        "lapsed": lapsed,
    }
