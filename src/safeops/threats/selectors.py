"""Reads of tips and cases, narrowed by safeops.access; every single-record read is audited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from safeops.access import Action, AnyUser, Reach, Resource, current_filter, restrict, viewer_for
from safeops.core.audit import audit_export, audit_read
from safeops.core.demographics import DisabilityStatus, RaceEthnicity
from safeops.core.models import AuditEntry
from safeops.core.suppression import Cell, shown, suppress_row
from safeops.incidents.models import Incident
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.threats.choices import (
    Classification,
    Dimension,
    Stage,
    TipStatus,
    allowed_next,
    requirement_label,
)
from safeops.threats.models import (
    CaseRecord,
    CaseTeamMember,
    EnrollmentGroup,
    FollowUp,
    LawEnforcementConsultation,
    PlanTask,
    TeamMember,
    ThreatCase,
    ThreatLead,
    Tip,
    TipAttachment,
    TipEvent,
)
from safeops.threats.scopes import is_threat_lead
from safeops.threats.services import missing_requirements

MIN_TEAM = 2
THREAT_MODELS = (
    "threats.tip",
    "threats.tipevent",
    "threats.tipattachment",
    "threats.threatcase",
    "threats.caserecord",
    "threats.caseteammember",
    "threats.lawenforcementconsultation",
    "threats.plantask",
    "threats.followup",
)


def tip_queue_for_user(*, user: AnyUser, include_closed: bool = False) -> QuerySet[Tip]:
    tips = restrict(Tip.objects.all(), user).select_related("school")
    if not include_closed:
        tips = tips.exclude(status=TipStatus.CLOSED)
    return tips.order_by("-imminent", "created_at")


def tip_get_for_user(*, user: AnyUser, tip_id: int, action: Action = Action.VIEW) -> Tip:
    tip = restrict(Tip.objects.filter(pk=tip_id), user, action).select_related("school").first()
    if tip is None:
        raise Http404(gettext("No such tip in your scope."))
    if action == Action.VIEW:
        audit_read(actor=user, instance=tip, note="tip")
    return tip


def case_list_for_user(*, user: AnyUser, include_closed: bool = False) -> QuerySet[ThreatCase]:
    cases = restrict(ThreatCase.objects.all(), user).select_related("school")
    if not include_closed:
        cases = cases.exclude(stage=Stage.CLOSED)
    return cases.order_by("next_follow_up_on", "-created_at")


def case_get_for_user(*, user: AnyUser, case_id: int, action: Action = Action.VIEW) -> ThreatCase:
    case = (
        restrict(ThreatCase.objects.filter(pk=case_id), user, action)
        .select_related("school", "tip", "incident")
        .first()
    )
    if case is None:
        raise Http404(gettext("No such case in your scope."))
    if action == Action.VIEW:
        audit_read(actor=user, instance=case, note="threat case")
    return case


def tip_list_for_user(*, user: AnyUser, limit: int = 500) -> list[Tip]:
    """The open tip queue as a list (the API): recorded as one bulk read."""
    tips = list(tip_queue_for_user(user=user)[:limit])
    audit_export(actor=user, model=Tip, count=len(tips), note="tip list (api)")
    return tips


def case_export_for_user(*, user: AnyUser, limit: int = 500) -> list[ThreatCase]:
    """The open cases as a list (the API): recorded as one bulk read."""
    cases = list(case_list_for_user(user=user)[:limit])
    audit_export(actor=user, model=ThreatCase, count=len(cases), note="case list (api)")
    return cases


def overdue_follow_ups_for_user(*, user: AnyUser, on: dt.date | None = None) -> list[FollowUp]:
    day = on or timezone.localdate()
    cases = case_list_for_user(user=user)
    return list(
        FollowUp.objects.filter(case__in=cases, done_on__isnull=True, due_on__lt=day)
        .select_related("case", "case__school")
        .order_by("due_on")
    )


@dataclass(frozen=True)
class TeamStatus:
    school: School
    members: list[TeamMember]

    @property
    def flagged(self) -> bool:
        return len(self.members) < MIN_TEAM


def team_status_for_user(*, user: AnyUser, on: dt.date | None = None) -> list[TeamStatus]:
    """Each visible school's current team; a school with fewer than two members is flagged."""
    day = on or timezone.localdate()
    viewer = viewer_for(user)
    schools = restrict(School.objects.filter(active=True), user).order_by("name")
    if viewer.is_superuser or is_threat_lead(person_id=viewer.person_id):
        schools = School.objects.filter(active=True).order_by("name")
        if viewer.district_id is not None:
            schools = schools.filter(district_id=viewer.district_id)
    members = (
        restrict(TeamMember.objects.filter(current_filter(day)), user)
        .select_related("person")
        .order_by("person__full_name")
    )
    by_school: dict[int, list[TeamMember]] = {}
    for member in members:
        by_school.setdefault(member.school_id, []).append(member)
    return [TeamStatus(school, by_school.get(school.pk, [])) for school in schools]


def audit_log_for_lead(*, user: AnyUser, limit: int = 300) -> QuerySet[AuditEntry]:
    """Reads and writes of tips and cases, for the district lead (and superusers)."""
    viewer = viewer_for(user)
    if not (viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)):
        raise PermissionDenied(NO_AUDIT_ACCESS)
    return AuditEntry.objects.filter(model__in=THREAT_MODELS).select_related("actor__person")[
        :limit
    ]


NO_AUDIT_ACCESS = gettext_lazy("The threat assessment audit log is for the district lead.")
# The notes the code writes on the audit entries of tips and cases, stored in English; the
# audit page shows them in the page's language. A note not listed here is shown as stored.
AUDIT_NOTES = {
    "tip": gettext_noop("tip"),
    "threat case": gettext_noop("threat case"),
    "tip queue": gettext_noop("tip queue"),
    "case list": gettext_noop("case list"),
    "tip list (api)": gettext_noop("tip list (api)"),
    "case list (api)": gettext_noop("case list (api)"),
    "tip-code page": gettext_noop("tip-code page"),
    "triage": gettext_noop("triage"),
    "share with SSO": gettext_noop("share with SSO"),
    "law enforcement consultation": gettext_noop("law enforcement consultation"),
    "re-sealed with the newest key": gettext_noop("re-sealed with the newest key"),
    "admin": gettext_noop("admin"),
    "admin list": gettext_noop("admin list"),
}
STAGE_NOTE = re.compile(r"stage → (?P<stage>\w+)")


def audit_note_words(note: str) -> str:
    """An audit entry's note in the active language (`AUDIT_NOTES`; "stage → plan" names the
    stage as the case page does)."""
    if note in AUDIT_NOTES:
        return gettext(AUDIT_NOTES[note])
    match = STAGE_NOTE.fullmatch(note)
    if match and match["stage"] in Stage.values:
        return gettext("stage → %(stage)s") % {"stage": Stage(match["stage"]).label}
    return note


@dataclass(frozen=True)
class FairnessRow:
    group: str
    label: str
    cases: Cell
    substantive: Cell


@dataclass(frozen=True)
class FairnessTable:
    dimension: str
    label: str
    rows: list[FairnessRow]
    total: int | str


def fairness_for_lead(*, user: AnyUser, since: dt.date, until: dt.date) -> list[FairnessTable]:
    """Cases opened in [since, until] by disability/504 status and by race/ethnicity where
    recorded, with rates per 1,000 enrolled students of the group. Counts under 10 are never
    shown (safeops.core.suppression); aggregates only, for the lead."""
    viewer = viewer_for(user)
    if not (viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)):
        raise PermissionDenied(gettext("Fairness indicators are for the district lead."))
    cases = ThreatCase.objects.filter(created_at__date__gte=since, created_at__date__lte=until)
    enrollment = EnrollmentGroup.objects.all()
    if viewer.district_id is not None:
        cases = cases.filter(district_id=viewer.district_id)
        enrollment = enrollment.filter(district_id=viewer.district_id)
    substantive = Q(classification__in=[Classification.SERIOUS, Classification.VERY_SERIOUS])
    tables = []
    for dimension, field, choices in (
        (Dimension.DISABILITY, "disability_status", DisabilityStatus),
        (Dimension.RACE, "race_ethnicity", RaceEthnicity),
    ):
        grouped = {
            row[field]: row
            for row in cases.values(field).annotate(
                n=Count("id"), s=Count("id", filter=substantive)
            )
        }
        denominators = {e.group: e.students for e in enrollment.filter(dimension=dimension)}
        keys = [c.value for c in choices]
        counts = {k: grouped.get(k, {}).get("n", 0) for k in keys}
        subs = {k: grouped.get(k, {}).get("s", 0) for k in keys}
        count_cells = {c.key: c for c in suppress_row(counts, denominators=denominators)}
        sub_cells = {c.key: c for c in suppress_row(subs, denominators=denominators)}
        rows = [FairnessRow(k, str(choices(k).label), count_cells[k], sub_cells[k]) for k in keys]
        tables.append(
            FairnessTable(
                dimension, str(Dimension(dimension).label), rows, shown(sum(counts.values()))
            )
        )
    return tables


@dataclass(frozen=True)
class Dashboard:
    tips: list[Tip]
    cases: list[ThreatCase]
    overdue: list[FollowUp]
    flagged_teams: list[TeamStatus]
    is_lead: bool
    lead_missing: bool
    may_manage_teams: bool
    may_open_case: bool


def dashboard_for_user(*, user: AnyUser, limit: int = 200) -> Dashboard:
    """The team's queue and cases; listing them is recorded as one bulk read each."""
    viewer = viewer_for(user)
    tips = list(tip_queue_for_user(user=user)[:limit])
    cases = list(case_list_for_user(user=user)[:limit])
    audit_export(actor=user, model=Tip, count=len(tips), note="tip queue")
    audit_export(actor=user, model=ThreatCase, count=len(cases), note="case list")
    is_lead = viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)
    lead_missing = viewer.district_id is not None and not lead_designated(
        district_id=viewer.district_id
    )
    return Dashboard(
        tips=tips,
        cases=cases,
        overdue=overdue_follow_ups_for_user(user=user),
        flagged_teams=[t for t in team_status_for_user(user=user) if t.flagged],
        is_lead=is_lead,
        lead_missing=lead_missing,
        may_manage_teams=may_manage_teams(user=user),
        may_open_case=viewer.reach(Resource.THREAT_CASE, Action.CHANGE) != Reach.NONE,
    )


def lead_designated(*, district_id: int, on: dt.date | None = None) -> bool:
    day = on or timezone.localdate()
    return ThreatLead.objects.filter(current_filter(day), district_id=district_id).exists()


def team_member_get_for_user(*, user: AnyUser, member_id: int) -> TeamMember:
    member = (
        restrict(TeamMember.objects.filter(pk=member_id), user).select_related("school").first()
    )
    if member is None:
        raise Http404(gettext("No such team member in your scope."))
    return member


def may_manage_teams(*, user: AnyUser) -> bool:
    """The district's threat lead, the security chief and superusers name team members."""
    viewer = viewer_for(user)
    if viewer.is_superuser or viewer.role == Role.SECURITY_CHIEF:
        return True
    return is_threat_lead(person_id=viewer.person_id)


def team_choices_for_user(*, user: AnyUser) -> tuple[QuerySet[School], QuerySet[Person]]:
    """The schools and people a team member may be chosen from: the user's district."""
    viewer = viewer_for(user)
    schools = School.objects.filter(active=True).order_by("name")
    people = Person.objects.filter(active=True).order_by("full_name")
    if viewer.district_id is not None:
        schools = schools.filter(district_id=viewer.district_id)
        people = people.filter(district_id=viewer.district_id)
    return schools, people


# --- The public tip line (no user) ---------------------------------------------------------

TIP_LINE_NOT_SET_UP = "The tip line is not set up yet."


def tip_line_district() -> District:
    """The district whose public tip line this is (the first one)."""
    district = District.objects.order_by("pk").first()
    if district is None:
        raise PermissionDenied(TIP_LINE_NOT_SET_UP)
    return district


def tip_line_schools(*, district: District) -> QuerySet[School]:
    return School.objects.filter(district=district, active=True).order_by("name")


# --- Pages of one tip or case ---------------------------------------------------------------


@dataclass(frozen=True)
class TipDetail:
    tip: Tip
    events: QuerySet[TipEvent]
    attachments: QuerySet[TipAttachment]
    cases: QuerySet[ThreatCase]


def tip_detail_for_user(*, user: AnyUser, tip_id: int) -> TipDetail:
    """A tip with its events, attachments and the cases opened from it (an audited read)."""
    tip = tip_get_for_user(user=user, tip_id=tip_id)
    return TipDetail(
        tip=tip,
        events=tip.events.select_related("author"),
        attachments=tip.attachments.all(),
        cases=restrict(ThreatCase.objects.filter(tip=tip), user),
    )


def attachment_get_for_user(*, user: AnyUser, attachment_id: int) -> TipAttachment:
    """A tip's attachment, if the user may read the tip (the tip read is audited)."""
    attachment = TipAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(gettext("No such attachment."))
    tip_get_for_user(user=user, tip_id=attachment.tip_id)
    return attachment


def case_schools_for_user(*, user: AnyUser) -> QuerySet[School]:
    """Schools a case may be opened for: the lead's district, else the user's own schools."""
    viewer = viewer_for(user)
    schools = School.objects.filter(active=True).order_by("name")
    if not (viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)):
        schools = schools.filter(pk__in=viewer.school_ids)
    if viewer.district_id is not None:
        schools = schools.filter(district_id=viewer.district_id)
    return schools


def incident_in_scope(*, user: AnyUser, incident_id: int) -> Incident | None:
    return restrict(Incident.objects.filter(pk=incident_id), user).first()


def case_people(*, case: ThreatCase) -> QuerySet[Person]:
    """The active staff of the case's district (team, tasks; SSOs for consultations)."""
    return Person.objects.filter(district_id=case.district_id, active=True)


@dataclass(frozen=True)
class CaseDetail:
    case: ThreatCase
    may_change: bool
    records: QuerySet[CaseRecord]
    team: QuerySet[CaseTeamMember]
    consultations: QuerySet[LawEnforcementConsultation]
    tasks: QuerySet[PlanTask]
    follow_ups: QuerySet[FollowUp]
    staff: QuerySet[Person]
    officers: QuerySet[Person]
    next_stages: list[tuple[Stage, list[str]]]


def case_detail_for_user(*, user: AnyUser, case_id: int) -> CaseDetail:
    """A case with its records, team, tasks and the stages it may move to next, each with the
    records it still lacks (an audited read)."""
    case = case_get_for_user(user=user, case_id=case_id)
    people = case_people(case=case).order_by("full_name")
    return CaseDetail(
        case=case,
        may_change=case.is_open
        and restrict(ThreatCase.objects.filter(pk=case.pk), user, Action.CHANGE).exists(),
        records=case.records.select_related("author"),
        team=case.team.select_related("person"),
        consultations=case.consultations.select_related("officer", "recorded_by"),
        tasks=case.tasks.select_related("owner"),
        follow_ups=case.follow_ups.all(),
        staff=people.exclude(role=Role.SSO),
        officers=people.filter(role=Role.SSO),
        next_stages=[
            (Stage(s), [requirement_label(m) for m in missing_requirements(case, Stage(s))])
            for s in allowed_next(case.stage)
        ],
    )
