"""What ASSIGNED means for SSO reports and hand-offs (the reach: ssoreports/rules.py)."""

from __future__ import annotations

from django.db.models import Q

from safeops.access import Resource, Viewer, register_resource
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import Handoff, SsoReport
from safeops.staff.choices import Role

NOTHING = Q(pk__in=[])


def report_scope(viewer: Viewer) -> Q:
    """An SSO: the reports they wrote and those on requests they hold."""
    if viewer.role != Role.SSO or viewer.person_id is None:
        return NOTHING
    return Q(author_id=viewer.person_id) | Q(request__officer_id=viewer.person_id)


# The hand-offs addressed to a district support role.
ADDRESSED_TO = {
    Role.COURT_LIAISON: HandoffKind.COURT_LIAISON_NOTICE,
    Role.MENTAL_HEALTH_PRACTITIONER: HandoffKind.GUN_VIOLENCE_REFERRAL,
}


def handoff_scope(viewer: Viewer) -> Q:
    """An SSO: the hand-offs they made; the court liaison and the MHPs: those addressed to them."""
    if viewer.role == Role.SSO and viewer.person_id is not None:
        return Q(officer_id=viewer.person_id)
    if viewer.role in ADDRESSED_TO:
        return Q(kind=ADDRESSED_TO[viewer.role])
    return NOTHING


def register_ssoreport_resources() -> None:
    register_resource(
        SsoReport, Resource.SSO_REPORT, scope=report_scope, district_field="district_id"
    )
    register_resource(
        Handoff, Resource.SSO_HANDOFF, scope=handoff_scope, district_field="district_id"
    )
