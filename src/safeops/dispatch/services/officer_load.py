"""An officer's load on their locked `OfficerStatus` row: may they take a request, take it, free it.

Shared by the action classes (`actions`) and the on-view path (`onview`); the caller holds the
row lock.
"""

from __future__ import annotations

from safeops.dispatch.choices import HELD
from safeops.dispatch.exceptions import (
    OFFICER_NOT_AVAILABLE,
    REASON_BUSY,
    REASON_OFF_DUTY,
    REASON_STACK_FULL,
    DispatchConflict,
)
from safeops.dispatch.models import DispatchSettings, OfficerStatus, SupportRequest
from safeops.dispatch.recommend import note_loads


def check_available(
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


def hold(status: OfficerStatus, request: SupportRequest) -> None:
    """The officer takes `request`: one more open request, and it becomes their current one."""
    status.open_request_count += 1
    status.current_request = request
    status.save(update_fields=["open_request_count", "current_request", "updated_at"])


def release(status: OfficerStatus, request: SupportRequest) -> None:
    """The officer is freed of `request`; their current one becomes their oldest still held."""
    status.open_request_count = max(0, status.open_request_count - 1)
    if status.current_request_id == request.pk:
        status.current_request = (
            SupportRequest.objects.filter(officer_id=status.person_id, status__in=HELD)
            .exclude(pk=request.pk)
            .order_by("created_at")
            .first()
        )
    status.save(update_fields=["open_request_count", "current_request", "updated_at"])
