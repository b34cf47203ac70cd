"""Refusals of the after-the-call pages. Messages are module constants (tests assert them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NOT_THE_OFFICER = _("Only the officer who holds the request writes its report and hand-offs.")
NOT_ATTENDED = _("A report is written once the officer is on scene or has cleared the call.")
NOT_CLEARED = _("Hand-offs follow a cleared request.")
RETURNED_AS_DISCIPLINE = _(
    "This call went back to school administration as a discipline matter: SSOs write no "
    "law-enforcement report about student discipline."
)
HANDOFF_NOT_OFFERED = _("This hand-off is not offered for this call's outcome.")
NO_REPORT_ACCESS = _("SSO reports are law-enforcement-unit records: your role does not see them.")
IN_FUTURE = _("Record a time that has already happened.")
CONSENT_IN_FUTURE = _("Consent is recorded once it has been given.")
