"""Reads of facility audits, narrowed by safeops.access (through the audit's school)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from safeops.access import Action, AnyUser, Resource, can, restrict, schools_with_access
from safeops.core.audit import audit_read
from safeops.facilities.models import (
    SEVERITY_RANK,
    AuditTemplate,
    FacilityAudit,
    Finding,
    FindingPhoto,
    RemediationTask,
)
from safeops.schools.models import School
from safeops.zones.selectors import patrol_zone_names


def audits_for_user(*, user: AnyUser, action: Action = Action.VIEW) -> QuerySet[FacilityAudit]:
    return restrict(FacilityAudit.objects.all(), user, action)


@dataclass(frozen=True)
class SchoolScore:
    school: School
    latest: FacilityAudit | None
    open_findings: int


@dataclass(frozen=True)
class DistrictScores:
    rows: list[SchoolScore]
    average: float | None
    audited: int
    zones: dict[int, str] = field(default_factory=dict)  # school id -> its patrol zone

    @property
    def never_audited(self) -> int:
        return len(self.rows) - self.audited


def facility_scores_for_user(*, user: AnyUser) -> DistrictScores:
    """Each visible school's latest audit score and open findings; the district average of
    the latest scores (schools never audited are listed first and left out of the average)."""
    schools = list(schools_with_access(user, Action.VIEW, Resource.FACILITY_AUDIT))
    audits = (
        audits_for_user(user=user)
        .filter(school__in=schools)
        .order_by("school_id", "-conducted_on", "-id")
    )
    latest: dict[int, FacilityAudit] = {}
    for audit in audits:
        latest.setdefault(audit.school_id, audit)
    open_counts: dict[int, int] = {}
    for school_id in Finding.objects.filter(audit__in=audits, closed_on__isnull=True).values_list(
        "audit__school_id", flat=True
    ):
        open_counts[school_id] = open_counts.get(school_id, 0) + 1
    rows = [SchoolScore(s, latest.get(s.pk), open_counts.get(s.pk, 0)) for s in schools]
    rows.sort(
        key=lambda r: (r.latest is not None, r.latest.score if r.latest else 0, r.school.name)
    )
    scores = [r.latest.score for r in rows if r.latest is not None]
    average = round(sum(scores) / len(scores), 1) if scores else None
    zones = patrol_zone_names(school_ids=[s.pk for s in schools])
    return DistrictScores(rows=rows, average=average, audited=len(scores), zones=zones)


@dataclass(frozen=True)
class SchoolFacilities:
    school: School
    audits: list[FacilityAudit]
    open_findings: list[Finding]
    may_change: bool
    templates: list[AuditTemplate]


def school_facilities_for_user(*, user: AnyUser, school_id: int) -> SchoolFacilities:
    school = (
        schools_with_access(user, Action.VIEW, Resource.FACILITY_AUDIT).filter(pk=school_id).first()
    )
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    audits = list(audits_for_user(user=user).filter(school=school))
    findings = sorted(
        Finding.objects.filter(audit__in=audits, closed_on__isnull=True)
        .select_related("audit")
        .prefetch_related("tasks__owner"),
        key=lambda f: (SEVERITY_RANK[f.severity], f.pk),  # type: ignore[index]
    )
    may_change = (
        schools_with_access(user, Action.CHANGE, Resource.FACILITY_AUDIT)
        .filter(pk=school_id)
        .exists()
    )
    templates = list(
        restrict(AuditTemplate.objects.filter(district_id=school.district_id, active=True), user)
    )
    return SchoolFacilities(school, audits, findings, may_change, templates)


def audit_get_for_user(
    *, user: AnyUser, audit_id: int, action: Action = Action.VIEW
) -> FacilityAudit:
    audit = (
        audits_for_user(user=user, action=action)
        .filter(pk=audit_id)
        .select_related("school", "template", "conducted_by")
        .first()
    )
    if audit is None:
        raise Http404(gettext("No such audit in your scope."))
    return audit


def finding_get_for_user(*, user: AnyUser, finding_id: int, action: Action) -> Finding:
    finding = Finding.objects.select_related("audit__school").filter(pk=finding_id).first()
    if finding is None or not can(user, action, finding.audit):
        raise Http404(gettext("No such finding in your scope."))
    return finding


def task_get_for_user(*, user: AnyUser, task_id: int, action: Action) -> RemediationTask:
    task = RemediationTask.objects.select_related("finding__audit").filter(pk=task_id).first()
    if task is None or not can(user, action, task.finding.audit):
        raise Http404(gettext("No such task in your scope."))
    return task


def photo_get_for_user(*, user: AnyUser, photo_id: int) -> FindingPhoto:
    photo = FindingPhoto.objects.select_related("finding__audit").filter(pk=photo_id).first()
    if photo is None or not can(user, Action.VIEW, photo.finding.audit):
        raise Http404(gettext("No such photo in your scope."))
    audit_read(actor=user, instance=photo, note="finding photo")
    return photo


def tasks_due_for_user(*, user: AnyUser, on: dt.date, within_days: int) -> list[RemediationTask]:
    """Open remediation tasks overdue or due within `within_days` at the user's schools."""
    horizon = on + dt.timedelta(days=within_days)
    return list(
        RemediationTask.objects.filter(
            finding__audit__in=audits_for_user(user=user),
            closed_on__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("finding__audit__school", "owner")
        .order_by("due_on")
    )


def findings_without_task_for_user(*, user: AnyUser) -> list[Finding]:
    """Open findings nobody has been given yet (the SA home lists them as due)."""
    return list(
        Finding.objects.filter(
            audit__in=audits_for_user(user=user), closed_on__isnull=True, tasks__isnull=True
        )
        .select_related("audit__school")
        .order_by("id")
    )
