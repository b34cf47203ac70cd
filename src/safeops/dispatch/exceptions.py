"""Dispatch errors. Messages are module constants (tests assert them)."""

from __future__ import annotations

OFFICER_NOT_AVAILABLE = "{officer} is no longer available: {reason}."
REASON_OFF_DUTY = "off duty"
REASON_BUSY = "already on another request"
REASON_STACK_FULL = "already holding {count} open requests (the district allows {limit})"
ILLEGAL_TRANSITION = "A request that is {current} cannot become {target}. Allowed next: {allowed}."
KEY_REUSED = "This idempotency key was already used for a change to {target}."
REQUEST_CHANGED = "The request changed while you were deciding; reload it and try again."
GO_OFF_DUTY_WITH_REQUESTS = (
    "{officer} still holds {count} open request(s); clear them or have a dispatcher reassign "
    "them before going off duty."
)
POSITION_OFF_DUTY = "Position pings are recorded only while on duty."
LAPSED_EXCLUDED = (
    "{officer}'s SRO standing has lapsed ({lapsed}); the district's policy does not send lapsed "
    "officers."
)
LAPSED_NEEDS_REASON = (
    "{officer}'s SRO standing has lapsed ({lapsed}): give the reason for sending them anyway."
)
NOT_AN_OFFICER = "Only School Safety Officers go on duty and take requests."


class DispatchConflict(Exception):
    """The change conflicts with the current state. `field` names the input at fault."""

    def __init__(self, message: str, *, field: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.allowed = allowed
