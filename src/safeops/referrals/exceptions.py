"""Referral errors. Messages are translatable module constants (tests assert them)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeops.core.conflicts import StateConflict

ILLEGAL_TRANSITION = _(
    "A referral that is {current} cannot become {target}. Allowed next: {allowed}."
)
OUTCOME_REQUIRED = _("Closing a referral needs its outcome.")
OUTCOME_ONLY_ON_CLOSE = _("An outcome is given only when the referral is closed.")
UNKNOWN_STATUS = _("Unknown status; use one of {choices}.")
NOT_A_REFERRER = _("Your role does not make referrals (SAs, SSOs, counselors and MHPs do).")
SCHOOL_OUT_OF_SCOPE = _("You may not refer students of this school.")
CONSENT_IN_FUTURE = _("Consent is recorded once it has been given.")
REQUEST_NOT_LINKABLE = _(
    "No SSO support request with that number, referred to a support resource, that you can see."
)
REQUEST_OTHER_SCHOOL = _("That SSO support request was made for another school.")
INCIDENT_NOT_LINKABLE = _("No incident with that number that you can see at this school.")
PLAN_TASK_NOT_LINKABLE = _("No threat-assessment plan task of a case you can see at this school.")
SERVICE_NOT_FOUND = _("No service with that id in the directory.")
PROVIDER_LINK_NEEDS_TWO_WAY = _(
    "The provider may report back only when the consent's scope includes status updates."
)
PROVIDER_LINK_CLOSED = _("The referral is closed; it needs no provider link.")
PROVIDER_STATUS_NOT_ALLOWED = _(
    "The provider reports contacted, accepted, declined or services started."
)
LINK_INVALID = _(
    "This link is not valid: it has expired, been replaced, or the referral is closed."
)
NOT_ONBOARDING = _(
    "Only Safety Administrators and School Safety Officers have onboarding contacts."
)
CONTACT_IN_FUTURE = _("A contact is recorded once it has happened.")


class ReferralConflict(StateConflict):
    """The change conflicts with the referral's state. `field` names the input at fault."""

    def __init__(
        self, message: str | Promise, *, field: str, allowed: list[str] | None = None
    ) -> None:
        super().__init__(message, field=field, allowed=allowed or [])
