"""Dispatch errors. Messages are translatable module constants (tests assert them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeops.core.conflicts import StateConflict

OFFICER_NOT_AVAILABLE = _("{officer} is no longer available: {reason}.")
REASON_OFF_DUTY = _("off duty")
REASON_BUSY = _("already on another request")
REASON_STACK_FULL = _("already holding {count} open requests (the district allows {limit})")
ILLEGAL_TRANSITION = _(
    "A request that is {current} cannot become {target}. Allowed next: {allowed}."
)
KEY_REUSED = _("This idempotency key was already used for a change to {target}.")
REQUEST_CHANGED = _("The request changed while you were deciding; reload it and try again.")
GO_OFF_DUTY_WITH_REQUESTS = _(
    "{officer} still holds {count} open request(s); clear them or have a dispatcher reassign "
    "them before going off duty."
)
POSITION_OFF_DUTY = _("Position pings are recorded only while on duty.")
LAPSED_EXCLUDED = _(
    "{officer}'s SRO standing has lapsed ({lapsed}); the district's policy does not send lapsed "
    "officers."
)
LAPSED_NEEDS_REASON = _(
    "{officer}'s SRO standing has lapsed ({lapsed}): give the reason for sending them anyway."
)
NOT_AN_OFFICER = _("Only School Safety Officers go on duty and take requests.")


class DispatchConflict(StateConflict):
    """The change conflicts with the current state. `field` names the input at fault."""
