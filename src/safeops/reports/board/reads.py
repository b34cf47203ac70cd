"""Who reads a term's figures, and the audit of the reads that must be recorded.

- the board report: every signed-in role (Resource.REPORT), disclosure-controlled;
- the community monitoring team's view: community monitors and the chief
  (Resource.REPORT_MONITORING), disclosure-controlled, with a zone drill-down; every read audited;
- the chief's internal view: the chief only (Resource.REPORT_UNSUPPRESSED), unsuppressed counts;
  every read audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safeops.access import Action, AnyUser, Reach, Resource, viewer_for
from safeops.core.audit import audit_read
from safeops.reports.board.figures import TermFigures, published_figures, term_figures
from safeops.reports.terms import Term
from safeops.schools.models import District


def district_for(
    user: AnyUser, resource: Resource, action: Action = Action.VIEW, *, refusal: str = ""
) -> District:
    """The district whose `resource` `user` may `action` (district-wide), or PermissionDenied."""
    viewer = viewer_for(user)
    if viewer.reach(resource, action) != Reach.ALL:
        raise PermissionDenied(refusal or _("You may not open this report."))
    districts = District.objects.order_by("pk")
    if viewer.district_id is not None:
        districts = districts.filter(pk=viewer.district_id)
    district = districts.first()
    if district is None:
        raise PermissionDenied(_("No district to report on."))
    return district


def may_read(user: AnyUser, resource: Resource) -> bool:
    return viewer_for(user).reach(resource, Action.VIEW) == Reach.ALL


def board_report_for_user(*, user: AnyUser, term: Term) -> TermFigures:
    district = district_for(user, Resource.REPORT)
    return published_figures(district_id=district.pk, term=term)


def monitoring_report_for_user(
    *, user: AnyUser, term: Term, zone_key: str | None = None
) -> TermFigures:
    district = district_for(user, Resource.REPORT_MONITORING)
    where = f", zone {zone_key}" if zone_key else ""
    audit_read(actor=user, instance=district, note=f"monitoring view {term.key}{where}")
    return published_figures(district_id=district.pk, term=term)


def unsuppressed_report_for_user(*, user: AnyUser, term: Term) -> TermFigures:
    district = district_for(user, Resource.REPORT_UNSUPPRESSED)
    audit_read(actor=user, instance=district, note=f"unsuppressed report {term.key}")
    return term_figures(district_id=district.pk, term=term)
