"""Which hand-offs a cleared request offers (plain rules over the request and its report)."""

from __future__ import annotations

from safeops.dispatch.choices import Category, Disposition, Status
from safeops.dispatch.models import SupportRequest
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import SsoReport

COURT_DISPOSITIONS = frozenset({Disposition.ARREST, Disposition.CITATION})


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
