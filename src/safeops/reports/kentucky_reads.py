"""Who reads the Kentucky reports and records the marshal's approvals (the security chief,
Resource.STATE_REPORT), with every read audited, and the CSV files of both reports."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safeops.access import Action, AnyUser, Resource
from safeops.core.audit import audit_read
from safeops.core.csvexport import report_writer
from safeops.reports.board.reads import district_for
from safeops.reports.kentucky import CampusReport, SroReport, campus_report, sro_report
from safeops.schools.models import District, School


def _district_for(user: AnyUser, action: Action) -> District:
    refusal = _("You may not open the Kentucky reports.")
    return district_for(user, Resource.STATE_REPORT, action, refusal=refusal)


def sro_report_for_user(*, user: AnyUser, on: dt.date) -> tuple[District, SroReport]:
    district = _district_for(user, Action.VIEW)
    audit_read(actor=user, instance=district, note=f"KRS 158.4414 SRO report on {on}")
    return district, sro_report(district_id=district.pk, on=on)


def campus_report_for_user(*, user: AnyUser, on: dt.date) -> tuple[District, CampusReport]:
    district = _district_for(user, Action.VIEW)
    audit_read(actor=user, instance=district, note=f"HB 63 campus status on {on}")
    return district, campus_report(district_id=district.pk, on=on)


def approval_school_for_user(*, user: AnyUser, school_id: int) -> School:
    """The campus whose marshal approval `user` records (the chief, in their district)."""
    district = _district_for(user, Action.CHANGE)
    school = School.objects.filter(pk=school_id, district=district).first()
    if school is None:
        raise PermissionDenied(_("That school is not in your district."))
    return school


def sro_csv(report: SroReport) -> str:
    out = io.StringIO()
    writer = report_writer(out)
    writer.writerow(
        [
            "officer",
            "badge_number",
            "zone",
            "placement",
            "schools",
            "employment_method",
            "funding_source",
            "certified",
            "lapse",
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.name,
                row.badge_number,
                row.zone,
                "campus" if row.dedicated else "patrol",
                "; ".join(row.schools),
                row.employment_method,
                row.funding_source,
                "yes" if row.certified else "no",
                row.lapse,
            ]
        )
    return out.getvalue()


def campus_csv(report: CampusReport) -> str:
    out = io.StringIO()
    writer = report_writer(out)
    writer.writerow(
        ["school", "level", "status", "certified_sro", "zone", "approved_on", "reference"]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.name,
                row.level,
                row.status,
                row.officer,
                row.zone,
                row.approved_on.isoformat() if row.approved_on else "",
                row.reference,
            ]
        )
    return out.getvalue()
