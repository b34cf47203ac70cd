"""What a request offers after the call: a report or not, and which hand-offs (plain rules over
the request and its report, shared by the services and the after-the-call page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeops.dispatch.choices import Category, Disposition, Status
from safeops.dispatch.models import SupportRequest
from safeops.ssoreports import exceptions as errors
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import SsoReport

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COURT_DISPOSITIONS = frozenset({Disposition.ARREST, Disposition.CITATION})


def no_report_reason(request: SupportRequest) -> StrOrPromise | None:
    """Why no report may be written about `request` by anyone (None: one may). A call returned
    to school administration as discipline gets no law-enforcement record."""
    if request.disposition == Disposition.DISCIPLINE:
        return errors.RETURNED_AS_DISCIPLINE
    return None


def offered_handoffs(request: SupportRequest, report: SsoReport | None) -> list[HandoffKind]:
    """'Referred' offers the referral form; an arrest or a citation the court liaison notice; a
    weapon (the call's category, or the report says one was involved) the gun-violence MHPs."""
    if request.status != Status.CLEARED:
        return []
    offers = []
    if request.disposition == Disposition.REFERRED:
        offers.append(HandoffKind.SUPPORT_REFERRAL)
    if request.disposition in COURT_DISPOSITIONS:
        offers.append(HandoffKind.COURT_LIAISON_NOTICE)
    if request.category == Category.WEAPON or (report is not None and report.weapon_involved):
        offers.append(HandoffKind.GUN_VIOLENCE_REFERRAL)
    return offers
