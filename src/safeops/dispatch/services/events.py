"""Board events: stored as `DispatchEvent` rows and published live after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeops.access import current_filter
from safeops.dispatch import live
from safeops.dispatch.choices import (
    EventKind,
)
from safeops.dispatch.models import (
    DispatchEvent,
    OfficerStatus,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    officer_snapshot,
)
from safeops.dispatch.serialize import officer_payload
from safeops.staff.models import Assignment


def officer_zone_names(person_ids: list[int]) -> dict[int, str]:
    rows = Assignment.objects.filter(
        current_filter(timezone.localdate()), person_id__in=person_ids, zone__isnull=False
    ).values_list("person_id", "zone__name")
    return dict(rows)


def officer_payloads(statuses: list[OfficerStatus]) -> list[dict[str, Any]]:
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


def record_event(
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


def request_groups(request: SupportRequest, *officer_ids: int | None) -> list[str]:
    groups = [live.board_group(request.district_id), live.request_group(request.pk)]
    groups += [live.officer_group(pid) for pid in sorted({o for o in officer_ids if o})]
    return groups
