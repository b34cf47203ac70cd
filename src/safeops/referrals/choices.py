"""Referral vocabularies and the status lifecycle, as data.

`TRANSITIONS` is the one table of allowed status changes; services consult it and an illegal
change names `TRANSITIONS[current]`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    CONTACTED = "contacted", pgettext_lazy("referral status", "Contacted")
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    SERVICES_STARTED = "services_started", pgettext_lazy("referral status", "Services started")
    CLOSED = "closed", pgettext_lazy("referral status", "Closed")


# sent → contacted → accepted or declined → services started → closed (with the outcome).
# A referral may be closed from any open status (e.g. the family could not be reached).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SENT: frozenset({Status.CONTACTED, Status.CLOSED}),
    Status.CONTACTED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.CLOSED}),
    Status.ACCEPTED: frozenset({Status.SERVICES_STARTED, Status.CLOSED}),
    Status.DECLINED: frozenset({Status.CLOSED}),
    Status.SERVICES_STARTED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# What a provider may report through its link; closing the loop is the school's step.
PROVIDER_STATUSES = frozenset(
    {Status.CONTACTED, Status.ACCEPTED, Status.DECLINED, Status.SERVICES_STARTED}
)
OPEN_STATUSES = frozenset(set(Status) - {Status.CLOSED})


def allowed_next(status: str) -> list[str]:
    """The statuses reachable from `status`, in lifecycle order."""
    targets = TRANSITIONS[Status(status)]
    return [s.value for s in Status if s in targets]


class Outcome(models.TextChoices):
    """Why a referral was closed (required when closing)."""

    COMPLETED = "completed", _("Services completed")
    ONGOING = "ongoing", _("Engaged with the provider (services continue)")
    DECLINED_BY_FAMILY = "declined_by_family", _("Declined by the student or family")
    PROVIDER_DECLINED = "provider_declined", _("Provider could not serve (eligibility, capacity)")
    NO_CONTACT = "no_contact", _("Family could not be reached")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    LEFT_DISTRICT = "left_district", _("Student left the district")
    OTHER = "other", _("Other")


class ConsentGivenBy(models.TextChoices):
    PARENT_GUARDIAN = "parent_guardian", _("Parent or guardian")
    STUDENT_ADULT = "student_adult", _("Student (18 or older)")
    STUDENT_MINOR = "student_minor", _("Student (a minor, where the law lets them consent)")
    EMANCIPATED = "emancipated", _("Emancipated student")


class ConsentScope(models.TextChoices):
    """What the consent lets the school share, and whether the provider reports back."""

    CONTACT_ONLY = "contact_only", _("Share contact details so the provider can reach the family")
    CONTACT_AND_REASON = (
        "contact_and_reason",
        _("Share contact details and the reason for the referral"),
    )
    TWO_WAY = (
        "two_way",
        _("Share contact details and the reason; the provider reports the status back"),
    )


# Only a two-way consent lets the provider report status back (the provider link).
PROVIDER_FEEDBACK_SCOPES = frozenset({ConsentScope.TWO_WAY})


class Grade(models.TextChoices):
    PRE_K = "PK", _("Pre-K")
    K = "K", "K"
    G1 = "1", "1"
    G2 = "2", "2"
    G3 = "3", "3"
    G4 = "4", "4"
    G5 = "5", "5"
    G6 = "6", "6"
    G7 = "7", "7"
    G8 = "8", "8"
    G9 = "9", "9"
    G10 = "10", "10"
    G11 = "11", "11"
    G12 = "12", "12"


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("Site visit")
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Community event or training")
