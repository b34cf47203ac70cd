"""Referral errors. Messages are module constants (tests assert them)."""

from __future__ import annotations

ILLEGAL_TRANSITION = "A referral that is {current} cannot become {target}. Allowed next: {allowed}."
OUTCOME_REQUIRED = "Closing a referral needs its outcome."
OUTCOME_ONLY_ON_CLOSE = "An outcome is given only when the referral is closed."
UNKNOWN_STATUS = "Unknown status; use one of {choices}."
NOT_A_REFERRER = "Your role does not make referrals (SAs, SSOs, counselors and MHPs do)."
SCHOOL_OUT_OF_SCOPE = "You may not refer students of this school."
CONSENT_IN_FUTURE = "Consent is recorded once it has been given."
REQUEST_NOT_LINKABLE = (
    "No SSO support request with that number, referred to a support resource, that you can see."
)
REQUEST_OTHER_SCHOOL = "That SSO support request was made for another school."
INCIDENT_NOT_LINKABLE = "No incident with that number that you can see at this school."
PLAN_TASK_NOT_LINKABLE = "No threat-assessment plan task of a case you can see at this school."
SERVICE_NOT_FOUND = "No service with that id in the directory."
PROVIDER_LINK_NEEDS_TWO_WAY = (
    "The provider may report back only when the consent's scope includes status updates."
)
PROVIDER_LINK_CLOSED = "The referral is closed; it needs no provider link."
PROVIDER_STATUS_NOT_ALLOWED = (
    "The provider reports contacted, accepted, declined or services started."
)
LINK_INVALID = "This link is not valid: it has expired, been replaced, or the referral is closed."
NOT_ONBOARDING = "Only Safety Administrators and School Safety Officers have onboarding contacts."
CONTACT_IN_FUTURE = "A contact is recorded once it has happened."


class ReferralConflict(Exception):
    """The change conflicts with the referral's state. `field` names the input at fault."""

    def __init__(self, message: str, *, field: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.allowed = allowed or []
