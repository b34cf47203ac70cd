"""The patrol app's refusals, each with a translatable message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NO_PLAN = _("There is no patrol plan for this officer on this day.")
ALREADY_DONE = _("This stop is already {status}.")
NOT_YOUR_VISIT = _("This stop is not on your plan.")
NOT_TODAY = _("Only today's stops can be checked in or skipped.")
SKIP_REASON_REQUIRED = _("Choose why the stop is skipped.")
KEY_REUSED = _("This idempotency key was used for another stop.")


class PatrolError(Exception):
    """A patrol change that cannot be made; the message says why."""
